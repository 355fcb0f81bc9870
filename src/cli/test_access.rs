//! `secretwatch test-access`: read the test secret once and say which CloudTrail event
//! will carry it. The value is never printed.

use super::args::TestAccessArgs;
use super::exit::Exit;
use super::open::Opened;
use super::output::{complain, report, say, say_json};
use crate::cloud::ErrorKind;
use crate::text::sanitize::sanitize_line;

pub async fn run(opened: Opened, args: TestAccessArgs) -> Exit {
    if let Some(error) = &opened.connect_error {
        return report(error);
    }
    let marker = format!("secretwatch-test-cli-{}", std::process::id());
    match opened
        .cloud
        .fire_test_access(&opened.test_secret, &marker)
        .await
    {
        Ok(access) if args.json => say_json(&access),
        Ok(access) => {
            say!(
                "read {} (version {}) at {}; its CloudTrail event carries app/{}",
                access.secret_arn,
                access.version_id,
                access.fired_at.format("%Y-%m-%dT%H:%M:%SZ"),
                access.marker
            );
            Exit::Ok
        }
        Err(error) if error.kind == ErrorKind::NotFound => {
            complain(format_args!(
                "there is no secret {} to read here ({error})",
                sanitize_line(&opened.test_secret, 300)
            ));
            eprintln!(
                "  → create it and the rest of the alert chain with `secretwatch setup`, or pick \
                 another with --test-secret NAME (or names.secret in the config)"
            );
            Exit::Failure
        }
        Err(error) => report(&error),
    }
}
