"""Every output format: txt layout, hOCR and ALTO that parse with the right structure, and a searchable PDF
whose text pdftotext copies out as the same Odia, English and digits."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from odia_ocr.metrics import page_text
from odia_ocr.pages.export import FORMATS, TEXT_FORMATS, export_alto, export_hocr, export_pdf, export_txt
from odia_ocr.pages.export.alto import ALTO_NS
from odia_ocr.pages.export.hocr import XHTML_NS
from odia_ocr.pages.results import Block, Document, Line, Page
from odia_ocr.pages.words import estimate_words
from odia_ocr.text import canonicalize

LINES = [
    "ଓଡ଼ିଆ ଭାଷା ଏକ ପ୍ରାଚୀନ ଭାଷା ।",
    "କୈଳାସ ଓ କୌଶଳ 2024 ମସିହା",
    "Odisha <capital> & \"Bhubaneswar\" ୧୨୩",
    "ଶ୍ରୀ କ୍ଷେତ୍ର ପୁରୀ ଓ ଭୁବନେଶ୍ୱର",
]


def _line(text: str, y: int) -> Line:
    box = (100, y, 100 + 28 * len(text), y + 40)
    return Line(text, box, 0.87, estimate_words(text, box, 0.87))


def document() -> Document:
    b1 = Block((100, 100, 1200, 190), [_line(LINES[0], 100), _line(LINES[1], 150)])
    b2 = Block((100, 300, 1200, 390), [_line(LINES[2], 300), _line(LINES[3], 350)])
    pages = [
        Page(0, 1240, 1754, [b1, b2], dpi=150),
        Page(1, 1240, 1754, skipped="blank page (no ink found)", dpi=150),
        Page(2, 1240, 1754, [Block((100, 100, 900, 140), [_line("ପୃଷ୍ଠା ତିନି 3", 100)])], dpi=150),
    ]
    return Document("book.pdf", pages, "fake")


def test_txt_keeps_lines_paragraphs_and_pages() -> None:
    text = export_txt(document())
    pages = text.split("\f")
    assert len(pages) == 3 and pages[1] == ""
    assert pages[0] == f"{LINES[0]}\n{LINES[1]}\n\n{LINES[2]}\n{LINES[3]}"
    assert pages[2] == "ପୃଷ୍ଠା ତିନି 3\n"


def test_hocr_parses_with_pages_blocks_lines_and_words() -> None:
    root = ET.fromstring(export_hocr(document()).encode("utf-8"))
    ns = {"h": XHTML_NS}
    assert root.tag == f"{{{XHTML_NS}}}html"
    assert root.find("h:head/h:meta[@name='ocr-system']", ns) is not None
    pages = root.findall(".//h:div[@class='ocr_page']", ns)
    assert len(pages) == 3
    assert "bbox 0 0 1240 1754" in pages[0].get("title") and "ppageno 0" in pages[0].get("title")
    lines = pages[0].findall(".//h:span[@class='ocr_line']", ns)
    assert len(lines) == 4 and len(pages[0].findall(".//h:p[@class='ocr_par']", ns)) == 2
    for line, expected in zip(lines, LINES, strict=True):
        words = line.findall("h:span[@class='ocrx_word']", ns)
        assert " ".join(w.text for w in words) == expected
        assert all("x_wconf 87" in w.get("title") for w in words)
        x0, y0, x1, y1 = (int(v) for v in line.get("title").split(";")[0].split()[1:])
        assert x0 < x1 and y0 < y1
    assert pages[1].findall(".//h:span", ns) == []


def test_hocr_passes_the_hocr_spec_validator(tmp_path) -> None:
    """hocr-spec (the hOCR spec's reference checker) finds no error but its own gap: it does not know
    ``x_size``, a hOCR 1.2 typesetting property that Tesseract writes too (and that it rejects there as well)."""
    validate = pytest.importorskip("hocr_spec.validate")
    path = tmp_path / "d.hocr"
    path.write_text(export_hocr(document()), encoding="utf-8")
    report = validate.HocrValidator("standard").validate(str(path))
    errors = [i.message for i in report.items if i.level in ("ERROR", "FATAL")]
    assert [m for m in errors if "'x_size'" not in m] == []
    assert not [i.message for i in report.items if i.level == "WARN"]


def test_alto_v4_parses_with_the_schema_structure() -> None:
    root = ET.fromstring(export_alto(document()).encode("utf-8"))
    ns = {"a": ALTO_NS}
    assert root.tag == f"{{{ALTO_NS}}}alto" and ALTO_NS == "http://www.loc.gov/standards/alto/ns-v4#"
    assert [c.tag.split("}")[1] for c in root] == ["Description", "Layout"]
    assert root.findtext("a:Description/a:MeasurementUnit", namespaces=ns) == "pixel"
    pages = root.findall("a:Layout/a:Page", ns)
    assert [p.get("PHYSICAL_IMG_NR") for p in pages] == ["1", "2", "3"]
    lines = pages[0].findall("a:PrintSpace/a:TextBlock/a:TextLine", ns)
    assert len(lines) == 4
    for line, expected in zip(lines, LINES, strict=True):
        strings = line.findall("a:String", ns)
        assert " ".join(s.get("CONTENT") for s in strings) == expected
        assert len(line.findall("a:SP", ns)) == len(strings) - 1
        assert all(float(s.get("WC")) == pytest.approx(0.87) for s in strings)
        for el in (line, *strings):
            assert all(int(el.get(k)) >= 0 for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
    ids = [el.get("ID") for el in root.iter() if el.get("ID")]
    assert len(ids) == len(set(ids))


def test_alto_keeps_schema_rules_for_wordless_lines_and_odd_confidences() -> None:
    """The schema needs a String in every TextLine and WC in [0, 1]; loaded documents may lack words."""
    lines = [
        Line("ଓଡ଼ିଆ ଭାଷା", (0, 0, 200, 40), 1.5), Line("  ", (0, 50, 200, 90), 0.5), Line("x", (0, 100, 50, 140), -0.1),
    ]
    doc = Document("loaded.json", [Page(0, 300, 200, [Block((0, 0, 200, 140), lines)])])
    root = ET.fromstring(export_alto(doc).encode("utf-8"))
    ns = {"a": ALTO_NS}
    text_lines = root.findall(".//a:TextLine", ns)
    assert len(text_lines) == 2 and all(tl.findall("a:String", ns) for tl in text_lines)
    strings = root.findall(".//a:String", ns)
    assert [s.get("CONTENT") for s in strings] == ["ଓଡ଼ିଆ", "ଭାଷା", "x"]
    assert [s.get("WC") for s in strings] == ["1.000", "1.000", "0.000"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_searchable_pdf_round_trips_through_pdftotext(tmp_path) -> None:
    doc = document()
    images = [np.full((1754, 1240, 3), 255, np.uint8), None, np.full((1754, 1240), 250, np.uint8)]
    path = tmp_path / "out.pdf"
    path.write_bytes(export_pdf(doc, images))
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    pages = out.decode("utf-8").split("\f")
    assert canonicalize(pages[0]).split("\n")[:2] == LINES[:2]
    assert page_text(pages[0]) == page_text("\n".join(LINES))
    assert page_text(pages[1]) == ""
    assert page_text(pages[2]) == "ପୃଷ୍ଠା ତିନି 3"


def test_searchable_pdf_has_image_pages_and_invisible_text(tmp_path) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    import pypdfium2 as pdfium

    doc = document()
    img = np.zeros((1754, 1240, 3), np.uint8)
    img[:, :, 0] = 200
    data = export_pdf(doc, [img, None, img[:, :, 0]])
    with pikepdf.open(__import__("io").BytesIO(data)) as pdf:
        assert len(pdf.pages) == 3
        content = pdf.pages[0].Contents.read_bytes()
        assert b"3 Tr" in content and b"/Im0 Do" in content
        assert float(pdf.pages[0].MediaBox[2]) == pytest.approx(1240 * 72 / 150, abs=0.01)
    pdf = pdfium.PdfDocument(data)
    rendered = np.asarray(pdf[0].render(scale=150 / 72).to_pil())
    assert abs(float(rendered[..., 0].mean()) - 200) < 8  # only the picture shows; the text is invisible
    pdf.close()


def test_format_tables() -> None:
    assert set(TEXT_FORMATS) == {"txt", "json", "hocr", "alto"}
    assert set(FORMATS) == {"txt", "json", "hocr", "alto", "pdf"}
    for fmt, write in TEXT_FORMATS.items():
        assert isinstance(write(document()), str), fmt
