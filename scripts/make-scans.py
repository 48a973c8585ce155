#!/usr/bin/env python3
"""Makes the scans in testdata/scans/ from rebuilt corpus documents, as a scanner would:
rebuilt.docx → PDF (LibreOffice headless) → pages rasterised at 150 dpi in gray (pdftoppm) →
each page rotated by a small angle (at most 1°) and blurred slightly → saved as an image-only
PDF (JPEG pages, no text layer) and, for the first document, also as a PNG of its first page.

Needs soffice, pdftoppm and Pillow (`pip install pillow`). Run from anywhere:
    python3 scripts/make-scans.py
The scans are committed; rerun this only to add documents (testdata/scans/README.md lists them).
"""
import os
import shutil
import subprocess
import sys
import tempfile

from PIL import Image, ImageFilter

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CORPUS = os.path.join(ROOT, "testdata", "corpus")
OUT = os.path.join(ROOT, "testdata", "scans")

# (corpus entry, rotation in degrees, counter-clockwise); the angles are fixed so that a rerun
# makes the same files.
DOCUMENTS = [
    ("001-anhui-chuzhou-hrss-sanzhiyifu", 0.6),
    ("003-sichuan-qingshen-wages", -0.8),
    ("005-fujian-anxi-water-target", 0.4),
    ("007-hebei-langfang-school-heating", -0.5),
    ("013-hubei-xiangyang-hospital-campus", 1.0),
    ("016-yunnan-changning-pig-farm", -0.3),
    ("020-anhui-huainan-tianjiaan-employment-transfer", 0.7),
    ("022-anhui-mengcheng-public-health-target", -0.9),
    ("029-chongqing-pengshui-family-planning-transfer", 0.2),
    ("045-anhui-xuancheng-animal-epidemic-transfer", -0.6),
]
PNG = "001-anhui-chuzhou-hrss-sanzhiyifu"
MAX_PAGES = 3
QUALITY = 30


def scan(page: Image.Image, angle: float) -> Image.Image:
    page = page.convert("L")
    page = page.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    return page.filter(ImageFilter.GaussianBlur(0.6))


def main() -> int:
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        profile = os.path.join(scratch, "profile")
        for name, angle in DOCUMENTS:
            docx = os.path.join(CORPUS, name, "rebuilt.docx")
            work = os.path.join(scratch, name)
            os.makedirs(work)
            shutil.copy(docx, os.path.join(work, "doc.docx"))
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                 "--convert-to", "pdf", "--outdir", work, os.path.join(work, "doc.docx")],
                check=True, stdout=subprocess.DEVNULL)
            subprocess.run(
                ["pdftoppm", "-r", "150", "-gray", "-png", "-l", str(MAX_PAGES),
                 os.path.join(work, "doc.pdf"), os.path.join(work, "page")],
                check=True)
            pages = sorted(p for p in os.listdir(work) if p.startswith("page"))
            images = [scan(Image.open(os.path.join(work, p)), angle) for p in pages]
            target = os.path.join(OUT, f"{name}.pdf")
            images[0].save(target, save_all=True, append_images=images[1:], resolution=150,
                           quality=QUALITY)
            print(f"{name}: {len(images)} page(s), {os.path.getsize(target) // 1024} KB")
            if name == PNG:
                png = os.path.join(OUT, f"{name}.png")
                images[0].quantize(16).save(png, optimize=True)
                print(f"{name}.png: {os.path.getsize(png) // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
