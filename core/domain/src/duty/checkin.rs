//! Check-in codes (签到码) that work with no network on either side: the server signs a code
//! naming the meeting and a time window (Ed25519, with ring); staff show it on their phone or
//! print it; the member's phone checks the signature with the server's public key, which came
//! with the meeting, and records the check-in at once. The server checks the same code again
//! when the check-in arrives. No location is ever asked for.
//!
//! A code is `LZQD1.<claims>.<signature>`, both parts base64url without padding; the claims
//! are JSON. It fits a QR code; a person without a camera pastes it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::rand::SystemRandom;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use serde::{Deserialize, Serialize};

use super::DutyError;

const PREFIX: &str = "LZQD1";

/// What a code says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeClaims {
    pub meeting_id: String,
    pub not_before_ms: i64,
    pub not_after_ms: i64,
}

/// A new signing key, as PKCS#8 bytes (kept by the server only).
pub fn new_key() -> Vec<u8> {
    Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).expect("the system's random source works").as_ref().to_vec()
}

/// The public half of `pkcs8`, base64url, as phones receive it with each meeting.
pub fn public_key(pkcs8: &[u8]) -> Result<String, DutyError> {
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|_| DutyError::NoCheckInKey)?;
    Ok(B64.encode(pair.public_key().as_ref()))
}

/// Signs a code for `claims`.
pub fn issue(pkcs8: &[u8], claims: &CodeClaims) -> Result<String, DutyError> {
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|_| DutyError::NoCheckInKey)?;
    let body = B64.encode(serde_json::to_vec(claims).expect("claims serialize"));
    let signed = format!("{PREFIX}.{body}");
    let sig = pair.sign(signed.as_bytes());
    Ok(format!("{signed}.{}", B64.encode(sig.as_ref())))
}

/// The claims of `code` if `public_key` (base64url) signed it.
pub fn verify(code: &str, public_key: &str) -> Result<CodeClaims, DutyError> {
    let code = code.trim();
    let mut parts = code.split('.');
    let (Some(PREFIX), Some(body), Some(sig), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(DutyError::BadCode);
    };
    let key = B64.decode(public_key).map_err(|_| DutyError::NoCheckInKey)?;
    let sig = B64.decode(sig).map_err(|_| DutyError::BadCode)?;
    let signed = &code[..PREFIX.len() + 1 + body.len()];
    UnparsedPublicKey::new(&ED25519, key).verify(signed.as_bytes(), &sig).map_err(|_| DutyError::BadCode)?;
    let json = B64.decode(body).map_err(|_| DutyError::BadCode)?;
    serde_json::from_slice(&json).map_err(|_| DutyError::BadCode)
}

/// The meeting `code` names, read without checking its signature: only to know which meeting a
/// scanned code is for, before [`verify`] decides with that meeting's key.
pub fn meeting_named(code: &str) -> Result<String, DutyError> {
    let mut parts = code.trim().split('.');
    let (Some(PREFIX), Some(body), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(DutyError::BadCode);
    };
    let json = B64.decode(body).map_err(|_| DutyError::BadCode)?;
    let claims: CodeClaims = serde_json::from_slice(&json).map_err(|_| DutyError::BadCode)?;
    Ok(claims.meeting_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_code_verifies_and_any_change_is_refused() {
        let key = new_key();
        let public = public_key(&key).unwrap();
        let claims = CodeClaims { meeting_id: "m1".into(), not_before_ms: 1_000, not_after_ms: 2_000 };
        let code = issue(&key, &claims).unwrap();
        assert_eq!(verify(&code, &public), Ok(claims.clone()));
        assert_eq!(meeting_named(&format!(" {code}\n")).as_deref(), Ok("m1"));
        assert_eq!(meeting_named("签到"), Err(DutyError::BadCode));
        // Another meeting's claims with this signature.
        let other = B64.encode(serde_json::to_vec(&CodeClaims { meeting_id: "m2".into(), ..claims }).unwrap());
        let parts: Vec<&str> = code.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], other, parts[2]);
        assert_eq!(verify(&forged, &public), Err(DutyError::BadCode));
        // Signed by another key.
        let stranger = public_key(&new_key()).unwrap();
        assert_eq!(verify(&code, &stranger), Err(DutyError::BadCode));
        assert_eq!(verify("签到", &public), Err(DutyError::BadCode));
        assert_eq!(verify("LZQD1.a.b.c", &public), Err(DutyError::BadCode));
    }
}
