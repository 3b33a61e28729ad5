//! The second factor of a sign-in: time-based one-time codes (TOTP, RFC 6238) from an
//! authenticator app, recovery codes for a lost device, and the policy saying who must have one.
//!
//! The codes are computed by `totp-rs` (SHA-1, 6 digits, 30-second steps: what every
//! authenticator app reads from an `otpauth://` link). What Liaison adds is here: a code is
//! accepted once (RFC 6238 §5.2: the step it matched must be later than the last one accepted),
//! one step of clock skew either way, recovery codes that are shown once and stored hashed, and
//! the policy.

use crate::access::GlobalRole;
use crate::marking::Level;
use crate::user::User;
use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};

/// Seconds per step.
pub const STEP_SECONDS: u64 = 30;
/// Digits of a code.
pub const DIGITS: u8 = 6;
/// Bytes of a new secret (160 bits, as RFC 4226 §4 recommends).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes made at a time.
pub const RECOVERY_CODES: usize = 10;
/// Bytes of randomness in one recovery code (80 bits; 16 base-32 characters).
pub const RECOVERY_BYTES: usize = 10;
/// How long a sign-in may wait for its second factor, in seconds.
pub const CHALLENGE_SECONDS: i64 = 300;
/// Wrong codes tried against one sign-in before it ends (each also counts as a failed sign-in
/// towards the account's lockout).
pub const CHALLENGE_ATTEMPTS: i32 = 5;

/// Who must have a second factor before signing in with a password.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Users cleared above this level (none: no one for their clearance).
    pub above: Option<Level>,
    /// Administrators and security officers, whatever their clearance.
    pub staff: bool,
}

impl Policy {
    /// Whether `user` must sign in with a second factor.
    pub fn requires(&self, user: &User) -> bool {
        let cleared_above = self.above.is_some_and(|l| user.clearance.scheme() == l.scheme() && user.clearance.rank() > l.rank());
        let staff = self.staff && user.global_roles.iter().any(|r| matches!(r, GlobalRole::Admin | GlobalRole::SecurityOfficer));
        cleared_above || staff
    }
}

/// Why a code was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeRefused {
    /// Not a code of this key at this time (or not six digits at all).
    Wrong,
    /// A code of a step already used: RFC 6238 accepts each code once.
    Reused,
}

/// A TOTP key: the shared secret of an account and its authenticator app.
#[derive(Clone)]
pub struct TotpKey(Totp);

impl std::fmt::Debug for TotpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret never reaches a log.
        f.write_str("TotpKey(…)")
    }
}

impl TotpKey {
    /// A key from secret bytes (at least 128 bits), for `account` at `issuer` (the names an
    /// authenticator app shows; a colon, which the `otpauth` format reserves, becomes a space).
    pub fn new(secret: &[u8], issuer: &str, account: &str) -> Option<TotpKey> {
        let clean = |s: &str| s.replace(':', " ").trim().to_string();
        let issuer = clean(issuer);
        Builder::new()
            .with_digits(DIGITS)
            .with_step_duration(STEP_SECONDS)
            .with_skew(1)
            .with_secret(Secret::new(secret.to_vec().into_boxed_slice()))
            .with_issuer((!issuer.is_empty()).then_some(issuer))
            .with_account_name(clean(account))
            .build()
            .ok()
            .map(TotpKey)
    }

    /// A key from its base-32 text, as stored.
    pub fn from_base32(text: &str, issuer: &str, account: &str) -> Option<TotpKey> {
        let secret = Secret::try_from_base32(text.trim()).ok()?;
        TotpKey::new(secret.as_bytes(), issuer, account)
    }

    /// The secret as base-32 text: what is stored, and what a person types into an app that
    /// cannot read the QR code.
    pub fn base32(&self) -> String {
        self.0.secret().to_base32()
    }

    /// The `otpauth://totp/…` link an authenticator app reads (shown as a QR code).
    pub fn uri(&self) -> Option<String> {
        self.0.to_url().ok()
    }

