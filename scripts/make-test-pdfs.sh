#!/usr/bin/env bash
# Regenerates the PDFs in testdata/pdf/ from the .docx and .xlsx fixtures with LibreOffice,
# so that the PDF reader's tests (crates/office/tests/tests/pdf.rs) run without LibreOffice.
# Run from anywhere; needs soffice (Debian: libreoffice-writer-nogui libreoffice-calc-nogui)
# and the CJK fonts scripts/test.sh installs. The PDFs are committed: rerun this only when a
# fixture changes, and look at the reconstructed grids again (docs/import.md, PDF).
set -euo pipefail
cd "$(dirname "$0")/.."
out=testdata/pdf
mkdir -p "$out"
profile=$(mktemp -d)
scratch=$(mktemp -d)
trap 'rm -rf "$profile" "$scratch"' EXIT
for f in testdata/fixtures/*.docx testdata/fixtures/*.xlsx; do
  base=$(basename "$f")
  stem=${base%.*}
  ext=${base##*.}
  # A private profile keeps a running LibreOffice (or another engineer's) out of the way.
  soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf \
    --outdir "$scratch" "$f" >/dev/null
  mv "$scratch/$stem.pdf" "$out/$stem.$ext.pdf"
done
# A PDF that needs a password (mima) to open.
soffice -env:UserInstallation="file://$profile" --headless --convert-to \
  'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"mima"}}' \
  --outdir "$scratch" testdata/fixtures/seed000.docx >/dev/null
mv "$scratch/seed000.pdf" "$out/encrypted.pdf"
# A page with no text layer, as a scanner makes it: one image, no fonts.
python3 - "$out/scanned.pdf" <<'PY'
import sys, zlib
w, h = 64, 64
pixels = zlib.compress(bytes([200]) * (w * h))
content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
objects = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
    b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (w, h, len(pixels)) + pixels + b"\nendstream",
]
out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
offsets = []
for i, body in enumerate(objects, 1):
    offsets.append(len(out))
    out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
for o in offsets:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
open(sys.argv[1], "wb").write(out)
PY
ls -l "$out"
