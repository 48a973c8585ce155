//! The one way Jixiao opens an untrusted zip archive (Office packages, 一体化 exchanges, a
//! region's upload): a bounded number of entries, each inflated within a per-entry limit and
//! all of them within a total, so a zip bomb stops at the first byte over, whatever sizes the
//! archive declares. Callers turn a [`ZipFault`] into their own error.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

/// Why an archive or one of its entries could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipFault {
    /// The bytes are no zip archive, or its directory is damaged.
    #[error("压缩包损坏或不完整（{reason}）")]
    NotZip {
        /// What the zip reader said.
        reason: String,
    },
    /// The archive compresses its entries in a way that is not supported.
    #[error("不支持的压缩方式（{reason}）")]
    Unsupported {
        /// What the zip reader said.
        reason: String,
    },
    /// More entries than allowed.
    #[error("压缩包含{count}个文件，超过上限{limit}个")]
    TooManyEntries {
        /// Entries in the archive.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// An entry is encrypted (has a password).
    #[error("“{entry}”已加密")]
    Encrypted {
        /// The entry's name.
        entry: String,
    },
    /// An entry could not be inflated.
    #[error("“{entry}”已损坏：{reason}")]
    Damaged {
        /// The entry's name.
        entry: String,
        /// Why.
        reason: String,
    },
    /// One entry inflates beyond the per-entry limit.
    #[error("“{entry}”解压后超过上限（{limit} 字节）")]
    EntryTooLarge {
        /// The entry's name.
        entry: String,
        /// The limit.
        limit: u64,
    },
    /// The entries together inflate beyond the total limit.
    #[error("解压后的总量超过上限（{limit} 字节），疑似压缩炸弹，已停止")]
    TotalTooLarge {
        /// The limit.
        limit: u64,
    },
}

impl ZipFault {
    fn of(e: &ZipError) -> ZipFault {
        match e {
            ZipError::UnsupportedArchive(_) => ZipFault::Unsupported {
                reason: e.to_string(),
            },
            _ => ZipFault::NotZip {
                reason: e.to_string(),
            },
        }
    }
}

/// An opened archive with its limits and the bytes inflated so far.
pub struct BoundedZip<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    per_entry: u64,
    total: u64,
    inflated: u64,
}

impl std::fmt::Debug for BoundedZip<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoundedZip")
            .field("entries", &self.archive.len())
            .field("inflated", &self.inflated)
            .finish()
    }
}

