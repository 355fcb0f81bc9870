//! Every kind of fault on every API, one service at a time, over one ministack.

use super::faults::*;
use super::*;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_fault_on_every_api_is_shown_where_that_api_is_and_clears() {
    let server = server();
    let proxy = Microburst::start(&server);
    let cloud = adapter(&proxy).await;
    for (n, (fault, api)) in FAULTS
        .iter()
        .flat_map(|f| APIS.iter().map(move |a| (f, a)))
        .enumerate()
    {
        let case = format!("{} on {}", fault.kind, api.service);
        eprintln!("case {n}: {case}");
        let rules = proxy.rules(json!([(fault.rule)(api), pass_through()]));
        proxy.clear_fired();
        let mut dashboard = Dashboard::start(cloud.clone());
        let marker = format!("fault-{n}");
        dashboard.check_chain_and_access(&marker);
        dashboard
            .until(&case, |s| {
                api.shown.iter().all(|w| shows_fault(s, *w, fault, &marker))
            })
            .await;

        // What microburst did: the fault hit each of the service's operations that the
        // dashboard calls, and nothing of another service.
        let fired = proxy.fired();
        let faulted: Vec<&Value> = fired
            .iter()
            .filter(|f| f["rule_id"] == rules[0]["id"])
            .collect();
        for operation in api.operations {
            assert!(
                faulted.iter().any(|f| f["operation"] == *operation),
                "{case}: {operation} never met the fault: {faulted:?}"
            );
        }
        assert!(
            faulted.iter().all(|f| f["service"] == api.service),
            "{case}: {faulted:?}"
        );

        proxy.rules(json!([pass_through()]));
        let cleared = Utc::now();
        let marker = format!("fault-{n}-cleared");
        dashboard.check_chain_and_access(&marker);
        dashboard
            .until(&format!("{case}, cleared"), |s| {
                api.shown
                    .iter()
                    .all(|w| shows_answer(s, *w, cleared, &marker))
            })
            .await;
    }
}
