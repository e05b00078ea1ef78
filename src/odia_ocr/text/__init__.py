"""Odia text core: canonical form, akshara segmentation and the character set."""

from odia_ocr.text.akshara import aksharas
from odia_ocr.text.canonical import CANONICALIZATION_ID, canonicalize, is_canonical, is_odia_mark
from odia_ocr.text.charset import ODIA_CHARS, Charset, default_charset

__all__ = [
    "CANONICALIZATION_ID", "ODIA_CHARS", "Charset", "aksharas", "canonicalize", "default_charset", "is_canonical",
    "is_odia_mark",
]
