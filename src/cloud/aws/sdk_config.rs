//! The SDK configuration every scope loads: no SDK retries (the engine keeps its own
//! budget), short timeouts, the target's profile, region and endpoint, and one HTTPS client
//! shared by all.

use super::Target;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use std::time::Duration;

/// The SDK configuration secretwatch uses for `target`, ready to load.
pub fn loader(target: &Target) -> aws_config::ConfigLoader {
    // The engine does its own backoff and keeps a budget per API; SDK retries would
    // spend that budget behind its back.
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(20))
                .build(),
        );
    if let Some(profile) = &target.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &target.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &target.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let client = target
        .http_client
        .clone()
        .unwrap_or_else(shared_http_client);
    loader.http_client(client)
}

/// One HTTPS client for every scope and every service client: left to the SDK, each service
/// client of each scope builds its own connector, and with it its own parsed copy of the
/// system's root certificates (8.8 MiB for each kind of client at 170 scopes, measured with
/// heaptrack). Built as the SDK's default is (rustls with aws-lc, a proxy from the
/// environment); its connectors are cached by their settings, which every scope shares.
pub fn shared_http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    use aws_smithy_http_client::{Builder, ConnectorBuilder};
    static SHARED: std::sync::OnceLock<aws_smithy_runtime_api::client::http::SharedHttpClient> =
        std::sync::OnceLock::new();
    SHARED
        .get_or_init(|| {
            Builder::new().build_with_connector_fn(|settings, components| {
                let mut connector =
                    ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::AwsLc));
                connector.set_connector_settings(settings.cloned());
                if let Some(components) = components {
                    connector.set_sleep_impl(components.sleep_impl());
                }
                connector.set_proxy_config(Some(ProxyConfig::from_env()));
                connector.build()
            })
        })
        .clone()
}