    /// The code at `unix` seconds.
    pub fn code_at(&self, unix: i64) -> String {
        self.0.generate(u64::try_from(unix).unwrap_or(0)).to_string()
    }

    /// Check `code` at `unix` seconds, one step of skew either way, against the last step
    /// accepted. Returns the step it matched, to store as the new last step.
    pub fn check(&self, code: &str, unix: i64, last_step: Option<i64>) -> Result<i64, CodeRefused> {
        let code = normalise_code(code);
        if code.len() != usize::from(DIGITS) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeRefused::Wrong);
        }
        let step = self.0.check(&code, u64::try_from(unix).unwrap_or(0)).ok_or(CodeRefused::Wrong)?;
        let step = i64::try_from(step).map_err(|_| CodeRefused::Wrong)?;
        if last_step.is_some_and(|last| step <= last) {
            return Err(CodeRefused::Reused);
        }
        Ok(step)
    }
}

/// A code as typed: spaces and dashes dropped, letters in lower case.
pub fn normalise_code(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect()
}

/// Whether typed text looks like a recovery code rather than a TOTP code.
pub fn is_recovery_code(code: &str) -> bool {
    let c = normalise_code(code);
    c.len() == 16 && c.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
}

/// A recovery code from random bytes: 16 base-32 characters in four groups, e.g.
/// `k3vq-7mxa-2pdr-hh4e`.
pub fn recovery_code(bytes: &[u8; RECOVERY_BYTES]) -> String {
    let plain = Secret::new(bytes.to_vec().into_boxed_slice()).to_base32().to_lowercase();
    let groups: Vec<&str> = (0..plain.len()).step_by(4).filter_map(|i| plain.get(i..(i + 4).min(plain.len()))).collect();
    groups.join("-")
}

