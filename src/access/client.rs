//! Which kind of client made a call, guessed from the CloudTrail `userAgent`.
//!
//! The user agent is untrusted and free-form; classification only looks for
//! well-known tokens and never fails. SDK language names come from a fixed
//! set, so a label never carries text from the user agent.

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientKind {
    Console,
    Cli,
    Sdk { language: &'static str },
    AwsService,
    Other,
}

impl ClientKind {
    /// `session_from_console` is userIdentity.sessionContext.attributes /
    /// sessionCredentialFromConsole == "true".
    ///
    /// Order: the AWS CLI (also inside CloudShell, which runs on console
    /// credentials), Terraform (Other), AWS-internal callers, SDKs, the
    /// console, AWS service hosts, then Other.
    pub fn classify(user_agent: &str, session_from_console: bool) -> ClientKind {
        let ua = user_agent
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .trim()
            .to_ascii_lowercase();
        let tokens: Vec<&str> = ua
            .split_whitespace()
            .map(|t| t.trim_start_matches(['[', '(', '"']))
            .collect();
        let has_prefix = |p: &str| tokens.iter().any(|t| t.starts_with(p));

        if has_prefix("aws-cli/") || tokens.contains(&"aws-cli") {
            return ClientKind::Cli;
        }
        if has_prefix("terraform/") {
            return ClientKind::Other;
        }
        if ua.starts_with("aws internal") || has_prefix("aws-internal") {
            return if session_from_console {
                ClientKind::Console
            } else {
                ClientKind::AwsService
            };
        }
        if let Some(language) = sdk_language(&tokens) {
            return ClientKind::Sdk { language };
        }
        if session_from_console
            || ua.contains("console.amazonaws.com")
            || ua.contains("signin.amazonaws.com")
            || ua.starts_with("mozilla/")
        {
            return ClientKind::Console;
        }
        if is_aws_host(&ua) {
            return ClientKind::AwsService;
        }
        ClientKind::Other
    }

    /// Short label for the timeline column and JSON: "console", "cli",
    /// "sdk-python", "sdk-rust", "aws-service", "other".
    /// The label of a kind that is one word (`cli`); an SDK's is `sdk-` and its language,
    /// which `label` builds.
    pub fn static_label(&self) -> &'static str {
        match self {
            ClientKind::Console => "console",
            ClientKind::Cli => "cli",
            ClientKind::Sdk { .. } => "sdk",
            ClientKind::AwsService => "aws-service",
            ClientKind::Other => "other",
        }
    }

    pub fn label(&self) -> String {
        match self {
            ClientKind::Sdk { language } => format!("sdk-{language}"),
            other => other.static_label().to_owned(),
        }
    }
}

impl Serialize for ClientKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.label())
    }
}

/// The SDK language named by lower-cased user agent tokens, if any.
fn sdk_language(tokens: &[&str]) -> Option<&'static str> {
    if tokens
        .iter()
        .any(|t| t.starts_with("boto3/") || t.starts_with("botocore/"))
    {
        return Some("python");
    }
    // `aws-sdk-<lang>[-suffix]/<version>`, e.g. aws-sdk-go-v2, aws-sdk-dotnet-coreclr.
    let named = tokens.iter().find_map(|t| {
        let rest = t.strip_prefix("aws-sdk-")?;
        Some(rest.split('/').next().unwrap_or(rest))
    });
    // `lang/<name>#<version>` (or `lang/<name>/<version>` in older agents).
    let lang_token = tokens
        .iter()
        .filter_map(|t| t.strip_prefix("lang/"))
        .find_map(|rest| rest.split(['#', '/']).next().and_then(normalize_language));
    match named {
        Some(name) => Some(normalize_language(name).or(lang_token).unwrap_or("other")),
        None => lang_token,
    }
}

/// Maps an SDK or `lang/` name to one of a fixed set of language labels.
fn normalize_language(name: &str) -> Option<&'static str> {
    let base = name.split(['-', '_', '.']).next().unwrap_or(name);
    let base = base.trim_end_matches(|c: char| c.is_ascii_digit());
    Some(match base {
        "java" => "java",
        "go" | "golang" => "go",
        "js" | "nodejs" | "node" | "javascript" => "javascript",
        "rust" => "rust",
        "dotnet" | "net" | "csharp" => "dotnet",
        "php" => "php",
        "ruby" => "ruby",
        "cpp" => "cpp",
        "kotlin" => "kotlin",
        "swift" => "swift",
        "python" => "python",
        _ => return None,
    })
}

