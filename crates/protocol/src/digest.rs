//! A stable fingerprint of complaint states, so two replicas (the server and
//! a desktop's mirror, or two servers) can be compared cheaply.

use redress_domain::complaint::Complaint;

/// FNV-1a over 128 bits: not cryptographic, but stable across builds and
/// platforms, dependency-free, and wide enough that two different histories
/// collide only by extraordinary accident.
struct Fnv128(u128);

impl Fnv128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u128::from(*b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }
}

/// The fingerprint of a set of complaints: their JSON forms hashed in id
/// order, so the order they are given in does not matter. Returned as 32
/// lower-case hex digits.
pub fn state_digest(complaints: &[Complaint]) -> Result<String, serde_json::Error> {
    let mut sorted: Vec<&Complaint> = complaints.iter().collect();
    sorted.sort_by_key(|c| c.id);
    let mut hash = Fnv128(Fnv128::OFFSET);
    hash.write(&(sorted.len() as u64).to_le_bytes());
    for complaint in sorted {
        let json = serde_json::to_vec(complaint)?;
        // Length-prefix each record so boundaries cannot shift.
        hash.write(&(json.len() as u64).to_le_bytes());
        hash.write(&json);
    }
    Ok(format!("{:032x}", hash.0))
}
