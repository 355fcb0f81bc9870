//! Scopes against ministack, which keeps regions apart (each region its own secrets and
//! CloudTrail history): secretwatch over two regions lists every access of both in one
//! listing, each with its account and region, and `status` reports each scope. The reads
//! are real calls made by the AWS CLI in each region; nothing is fed. One test runs over the
//! embedded organization instead, for what ministack cannot refuse (an AssumeRole).

#[path = "../common/mod.rs"]
mod common;

use common::ministack::{Ministack, text};
use serde_json::Value;

/// A secret created and read once in `region`, with the AWS CLI.
fn read_in(server: &Ministack, region: &str, secret: &str) {
    read_in_account(server, "test", region, secret);
}

/// The same in another account (`test`: the server's own).
fn read_in_account(server: &Ministack, account: &str, region: &str, secret: &str) {
    server.aws_in(
        account,
        &[
            "secretsmanager",
            "create-secret",
            "--region",
            region,
            "--name",
            secret,
            "--secret-string",
            "s3cr3t",
        ],
    );
    server.aws_in(
        account,
        &[
            "secretsmanager",
            "get-secret-value",
            "--region",
            region,
            "--secret-id",
            secret,
        ],
    );
}

#[test]
fn two_regions_list_every_access_of_both_each_with_its_region() {
    let server = Ministack::start();
    read_in(&server, "us-east-1", "TopSecretInfo");
    read_in(&server, "eu-west-1", "PaymentsKey");

    // The focused region is --region's (us-east-1, as every command here), then --regions.
    let out = server.run(&[
        "events",
        "--json",
        "--since",
        "10m",
        "--regions",
        "eu-west-1",
        // The reads: each secret's CreateSecret is a change, shown too.
        "--filter",
        "kind:read",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let accesses: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let mut seen: Vec<(String, String)> = accesses
        .iter()
        .map(|a| {
            assert_eq!(a["account"], "000000000000", "{a}");
            (
                a["region"].as_str().unwrap_or("?").to_string(),
                a["secret"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("eu-west-1".to_string(), "PaymentsKey".to_string()),
            ("us-east-1".to_string(), "TopSecretInfo".to_string())
        ],
        "{}",
        text(&out)
    );

    // One region alone sees only its own.
    let alone = server.run(&[
        "events",
        "--json",
        "--since",
        "10m",
        "--filter",
        "kind:read",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&alone.stdout).lines().count(),
        1,
        "{}",
        text(&alone)
    );

    let status = server.run(&["status", "--json", "--regions", "eu-west-1"]);
    let report: Value =
        serde_json::from_slice(&status.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&status)));
    assert_eq!(report["region"], "us-east-1", "{report:#}");
    let scopes = report["scopes"].as_array().expect("scopes");
    assert_eq!(scopes.len(), 1, "{report:#}");
    assert_eq!(scopes[0]["region"], "eu-west-1", "{report:#}");
    assert_eq!(scopes[0]["account"], "000000000000", "{report:#}");
    assert_eq!(scopes[0]["accesses"], 1, "{report:#}");
    assert_eq!(
        scopes[0]["sources"]["events"]["health"], "fresh",
        "{report:#}"
    );
}

/// `--regions all` watches every region the account's ListRegions says is on (ministack
/// lists 31, all on), the focused one first and each once.
#[test]
fn regions_all_watches_every_region_the_account_has_on() {
    let server = Ministack::start();
    let listed = server.aws(&["account", "list-regions"]);
    let listed: Value = serde_json::from_slice(&listed.stdout).expect("JSON");
    let mut on: Vec<String> = listed["Regions"]
        .as_array()
        .expect("Regions")
        .iter()
        .filter(|r| r["RegionOptStatus"] != "DISABLED")
        .filter_map(|r| r["RegionName"].as_str().map(str::to_string))
        .filter(|r| r != "us-east-1")
        .collect();
    on.sort();
    assert!(on.len() >= 16, "{listed}");

    let status = server.run(&["status", "--json", "--regions", "all"]);
    let report: Value =
        serde_json::from_slice(&status.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&status)));
    assert_eq!(report["region"], "us-east-1", "{report:#}");
    let scopes = report["scopes"].as_array().expect("scopes");
    let mut watched: Vec<String> = scopes
        .iter()
        .map(|s| {
            assert_eq!(s["sources"]["events"]["health"], "fresh", "{s:#}");
            s["region"].as_str().unwrap_or("?").to_string()
        })
        .collect();
    watched.sort();
    assert_eq!(watched, on, "{}", text(&status));
}

