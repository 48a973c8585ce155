//! Prints what the reader makes of a file: paragraphs, and each table's cells with their
//! positions and (for scans) confidences. For looking at a document while teaching the
//! recognizers: `cargo run -p jixiao-read --example dump -- FILE`.

use jixiao_grid::{Block, Limits};

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        match jixiao_read::read(&path, &bytes, &Limits::default()) {
            Err(e) => eprintln!("{e}"),
            Ok(doc) => {
                println!("# {path} ({:?})", doc.format);
                for block in &doc.blocks {
                    match block {
                        Block::Paragraph(p) => println!("P{}: {}", p.index, p.text),
                        Block::Table(t) => {
                            println!("T{} {}×{}", t.index, t.rows, t.cols);
                            for c in &t.cells {
                                let conf = c.scan.map(|s| format!(" ({} at {:?})", s.confidence, s.bbox));
                                println!(
                                    "  [{},{} {}×{}]{} {}",
                                    c.row,
                                    c.col,
                                    c.rowspan,
                                    c.colspan,
                                    conf.unwrap_or_default(),
                                    c.text.replace('\n', "⏎")
                                );
                            }
                        }
                    }
                }
                for w in &doc.warnings {
                    println!("! {w}");
                }
            }
        }
    }
}
