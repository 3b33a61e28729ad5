//! Opaque list cursors: the sort key of the last record of a page, base64url-encoded.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Encode the key parts of the last record shown.
pub fn encode(parts: &[&str]) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(parts).unwrap_or_default())
}

/// Decode a cursor made by [`encode`] with `n` parts; `None` for anything else.
pub fn decode(s: &str, n: usize) -> Option<Vec<String>> {
    if s.len() > 512 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(s).ok()?;
    let parts: Vec<String> = serde_json::from_slice(&bytes).ok()?;
    (parts.len() == n).then_some(parts)
}

/// Decode a one-part cursor holding an id.
pub fn decode_id(s: &str) -> Option<uuid::Uuid> {
    decode(s, 1).and_then(|p| uuid::Uuid::try_parse(&p[0]).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let c = encode(&["00001.00002", "0190a3c4-0000-7000-8000-000000000000"]);
        assert_eq!(decode(&c, 2).unwrap()[0], "00001.00002");
        assert!(decode(&c, 1).is_none());
        for bad in ["", "!!!", "bm90IGpzb24", &"A".repeat(600)] {
            assert!(decode(bad, 1).is_none(), "{bad}");
        }
        assert!(decode_id(&encode(&["not a uuid"])).is_none());
    }
}
