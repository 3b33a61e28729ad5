//! Password hashing with argon2id.

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use liaison_domain::ports::PasswordHasher;

/// argon2id (version 0x13, one lane) with the installation's memory and iteration cost
/// (`AppConfig::argon2_memory_kib`, `argon2_iterations`: 19 MiB and 2 by default, as OWASP
/// advises). Verification takes the cost from the stored hash, so hashes made with other
/// settings still verify.
pub struct Argon2Hasher {
    argon: Argon2<'static>,
}

impl Argon2Hasher {
    /// A hasher with this cost; `Err` when argon2 does not accept it.
    pub fn new(memory_kib: u32, iterations: u32) -> Result<Argon2Hasher, String> {
        let params = Params::new(memory_kib, iterations, 1, None).map_err(|e| format!("argon2 parameters: {e}"))?;
        Ok(Argon2Hasher { argon: Argon2::new(Algorithm::Argon2id, Version::V0x13, params) })
    }
}

impl PasswordHasher for Argon2Hasher {
    fn hash(&self, password: &str) -> Result<String, String> {
        let salt: [u8; 16] = rand::random();
        self.argon.hash_password_with_salt(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
    }

    fn verify(&self, password: &str, stored: &str) -> bool {
        Argon2::default().verify_password(password.as_bytes(), stored).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let h = Argon2Hasher::new(1024, 1).unwrap();
        let a = h.hash("plum orbit kettle").unwrap();
        let b = h.hash("plum orbit kettle").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(h.verify("plum orbit kettle", &a));
        assert!(!h.verify("plum orbit kettlE", &a));
        assert!(Argon2::default().verify_password(b"plum orbit kettle", a.as_str()).is_ok(), "a standard PHC string");
        // Another cost still verifies; nonsense never does.
        assert!(Argon2Hasher::new(2048, 2).unwrap().verify("plum orbit kettle", &b));
        assert!(!h.verify("plum orbit kettle", ""));
        assert!(!h.verify("plum orbit kettle", "$argon2id$nonsense"));
        assert!(Argon2Hasher::new(1, 1).is_err(), "too little memory");
    }
}
