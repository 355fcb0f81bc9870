//! CloudTrail trails: which events a trail records and whether it hands them
//! to a CloudWatch Logs log group.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadWriteType {
    ReadOnly,
    WriteOnly,
    All,
}

#[derive(Debug, Clone)]
pub struct Trail {
    pub name: String,
    /// The S3 bucket its log files go to.
    pub bucket: String,
    pub logging: bool,
    pub read_write: ReadWriteType,
    pub include_management_events: bool,
    /// Name of the log group the trail delivers to, when configured.
    pub log_group: Option<String>,
    /// The role CloudTrail assumes to write to the log group; delivery fails without it.
    pub logs_role_ok: bool,
    /// The trail's own SNS notification per delivered log file, if configured.
    pub sns_topic: Option<String>,
    /// An organization trail: its files go under `AWSLogs/o-ORGID/ACCOUNT/`.
    pub organization: bool,
    pub latest_logs_delivery: Option<chrono::DateTime<chrono::Utc>>,
    /// Another account's organization trail as a member account sees it (a shadow trail):
    /// the owner's account id. Its log group is the owner's, so nothing is delivered here.
    pub shadow_of: Option<String>,
}

impl Trail {
    /// Whether this trail records a management event with the given read-only flag.
    pub fn records(&self, read_only: bool) -> bool {
        self.logging
            && self.include_management_events
            && match self.read_write {
                ReadWriteType::All => true,
                ReadWriteType::ReadOnly => read_only,
                ReadWriteType::WriteOnly => !read_only,
            }
    }

    /// The log group this trail delivers a recorded event to, if delivery works.
    pub fn delivers_to(&self, read_only: bool) -> Option<&str> {
        if self.records(read_only) && self.logs_role_ok && self.shadow_of.is_none() {
            self.log_group.as_deref()
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trail(read_write: ReadWriteType) -> Trail {
        Trail {
            name: "t".into(),
            bucket: "b".into(),
            logging: true,
            read_write,
            include_management_events: true,
            log_group: Some("g".into()),
            logs_role_ok: true,
            sns_topic: None,
            organization: false,
            latest_logs_delivery: None,
            shadow_of: None,
        }
    }

    #[test]
    fn write_only_selectors_drop_get_secret_value() {
        assert!(trail(ReadWriteType::All).records(true));
        assert!(trail(ReadWriteType::ReadOnly).records(true));
        assert!(!trail(ReadWriteType::WriteOnly).records(true));
        assert!(trail(ReadWriteType::WriteOnly).records(false));
    }

    #[test]
    fn delivery_needs_logging_a_log_group_and_the_role() {
        let mut t = trail(ReadWriteType::All);
        assert_eq!(t.delivers_to(true), Some("g"));
        t.logs_role_ok = false;
        assert_eq!(t.delivers_to(true), None);
        t.logs_role_ok = true;
        t.logging = false;
        assert_eq!(t.delivers_to(true), None);
        t.logging = true;
        t.log_group = None;
        assert_eq!(t.delivers_to(true), None);
    }
}
