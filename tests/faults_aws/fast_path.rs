//! Every kind of fault on the fast path's queue (SQS ReceiveMessage): shown on the
//! `eventbridge` source with its reason, and gone once the fault clears.

use super::faults::*;
use super::*;
use secretwatch::cloud::Cloud;
use secretwatch::cloud::types::Feed;
use serde_json::json;

const SQS: Api = Api {
    service: "sqs",
    throttled: "RequestThrottled",
    expired: "ExpiredToken",
    operations: &["ReceiveMessage"],
    shown: &[Shown::Source(Source::FastPath)],
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_fault_on_the_fast_path_queue_is_shown_and_clears() {
    let server = server();
    server.aws(&[
        "sqs",
        "create-queue",
        "--queue-name",
        "secretwatch-access-events",
    ]);
    let proxy = Microburst::start(&server);
    let cloud = adapter(&proxy).await;
    // The queue's URL is looked up once and kept: each case then meets its fault on
    // ReceiveMessage, the call the source makes every time.
    proxy.rules(json!([pass_through()]));
    cloud
        .receive(Feed::FastPath, 1, Duration::ZERO)
        .await
        .expect("the queue answers");
    for fault in &FAULTS {
        let case = format!("{} on sqs", fault.kind);
        eprintln!("case: {case}");
        let rules = proxy.rules(json!([(fault.rule)(&SQS), pass_through()]));
        proxy.clear_fired();
        let mut dashboard = Dashboard::start_with(cloud.clone(), &[Source::FastPath]);
        dashboard
            .until(&case, |s| {
                SQS.shown.iter().all(|w| shows_fault(s, *w, fault, ""))
            })
            .await;
        let fired = proxy.fired();
        assert!(
            fired
                .iter()
                .any(|f| f["rule_id"] == rules[0]["id"] && f["operation"] == "ReceiveMessage"),
            "{case}: ReceiveMessage never met the fault: {fired:?}"
        );
        proxy.rules(json!([pass_through()]));
        let cleared = Utc::now();
        dashboard
            .until(&format!("{case}, cleared"), |s| {
                SQS.shown.iter().all(|w| shows_answer(s, *w, cleared, ""))
            })
            .await;
    }
}
