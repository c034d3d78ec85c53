//! Certificate pinning for organisations that run their own CA: besides the usual public roots,
//! a server certificate is trusted when the SHA-256 of its public key (SubjectPublicKeyInfo) is
//! one of the pins configured in the app. The pin survives certificate renewals that keep the
//! key. A certificate that matches neither is refused, and the phone reports a network error.

use std::sync::Arc;

use lvzhi_domain::ids::hex;
use ring::digest::{SHA256, digest};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::error::{Error, Result};

/// An HTTP client that trusts the public roots and, in addition, certificates whose key is one
/// of `pins` (SPKI SHA-256, 64 hex characters each).
pub fn pinned_http_client(pins: &[String]) -> Result<reqwest::Client> {
    let pins = pins
        .iter()
        .map(|p| {
            let p = p.trim().to_ascii_lowercase();
            if p.len() == 64 && p.chars().all(|c| c.is_ascii_hexdigit()) {
                Ok(p)
            } else {
                Err(Error::invalid(format!("证书指纹格式不对（应为64位十六进制）：{p}")))
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| Error::Network(e.to_string()))?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Network(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Pinned { webpki, pins }))
        .with_no_client_auth();
    reqwest::Client::builder()
        .use_preconfigured_tls(config)
        .connect_timeout(std::time::Duration::from_secs(15))
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .map_err(|e| Error::Network(e.to_string()))
}

/// The SPKI SHA-256 of a DER certificate, as pins are written (64 hex characters).
pub fn spki_sha256(cert_der: &[u8]) -> Option<String> {
    subject_public_key_info(cert_der).map(|spki| hex(digest(&SHA256, spki).as_ref()))
}

#[derive(Debug)]
struct Pinned {
    webpki: Arc<WebPkiServerVerifier>,
    pins: Vec<String>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        if spki_sha256(end_entity.as_ref()).is_some_and(|h| self.pins.contains(&h)) {
            return Ok(ServerCertVerified::assertion());
        }
        self.webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// One DER element: its tag, the whole element, its contents, and what follows it.
struct Element<'a> {
    tag: u8,
    whole: &'a [u8],
    contents: &'a [u8],
    rest: &'a [u8],
}

fn element(der: &[u8]) -> Option<Element<'_>> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        (rest[..n].iter().fold(0usize, |acc, b| (acc << 8) | *b as usize), &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    let header = der.len() - rest.len();
    Some(Element { tag, whole: &der[..header + len], contents: &rest[..len], rest: &rest[len..] })
}

/// Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
/// signature, issuer, validity, subject, subjectPublicKeyInfo, ... }, ... }
fn subject_public_key_info(cert: &[u8]) -> Option<&[u8]> {
    let certificate = element(cert)?.contents;
    let mut rest = element(certificate)?.contents; // tbsCertificate
    let first = element(rest)?;
    if first.tag == 0xa0 {
        rest = first.rest; // explicit version
    }
    for _ in 0..5 {
        rest = element(rest)?.rest; // serial, signature, issuer, validity, subject
    }
    let spki = element(rest)?;
    (spki.tag == 0x30).then_some(spki.whole)
}
