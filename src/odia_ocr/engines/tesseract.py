"""Tesseract as an engine: the baseline every odia-ocr model is measured against.

The `tesseract` binary is called once per image (PNG on stdin, TSV on stdout),
so word confidences come with the text and no Python binding is needed.
"""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from odia_ocr.data.images import to_array
from odia_ocr.engines.base import LineResult
from odia_ocr.text import canonicalize

__all__ = [
    "TesseractEngine",
    "TesseractError",
    "TesseractScriptEngine",
    "available_languages",
    "parse_tsv",
    "resolve_language",
]

_INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-ori tesseract-ocr-script-orya"


class TesseractError(RuntimeError):
    """Tesseract is missing, lacks the language, or failed on an image; ``str()`` is one line."""


def _run(cmd: list[str], data: bytes | None, timeout: float) -> subprocess.CompletedProcess[bytes]:
    # One OpenMP thread per process: the engine already runs images in parallel,
    # and nested threads would fight each other (and any training job) for cores.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        return subprocess.run(cmd, input=data, capture_output=True, timeout=timeout, env=env, check=False)
    except FileNotFoundError:
        raise TesseractError(f"{cmd[0]!r} not found; {_INSTALL_HINT}") from None
    except subprocess.TimeoutExpired:
        raise TesseractError(f"tesseract took longer than {timeout:g} s on one image") from None


def _first_line(stderr: bytes) -> str:
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    # Tesseract prints the real cause last ("Could not initialize tesseract." follows it).
    useful = [ln for ln in lines if not ln.startswith(("Please make sure", "Could not initialize"))]
    return (useful or lines or ["no message"])[-1]


def available_languages(binary: str = "tesseract", tessdata_dir: str | None = None) -> list[str]:
    """Language names as `tesseract --list-langs` prints them (e.g. 'ori', 'Oriya', 'script/Oriya')."""
    cmd = [binary, *(["--tessdata-dir", tessdata_dir] if tessdata_dir else []), "--list-langs"]
    proc = _run(cmd, None, timeout=30)
    if proc.returncode != 0:
        raise TesseractError(f"tesseract --list-langs failed: {_first_line(proc.stderr)}")
    out = proc.stdout.decode("utf-8", "replace").splitlines()
    return [ln.strip() for ln in out if ln.strip() and not ln.startswith("List of available")]


def resolve_language(lang: str, available: Sequence[str]) -> str:
    """The name tesseract knows ``lang`` by, or a one-line :class:`TesseractError`.

    Packagers disagree on where script models live: Debian's
    tesseract-ocr-script-orya may install ``script/Oriya.traineddata`` or a
    top-level ``Oriya.traineddata``, so 'script/Oriya' and 'Oriya' stand for
    each other. Combined languages ('ori+eng') are resolved part by part.
    """
    parts = []
    for part in lang.split("+"):
        base = part.rsplit("/", 1)[-1]
        candidates = [part, base, f"script/{base}"]
        found = next((c for c in candidates if c in available), None)
        if found is None:
            have = ", ".join(available) or "none"
            raise TesseractError(f"tesseract has no language data for {part!r} (installed: {have}); {_INSTALL_HINT}")
        parts.append(found)
    return "+".join(parts)


def parse_tsv(tsv: str) -> tuple[str, float]:
    """(text, confidence in [0, 1]) from tesseract's TSV output.

    Words of one layout line are joined by spaces and lines by newlines. The
    confidence is the mean word confidence weighted by word length, so one
    unsure punctuation mark does not outweigh a long, sure word.
    """
    lines: dict[tuple[str, ...], list[str]] = {}
    weight = score = 0.0
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        if not word:
            continue
        lines.setdefault(tuple(cols[1:5]), []).append(word)
        conf = float(cols[10])
        if conf >= 0:
            weight += len(word)
            score += len(word) * min(conf, 100.0) / 100.0
    text = "\n".join(" ".join(words) for words in lines.values())
    return text, (score / weight if weight else 0.0)


def _png(image: np.ndarray | Image.Image) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(to_array(image)).save(buf, "PNG", compress_level=1)
    return buf.getvalue()


class TesseractEngine:
    """Line recognizer backed by Tesseract's LSTM models (``ori`` by default).

    ``psm`` 7 treats each image as one text line; use 6 or 3 for blocks and
    pages. ``model`` names a language or points at a ``.traineddata`` file or
    a tessdata folder; ``batch_size`` is accepted for interface parity and
    ignored, because each image is its own tesseract process.
    """

    name = "tesseract"
    default_lang = "ori"

    def __init__(
        self,
        lang: str | None = None,
        psm: int = 7,
        oem: int = 1,
        model: str | None = None,
        batch_size: int | None = None,
        workers: int = 2,
        binary: str = "tesseract",
        timeout: float = 120.0,
    ) -> None:
        del batch_size  # one process per image: nothing to batch
        self.tessdata_dir: str | None = None
        lang = lang or self.default_lang
        if model:
            path = Path(model)
            if path.suffix == ".traineddata" and path.is_file():
                self.tessdata_dir, lang = str(path.parent), path.stem
            elif path.is_dir():
                self.tessdata_dir = str(path)
            else:
                lang = model
        self.binary = binary
        self.psm = psm
        self.oem = oem
        self.workers = max(1, workers)
        self.timeout = timeout
        self.lang = resolve_language(lang, available_languages(binary, self.tessdata_dir))

    def _command(self, psm: int) -> list[str]:
        cmd = [self.binary, "stdin", "stdout"]
        if self.tessdata_dir:
            cmd += ["--tessdata-dir", self.tessdata_dir]
        return [*cmd, "-l", self.lang, "--psm", str(psm), "--oem", str(self.oem), "tsv"]

    def _read(self, image: np.ndarray | Image.Image, psm: int) -> tuple[str, float]:
        proc = _run(self._command(psm), _png(image), self.timeout)
        if proc.returncode != 0:
            raise TesseractError(f"tesseract failed: {_first_line(proc.stderr)}")
        text, conf = parse_tsv(proc.stdout.decode("utf-8", "replace"))
        return canonicalize(text), conf

    def recognize(self, images: Sequence[np.ndarray]) -> list[LineResult]:
        """Read each line image; results keep the input order."""
        if not images:
            return []
        with ThreadPoolExecutor(max_workers=min(self.workers, len(images))) as pool:
            read = pool.map(lambda img: self._read(img, self.psm), images)
            return [LineResult(text, conf) for text, conf in read]

    def recognize_page(self, image: np.ndarray | Image.Image, psm: int = 3) -> str:
        """Canonical text of a whole page, with Tesseract's own layout analysis (psm 3)."""
        return self._read(image, psm)[0]


class TesseractScriptEngine(TesseractEngine):
    """Tesseract's script-level Oriya model, trained on more text than ``ori``; often the stronger baseline."""

    name = "tesseract-script"
    default_lang = "script/Oriya"
