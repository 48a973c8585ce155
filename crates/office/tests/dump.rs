//! Developer aid: prints the grid of the file named by $DUMP (run with --ignored).
#[test]
#[ignore]
fn dump() {
    let path = std::env::var("DUMP").unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let doc = jixiao_office::read(&path, &bytes, &Default::default()).unwrap();
    for b in &doc.blocks {
        match b {
            jixiao_office::grid::Block::Paragraph(p) => println!("P{:?} {}", p.heading, p.text),
            jixiao_office::grid::Block::Table(t) => {
                println!("== T{} {:?} {}x{}", t.index, t.sheet, t.rows, t.cols);
                for (r, row) in t.row_cells().iter().enumerate() {
                    let cells: Vec<String> = row
                        .iter()
                        .map(|c| {
                            format!(
                                "[{}{}]{}",
                                c.rowspan,
                                c.colspan,
                                c.text
                                    .replace('\n', "⏎")
                                    .chars()
                                    .take(18)
                                    .collect::<String>()
                            )
                        })
                        .collect();
                    println!("{r}: {}", cells.join(" | "));
                }
            }
        }
    }
    println!("warnings: {:?}", doc.warnings);
}
