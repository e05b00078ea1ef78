"""hOCR export (hOCR 1.2 in XHTML): ocr_page → ocr_carea → ocr_par → ocr_line → ocrx_word with bboxes and x_wconf.

Built with ElementTree, so every text and attribute is escaped and the
output is well-formed XML that any XHTML or hOCR tool parses. Word boxes are
estimates (see :mod:`odia_ocr.pages.words`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from odia_ocr import __version__
from odia_ocr.pages.boxes import Box
from odia_ocr.pages.results import Document

__all__ = ["XHTML_NS", "export_hocr"]

XHTML_NS = "http://www.w3.org/1999/xhtml"
_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)


def _bbox(box: Box) -> str:
    return f"bbox {box[0]} {box[1]} {box[2]} {box[3]}"


def _el(parent: ET.Element, tag: str, cls: str, id_: str, title: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{XHTML_NS}}}{tag}", {"class": cls, "id": id_, "title": title})


def export_hocr(document: Document) -> str:
    """An hOCR document with one ``ocr_page`` per page (skipped pages are empty pages)."""
    ET.register_namespace("", XHTML_NS)
    html = ET.Element(f"{{{XHTML_NS}}}html", {"xml:lang": "or", "lang": "or"})
    head = ET.SubElement(html, f"{{{XHTML_NS}}}head")
    ET.SubElement(head, f"{{{XHTML_NS}}}title").text = document.name
    ET.SubElement(head, f"{{{XHTML_NS}}}meta", {"http-equiv": "Content-Type", "content": "text/html;charset=utf-8"})
    ET.SubElement(head, f"{{{XHTML_NS}}}meta", {"name": "ocr-system", "content": f"odia-ocr {__version__}"})
    ET.SubElement(head, f"{{{XHTML_NS}}}meta", {
        "name": "ocr-capabilities", "content": "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf",
    })
    ET.SubElement(head, f"{{{XHTML_NS}}}meta", {"name": "ocr-number-of-pages", "content": str(len(document.pages))})
    ET.SubElement(head, f"{{{XHTML_NS}}}meta", {"name": "ocr-langs", "content": "or"})
    ET.SubElement(head, f"{{{XHTML_NS}}}meta", {"name": "ocr-scripts", "content": "Orya"})
    body = ET.SubElement(html, f"{{{XHTML_NS}}}body")
    image = document.name.replace('"', "'")
    for page in document.pages:
        n = page.index + 1
        title = f'image "{image}"; {_bbox((0, 0, page.width, page.height))}; ppageno {page.index}'
        page_el = _el(body, "div", "ocr_page", f"page_{n}", title)
        for b, block in enumerate(page.blocks, start=1):
            area = _el(page_el, "div", "ocr_carea", f"block_{n}_{b}", _bbox(block.box))
            par = _el(area, "p", "ocr_par", f"par_{n}_{b}", _bbox(block.box))
            for k, line in enumerate(block.lines, start=1):
                height = line.box[3] - line.box[1]
                line_el = _el(par, "span", "ocr_line", f"line_{n}_{b}_{k}",
                              f"{_bbox(line.box)}; baseline 0 0; x_size {height}")
                for m, word in enumerate(line.words, start=1):
                    w = _el(line_el, "span", "ocrx_word", f"word_{n}_{b}_{k}_{m}",
                            f"{_bbox(word.box)}; x_wconf {round(word.confidence * 100)}")
                    w.text = word.text
                    w.tail = " "
    body_xml = ET.tostring(html, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{_DOCTYPE}\n{body_xml}\n'