/// `--organization`: the organization's accounts (ListAccounts in the management account),
/// each through the role assumed there (STS AssumeRole, which ministack scopes to the role's
/// account). A read made by the AWS CLI in a member account is listed with that account.
#[test]
fn the_organizations_accounts_are_watched_through_the_assumed_role() {
    let server = Ministack::start();
    // ministack's account is an organization's management account from the start.
    let created = server.aws(&[
        "organizations",
        "create-account",
        "--email",
        "payments@example.com",
        "--account-name",
        "payments",
    ]);
    let created: Value = serde_json::from_slice(&created.stdout).expect("JSON");
    let member = created["CreateAccountStatus"]["AccountId"]
        .as_str()
        .expect("an account id")
        .to_string();
    read_in(&server, "us-east-1", "TopSecretInfo");
    read_in_account(&server, &member, "us-east-1", "PaymentsKey");

    let out = server.run(&[
        "events",
        "--json",
        "--since",
        "10m",
        "--organization",
        "--filter",
        "kind:read",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let mut seen: Vec<(String, String)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .map(|a| {
            let field = |k: &str| a[k].as_str().unwrap_or("?").to_string();
            (field("account"), field("secret"))
        })
        .collect();
    seen.sort();
    let mut expected = vec![
        ("000000000000".to_string(), "TopSecretInfo".to_string()),
        (member.clone(), "PaymentsKey".to_string()),
    ];
    expected.sort();
    assert_eq!(seen, expected, "{}", text(&out));

    let status = server.run(&["status", "--json", "--organization"]);
    let report: Value =
        serde_json::from_slice(&status.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&status)));
    let scopes = report["scopes"].as_array().expect("scopes");
    assert_eq!(scopes.len(), 1, "{report:#}");
    assert_eq!(scopes[0]["account"], member.as_str(), "{report:#}");
    assert_eq!(scopes[0]["accesses"], 1, "{report:#}");
}

/// The doctor across two regions: the chain set up in us-east-1 is judged there as always,
/// and eu-west-1, where nothing is set up, is "not set up" in the overview and the JSON.
#[test]
fn the_doctor_says_which_region_is_not_set_up() {
    let server = Ministack::start();
    let setup = server.run(&["setup", "--yes", "--email", "sec@example.com"]);
    assert!(setup.status.success(), "{}", text(&setup));
    let out = server.run(&["doctor", "--json", "--regions", "eu-west-1"]);
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    let scopes = report["scopes"].as_array().expect("scopes");
    assert_eq!(scopes.len(), 1, "{report:#}");
    assert_eq!(scopes[0]["region"], "eu-west-1", "{report:#}");
    assert_eq!(scopes[0]["verdict"], "not_set_up", "{report:#}");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let words = server.run(&["doctor", "--regions", "eu-west-1"]);
    let words = text(&words);
    assert!(
        words.contains("scope   000000000000 in eu-west-1: not set up"),
        "{words}"
    );
    assert!(
        words.contains("0 working, 0 broken, 1 not set up, 1 not fully checked"),
        "{words}"
    );
}

/// `doctor --organization` over the embedded organization: the member `payments`, whose alarm
/// is on Average, is broken with a fix that says where setup must run; `sandbox`, whose role
/// cannot be assumed, could not be checked, said once; `logistics`, which has no chain of its
/// own but the organization trail, works through the management account's chain; the
/// overview counts every scope.
#[test]
fn the_doctor_judges_every_scope_and_sums_them_up() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_secretwatch"))
        .args(["doctor", "--demo", "--organization"])
        .env("SECRETWATCH_LOG_DIR", env!("CARGO_TARGET_TMPDIR"))
        .output()
        .expect("run secretwatch");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("scope   210987654321 in us-east-1: BROKEN (6 of 7 links ok)"),
        "{text}"
    );
    assert!(text.contains("with that account's credentials"), "{text}");
    assert!(
        text.contains("scope   345678901234 in us-east-1: not fully checked"),
        "{text}"
    );
    assert_eq!(
        text.matches("AssumeRole access denied").count(),
        1,
        "said once: {text}"
    );
    assert!(
        text.contains("scope   456789012345 in us-east-1: working (7 of 7 links ok)"),
        "{text}"
    );
    assert!(
        text.contains("live in account 123456789012 (us-east-1), where the organization trail"),
        "{text}"
    );
    assert!(
        text.contains("scopes  2 working, 1 broken, 0 not set up, 1 not fully checked"),
        "{text}"
    );
}

