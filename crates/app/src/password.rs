//! Passwords (argon2id) and random tokens.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::AppError;

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> Result<String, AppError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Invalid(format!("系统随机数不可用：{e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A readable random password for new accounts (no 0/O, 1/l).
pub fn random_password() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Invalid(format!("系统随机数不可用：{e}")))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect())
}

/// The argon2id PHC string of `password`.
pub fn hash(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Invalid(format!("系统随机数不可用：{e}")))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| AppError::Invalid(format!("无法生成密码盐：{e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Invalid(format!("无法计算密码哈希：{e}")))
}

/// True when `password` matches the PHC string `stored`.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("正确的密码").expect("hash");
        let b = hash("正确的密码").expect("hash");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify("正确的密码", &a));
        assert!(!verify("错误的密码", &a));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random() {
        let t = random_hex(32).expect("random");
        assert_eq!(t.len(), 64);
        assert_ne!(t, random_hex(32).expect("random"));
        assert_eq!(random_password().expect("random").len(), 12);
    }
}
