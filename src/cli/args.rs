//! The command line.

use crate::cloud::sim::Scenario;
use clap::{Args, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "secretwatch",
    version,
    disable_version_flag = true,
    about = "Live terminal dashboard of who reads your AWS Secrets Manager secrets, and of the alert chain around them",
    after_help = "With no subcommand, `watch` runs: the dashboard over your AWS account."
)]
pub struct Cli {
    /// Print the version and where the config, state and log files are.
    #[arg(short = 'V', long)]
    pub version: bool,
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The command line from the process's arguments; exits with clap's message (and
    /// status 2) when they are wrong, or after printing help.
    pub fn from_env() -> Self {
        let matches = command().get_matches();
        Self::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

/// The flags that say where in AWS to look: the demo's account is embedded, so `demo --help`
/// does not list them (given anyway, they are ignored).
const AWS_ONLY: [&str; 5] = ["profile", "region", "endpoint_url", "demo", "config"];

/// The command line as clap sees it, with each subcommand's help listing what applies to it.
pub fn command() -> clap::Command {
    let command = <Cli as clap::CommandFactory>::command();
    // A subcommand that has an argument of a global's name does not get the global: the demo
    // gets hidden copies, which parse as before.
    let hidden: Vec<clap::Arg> = command
        .get_arguments()
        .filter(|arg| AWS_ONLY.contains(&arg.get_id().as_str()))
        .map(|arg| arg.clone().hide(true))
        .collect();
    command.mut_subcommand("demo", |demo| demo.args(hidden))
}

/// Where to look, as the AWS CLI's flags say it.
#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// AWS profile to use (as `aws --profile`; AWS_PROFILE works too). Repeat it to watch
    /// the accounts of several profiles, the first focused.
    #[arg(long, global = true, value_name = "NAME", value_parser = parse_profile)]
    pub profile: Vec<String>,
    /// Watch every account of the organization too: Organizations' ListAccounts from the
    /// focused account, and in each the role --role names, assumed.
    #[arg(long, global = true)]
    pub organization: bool,
    /// The role assumed in the organization's accounts (default: the config's
    /// [scopes] role, else secretwatch-read-only).
    #[arg(long, global = true, value_name = "NAME", value_parser = parse_profile)]
    pub role: Option<String>,
    /// AWS region (as `aws --region`; AWS_REGION works too).
    #[arg(long, global = true, value_name = "REGION", value_parser = parse_region)]
    pub region: Option<String>,
    /// Watch several regions, comma-separated: one timeline across them, each with its own
    /// pollers and health. The focused one is --region's, else the first. Default: the
    /// config's [scopes] regions.
    #[arg(
        long,
        global = true,
        value_name = "REGION,...",
        value_delimiter = ',',
        value_parser = parse_region
    )]
    pub regions: Vec<String>,
    /// Narrow the accesses shown to one scope: an account id, a region, or both
    /// (123456789012/eu-west-1); `S` in the dashboard picks another.
    #[arg(long, global = true, value_name = "SCOPE", value_parser = crate::store::ScopeFilter::parse)]
    pub scope: Option<crate::store::ScopeFilter>,
    /// Send every AWS call to this endpoint (as `aws --endpoint-url`; AWS_ENDPOINT_URL works too).
    #[arg(long, global = true, value_name = "URL", value_parser = parse_endpoint)]
    pub endpoint_url: Option<String>,
    /// A secret to watch, by name or ARN; repeat for more. Default: the config's, else all.
    /// Only narrows what is shown: it is never read, created or changed.
    #[arg(long = "secret", global = true, value_name = "NAME", value_parser = parse_secret)]
    pub secrets: Vec<String>,
    /// The secret `t` and `test-access` read, and the only one setup may create.
    /// Default: the config's names.secret (TopSecretInfo).
    #[arg(long, global = true, value_name = "NAME", value_parser = parse_secret)]
    pub test_secret: Option<String>,
    /// The config file (default: config.toml in the platform's config dir).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run over the embedded simulated account instead of AWS.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Never change the account: setup and every other mutating key and command are off.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Where the embedded account starts (demo and --demo).
    #[arg(long, global = true, value_enum, default_value_t = Scenario::Healthy)]
    pub scenario: Scenario,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The dashboard over your AWS account (the default).
    Watch,
    /// The dashboard over an embedded simulated AWS account (no AWS needed).
    Demo(DemoArgs),
    /// Print the accesses of the watched secrets.
    Events(EventsArgs),
    /// Read the test secret once (GetSecretValue) and print its ARN, version and time;
    /// with --trace, follow it through every link of the chain. The value is never printed.
    TestAccess(TestAccessArgs),
    /// Print the alarm's state and the health of every source.
    Status(JsonArg),
    /// Check every link of the alert chain; exit 0 healthy, 1 findings, 2 could not check.
    Doctor(JsonArg),
    /// Show what is missing or wrong in the alert chain, then create or fix it.
    Setup(SetupArgs),
    /// Acknowledge the alarm's current ALARM episode; saved before it says so.
    Ack(AckArgs),
    /// Print shell completions, e.g. `secretwatch completions bash > /etc/bash_completion.d/secretwatch`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `secretwatch man > secretwatch.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct AckArgs {
    /// The alarm (default: the config's names.alarm).
    pub alarm: Option<String>,
    /// Why, or what is being done about it.
    #[arg(long, value_name = "TEXT", value_parser = parse_note)]
    pub note: Option<String>,
    /// Print the acknowledgement as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Seed of the simulation; the same seed gives the same story. Default: random.
    #[arg(long)]
    pub seed: Option<u64>,
    /// No traffic: nobody reads the secret unless you do (`t`); for an idle dashboard.
    #[arg(long)]
    pub quiet: bool,
    /// Run without a terminal UI, printing one line per change.
    #[arg(long)]
    pub headless: bool,
    /// Stop after this many (simulated) seconds. Headless only.
    #[arg(long, value_name = "SECS", requires = "headless")]
    pub duration: Option<u64>,
    /// Print JSON lines. Headless only.
    #[arg(long, requires = "headless")]
    pub json: bool,
    /// Run simulated time as fast as the machine can, instead of the wall clock.
    /// Headless only; needs --duration.
    #[arg(long, requires_all = ["headless", "duration"])]
    pub fast: bool,
    /// Only the accesses that match (as `events --filter`); every other change is printed.
    /// Headless only.
    #[arg(long, value_name = "EXPR", requires = "headless")]
    pub filter: Option<String>,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// From when: a time ago (90s, 15m, 1h, 2d) or an RFC 3339 time (2026-12-01T09:00:00Z).
    /// CloudTrail keeps 90 days.
    #[arg(long, default_value = "1h", value_parser = parse_when)]
    pub since: When,
    /// Until when, as --since (default: now). Not with --follow.
    #[arg(long, value_parser = parse_when, conflicts_with = "follow")]
    pub until: Option<When>,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Keep running and print new accesses as they arrive.
    #[arg(long)]
    pub follow: bool,
    /// Only the accesses that match, e.g. `type:human !outcome:denied ip:10.0.0.0/8`
    /// (the README's "Filter" has the language).
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
}

