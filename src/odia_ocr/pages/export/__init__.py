"""Writers of read documents: plain text, JSON, hOCR, ALTO and searchable PDF.

Every text format is ``export_<fmt>(document) -> str``; the PDF writer also
needs the page images and returns bytes. :data:`TEXT_FORMATS` maps format
names to the text writers for the command line.
"""

from odia_ocr.pages.export.alto import export_alto
from odia_ocr.pages.export.hocr import export_hocr
from odia_ocr.pages.export.jsondoc import document_record, export_json
from odia_ocr.pages.export.pdf import SearchablePdf, export_pdf
from odia_ocr.pages.export.txt import export_txt

__all__ = ["FORMATS", "TEXT_FORMATS", "SearchablePdf", "document_record", "export_alto", "export_hocr", "export_json",
           "export_pdf", "export_txt"]

#: Text format name -> writer; "pdf" is separate because it needs the page images.
TEXT_FORMATS = {"txt": export_txt, "json": export_json, "hocr": export_hocr, "alto": export_alto}

#: Every output format, with its usual file extension.
FORMATS = {"txt": ".txt", "json": ".json", "hocr": ".hocr", "alto": ".alto.xml", "pdf": ".pdf"}
