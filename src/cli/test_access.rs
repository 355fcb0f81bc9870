//! `secretwatch test-access`: read the test secret once and say which CloudTrail event
//! will carry it. The value is never printed.

use super::args::JsonArg;
use super::exit::Exit;
use super::open::Opened;
use super::output::{report, say, say_json};

pub async fn run(opened: Opened, args: JsonArg) -> Exit {
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
        Err(error) => report(&error),
    }
}
