"""Label text on the way in: decode, canonicalize, and refuse undecodable or empty labels."""

from __future__ import annotations

from odia_ocr.data.sample import Problem
from odia_ocr.text import canonicalize

__all__ = ["EMPTY_TEXT", "NOT_UTF8", "NO_TEXT", "read_label"]

EMPTY_TEXT = "empty text"
NOT_UTF8 = "label not UTF-8"
NO_TEXT = "no text field"


def _undecodable(text: str) -> int:
    """Index of the first byte smuggled through ``surrogateescape``, or -1."""
    for i, ch in enumerate(text):
        if "\udc80" <= ch <= "\udcff":
            return i
    return -1


def read_label(value: object, item: str) -> str | Problem:
    """Canonical text of a raw label, or the :class:`Problem` that keeps it out.

    ``value`` is bytes (a .gt.txt file, a binary column), a str (possibly
    decoded with ``errors="surrogateescape"``, which is how non-UTF-8 bytes in
    a text manifest show up here) or None (a missing field).
    """
    if value is None:
        return Problem(item, NO_TEXT)
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            return Problem(item, NOT_UTF8, f"byte 0x{raw[err.start]:02x} at offset {err.start}")
    elif isinstance(value, str):
        text = value
        bad = _undecodable(text)
        if bad >= 0:
            return Problem(item, NOT_UTF8, f"byte 0x{ord(text[bad]) - 0xDC00:02x} at character {bad}")
    elif isinstance(value, bool) or not isinstance(value, int | float):
        return Problem(item, "text is not a string", type(value).__name__)
    else:
        text = str(value)  # a numeric label read from a CSV or JSON number
    text = canonicalize(text)
    if not text:
        return Problem(item, EMPTY_TEXT)
    return text
