//! Where push and SMS credentials come from: a JSON file (`--push-config`, or
//! `$LVZHI_PUSH_CONFIG`), each secret either written there or named as `env:VARIABLE` and read
//! from the environment. Secrets never reach a log: `Secret`'s `Debug` prints nothing of it.
//! Without a file, or with no vendor in it, the server runs with push off and says so at start.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use super::sms::{aliyun, tencent};
use super::vendors::{apns, hms, honor, oppo, vivo, xiaomi};

/// Everything push and SMS need; each vendor is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushConfig {
    pub apns: Option<apns::ApnsConfig>,
    pub hms: Option<hms::HmsConfig>,
    pub honor: Option<honor::HonorConfig>,
    pub xiaomi: Option<xiaomi::XiaomiConfig>,
    pub oppo: Option<oppo::OppoConfig>,
    pub vivo: Option<vivo::VivoConfig>,
    pub sms: Option<SmsConfig>,
    /// Events for one person within this many seconds become one push (default 10).
    pub coalesce_seconds: Option<u64>,
    /// How often, in milliseconds, the sender looks at the queue unwoken (default 1,000).
    pub poll_millis: Option<u64>,
}

/// The one SMS provider, if any.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", tag = "provider")]
pub enum SmsConfig {
    Aliyun(aliyun::AliyunConfig),
    Tencent(tencent::TencentConfig),
}

impl PushConfig {
    /// Reads a config file.
    pub fn load(path: &Path) -> Result<PushConfig, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn coalesce(&self) -> Duration {
        Duration::from_secs(self.coalesce_seconds.unwrap_or(10))
    }

    /// The file named by `$LVZHI_PUSH_CONFIG`, if set.
    pub fn from_env() -> Result<Option<PushConfig>, String> {
        match std::env::var_os("LVZHI_PUSH_CONFIG") {
            Some(path) => PushConfig::load(Path::new(&path)).map(Some),
            None => Ok(None),
        }
    }

    /// The vendors configured, by name (for the start-up line).
    pub fn vendor_names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        for (on, name) in [
            (self.apns.is_some(), "apns"),
            (self.hms.is_some(), "hms"),
            (self.honor.is_some(), "honor"),
            (self.xiaomi.is_some(), "xiaomi"),
            (self.oppo.is_some(), "oppo"),
            (self.vivo.is_some(), "vivo"),
        ] {
            if on {
                names.push(name);
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_comes_from_the_environment_and_is_never_printed() {
        // SAFETY: set once by this test only, before anything reads it.
        unsafe { std::env::set_var("LVZHI_TEST_XIAOMI_SECRET", "s3cret-value") };
        let json = r#"{"xiaomi": {"app_secret": "env:LVZHI_TEST_XIAOMI_SECRET", "package_name": "cn.lvzhi.app"}}"#;
        let config: PushConfig = serde_json::from_str(json).unwrap();
        let xiaomi = config.xiaomi.as_ref().unwrap();
        assert_eq!(xiaomi.app_secret.expose(), "s3cret-value");
        assert!(!format!("{config:?}").contains("s3cret"));
        assert_eq!(config.vendor_names(), vec!["xiaomi"]);
        let missing = r#"{"xiaomi": {"app_secret": "env:LVZHI_TEST_NOT_SET_ANYWHERE", "package_name": "x"}}"#;
        assert!(serde_json::from_str::<PushConfig>(missing).unwrap_err().to_string().contains("not set"));
    }
}
