//! Trail → logs: the trail delivers to a log group that exists, through a role, lately.

use crate::chain::{ChainLink as L, Finding, LinkState as S};
use crate::cloud::links::{LogGroupInfo, TrailInfo, log_group_name};
use chrono::{DateTime, TimeDelta, Utc};

pub fn delivery(
    trail: Option<&TrailInfo>,
    group: Option<&LogGroupInfo>,
    now: DateTime<Utc>,
) -> Finding {
    let Some(t) = trail else {
        return Finding::new(
            L::Delivery,
            S::Broken,
            "no trail, so nothing reaches the logs",
        );
    };
    let Some(arn) = &t.log_group_arn else {
        return Finding::new(
            L::Delivery,
            S::Broken,
            format!("trail {} does not deliver to CloudWatch Logs", t.name),
        )
        .evidence("DescribeTrails: no CloudWatchLogsLogGroupArn")
        .fix(super::by_setup(
            "give the trail a log group and a role CloudTrail can assume to write to it",
        ));
    };
    let name = log_group_name(arn).unwrap_or(arn);
    if group.is_none() {
        return Finding::new(
            L::Delivery,
            S::Broken,
            format!("log group {name} does not exist"),
        )
        .evidence(format!("DescribeLogGroups: no {name}"))
        .fix(super::by_setup(format!(
            "aws logs create-log-group --log-group-name {name}"
        )));
    }
    if t.logs_role_arn.is_none() {
        return Finding::new(L::Delivery, S::Broken, format!("trail {} has no role for the logs", t.name))
            .evidence("DescribeTrails: no CloudWatchLogsRoleArn")
            .fix(super::by_setup("a role trusted by cloudtrail.amazonaws.com with logs:CreateLogStream and logs:PutLogEvents"));
    }
    if let Some(error) = &t.latest_logs_delivery_error {
        return Finding::new(L::Delivery, S::Broken, format!("delivery to {name} fails"))
            .evidence(format!(
                "GetTrailStatus: LatestCloudWatchLogsDeliveryError {error}"
            ))
            .fix(
                "check the role's trust policy and its logs:PutLogEvents permission on the group",
            );
    }
    match t.latest_logs_delivery {
        None => Finding::new(L::Delivery, S::Unknown, format!("no delivery to {name} recorded yet"))
            .evidence("GetTrailStatus: no LatestCloudWatchLogsDeliveryTime")
            .fix("a new trail delivers within minutes; if this stays, the endpoint may not deliver to logs"),
        Some(at) if now - at > TimeDelta::hours(1) => Finding::new(
            L::Delivery,
            S::Warning,
            format!("last delivery to {name} was {} minutes ago", (now - at).num_minutes()),
        )
        .evidence(format!("GetTrailStatus: LatestCloudWatchLogsDeliveryTime {at}")),
        Some(at) => Finding::new(L::Delivery, S::Ok, format!("trail {} delivers to {name}", t.name))
            .evidence(format!("GetTrailStatus: LatestCloudWatchLogsDeliveryTime {at}")),
    }
}
