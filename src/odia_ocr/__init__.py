"""odia-ocr: offline OCR for Odia (Oriya script)."""

__version__ = "0.1.0"
