//! User accounts and the rules for their e-mail addresses and passwords.

use crate::access::GlobalRole;
use crate::marking::{Level, Scheme};
use crate::validation::{Problems, ValidationErrors, rules};
use crate::{OrganisationId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UserStatus {
    Active,
    /// Locked by an administrator (not the automatic sign-in lockout, which expires).
    Locked,
    Disabled,
}

impl UserStatus {}

codes! { UserStatus {
    Active => "active",
    Locked => "locked",
    Disabled => "disabled",
} }

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    pub display_name: String,
    pub email: String,
    pub organisation: OrganisationId,
    /// The highest marking level the user may see.
    pub clearance: Level,
    pub status: UserStatus,
    pub global_roles: Vec<GlobalRole>,
    /// The language the account reads Liaison in: what is written for it (notifications,
    /// e-mails) is written in this language. Set when the user chooses a language.
    pub language: crate::text::UiLang,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// Input to create a user.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    pub display_name: String,
    pub email: String,
    pub organisation: OrganisationId,
    pub clearance: Level,
    #[serde(default)]
    pub global_roles: Vec<GlobalRole>,
    pub password: String,
}

/// Input to change an account; absent fields stay as they are.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPatch {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub organisation: Option<OrganisationId>,
    #[serde(default)]
    pub clearance: Option<Level>,
    #[serde(default)]
    pub status: Option<UserStatus>,
    #[serde(default)]
    pub global_roles: Option<Vec<GlobalRole>>,
}

/// Lower-case, trimmed e-mail address used for uniqueness and sign-in.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A plausible e-mail address: `local@domain.tld`, no spaces, at most 254 characters.
pub fn check_email(p: &mut Problems, field: &str, email: &str) {
    let e = email.trim();
    let ok = e.len() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && match e.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if !ok {
        p.add(field, "invalid", "must be an e-mail address such as name@example.org");
    }
}

/// Shortest and longest accepted passwords (the upper bound keeps hashing cheap).
pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 256;

/// Words that, alone or padded with digits and symbols, make a guessable password.
const COMMON_WORDS: &[&str] = &[
    "password",
    "passw0rd",
    "p4ssw0rd",
    "qwerty",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "letmein",
    "welcome",
    "admin",
    "administrator",
    "iloveyou",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "abc",
    "abcdef",
    "abcdefgh",
    "master",
    "shadow",
    "superman",
    "batman",
    "trustno",
    "secret",
    "changeme",
    "default",
    "login",
    "guest",
    "root",
    "test",
    "tester",
    "testing",
    "user",
    "liaison",
    "nato",
    "otan",
    "serbia",
    "srbija",
    "beograd",
    "belgrade",
    "partnership",
    "ipap",
    "alliance",
    "summer",
    "winter",
    "spring",
    "autumn",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "lozinka",
    "sifra",
    "korisnik",
    "michael",
    "jennifer",
    "charlie",
    "hello",
    "freedom",
    "whatever",
    "computer",
    "internet",
    "starwars",
    "pokemon",
    "access",
    "ninja",
];

/// Passwords refused as they stand (compared in lower case).
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123123123123",
    "111111111111",
    "000000000000",
    "qwertyuiopasdf",
    "qwerty123456",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "abcdefghijkl",
    "aaaaaaaaaaaa",
    "correcthorsebatterystaple",
    "correct horse battery staple",
    "iloveyou1234",
    "password1234",
    "password123!",
    "welcome12345",
    "qwertyqwerty",
    "passwordpassword",
    "letmeinletmein",
];

/// Check a new password: length, no control characters, not common, not the e-mail address.
pub fn check_password(p: &mut Problems, field: &str, password: &str, email: &str) {
    let n = rules::char_len(password);
    if n < PASSWORD_MIN {
        p.add(field, "too_short", format!("must be at least {PASSWORD_MIN} characters"));
        return;
    }
    if n > PASSWORD_MAX {
        p.push(crate::FieldError::new(field, "too_long", format!("must be at most {PASSWORD_MAX} characters")).with_arg("max", PASSWORD_MAX));
        return;
    }
    if rules::has_control_chars(password, false) {
        p.add(field, "invalid", "must not contain control characters");
        return;
    }
    let lower = password.to_lowercase();
    let email = normalise_email(email);
    let local = email.split('@').next().unwrap_or("");
    if COMMON_PASSWORDS.contains(&lower.as_str()) || is_padded_common_word(&lower) || is_trivial(&lower) {
        p.add(field, "common", "is too easy to guess; use a longer phrase of unrelated words");
    } else if !local.is_empty() && (lower == email || lower.contains(local) && local.len() >= 4) {
        p.add(field, "contains_email", "must not contain the e-mail address");
    }
}