#[derive(Debug, Args)]
pub struct SetupArgs {
    /// Show the plan and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Subscribe this address to the topic (it must confirm by email); default: the
    /// config's setup.email.
    #[arg(long, value_name = "ADDR", value_parser = parse_email)]
    pub email: Option<String>,
    /// Apply without asking.
    #[arg(long, conflicts_with = "dry_run")]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct TestAccessArgs {
    /// Follow the read through every link (EventBridge, CloudTrail history, log group,
    /// metric, alarm, the alarm's message), printing each as it is seen; exit 0 when the
    /// message arrives, 1 naming the link where the chain stopped, 2 when it could not run.
    #[arg(long)]
    pub trace: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_profile(text: &str) -> Result<String, String> {
    if text.trim().is_empty() || text.chars().any(char::is_control) {
        Err("a profile name from ~/.aws/config, like prod".into())
    } else {
        Ok(text.to_string())
    }
}

fn parse_region(text: &str) -> Result<String, String> {
    if crate::config::plausible_region(text) {
        Ok(text.to_string())
    } else {
        Err("a region name like eu-west-1".into())
    }
}

fn parse_endpoint(text: &str) -> Result<String, String> {
    let host = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("https://"));
    match host {
        Some(rest)
            if !rest.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(text.to_string())
        }
        _ => Err("a URL like http://localhost:4566 (http or https)".into()),
    }
}

