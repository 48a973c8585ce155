#!/usr/bin/env python3
"""Builds testdata/corpus/<doc>/rebuilt.docx from the hand transcription table.tsv beside it.

Where a corpus document is a PDF or a web page, issue 11 keeps the extracted text and a rebuilt
Word file. The transcription is hand work: the form's table(s) as a reader of source.txt would
lay them out, one row per line. This script only typesets it (Python's standard library, no
Jixiao code), so the rebuilt file is independent of Jixiao's own writers.

table.tsv:
  - a line with tabs is a table row, its cells separated by tabs; a row with fewer cells than
    the widest row of its table has its last cell spanned to the table's width;
  - a cell `<` continues the cell on its left (a horizontal merge), `^` the cell above
    (a vertical merge);
  - a line without tabs is a paragraph (a title, a year line, a note);
  - a blank line ends a table; lines starting with `#` are comments (not typeset);
  - `\\n` in a cell is a line break inside the cell.

Usage: python3 scripts/corpus_rebuild.py [DOC_DIR...]   (default: every corpus directory with
a table.tsv). The output is deterministic (fixed zip timestamps), so rebuilding changes nothing
unless the transcription changed.
"""

import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

CORPUS = Path(__file__).resolve().parent.parent / "testdata" / "corpus"
STAMP = (2020, 1, 1, 0, 0, 0)

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def runs(text):
    """A paragraph's runs, with `\\n` as line breaks."""
    parts = text.split("\\n")
    out = []
    for k, part in enumerate(parts):
        if k:
            out.append("<w:r><w:br/></w:r>")
        if part:
            out.append(f'<w:r><w:t xml:space="preserve">{escape(part)}</w:t></w:r>')
    return "".join(out)


def paragraph(text):
    return f"<w:p>{runs(text)}</w:p>"


def table(rows):
    width = max(len(r) for r in rows)
    # Pad short rows: the last cell spans to the table's width.
    grid = []
    for r in rows:
        r = list(r)
        if len(r) < width:
            r += ["<"] * (width - len(r))
        grid.append(r)
    out = ['<w:tbl><w:tblPr><w:tblBorders>']
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        out.append(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>')
    out.append("</w:tblBorders></w:tblPr><w:tblGrid>")
    out.extend('<w:gridCol w:w="1200"/>' for _ in range(width))
    out.append("</w:tblGrid>")
    for y, r in enumerate(grid):
        out.append("<w:tr>")
        x = 0
        while x < width:
            text = r[x]
            if text == "<":
                # A stray continuation at the row start: an empty cell.
                text = ""
            span = 1
            while x + span < width and r[x + span] == "<":
                span += 1
            props = []
            if span > 1:
                props.append(f'<w:gridSpan w:val="{span}"/>')
            if text == "^":
                props.append('<w:vMerge/>')
                text = ""
            elif y + 1 < len(grid) and grid[y + 1][x] == "^":
                props.append('<w:vMerge w:val="restart"/>')
            pr = f"<w:tcPr>{''.join(props)}</w:tcPr>" if props else ""
            out.append(f"<w:tc>{pr}{paragraph(text)}</w:tc>")
            x += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def document(tsv):
    body = []
    rows = []

    def flush():
        if rows:
            body.append(table(rows))
            # Word needs a paragraph between two tables.
            body.append("<w:p/>")
            rows.clear()

    for line in tsv.splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            flush()
        elif "\t" in line:
            rows.append([c.strip() for c in line.split("\t")])
        else:
            flush()
            body.append(paragraph(line.strip()))
    flush()
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}"><w:body>{"".join(body)}'
        '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr>'
        "</w:body></w:document>"
    )


def build(doc_dir):
    tsv = (doc_dir / "table.tsv").read_text(encoding="utf-8")
    target = doc_dir / "rebuilt.docx"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("word/document.xml", document(tsv)),
        ):
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))
    return target


def main(args):
    dirs = [Path(a) for a in args] or sorted(
        p for p in CORPUS.iterdir() if (p / "table.tsv").is_file()
    )
    for d in dirs:
        print(build(d))


if __name__ == "__main__":
    main(sys.argv[1:])
