"""ALTO v4 export: Page → PrintSpace → TextBlock → TextLine → String/SP, pixel units, WC confidences.

Follows the ALTO 4.2 schema's element order and required attributes, so
schema-aware readers (eScriptorium, Transkribus, METS/ALTO viewers) accept it.
String boxes are estimates (see :mod:`odia_ocr.pages.words`). The schema needs
at least one String per TextLine and a WC in [0, 1], so a line without words
(as a hand-built or loaded document may have) gets words estimated from its
text, or is left out if it has none, and WC is clamped to [0, 1] (NaN to 0).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from odia_ocr import __version__
from odia_ocr.pages.boxes import Box
from odia_ocr.pages.results import Document
from odia_ocr.pages.words import estimate_words

__all__ = ["ALTO_NS", "export_alto"]

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA = f"{ALTO_NS} http://www.loc.gov/alto/v4/alto-4-2.xsd"


def _tag(name: str) -> str:
    return f"{{{ALTO_NS}}}{name}"


def _geometry(box: Box) -> dict[str, str]:
    return {"HPOS": str(box[0]), "VPOS": str(box[1]), "WIDTH": str(box[2] - box[0]), "HEIGHT": str(box[3] - box[1])}


def _wc(confidence: float) -> str:
    """A schema-valid WC: the confidence clamped to [0, 1], NaN as 0."""
    return f"{min(1.0, confidence) if confidence > 0 else 0.0:.3f}"


def export_alto(document: Document) -> str:
    """An ALTO v4 document with one ``Page`` per page; skipped pages are empty pages."""
    ET.register_namespace("", ALTO_NS)
    ET.register_namespace("xsi", _XSI)
    root = ET.Element(_tag("alto"), {f"{{{_XSI}}}schemaLocation": _SCHEMA})
    desc = ET.SubElement(root, _tag("Description"))
    ET.SubElement(desc, _tag("MeasurementUnit")).text = "pixel"
    src = ET.SubElement(desc, _tag("sourceImageInformation"))
    ET.SubElement(src, _tag("fileName")).text = document.name
    processing = ET.SubElement(desc, _tag("OCRProcessing"), {"ID": "OCR_0"})
    step = ET.SubElement(processing, _tag("ocrProcessingStep"))
    software = ET.SubElement(step, _tag("processingSoftware"))
    ET.SubElement(software, _tag("softwareName")).text = "odia-ocr"
    ET.SubElement(software, _tag("softwareVersion")).text = __version__
    layout = ET.SubElement(root, _tag("Layout"))
    for page in document.pages:
        n = page.index + 1
        page_el = ET.SubElement(layout, _tag("Page"), {
            "ID": f"page_{n}", "PHYSICAL_IMG_NR": str(n), "WIDTH": str(page.width), "HEIGHT": str(page.height),
        })
        space = ET.SubElement(page_el, _tag("PrintSpace"), _geometry((0, 0, page.width, page.height)))
        for b, block in enumerate(page.blocks, start=1):
            block_el = ET.SubElement(space, _tag("TextBlock"), {"ID": f"block_{n}_{b}", **_geometry(block.box)})
            for k, line in enumerate(block.lines, start=1):
                words = line.words or estimate_words(line.text, line.box, line.confidence)
                if not words:
                    continue
                line_el = ET.SubElement(block_el, _tag("TextLine"), {"ID": f"line_{n}_{b}_{k}", **_geometry(line.box)})
                for m, word in enumerate(words, start=1):
                    if m > 1:
                        prev = words[m - 2].box
                        ET.SubElement(line_el, _tag("SP"), {
                            "WIDTH": str(max(0, word.box[0] - prev[2])), "HPOS": str(prev[2]), "VPOS": str(line.box[1]),
                        })
                    ET.SubElement(line_el, _tag("String"), {
                        "ID": f"string_{n}_{b}_{k}_{m}", **_geometry(word.box),
                        "CONTENT": word.text, "WC": _wc(word.confidence),
                    })
    xml = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}\n'
