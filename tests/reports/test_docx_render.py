"""The Word file as LibreOffice lays it out: 22 lines × 28 characters, Chinese text, page numbers.

Needs LibreOffice and poppler-utils (see docs/fonts.md); skipped where they are not installed.
"""

import re
import shutil
import subprocess

import pytest

from brigade.reports.document import Block, Document
from brigade.reports.docx_writer import write_docx

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                       reason="需要 LibreOffice 和 poppler-utils"),
]

SENTENCE = "大队坚持问题导向，紧盯重点场所和薄弱环节，持续开展火灾隐患排查整治。"


def test_libreoffice_lays_out_22_lines_of_28_characters(tmp_path):
    # Long paragraphs without digits or Latin letters: every full line holds exactly 28 characters.
    blocks = [Block("heading1", "一、工作开展情况")]
    blocks += [Block("paragraph", SENTENCE * 6) for _ in range(8)]
    path = write_docx(Document("消防救援大队工作总结", blocks), tmp_path / "layout.docx")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "layout.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True, timeout=60).stdout.split("\f")
    assert len(pages) >= 3
    # Page 2 is all body text: 22 lines, then the page number.
    lines = [line.strip() for line in pages[1].splitlines() if line.strip()]
    number = lines.pop()
    assert re.fullmatch(r"—\s*2\s*—", number), number
    assert len(lines) == 22, lines
    widths = [len(re.sub(r"\s", "", line)) for line in lines]
    assert max(widths) == 28, widths
    assert sum(w == 28 for w in widths) >= 15, widths