/// A common word (possibly repeated) with only digits and symbols around it, also when
/// written with look-alike digits and symbols (`p@ssw0rd`).
fn is_padded_common_word(lower: &str) -> bool {
    let plain: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    let unleet: String = lower
        .chars()
        .map(|c| match c {
            '@' | '4' => 'a',
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '5' | '$' => 's',
            '7' => 't',
            c => c,
        })
        .filter(|c| c.is_alphabetic())
        .collect();
    let common = |letters: &str| {
        letters.is_empty() || COMMON_WORDS.iter().any(|w| letters.len().is_multiple_of(w.len()) && letters == w.repeat(letters.len() / w.len()))
    };
    common(&plain) || common(&unleet) || COMMON_WORDS.iter().any(|w| unleet.starts_with(w) && unleet[w.len()..].chars().all(|c| "ioeast".contains(c)))
}

/// One repeated character, or a run of consecutive characters such as `abcdefghijkl`.
fn is_trivial(lower: &str) -> bool {
    let b = lower.as_bytes();
    let same = b.iter().all(|c| *c == b[0]);
    let ascending = b.windows(2).all(|w| w[1] == w[0].wrapping_add(1));
    let descending = b.windows(2).all(|w| w[0] == w[1].wrapping_add(1));
    same || ascending || descending
}

impl NewUser {
    pub fn validate(&self, scheme: Scheme) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        rules::check_name(&mut p, "display_name", &self.display_name, 120);
        check_email(&mut p, "email", &self.email);
        if self.clearance.scheme() != scheme {
            p.add("clearance", "wrong_scheme", "must be a level of this installation's marking scheme");
        }
        check_password(&mut p, "password", &self.password, &self.email);
        p.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pw(s: &str) -> Option<String> {
        let mut p = Problems::new();
        check_password(&mut p, "password", s, "desk.officer@demo.test");
        p.errors().first().map(|e| e.code.clone())
    }

    #[test]
    fn password_rules() {
        assert_eq!(pw("short"), Some("too_short".into()));
        assert_eq!(pw(&"x".repeat(300)), Some("too_long".into()));
        assert_eq!(pw("Password2024!"), Some("common".into()));
        assert_eq!(pw("P@ssw0rd!!!!2"), Some("common".into()));
        assert_eq!(pw("123456789012"), Some("common".into()));
        assert_eq!(pw("abcdefghijklm"), Some("common".into()));
        assert_eq!(pw("zzzzzzzzzzzz"), Some("common".into()));
        assert_eq!(pw("!!!!----2024##"), Some("common".into()));
        assert_eq!(pw("NATO-NATO-2015"), Some("common".into()));
        assert_eq!(pw("desk.officer@demo.test"), Some("contains_email".into()));
        assert_eq!(pw("my desk.officer pw!"), Some("contains_email".into()));
        assert_eq!(pw("tab\there-is-bad"), Some("invalid".into()));
        assert_eq!(pw("demo-password"), None);
        assert_eq!(pw("plum orbit kettle seven"), None);
    }

    #[test]
    fn emails() {
        let check = |e: &str| {
            let mut p = Problems::new();
            check_email(&mut p, "email", e);
            p.is_empty()
        };
        assert!(check("coordinator@demo.test"));
        assert!(check("  Name.Surname@mod.gov.rs "));
        for bad in ["", "no-at", "a@b", "a@@b.c", "@b.c", "a b@c.d", "a@.c", "a@c.", "a@c..d"] {
            assert!(!check(bad), "{bad:?}");
        }
        assert_eq!(normalise_email(" A@B.Org "), "a@b.org");
    }

    #[test]
    fn new_user_reports_all_problems() {
        let u = NewUser {
            display_name: "".into(),
            email: "bad".into(),
            organisation: OrganisationId(uuid::Uuid::nil()),
            clearance: Level::TlpRed,
            global_roles: vec![],
            password: "short".into(),
        };
        let e = u.validate(Scheme::Nato).unwrap_err();
        for f in ["display_name", "email", "clearance", "password"] {
            assert!(e.has(f), "{f}");
        }
    }
}
