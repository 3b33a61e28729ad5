//! The WebAuthn relying party, with `webauthn-rs` (0.6, pure Rust through RustCrypto): the
//! port [`PasskeyRelyingParty`] for an installation reached at a domain name.
//!
//! Passkeys require user verification (a PIN or a fingerprint on the authenticator), as
//! webauthn-rs asks for them; it checks the origin and RP ID, the challenge, the signature and
//! the signature counter (a counter gone back is refused: a cloned authenticator). The
//! ceremonies' state is serialised for the caller to keep server-side (webauthn-rs's
//! `danger-allow-state-serialisation` feature: its "danger" is sending it to the browser, which
//! never happens here).

use liaison_domain::ports::{NewPasskey, PasskeyFailure, PasskeyRelyingParty, PasskeyUsed};
use serde_json::Value;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Url, Webauthn, WebauthnBuilder,
};

/// The relying party of one installation.
pub struct WebauthnRelyingParty {
    webauthn: Webauthn,
}

fn internal(what: &str, e: impl std::fmt::Display) -> PasskeyFailure {
    PasskeyFailure::Internal(format!("{what}: {e}"))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, PasskeyFailure> {
    serde_json::to_string(v).map_err(|e| internal("a passkey ceremony could not be written", e))
}

fn passkeys(stored: &[String]) -> Result<Vec<Passkey>, PasskeyFailure> {
    stored.iter().map(|s| serde_json::from_str(s).map_err(|e| internal("a stored passkey cannot be read", e))).collect()
}

fn base64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl WebauthnRelyingParty {
    /// The relying party of an installation at `public_url` (its host is the RP ID), or `None`
    /// when passkeys cannot work there: no address, or one without a domain name (browsers
    /// refuse IP addresses as RP IDs).
    pub fn for_public_url(public_url: &str) -> Option<WebauthnRelyingParty> {
        let url = Url::parse(public_url.trim()).ok()?;
        let rp_id = url.domain()?.to_string();
        match WebauthnBuilder::new(&rp_id, &url).and_then(|b| b.rp_name("Liaison").build()) {
            Ok(webauthn) => Some(WebauthnRelyingParty { webauthn }),
            Err(e) => {
                tracing::warn!(error = %e, "passkeys are off: the public address is not a WebAuthn relying party");
                None
            }
        }
    }
}

impl PasskeyRelyingParty for WebauthnRelyingParty {
    fn start_registration(&self, user: uuid::Uuid, name: &str, display_name: &str, existing: &[String]) -> Result<(Value, String), PasskeyFailure> {
        let exclude = passkeys(existing)?.iter().map(|p| p.cred_id().clone()).collect();
        let (options, state) = self
            .webauthn
            .start_passkey_registration(user, name, display_name, Some(exclude))
            .map_err(|e| internal("a passkey registration could not begin", e))?;
        let options = serde_json::to_value(&options).map_err(|e| internal("passkey options could not be written", e))?;
        Ok((options, to_json(&state)?))
    }

    fn finish_registration(&self, answer: &Value, state: &str) -> Result<NewPasskey, PasskeyFailure> {
        let reg: RegisterPublicKeyCredential =
            serde_json::from_value(answer.clone()).map_err(|e| PasskeyFailure::Refused(format!("not a registration: {e}")))?;
        let state: PasskeyRegistration = serde_json::from_str(state).map_err(|e| internal("a passkey registration cannot be read", e))?;
        let passkey = self.webauthn.finish_passkey_registration(&reg, &state).map_err(|e| PasskeyFailure::Refused(e.to_string()))?;
        Ok(NewPasskey { credential_id: base64url(passkey.cred_id().as_ref()), stored: to_json(&passkey)? })
    }

    fn start_authentication(&self, stored: &[String]) -> Result<(Value, String), PasskeyFailure> {
        let (options, state) = self.webauthn.start_passkey_authentication(&passkeys(stored)?).map_err(|e| internal("a passkey sign-in could not begin", e))?;
        let options = serde_json::to_value(&options).map_err(|e| internal("passkey options could not be written", e))?;
        Ok((options, to_json(&state)?))
    }

    fn finish_authentication(&self, answer: &Value, state: &str, stored: &[String]) -> Result<PasskeyUsed, PasskeyFailure> {
        let answer: PublicKeyCredential = serde_json::from_value(answer.clone()).map_err(|e| PasskeyFailure::Refused(format!("not an assertion: {e}")))?;
        let state: PasskeyAuthentication = serde_json::from_str(state).map_err(|e| internal("a passkey sign-in cannot be read", e))?;
        let result = self.webauthn.finish_passkey_authentication(&answer, &state).map_err(|e| PasskeyFailure::Refused(e.to_string()))?;
        let mut keys = passkeys(stored)?;
        // The ceremony allowed only these passkeys; one removed meanwhile is not among them.
        let Some(index) = keys.iter().position(|p| p.cred_id() == result.cred_id()) else {
            return Err(PasskeyFailure::Refused("the passkey is no longer registered".into()));
        };
        let moved = keys[index].update_credential(&result) == Some(true);
        Ok(PasskeyUsed { index, updated: if moved { Some(to_json(&keys[index])?) } else { None } })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_address_with_a_domain_name_is_a_relying_party() {
        assert!(WebauthnRelyingParty::for_public_url("https://liaison.example").is_some());
        assert!(WebauthnRelyingParty::for_public_url("http://localhost:8080").is_some());
        for none in ["http://127.0.0.1:8080", "http://[::1]:8080", "", "not a url"] {
            assert!(WebauthnRelyingParty::for_public_url(none).is_none(), "{none}");
        }
    }

    #[test]
    fn what_is_no_answer_is_refused_and_bad_state_is_this_sides_fault() {
        let rp = WebauthnRelyingParty::for_public_url("https://liaison.example").unwrap();
        let (options, state) = rp.start_registration(uuid::Uuid::nil(), "a@b.example", "A", &[]).unwrap();
        assert!(options["publicKey"]["challenge"].is_string(), "{options}");
        assert!(matches!(rp.finish_registration(&serde_json::json!({}), &state), Err(PasskeyFailure::Refused(_))));
        assert!(matches!(rp.finish_authentication(&serde_json::json!({"id": 1}), &state, &[]), Err(PasskeyFailure::Refused(_))));
        assert!(matches!(rp.start_authentication(&["not json".into()]), Err(PasskeyFailure::Internal(_))));
    }
}
