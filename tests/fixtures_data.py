"""Tiny image and dataset builders for the data-layer tests (no files on disk until asked, no network)."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

#: Distinct Odia line texts for fixtures (plain, already canonical).
WORDS = ("ଓଡ଼ିଆ", "ଭାଷା", "କଟକ", "ପୁରୀ", "ଭୁବନେଶ୍ୱର", "ସମ୍ବଲପୁର", "ବାଲେଶ୍ୱର", "ଗଞ୍ଜାମ", "କୋରାପୁଟ", "ଚାଁଦ")


def line_image(seed: int, size: tuple[int, int] = (40, 12), mode: str = "L") -> Image.Image:
    """A small random image, different for every seed (so no two fixtures are duplicates)."""
    rng = np.random.default_rng(seed)
    arr = rng.integers(0, 256, size=(size[1], size[0]), dtype=np.uint8)
    return Image.fromarray(arr, "L").convert(mode)


def encode(img: Image.Image, fmt: str = "PNG", **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def png_bytes(seed: int, size: tuple[int, int] = (40, 12)) -> bytes:
    return encode(line_image(seed, size))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels but holds almost no data: a decompression-bomb stand-in."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def write_gt_pair(
    folder: Path, stem: str, image: bytes | None, label: bytes | str | None, suffix: str = ".png"
) -> None:
    """``stem.png`` + ``stem.gt.txt`` (either may be left out); a str label is written as UTF-8."""
    folder.mkdir(parents=True, exist_ok=True)
    if image is not None:
        (folder / f"{stem}{suffix}").write_bytes(image)
    if label is not None:
        (folder / f"{stem}.gt.txt").write_bytes(label.encode("utf-8") if isinstance(label, str) else label)


def write_manifest_dir(root: Path, rows: list[dict[str, object]], images: dict[str, bytes]) -> Path:
    """A standard-format folder: ``images`` maps relative paths to bytes; ``rows`` become manifest.jsonl."""
    for rel, data in images.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return root


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