/// What is stored of a recovery code: the SHA-256 of the account and the code as normalised.
/// (80 random bits need no slow hash.)
pub fn recovery_hash(user: crate::UserId, code: &str) -> String {
    let mut h = Sha256::new();
    h.update(user.uuid().as_bytes());
    h.update(normalise_code(code).as_bytes());
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UserId;
    use crate::text::UiLang;
    use crate::user::UserStatus;

    fn key() -> TotpKey {
        // RFC 6238 appendix B's SHA-1 secret.
        TotpKey::new(b"12345678901234567890", "Liaison", "ana@example.org").expect("key")
    }

    #[test]
    fn codes_are_rfc_6238s() {
        // RFC 6238 appendix B gives 8-digit codes; the 6-digit code is their last six digits.
        let k = key();
        for (t, eight) in [(59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"), (2_000_000_000, "69279037")]
        {
            assert_eq!(k.code_at(t), eight[2..], "at {t}");
        }
    }

    #[test]
    fn one_step_of_skew_either_way_and_no_more() {
        let k = key();
        let t = 1_111_111_111; // step 37037037, 1 s into it
        let now = k.code_at(t);
        let before = k.code_at(t - 30);
        let after = k.code_at(t + 30);
        assert_eq!(k.check(&now, t, None), Ok(37_037_037));
        assert_eq!(k.check(&before, t, None), Ok(37_037_036));
        assert_eq!(k.check(&after, t, None), Ok(37_037_038));
        assert_eq!(k.check(&k.code_at(t - 60), t, None), Err(CodeRefused::Wrong));
        assert_eq!(k.check(&k.code_at(t + 60), t, None), Err(CodeRefused::Wrong));
        // The window's edges: the last second of the step before is still one step away.
        let edge = 1_111_111_110; // the first second of step 37037037
        assert_eq!(k.check(&k.code_at(edge - 31), edge, None), Err(CodeRefused::Wrong));
        assert_eq!(k.check(&k.code_at(edge - 1), edge, None), Ok(37_037_036));
    }

    #[test]
    fn a_code_is_accepted_once() {
        let k = key();
        let t = 1_234_567_890;
        let step = k.check(&k.code_at(t), t, None).expect("first use");
        assert_eq!(k.check(&k.code_at(t), t + 5, Some(step)), Err(CodeRefused::Reused));
        // Nor an older one still inside the window.
        assert_eq!(k.check(&k.code_at(t - 30), t, Some(step)), Err(CodeRefused::Reused));
        // The next step's code is fine.
        assert_eq!(k.check(&k.code_at(t + 30), t + 30, Some(step)), Ok(step + 1));
    }

    #[test]
    fn typed_codes_are_normalised_and_bad_ones_refused() {
        let k = key();
        let t = 59;
        assert_eq!(k.check(" 287 082 ", t, None), Ok(1));
        assert_eq!(k.check("287-082", t, None), Ok(1));
        for bad in ["", "28708", "2870821", "abcdef", "２８７０８２", "287082\0", &"9".repeat(10_000)] {
            assert_eq!(k.check(bad, t, None), Err(CodeRefused::Wrong), "{bad:?}");
        }
    }

    #[test]
    fn secrets_round_trip_through_base32_and_the_link_names_the_account() {
        let k = key();
        let again = TotpKey::from_base32(&k.base32(), "Liaison", "ana@example.org").expect("again");
        assert_eq!(again.code_at(59), k.code_at(59));
        let uri = k.uri().expect("uri");
        assert!(uri.starts_with("otpauth://totp/Liaison:ana%40example.org?"), "{uri}");
        assert!(uri.contains(&format!("secret={}", k.base32())), "{uri}");
        // Short secrets and broken text are refused; colons in names do not break the link.
        assert!(TotpKey::new(b"short", "Liaison", "a").is_none());
        assert!(TotpKey::from_base32("not base 32 !", "Liaison", "a").is_none());
        assert!(TotpKey::new(b"12345678901234567890", "Liaison: test", "a:b").and_then(|k| k.uri()).is_some());
        assert_eq!(format!("{k:?}"), "TotpKey(…)");
    }

    #[test]
    fn recovery_codes_are_grouped_base32_and_hashed_per_account() {
        let code = recovery_code(&[0xff; RECOVERY_BYTES]);
        assert_eq!(code, "7777-7777-7777-7777");
        assert!(is_recovery_code(&code));
        assert!(is_recovery_code(" 7777 7777 7777 7777 "));
        assert!(!is_recovery_code("123456"));
        let a = UserId(uuid::Uuid::from_u128(1));
        let b = UserId(uuid::Uuid::from_u128(2));
        assert_eq!(recovery_hash(a, &code), recovery_hash(a, "7777777777777777"));
        assert_eq!(recovery_hash(a, &code), recovery_hash(a, "7777-7777-7777-7777".to_uppercase().as_str()));
        assert_ne!(recovery_hash(a, &code), recovery_hash(b, &code));
    }

    fn user(clearance: Level, roles: Vec<GlobalRole>) -> User {
        let now = chrono::Utc::now();
        User {
            id: UserId(uuid::Uuid::nil()),
            display_name: "A".into(),
            email: "a@example.org".into(),
            organisation: crate::OrganisationId(uuid::Uuid::nil()),
            clearance,
            status: UserStatus::Active,
            global_roles: roles,
            language: UiLang::En,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn the_policy_asks_those_cleared_above_its_level_and_staff() {
        let p = Policy { above: Some(Level::NatoUnclassified), staff: true };
        assert!(!p.requires(&user(Level::NatoUnclassified, vec![])));
        assert!(p.requires(&user(Level::NatoRestricted, vec![])));
        assert!(p.requires(&user(Level::NatoSecret, vec![])));
        assert!(p.requires(&user(Level::Public, vec![GlobalRole::Admin])));
        assert!(p.requires(&user(Level::Public, vec![GlobalRole::SecurityOfficer])));
        let lax = Policy { above: None, staff: false };
        assert!(!lax.requires(&user(Level::NatoSecret, vec![GlobalRole::Admin])));
        // A level of the other scheme says nothing of this one.
        let tlp = Policy { above: Some(Level::TlpGreen), staff: false };
        assert!(!tlp.requires(&user(Level::NatoSecret, vec![])));
        assert!(tlp.requires(&user(Level::TlpAmber, vec![])));
    }
}