impl<'a> BoundedZip<'a> {
    /// Opens `bytes` as a zip of at most `max_entries` entries, each inflating to at most
    /// `per_entry` bytes and all together to at most `total`. Only the directory is read here.
    pub fn open(
        bytes: &'a [u8],
        max_entries: usize,
        per_entry: u64,
        total: u64,
    ) -> Result<BoundedZip<'a>, ZipFault> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| ZipFault::of(&e))?;
        if archive.len() > max_entries {
            return Err(ZipFault::TooManyEntries {
                count: archive.len(),
                limit: max_entries,
            });
        }
        Ok(BoundedZip {
            archive,
            per_entry,
            total,
            inflated: 0,
        })
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.archive.len()
    }

    /// True when the archive has no entries.
    pub fn is_empty(&self) -> bool {
        self.archive.is_empty()
    }

    /// The name of entry `index`, as stored (a name that is not valid text is read lossily).
    pub fn name(&self, index: usize) -> Option<String> {
        match self.archive.name_for_index(index)? {
            Ok(name) => Some(name.into_owned()),
            Err(_) => Some(
                String::from_utf8_lossy(self.archive.file_names_raw().nth(index)?).into_owned(),
            ),
        }
    }

    /// The names of all entries, in archive order.
    pub fn names(&self) -> Vec<String> {
        (0..self.archive.len())
            .filter_map(|i| self.name(i))
            .collect()
    }

    /// The index of the entry called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.archive.index_for_name(name)
    }

    /// True when entry `index` is a folder.
    pub fn is_dir(&self, index: usize) -> bool {
        self.name(index).is_some_and(|n| n.ends_with('/'))
    }

    /// Inflates entry `index` into memory, within the per-entry limit and what is left of the
    /// total. An entry over the per-entry limit is [`ZipFault::EntryTooLarge`] and does not
    /// count against the total, so a caller may skip it and go on.
    pub fn read(&mut self, index: usize) -> Result<Vec<u8>, ZipFault> {
        let mut out = Vec::new();
        self.inflate(index, Some(&mut out))?;
        Ok(out)
    }

    /// Inflates the entry called `name`, or `None` when there is none.
    pub fn read_named(&mut self, name: &str) -> Result<Option<Vec<u8>>, ZipFault> {
        match self.index_of(name) {
            Some(index) => self.read(index).map(Some),
            None => Ok(None),
        }
    }

    /// Checks the sizes the archive's directory declares against the limits, inflating
    /// nothing. Enough before another reader of these bytes (calamine) inflates them through
    /// the same zip crate, which never inflates an entry past its declared size (an entry
    /// that lies about its size fails there; see the test below).
    pub fn check_declared(&mut self) -> Result<(), ZipFault> {
        let mut total: u64 = 0;
        for index in 0..self.archive.len() {
            let entry = self
                .archive
                .by_index_raw(index)
                .map_err(|e| ZipFault::of(&e))?;
            let size = entry.size();
            if size > self.per_entry {
                return Err(ZipFault::EntryTooLarge {
                    entry: entry
                        .name()
                        .map_or_else(|_| format!("第{}个文件", index + 1), |n| n.into_owned()),
                    limit: self.per_entry,
                });
            }
            total = total.saturating_add(size);
            if total > self.total {
                return Err(ZipFault::TotalTooLarge { limit: self.total });
            }
        }
        Ok(())
    }

    /// Inflates one entry, into `out` or counted and dropped.
    fn inflate(&mut self, index: usize, out: Option<&mut Vec<u8>>) -> Result<u64, ZipFault> {
        let left = self.total.saturating_sub(self.inflated);
        let limit = self.per_entry.min(left);
        let stored = self.name(index).unwrap_or_default();
        let entry = self.archive.by_index(index).map_err(|e| match e {
            ZipError::UnsupportedArchive(m) if m.contains("ncrypt") || m.contains("assword") => {
                ZipFault::Encrypted { entry: stored }
            }
            other => ZipFault::of(&other),
        })?;
        let name = entry
            .name()
            .map_or_else(|_| format!("第{}个文件", index + 1), |n| n.into_owned());
        if entry.encrypted() {
            return Err(ZipFault::Encrypted { entry: name });
        }
        let damaged = |e: std::io::Error| ZipFault::Damaged {
            entry: name.clone(),
            reason: e.to_string(),
        };
        // The declared size is only a hint (a hostile archive may lie): the read is bounded by
        // the limit whatever it says, and the reservation by 16 MiB.
        let mut bounded = entry.take(limit.saturating_add(1));
        let read = match out {
            Some(out) => {
                let hint = bounded.get_ref().size().min(limit + 1).min(1 << 24);
                out.reserve(usize::try_from(hint).unwrap_or(0));
                bounded.read_to_end(out).map_err(damaged)? as u64
            }
            None => std::io::copy(&mut bounded, &mut std::io::sink()).map_err(damaged)?,
        };
        if read > limit {
            return Err(if self.per_entry <= left {
                ZipFault::EntryTooLarge {
                    entry: name,
                    limit: self.per_entry,
                }
            } else {
                ZipFault::TotalTooLarge { limit: self.total }
            });
        }
        self.inflated += read;
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in entries {
            out.start_file(*name, options).expect("entry");
            out.write_all(body).expect("body");
        }
        out.finish().expect("finished").into_inner()
    }

    #[test]
    fn reads_within_the_limits_and_stops_past_them() {
        let zeros = vec![0u8; 10_000];
        let bytes = archive(&[("a.txt", b"hello"), ("b.bin", &zeros), ("c.bin", &zeros)]);
        let mut zip = BoundedZip::open(&bytes, 8, 20_000, 1_000_000).expect("opens");
        assert_eq!(zip.len(), 3);
        assert_eq!(
            zip.read_named("a.txt").expect("read"),
            Some(b"hello".to_vec())
        );
        assert_eq!(zip.read_named("none").expect("read"), None);
        assert!(zip.check_declared().is_ok());

        let mut small = BoundedZip::open(&bytes, 8, 5_000, 1_000_000).expect("opens");
        assert_eq!(
            small.read(1),
            Err(ZipFault::EntryTooLarge {
                entry: "b.bin".into(),
                limit: 5_000
            })
        );
        // Skipping the entry that is too large leaves the total untouched.
        assert_eq!(small.read(0).expect("small entry"), b"hello");

        let mut total = BoundedZip::open(&bytes, 8, 20_000, 15_000).expect("opens");
        assert_eq!(
            total.check_declared(),
            Err(ZipFault::TotalTooLarge { limit: 15_000 })
        );
        assert!(total.read(1).is_ok());
        assert_eq!(
            total.read(2),
            Err(ZipFault::TotalTooLarge { limit: 15_000 })
        );

        assert_eq!(
            BoundedZip::open(&bytes, 2, 20_000, 15_000).err(),
            Some(ZipFault::TooManyEntries { count: 3, limit: 2 })
        );
        assert!(matches!(
            BoundedZip::open(b"PK\x03\x04 not a zip", 8, 1, 1),
            Err(ZipFault::NotZip { .. })
        ));
    }

    /// What [`BoundedZip::check_declared`] relies on: an entry whose directory says it is
    /// smaller than it inflates to is cut off at the declared size with an error, by the zip
    /// crate itself, so a lying zip bomb costs no more than it declares.
    #[test]
    fn the_zip_reader_never_inflates_past_the_declared_size() {
        let zeros = vec![0u8; 100_000];
        let mut bytes = archive(&[("bomb.bin", &zeros)]);
        // The local header (offset 22) and the central directory entry (offset 24 from its
        // signature) both declare 1,000 bytes instead of 100,000.
        let lie = 1_000u32.to_le_bytes();
        bytes[22..26].copy_from_slice(&lie);
        let central = bytes
            .windows(4)
            .position(|w| w == b"PK\x01\x02")
            .expect("central directory");
        bytes[central + 24..central + 28].copy_from_slice(&lie);
        let mut zip = BoundedZip::open(&bytes, 8, 10_000, 10_000).expect("opens");
        assert!(zip.check_declared().is_ok(), "it declares 1,000 bytes");
        let mut raw = ZipArchive::new(Cursor::new(bytes.as_slice())).expect("opens");
        let mut out = Vec::new();
        let read = raw.by_index(0).expect("entry").read_to_end(&mut out);
        assert!(read.is_err(), "inflated {} bytes", out.len());
        assert!(out.len() <= 1_000 + 8192, "inflated {} bytes", out.len());
    }
}
