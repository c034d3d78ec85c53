//! A credential read from the push config file or from the environment variable it names
//! (`env:VARIABLE`). Its `Debug` prints nothing of it, so no log carries a secret.

use serde::Deserialize;

/// A credential: its value, from the file or from the environment variable it names.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        let raw = String::deserialize(d)?;
        match raw.strip_prefix("env:") {
            Some(var) => std::env::var(var)
                .map(Secret)
                .map_err(|_| serde::de::Error::custom(format!("environment variable {var} is not set"))),
            None => Ok(Secret(raw)),
        }
    }
}
