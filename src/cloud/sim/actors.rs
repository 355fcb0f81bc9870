//! The people and programs that use the embedded account in the demo: who
//! reads the secret, how often, from where and with what; and the background
//! noise of other management events that every real trail carries.

use super::record::CallSpec;
use serde_json::json;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Actor {
    /// Template of the call; `secret_id` names the secret as this actor passes it.
    pub call: CallSpec,
    /// Seconds between two calls, drawn uniformly from this range.
    pub every: (Duration, Duration),
    /// Whether the actor passes the secret's ARN rather than its name.
    pub by_arn: bool,
    /// A scripted change, made once this long after the story starts (`every` unused).
    pub once_after: Option<Duration>,
}

const ACCOUNT: &str = super::world::ACCOUNT;

impl Actor {
    /// The same actor in another account: its principal (and any error naming it) moved.
    pub fn in_account(mut self, account: &str) -> Self {
        let moved = |s: &str| s.replace(&format!("::{ACCOUNT}:"), &format!("::{account}:"));
        self.call.principal_arn = moved(&self.call.principal_arn);
        if let Some((_, message)) = &mut self.call.error {
            *message = moved(message);
        }
        self
    }
}

/// Someone who calls GetSecretValue every `every` seconds (drawn uniformly): an
/// `AssumedRole` session (`role/session`) or an `IAMUser`.
pub fn secret_reader(
    role_or_user: &str,
    principal_type: &str,
    ip: &str,
    user_agent: &str,
    every: (u64, u64),
) -> Actor {
    let principal_arn = if principal_type == "AssumedRole" {
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role_or_user}")
    } else {
        format!("arn:aws:iam::{ACCOUNT}:user/{role_or_user}")
    };
    Actor {
        call: CallSpec {
            event_name: "GetSecretValue".into(),
            event_source: "secretsmanager.amazonaws.com".into(),
            read_only: true,
            principal_arn,
            principal_type: principal_type.into(),
            username: role_or_user
                .split('/')
                .next()
                .unwrap_or(role_or_user)
                .into(),
            source_ip: ip.into(),
            user_agent: user_agent.into(),
            from_console: false,
            secret_id: None,
            secret_arn: None,
            params: serde_json::Value::Null,
            error: None,
        },
        every: (Duration::from_secs(every.0), Duration::from_secs(every.1)),
        by_arn: false,
        once_after: None,
    }
}

/// Someone who makes one change (`event_name` with `params`) to the secret, `after` the
/// story starts: a reader's identity (`secret_reader`) making another call.
pub fn secret_changer(
    reader: &Actor,
    event_name: &str,
    params: serde_json::Value,
    after_mins: u64,
) -> Actor {
    let mut actor = reader.clone();
    actor.call.event_name = event_name.into();
    actor.call.read_only = false;
    actor.call.params = params;
    // The CLI names its command in the user agent.
    let command: String = event_name
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let dash = (i > 0 && c.is_ascii_uppercase()).then_some('-');
            dash.into_iter()
                .chain(std::iter::once(c.to_ascii_lowercase()))
        })
        .collect();
    actor.call.user_agent = actor.call.user_agent.replace(
        "secretsmanager.get-secret-value",
        &format!("secretsmanager.{command}"),
    );
    actor.call.error = None;
    actor.by_arn = false;
    actor.once_after = Some(Duration::from_secs(after_mins * 60));
    actor
}

/// The demo's cast: a service role, a person in the console, a CLI user from
/// an unusual address, and a CI job that is denied.
pub fn demo_cast() -> Vec<Actor> {
    let mut service = secret_reader(
        "billing-service/i-0a1b2c3d4e5f67890",
        "AssumedRole",
        "10.0.12.34",
        "aws-sdk-java/2.25.10 Linux/5.10.218 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 \
         vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/standard",
        (90, 240),
    );
    service.by_arn = true;
    let mut console = secret_reader(
        "alice",
        "IAMUser",
        "198.51.100.23",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) \
         Chrome/131.0.0.0 Safari/537.36",
        (300, 900),
    );
    console.call.from_console = true;
    let cli = secret_reader(
        "bob",
        "IAMUser",
        "203.0.113.77",
        "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.6 \
         md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#debian.12 \
         prompt/off command/secretsmanager.get-secret-value",
        (420, 1200),
    );
    let mut denied = secret_reader(
        "ci-runner/gha-7731",
        "AssumedRole",
        "192.0.2.10",
        "Boto3/1.35.60 md/Botocore#1.35.60 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.12.3 \
         md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.60",
        (480, 1300),
    );
    denied.call.error = Some((
        "AccessDenied".into(),
        format!(
            "User: arn:aws:sts::{ACCOUNT}:assumed-role/ci-runner/gha-7731 is not authorized to \
             perform: secretsmanager:GetSecretValue because no identity-based policy allows the \
             secretsmanager:GetSecretValue action"
        ),
    ));
    let rotation = secret_reader(
        "TopSecretInfo-rotation/rotation-fn",
        "AssumedRole",
        "3.250.44.18",
        "aws-sdk-python/1.35.60 Boto3/1.35.60 exec-env/AWS_Lambda_python3.12",
        (1, 1),
    );
    // Who changed the secret: a rotation (asked for in the console, done by its function),
    // then the CLI user's resource policy for another account and a replica in a region
    // nobody watches: the exfiltration setup the timeline flags.
    let changes = vec![
        secret_changer(
            &console,
            "RotateSecret",
            json!({ "rotateImmediately": true }),
            8,
        ),
        secret_changer(
            &rotation,
            "PutSecretValue",
            json!({ "secretString": "HIDDEN_DUE_TO_SECURITY_REASONS", "versionStages": ["AWSPENDING"] }),
            9,
        ),
        secret_changer(
            &cli,
            "PutResourcePolicy",
            json!({ "resourcePolicy": outside_policy(), "blockPublicPolicy": true }),
            31,
        ),
        secret_changer(
            &cli,
            "ReplicateSecretToRegions",
            json!({ "addReplicaRegions": [{ "region": "ap-southeast-1" }] }),
            33,
        ),
    ];
    let mut cast = vec![service, console, cli, denied];
    cast.extend(changes);
    cast
}

/// A resource policy letting another account (444455556666) read the secret.
fn outside_policy() -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "AWS": "arn:aws:iam::444455556666:root" },
            "Action": "secretsmanager:GetSecretValue",
            "Resource": "*",
        }],
    })
    .to_string()
}

/// Other management events: (event name, source, read-only).
pub const NOISE: &[(&str, &str, bool)] = &[
    ("DescribeInstances", "ec2.amazonaws.com", true),
    ("AssumeRole", "sts.amazonaws.com", true),
    ("ListSecrets", "secretsmanager.amazonaws.com", true),
    ("DescribeSecret", "secretsmanager.amazonaws.com", true),
    ("CreateLogStream", "logs.amazonaws.com", false),
    ("PutMetricData", "monitoring.amazonaws.com", false),
    ("DescribeAlarms", "monitoring.amazonaws.com", true),
    ("GetCallerIdentity", "sts.amazonaws.com", true),
];

/// A background caller making one of the `NOISE` calls every few seconds: the
/// events that a metric filter turns into its default value 0.
pub fn noise_caller() -> Actor {
    secret_reader(
        "platform-automation/lambda-sweeper",
        "AssumedRole",
        "34.240.11.9",
        "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64",
        (3, 10),
    )
}
