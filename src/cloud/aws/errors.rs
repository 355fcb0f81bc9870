//! SDK errors, sorted into the port's kinds by what the caller should do.

use crate::cloud::{CloudError, ErrorKind};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

pub fn from_sdk<E, R>(operation: &'static str, error: SdkError<E, R>) -> CloudError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + 'static,
{
    // The SDK's own framing says nothing a person can act on.
    let full = chain(&error);
    let context = full
        .trim_start_matches("dispatch failure: ")
        .trim_start_matches("other: ")
        .to_string();
    let credentials = looks_like_credentials(&context);
    let (kind, message) = match &error {
        SdkError::ServiceError(service) => {
            let e = service.err();
            let code = e.code().unwrap_or("UnknownError");
            let text = e.message().unwrap_or("");
            // AWS-compatible servers say "Unknown action" for operations they lack.
            let kind = if text.contains("Unknown action") || text.contains("not implemented") {
                ErrorKind::Unsupported
            } else {
                kind_of_code(code)
            };
            (kind, format!("{code}: {text}"))
        }
        SdkError::TimeoutError(_) => (ErrorKind::Unreachable, "timed out".to_string()),
        SdkError::DispatchFailure(_) if credentials => (ErrorKind::Credentials, context),
        SdkError::DispatchFailure(_) => (ErrorKind::Unreachable, context),
        SdkError::ConstructionFailure(_) if credentials => (ErrorKind::Credentials, context),
        SdkError::ConstructionFailure(_) => (ErrorKind::InvalidInput, context),
        _ => (ErrorKind::Service, context),
    };
    CloudError::new(operation, kind, message)
}

/// The error and its sources, each in its own words: "a: b: c".
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.last().is_some_and(|last| last.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

fn looks_like_credentials(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("credential")
        || t.contains("identity resolver")
        || t.contains("sso") && t.contains("token")
}

/// AWS error codes, by what they mean for the dashboard.
pub fn kind_of_code(code: &str) -> ErrorKind {
    // SQS answers its JSON protocol with its older codes: AWS.SimpleQueueService.X.
    let code = code.strip_prefix("AWS.SimpleQueueService.").unwrap_or(code);
    match code {
        "Throttling"
        | "ThrottlingException"
        | "TooManyRequestsException"
        | "RequestLimitExceeded"
        | "RequestThrottled"
        // SNS's own (ThrottledException).
        | "Throttled"
        | "SlowDown" => ErrorKind::Throttled,
        "ExpiredToken"
        | "ExpiredTokenException"
        | "InvalidClientTokenId"
        | "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "SignatureDoesNotMatch"
        | "MissingAuthenticationToken" => ErrorKind::Credentials,
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "AuthorizationError" => ErrorKind::AccessDenied,
        "ResourceNotFoundException"
        | "ResourceNotFound"
        | "NotFound"
        | "NoSuchEntity"
        | "QueueDoesNotExist"
        | "NonExistentQueue"
        | "TrailNotFoundException" => ErrorKind::NotFound,
        "InvalidAction"
        | "UnknownOperationException"
        | "NotImplemented"
        | "UnsupportedOperation"
        | "UnsupportedOperationException" => ErrorKind::Unsupported,
        "ValidationException"
        | "ValidationError"
        | "InvalidParameterValue"
        | "InvalidParameterValueException"
        | "InvalidParameterCombination"
        | "InvalidNextTokenException"
        | "InvalidTimeRangeException"
        | "InvalidLookupAttributesException"
        | "InvalidRequestException" => ErrorKind::InvalidInput,
        _ => ErrorKind::Service,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_what_the_caller_should_do() {
        assert_eq!(kind_of_code("ThrottlingException"), ErrorKind::Throttled);
        assert_eq!(kind_of_code("Throttled"), ErrorKind::Throttled);
        assert_eq!(
            kind_of_code("AWS.SimpleQueueService.RequestThrottled"),
            ErrorKind::Throttled
        );
        assert_eq!(
            kind_of_code("AWS.SimpleQueueService.NonExistentQueue"),
            ErrorKind::NotFound
        );
        assert_eq!(
            kind_of_code("ExpiredTokenException"),
            ErrorKind::Credentials
        );
        assert_eq!(
            kind_of_code("AccessDeniedException"),
            ErrorKind::AccessDenied
        );
        assert_eq!(
            kind_of_code("ResourceNotFoundException"),
            ErrorKind::NotFound
        );
        assert_eq!(kind_of_code("InvalidAction"), ErrorKind::Unsupported);
        assert_eq!(kind_of_code("InternalFailure"), ErrorKind::Service);
    }
}