/// An organization trail read through the AWS adapter: the management account's trail made
/// an organization trail (UpdateTrail IsOrganizationTrail) is named as one, with its owner
/// and home region, and stays the chain's. ministack does not show it to the member accounts
/// as AWS does (a shadow trail): the member's side is the embedded account's
/// (tests/doctor_sim/organization.rs).
#[test]
fn the_management_accounts_organization_trail_is_named_as_one() {
    let server = Ministack::start();
    let setup = server.run(&["setup", "--yes", "--email", "sec@example.com"]);
    assert!(setup.status.success(), "{}", text(&setup));
    server.aws(&[
        "cloudtrail",
        "update-trail",
        "--name",
        "secretwatch-trail",
        "--is-organization-trail",
    ]);
    let out = server.run(&["doctor", "--json"]);
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    let findings = report["findings"].as_array().expect("findings");
    let trail = findings
        .iter()
        .find(|f| f["link"] == "trail")
        .expect("a trail finding");
    assert_eq!(trail["state"], "ok", "{report:#}");
    let said = trail["summary"].as_str().unwrap_or_default();
    assert!(
        said.starts_with(
            "organization trail secretwatch-trail (account 000000000000, home us-east-1)"
        ),
        "{said}"
    );
    assert!(report["chain_in"].is_null(), "its own chain: {report:#}");
}

/// Setup across two regions of one account against ministack: one plan, both regions'
/// chains built in one run, and IAM being global, the one logs role given what each
/// region's log group needs (its policy names both); a second run has nothing to do, and
/// the doctor finds no region broken or not set up.
#[test]
fn setup_across_two_regions_builds_both_and_shares_the_global_role() {
    let server = Ministack::start();
    let regions = ["--regions", "us-east-1,eu-west-1"];
    let setup = server.run(
        &[
            &["setup", "--yes", "--email", "sec@example.com"][..],
            &regions[..],
        ]
        .concat(),
    );
    let said = text(&setup);
    assert!(setup.status.success(), "{said}");
    assert!(
        said.contains("setup would, in 000000000000 eu-west-1:"),
        "{said}"
    );
    assert!(
        said.contains("IAM is global: its step in us-east-1 comes first"),
        "{said}"
    );
    let policy = server.aws(&[
        "iam",
        "get-role-policy",
        "--role-name",
        "secretwatch-cloudtrail-to-logs",
        "--policy-name",
        "secretwatch-cloudtrail-to-logs",
    ]);
    let policy = String::from_utf8_lossy(&policy.stdout);
    for region in ["us-east-1", "eu-west-1"] {
        let group = format!("arn:aws:logs:{region}:000000000000:log-group:secretwatch/cloudtrail");
        assert!(policy.contains(&group), "{region}: {policy}");
    }
    let again = server.run(&[&["setup", "--dry-run"][..], &regions[..]].concat());
    assert!(
        text(&again).contains("nothing to do: every link setup can build is in place"),
        "{}",
        text(&again)
    );
    let doctor = server.run(&[&["doctor", "--json"][..], &regions[..]].concat());
    let report: Value =
        serde_json::from_slice(&doctor.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&doctor)));
    let scope = &report["scopes"][0];
    assert_eq!(scope["region"], "eu-west-1", "{report:#}");
    assert!(
        scope["verdict"] == "working" || scope["verdict"] == "unknown",
        "{report:#}"
    );
    let broken = scope["findings"].as_array().expect("findings");
    assert!(broken.iter().all(|f| f["state"] != "broken"), "{report:#}");
}
