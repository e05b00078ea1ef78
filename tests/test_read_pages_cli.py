"""`odia-ocr read` on pages and documents: formats, PDFs and bad documents, through the real CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from odia_ocr.cli.main import main
from odia_ocr.engines import registry
from test_pages_support import FixedRecognizer, clean_page, page_synthesizer

TEXT = "ଓଡ଼ିଆ ଲେଖା 12"


class FixedEngine(FixedRecognizer):
    """The fixed-text recognizer as a registered engine (engines take keyword options)."""

    def __init__(self, **options: object) -> None:
        super().__init__(TEXT)


@pytest.fixture()
def fixed_engine(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(registry.ENGINES, "fixed", "test_read_pages_cli:FixedEngine")
    return "fixed"


@pytest.fixture(scope="module")
def page_png(tmp_path_factory) -> Path:
    page = clean_page(page_synthesizer(), 1)
    path = tmp_path_factory.mktemp("pages") / "page.png"
    Image.fromarray(page.image).save(path)
    return path


def test_page_to_searchable_pdf_round_trips_through_pdftotext(fixed_engine, page_png, tmp_path, capsys) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = tmp_path / "out.pdf"
    assert main(["read", str(page_png), "--engine", fixed_engine, "--format", "pdf", "--out", str(out)]) == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert TEXT in " ".join(text.split())  # pdftotext may break lines at words; the text itself must be exact


def test_page_json_hocr_alto(fixed_engine, page_png, capsys) -> None:
    assert main(["read", str(page_png), "--engine", fixed_engine, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["file"] == str(page_png) and TEXT in doc["text"] and 0 < doc["confidence"] <= 1
    lines = [ln for b in doc["pages"][0]["blocks"] for ln in b["lines"]]
    assert len(lines) >= 3 and all(len(ln["box"]) == 4 and ln["words"] for ln in lines)
    assert main(["read", str(page_png), "--engine", fixed_engine, "--format", "hocr"]) == 0
    hocr = ET.fromstring(capsys.readouterr().out.encode())
    assert any(el.get("class") == "ocr_line" for el in hocr.iter())
    assert main(["read", str(page_png), "--engine", fixed_engine, "--format", "alto"]) == 0
    alto = ET.fromstring(capsys.readouterr().out.encode())
    assert alto.tag.endswith("alto") and any(el.tag.endswith("TextLine") for el in alto.iter())


def test_pdf_input_and_broken_documents_in_one_batch(fixed_engine, page_png, tmp_path, capsys) -> None:
    pdf = tmp_path / "doc.pdf"
    img = Image.open(page_png).convert("RGB")
    img.save(pdf, save_all=True, append_images=[img], resolution=150)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj garbage\n")
    args = ["read", str(broken), str(pdf), "--engine", fixed_engine, "--format", "txt", "--out", str(tmp_path / "o")]
    rc = main(args)
    err = capsys.readouterr().err
    assert rc == 1
    assert "broken.pdf" in err and "Traceback" not in err and "1 of 2 file(s) could not be read" in err
    text = (tmp_path / "o" / "doc.txt").read_text(encoding="utf-8")
    assert text.count("\f") == 1 and text.count(TEXT) >= 6  # two pages, every line read


def test_pdf_format_needs_out(fixed_engine, page_png, capsys) -> None:
    assert main(["read", str(page_png), "--engine", fixed_engine, "--format", "pdf"]) == 2
    assert "--out" in capsys.readouterr().err


def test_contents_page_rows_and_no_table_rows(fixed_engine, tmp_path, capsys) -> None:
    from odia_ocr.synth.corpus import TextSampler
    from odia_ocr.synth.pages import PageSynthesizer
    from test_pages_support import SENTENCES, fast_fonts

    synth = PageSynthesizer(fast_fonts(), TextSampler(SENTENCES, p_sentence=0.9, p_words=0.0), table_share=1.0)
    path = tmp_path / "contents.png"
    Image.fromarray(synth.sample((7, 0), level="clean").image).save(path)
    counts = []
    for extra in ([], ["--no-table-rows"]):
        args = ["read", str(path), "--engine", fixed_engine, "--detector", "classical", "--json", *extra]
        assert main(args) == 0
        doc = json.loads(capsys.readouterr().out)
        counts.append(sum(len(b["lines"]) for b in doc["pages"][0]["blocks"]))
    assert counts[1] > 1.5 * counts[0]  # numbers and page numbers become lines of their own


def test_broken_document_keeps_its_json_object(fixed_engine, page_png, tmp_path, capsys) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj garbage\n")
    rc = main(["read", str(broken), str(page_png), "--engine", fixed_engine, "--json"])
    out, err = capsys.readouterr()
    rows = [json.loads(x) for x in out.splitlines()]
    assert rc == 1 and [r["file"] for r in rows] == [str(broken), str(page_png)]
    assert rows[0]["text"] is None and rows[0]["error"] and "Traceback" not in err
    assert TEXT in rows[1]["text"] and "error" not in rows[1]
