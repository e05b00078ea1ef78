"""OCR metrics on canonical Odia text: CER, WER, akshara error rate, alignments."""

from odia_ocr.metrics.errors import ErrorCounts, collapse_whitespace, page_text, score_corpus, score_pair

__all__ = ["ErrorCounts", "collapse_whitespace", "page_text", "score_corpus", "score_pair"]
