//! Faults on the wire: microburst between the adapter and ministack. Every API the
//! dashboard calls (STS, CloudTrail, CloudWatch, CloudWatch Logs, SNS, Secrets Manager, and
//! SQS for the fast path)
//! meets every kind of fault (throttling, a 5xx, a connection reset, a request held past
//! the timeout, expired credentials), one service at a time: each shows with its reason
//! wherever that API's answers are shown, and is gone once the fault clears. Accesses
//! made while CloudTrail fails, in each of those ways, are shown exactly once after it
//! recovers, with LookupEvents kept within its budget; expired credentials on every API
//! at once say what to do.

#[path = "../common/mod.rs"]
mod common;

mod cloudtrail;
mod every_api;
mod fast_path;
mod faults;

use chrono::Utc;
use common::microburst::Microburst;
use common::ministack::Ministack;
use secretwatch::clock::Clock;
use secretwatch::cloud::aws::AwsCloud;
use secretwatch::cloud::names::ChainNames;
use secretwatch::engine::{Engine, EngineConfig, Job, Source};
use secretwatch::store::{Change, Store};
use std::sync::Arc;
use std::time::Duration;

const SOURCES: [Source; 3] = [Source::Events, Source::Metric, Source::Alarms];

/// The adapter through the proxy, with the test credentials. A request held by the
/// proxy times out after 5 s rather than the product's 20, so that each of the cases
/// that hold one costs seconds, not minutes; how a timeout is shown does not change.
async fn adapter(proxy: &Microburst) -> Arc<AwsCloud> {
    use aws_config::timeout::TimeoutConfig;
    use secretwatch::cloud::aws::{Target, loader};
    let target = Target {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(proxy.endpoint()),
        role_arn: None,
        http_client: None,
    };
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .operation_attempt_timeout(Duration::from_secs(5))
        .build();
    let config = loader(&target)
        .timeout_config(timeouts)
        .credentials_provider(aws_credential_types::Credentials::new(
            "test", "test", None, None, "tests",
        ))
        .load()
        .await;
    Arc::new(AwsCloud::from_config(config).expect("a region is set"))
}

/// The account: the secret, an alarm that notifies a topic with a subscriber.
fn server() -> Ministack {
    let server = Ministack::start();
    server.create_secret("TopSecretInfo", "v");
    let topic = server.topic_with_subscriber("SecurityAlarms", "sec@example.com");
    server.put_alarm("Sum", "60", Some(&topic));
    server
}

/// A running engine over `cloud` on 1-second polls, and the store it feeds.
struct Dashboard {
    engine: Engine,
    store: Store,
    changes: Vec<Change>,
}

impl Dashboard {
    fn start(cloud: Arc<AwsCloud>) -> Dashboard {
        Self::start_with(cloud, &SOURCES)
    }

    fn start_with(cloud: Arc<AwsCloud>, sources: &[Source]) -> Dashboard {
        let mut config = EngineConfig::demo(&ChainNames::default(), 1);
        config.sources = sources.to_vec();
        config.fast_path_wait = Duration::from_secs(1);
        config.events_every = Duration::from_secs(1);
        config.metric_every = Duration::from_secs(1);
        config.alarms_every = Duration::from_secs(1);
        config.lookups_per_second = 1.0;
        Dashboard {
            engine: Engine::start(cloud, Clock::system(), config),
            store: Store::default(),
            changes: Vec::new(),
        }
    }

    /// Asks for the doctor and a test access marked `marker`, as the keys `d` and `t` do.
    fn check_chain_and_access(&mut self, marker: &str) {
        self.store.request_test(marker.to_string(), Utc::now());
        for job in [
            Job::Doctor { every_scope: true },
            Job::TestAccess {
                marker: marker.to_string(),
            },
        ] {
            self.engine.jobs.send(job).expect("the engine runs");
        }
    }

    /// Feeds the store until `done` holds; a bound on waiting, not a timing assertion.
    async fn until(&mut self, what: &str, done: impl Fn(&Store) -> bool) {
        let (engine, store, changes) = (&mut self.engine, &mut self.store, &mut self.changes);
        let wait = async {
            while !done(store) {
                match engine.updates.recv().await {
                    Some(update) => changes.extend(store.apply(update, Utc::now())),
                    None => panic!("the engine stopped"),
                }
            }
        };
        if tokio::time::timeout(Duration::from_secs(180), wait)
            .await
            .is_err()
        {
            let health: Vec<_> = Source::ALL
                .iter()
                .map(|s| (s, self.store.health.health(*s, Utc::now())))
                .collect();
            let chain = self.store.chain.as_ref().map(|r| &r.findings);
            panic!(
                "waited 180 s for {what}; health: {health:#?}\nidentity: {:?}\nchain: {chain:#?}\ntests: {:#?}",
                self.store.identity_error, self.store.tests
            );
        }
    }
}
