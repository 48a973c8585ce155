//! Reading any bytes as a PDF must never panic, hang or run out of memory: broken files get
//! an error. Seeded from testdata/pdf (PDFs printed from the fixtures, a scanned page, an
//! encrypted file).
#![no_main]

use jixiao_recognize::{Limits, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        // The reader contains panics of the PDF library on its own thread ("jixiao-pdf") and
        // turns them into errors; libFuzzer's hook would abort on them first. Any panic on
        // another thread (the layout, the recognizers) still aborts, as a crash to report.
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some("jixiao-pdf") {
                abort(info);
            }
        }));
    },
    |data: &[u8]| {
        let limits = Limits {
            max_part_bytes: 8 << 20,
            max_total_bytes: 16 << 20,
            max_pdf_glyphs: 200_000,
            pdf_timeout: std::time::Duration::from_secs(5),
            convert_legacy: false,
            ..Limits::default()
        };
        // Everything goes to the PDF reader: content without the header gets one.
        let bytes: std::borrow::Cow<[u8]> = if data.starts_with(b"%PDF-") {
            data.into()
        } else {
            [b"%PDF-1.4\n".as_slice(), data].concat().into()
        };
        let _ = import("fuzz.pdf", &bytes, &limits);
    }
);