fn parse_secret(text: &str) -> Result<String, String> {
    if crate::config::plausible_secret_id(text) {
        Ok(text.to_string())
    } else {
        Err("a secret name (letters, digits, /_+=.@-) or its ARN".into())
    }
}

fn parse_note(text: &str) -> Result<String, String> {
    let max = crate::ui::app::NOTE_MAX;
    if text.chars().count() > max {
        Err(format!("at most {max} characters"))
    } else if text.chars().any(char::is_control) {
        Err("one line of text, without control characters".into())
    } else {
        Ok(text.to_string())
    }
}

fn parse_email(text: &str) -> Result<String, String> {
    if crate::config::plausible_email(text) {
        Ok(text.to_string())
    } else {
        Err("expected one email address, like security@example.com".into())
    }
}

pub use crate::text::when::{When, parse_since, parse_when};

#[cfg(test)]
mod tests {
    use super::{When, parse_since, parse_when};
    use std::time::Duration;

    /// `demo --help` lists what applies to the demo, not where in AWS to look; the top
    /// level's help still has them.
    #[test]
    fn demo_help_lists_only_what_applies_to_the_demo() {
        let mut command = super::command();
        // As when parsing: the globals reach each subcommand.
        command.build();
        let demo = command
            .find_subcommand_mut("demo")
            .expect("demo")
            .render_help()
            .to_string();
        for flag in [
            "--seed",
            "--quiet",
            "--headless",
            "--scenario",
            "--read-only",
        ] {
            assert!(demo.contains(flag), "{flag} missing:\n{demo}");
        }
        let listed = |flag: &str| {
            demo.lines()
                .any(|l| l.trim_start().starts_with(&format!("{flag} ")))
        };
        for flag in [
            "--profile",
            "--region",
            "--endpoint-url",
            "--demo",
            "--config",
        ] {
            assert!(!listed(flag), "{flag} listed:\n{demo}");
        }
        assert!(listed("--seed"), "{demo}");
        let top = command.render_help().to_string();
        assert!(
            top.contains("--profile") && top.contains("--endpoint-url"),
            "{top}"
        );
    }

    #[test]
    fn when_is_a_time_ago_or_an_rfc_3339_time() {
        assert_eq!(parse_when("15m"), Ok(When::Ago(Duration::from_secs(900))));
        let at = parse_when("2026-12-01T09:00:00+01:00").expect("RFC 3339");
        assert_eq!(
            at,
            When::At("2026-12-01T08:00:00Z".parse().expect("a time"))
        );
        for bad in ["2026-12-01", "2026-12-01T25:00:00Z", "09:00", "yesterday"] {
            assert!(parse_when(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn since_takes_a_number_and_a_unit() {
        assert_eq!(parse_since("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_since("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_since("2d"), Ok(Duration::from_secs(172_800)));
        for bad in [
            "",
            "1",
            "h",
            "1w",
            "0s",
            "91d",
            "-1h",
            "1.5h",
            "99999999999999999999h",
        ] {
            assert!(parse_since(bad).is_err(), "{bad}");
        }
    }
}
