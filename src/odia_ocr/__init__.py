"""odia-ocr: offline OCR for Odia (Oriya script).

>>> import odia_ocr
>>> odia_ocr.read("line.png").text  # doctest: +SKIP
"""

from odia_ocr.api import Reader, read

__version__ = "0.1.0"
__all__ = ["Reader", "__version__", "read"]
