//! The command line.

use crate::cloud::sim::Scenario;
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "secretwatch",
    version,
    about = "Live terminal dashboard of who reads your AWS Secrets Manager secrets, and of the alert chain around them"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the dashboard over an embedded simulated AWS account (no AWS needed).
    Demo(DemoArgs),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where the simulated account starts.
    #[arg(long, value_enum, default_value_t = Scenario::Healthy)]
    pub scenario: Scenario,
    /// Seed of the simulation; the same seed gives the same story. Default: random.
    #[arg(long)]
    pub seed: Option<u64>,
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
}
