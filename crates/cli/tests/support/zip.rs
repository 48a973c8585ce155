//! Zip packages written by hand for hostile uploads: stored entries, and a deflated entry that
//! inflates to far more than it weighs (a zip bomb), with no compression library needed.

/// CRC-32 (IEEE) of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, slot) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *slot = c;
    }
    let mut crc = !0u32;
    for &b in bytes {
        crc = table[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// One entry: name, method (0 stored, 8 deflated), CRC, data as stored, inflated size.
pub struct Entry {
    name: String,
    method: u16,
    crc: u32,
    data: Vec<u8>,
    size: u32,
}

impl Entry {
    /// A stored (uncompressed) entry.
    pub fn stored(name: &str, bytes: &[u8]) -> Entry {
        Entry {
            name: name.to_string(),
            method: 0,
            crc: crc32(bytes),
            data: bytes.to_vec(),
            size: bytes.len() as u32,
        }
    }

    /// A deflated entry of `n` zero bytes (about 13 bits per 258 bytes: a 200 MiB part weighs
    /// about 1.3 MiB). Its CRC is not computed (0): a reader that stops at its limit never
    /// gets to check it.
    pub fn zeros(name: &str, n: u32) -> Entry {
        let mut w = Bits::default();
        w.bits(1, 1); // final block
        w.bits(1, 2); // fixed Huffman codes
        w.code(0x30, 8); // literal 0
        let mut left = n.saturating_sub(1);
        while left >= 258 {
            w.code(0xC5, 8); // length 258 (code 285)
            w.code(0, 5); // distance 1
            left -= 258;
        }
        for _ in 0..left {
            w.code(0x30, 8);
        }
        w.code(0, 7); // end of block
        Entry {
            name: name.to_string(),
            method: 8,
            crc: 0,
            data: w.finish(),
            size: n,
        }
    }
}

#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    /// `count` bits of `value`, least significant first.
    fn bits(&mut self, value: u32, count: u32) {
        for i in 0..count {
            self.acc |= ((value >> i) & 1) << self.n;
            self.n += 1;
            if self.n == 8 {
                self.out.push(self.acc as u8);
                self.acc = 0;
                self.n = 0;
            }
        }
    }

    /// A Huffman code of `len` bits, most significant first.
    fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.bits((code >> i) & 1, 1);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A zip package of the entries.
pub fn package(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let name = e.name.as_bytes();
        out.extend(0x0403_4b50u32.to_le_bytes());
        out.extend(20u16.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out.extend(e.method.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out.extend(0x21u16.to_le_bytes());
        out.extend(e.crc.to_le_bytes());
        out.extend((e.data.len() as u32).to_le_bytes());
        out.extend(e.size.to_le_bytes());
        out.extend((name.len() as u16).to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out.extend(name);
        out.extend(&e.data);

        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes());
        central.extend(20u16.to_le_bytes());
        central.extend(0u16.to_le_bytes());
        central.extend(e.method.to_le_bytes());
        central.extend(0u16.to_le_bytes());
        central.extend(0x21u16.to_le_bytes());
        central.extend(e.crc.to_le_bytes());
        central.extend((e.data.len() as u32).to_le_bytes());
        central.extend(e.size.to_le_bytes());
        central.extend((name.len() as u16).to_le_bytes());
        central.extend([0u8; 12]);
        central.extend(offset.to_le_bytes());
        central.extend(name);
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend(cd_size.to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}
