//! One refresh cycle against ministack: the CPU it costs this process, beside the AWS CLI's
//! `lookup-events` against the same server in the same run.

#[path = "../../tests/common/ministack.rs"]
#[allow(dead_code)]
mod ministack;

use super::refresh_cycle;
use secretwatch::cloud::names::ChainNames;
use std::process::Command;
use std::time::Instant;

/// Runs `cycles` refresh cycles and `cli_calls` AWS CLI calls against one ministack, and
/// prints what each cost in CPU.
pub fn report(cycles: u32, cli_calls: u32) {
    let server = ministack::Ministack::start();
    server.create_secret("TopSecretInfo", "benchmark-value");
    for _ in 0..5 {
        server.aws(&[
            "secretsmanager",
            "get-secret-value",
            "--secret-id",
            "TopSecretInfo",
            "--query",
            "ARN",
        ]);
    }
    server.put_alarm("Sum", "60", None);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let cloud = runtime.block_on(ministack::adapter(&server.endpoint()));
    let names = ChainNames::default();
    // One cycle first: connections and credentials, as a running dashboard has them.
    let records = runtime.block_on(refresh_cycle(&cloud, &names, chrono::Utc::now()));
    assert!(
        records > 0,
        "ministack recorded no GetSecretValue to look up"
    );

    let (cpu, wall) = (cpu_ticks(), Instant::now());
    for _ in 0..cycles {
        runtime.block_on(refresh_cycle(&cloud, &names, chrono::Utc::now()));
    }
    let ours = seconds(cpu_ticks().own - cpu.own) / f64::from(cycles);
    let ours_wall = wall.elapsed().as_secs_f64() / f64::from(cycles);

    let cpu = cpu_ticks();
    for _ in 0..cli_calls {
        server.aws(&[
            "cloudtrail",
            "lookup-events",
            "--lookup-attributes",
            "AttributeKey=EventName,AttributeValue=GetSecretValue",
        ]);
    }
    let cli = seconds(cpu_ticks().children - cpu.children) / f64::from(cli_calls);
    println!(
        "refresh cycle against ministack (events, metric, alarm and history): {:.2} ms CPU \
         in-process, {:.1} ms wall (mean of {cycles}); aws cloudtrail lookup-events: \
         {:.0} ms CPU (mean of {cli_calls}); {:.0}x less CPU",
        ours * 1e3,
        ours_wall * 1e3,
        cli * 1e3,
        if ours > 0.0 { cli / ours } else { f64::NAN },
    );
}

struct Ticks {
    /// This process: every thread, live or ended.
    own: u64,
    /// Children waited for (the AWS CLI runs).
    children: u64,
}

/// User and system CPU from /proc/self/stat, in clock ticks.
fn cpu_ticks() -> Ticks {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let fields: Vec<u64> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .unwrap_or_default()
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    // After the command name: utime, stime, cutime and cstime are the 12th to 15th.
    let field = |i: usize| fields.get(i).copied().unwrap_or(0);
    Ticks {
        own: field(11) + field(12),
        children: field(13) + field(14),
    }
}

fn seconds(ticks: u64) -> f64 {
    let per_second = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .unwrap_or(100.0);
    ticks as f64 / per_second
}