/// A bare AWS host name, e.g. `lambda.amazonaws.com`.
fn is_aws_host(ua: &str) -> bool {
    let host_chars = ua
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    host_chars
        && [".amazonaws.com", ".amazonaws.com.cn", ".api.aws"]
            .iter()
            .any(|s| ua.len() > s.len() && ua.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sdk(language: &'static str) -> ClientKind {
        ClientKind::Sdk { language }
    }

    fn c(ua: &str) -> ClientKind {
        ClientKind::classify(ua, false)
    }

    #[test]
    fn cli() {
        assert_eq!(
            c(
                "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/secretsmanager.get-secret-value"
            ),
            ClientKind::Cli
        );
        assert_eq!(
            c(
                "aws-cli/1.32.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython cfg/retry-mode#legacy botocore/1.34.0"
            ),
            ClientKind::Cli
        );
        let cloudshell = "aws-cli/2.13.25 Python/3.11.5 Linux/4.14.255 exec-env/CloudShell exe/x86_64.amzn.2 prompt/off command/secretsmanager.list-secrets";
        assert_eq!(ClientKind::classify(cloudshell, true), ClientKind::Cli);
        assert_eq!(c("[AWS-CLI/2.0.0 Python/3.8]"), ClientKind::Cli);
    }

    #[test]
    fn sdks() {
        assert_eq!(
            c("Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux lang/python#3.12.1"),
            sdk("python")
        );
        assert_eq!(c("Botocore/1.31.0 Python/3.9"), sdk("python"));
        assert_eq!(
            c(
                "aws-sdk-java/2.20.162 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.8+7-LTS Java/17.0.8 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/standard"
            ),
            sdk("java")
        );
        assert_eq!(
            c("aws-sdk-rust/1.3.3 os/linux lang/rust/1.80.0"),
            sdk("rust")
        );
        assert_eq!(
            c("aws-sdk-go-v2/1.21.0 os/linux lang/go#1.21 md/GOOS#linux"),
            sdk("go")
        );
        assert_eq!(
            c("aws-sdk-nodejs/2.1490.0 linux/v18.17.1 exec-env/AWS_Lambda_nodejs18.x"),
            sdk("javascript")
        );
        assert_eq!(c("aws-sdk-js/3.450.0 ua/2.0 lang/js"), sdk("javascript"));
        assert_eq!(c("aws-sdk-dotnet-coreclr/3.7.300"), sdk("dotnet"));
        assert_eq!(c("aws-sdk-ruby3/3.190.0 ruby/3.2.2"), sdk("ruby"));
        for lang in ["php", "cpp", "kotlin", "swift", "python"] {
            assert_eq!(c(&format!("aws-sdk-{lang}/1.0.0")), sdk(lang));
        }
        // lang/ token names the language when no aws-sdk-x token does.
        assert_eq!(c("ua/2.0 os/linux lang/kotlin#1.9"), sdk("kotlin"));
        assert_eq!(c("aws-sdk-unknown/1.0 lang/swift#5.9"), sdk("swift"));
        assert_eq!(c("aws-sdk-unknown/1.0"), sdk("other"));
        assert_eq!(c("ua/2.0 lang/brainfuck#1"), ClientKind::Other);
    }

    #[test]
    fn console() {
        let mozilla = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        assert_eq!(c(mozilla), ClientKind::Console);
        assert_eq!(c("console.amazonaws.com"), ClientKind::Console);
        assert_eq!(c("signin.amazonaws.com"), ClientKind::Console);
        assert_eq!(ClientKind::classify("", true), ClientKind::Console);
        assert_eq!(
            ClientKind::classify("AWS Internal", true),
            ClientKind::Console
        );
        assert_eq!(
            ClientKind::classify("aws-internal/3 aws-sdk-java/1.12.500", true),
            ClientKind::Console
        );
    }

    #[test]
    fn aws_service_and_other() {
        assert_eq!(c("AWS Internal"), ClientKind::AwsService);
        assert_eq!(c("lambda.amazonaws.com"), ClientKind::AwsService);
        assert_eq!(c("secretsmanager.amazonaws.com"), ClientKind::AwsService);
        assert_eq!(
            c("aws-internal/3 aws-sdk-java/1.12.500"),
            ClientKind::AwsService
        );
        assert_eq!(c("amazonaws.com"), ClientKind::Other);
        assert_eq!(c("evil.amazonaws.com extra"), ClientKind::Other);
        assert_eq!(c(""), ClientKind::Other);
        assert_eq!(c("   "), ClientKind::Other);
        assert_eq!(c("curl/8.5.0"), ClientKind::Other);
        assert_eq!(
            c(
                "APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.20.0 aws-sdk-go-v2/1.21.0 os/linux lang/go#1.21.1"
            ),
            ClientKind::Other
        );
        // Hostile input: never panics.
        for ua in [
            "[",
            "]",
            "[]",
            "aws-sdk-",
            "aws-sdk-/",
            "lang/",
            "lang/#",
            "\u{0}\u{1b}[2J",
            "é/ü",
        ] {
            let _ = c(ua).label();
        }
    }

    #[test]
    fn labels_and_serde() {
        assert_eq!(ClientKind::Console.label(), "console");
        assert_eq!(ClientKind::Cli.label(), "cli");
        assert_eq!(sdk("python").label(), "sdk-python");
        assert_eq!(sdk("rust").label(), "sdk-rust");
        assert_eq!(ClientKind::AwsService.label(), "aws-service");
        assert_eq!(ClientKind::Other.label(), "other");
        let json = serde_json::to_string(&vec![sdk("go"), ClientKind::Cli]).ok();
        assert_eq!(json.as_deref(), Some(r#"["sdk-go","cli"]"#));
    }
}
