"""Safe image loading: every input image passes through here.

Bad images (missing, zero-byte, truncated, undecodable, decompression bombs)
raise :class:`ImageError` with a one-line message naming the file, so a
batch can report it, count it and go on. Odd modes (CMYK, 16-bit, palette,
alpha) are converted, and EXIF rotation is applied.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["MAX_PIXELS", "ImageError", "load_image", "to_array"]

#: Larger images are refused as likely decompression bombs (≈ 16k × 11k pixels).
#: Pillow itself refuses anything above ``2 * Image.MAX_IMAGE_PIXELS`` (≈ 179M) whatever this says.
MAX_PIXELS = 178_000_000

ImageSource = str | os.PathLike[str] | bytes | bytearray | memoryview | Image.Image | np.ndarray


class ImageError(ValueError):
    """An image that cannot be used; ``str()`` is a one-line message naming the file."""


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _read_bytes(source: str | os.PathLike[str], label: str) -> bytes:
    p = Path(source)
    if not p.exists():
        raise ImageError(f"{label}: file not found")
    if p.is_dir():
        raise ImageError(f"{label}: is a directory, not an image")
    try:
        return p.read_bytes()
    except OSError as err:
        raise ImageError(f"{label}: cannot read ({err.strerror or _first_line(err)})") from None


def _decode(data: bytes, label: str, max_pixels: int) -> Image.Image:
    if not data:
        raise ImageError(f"{label}: empty file (0 bytes)")
    try:
        with warnings.catch_warnings():
            # Our own limit below replaces Pillow's warning; Pillow's hard error (2x its limit) still applies.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            # Checked before load(): the header alone tells the size, so a bomb never gets decoded.
            if img.width * img.height > max_pixels:
                raise ImageError(f"{label}: image too large ({img.width}x{img.height} pixels, limit {max_pixels})")
            img.load()
    except ImageError:
        raise
    except Image.DecompressionBombError:
        raise ImageError(f"{label}: image too large (decompression bomb guard)") from None
    except UnidentifiedImageError:
        raise ImageError(f"{label}: not a readable image") from None
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        raise ImageError(f"{label}: broken or truncated image ({_first_line(err)})") from None
    return img


def _to_8bit_grey(img: Image.Image) -> Image.Image:
    """16/32-bit and float greys: scale by the bit depth, so a light page stays light (no contrast stretch)."""
    arr = np.asarray(img, dtype=np.float64)
    if arr.size == 0:
        return Image.new("L", img.size, 255)
    lo, hi = float(arr.min()), float(arr.max())
    if img.mode == "F" and lo >= 0.0 and hi <= 1.0:
        arr = arr * 255
    elif lo >= 0.0 and hi <= 255.0 and img.mode not in ("I;16", "I;16B", "I;16L"):
        pass
    elif lo >= 0.0 and hi <= 65535.0:
        arr = arr / 257
    else:
        arr = (arr - lo) / (hi - lo) * 255 if hi > lo else np.zeros_like(arr)
    return Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8), "L")


def _flatten_alpha(img: Image.Image) -> Image.Image:
    """Transparent pixels become white paper, not black ink."""
    rgba = img.convert("RGBA")
    bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(bg, rgba).convert("RGB")


def load_image(source: ImageSource, name: str | None = None, *, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open ``source`` as an RGB or L PIL image, upright, fully decoded.

    ``name`` is used in error messages (defaults to the path, or '<bytes>').
    ``max_pixels`` refuses larger images before decoding them (decompression bombs).
    """
    if isinstance(source, np.ndarray):
        return Image.fromarray(to_array(source))
    if isinstance(source, Image.Image):
        img = source
    elif isinstance(source, bytes | bytearray | memoryview):
        img = _decode(bytes(source), name or "<bytes>", max_pixels)
    else:
        label = name or str(source)
        img = _decode(_read_bytes(source, label), label, max_pixels)
    try:
        img = ImageOps.exif_transpose(img) or img
    except Exception:
        pass
    if img.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (img.mode == "P" and "transparency" in img.info):
        return _flatten_alpha(img)
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        return _to_8bit_grey(img)
    if img.mode == "1":
        return img.convert("L")
    if img.mode not in ("RGB", "L"):
        return img.convert("RGB")
    return img


def to_array(img: Image.Image | np.ndarray) -> np.ndarray:
    """uint8 array (H, W) or (H, W, 3) of an image; other dtypes are rescaled to 0–255."""
    arr = np.asarray(img)
    if arr.dtype == np.bool_:
        arr = arr.astype(np.uint8) * 255
    elif arr.dtype != np.uint8:
        a = arr.astype(np.float64)
        lo, hi = (float(a.min()), float(a.max())) if a.size else (0.0, 0.0)
        arr = ((a - lo) / (hi - lo) * 255 if hi > lo else np.zeros_like(a)).astype(np.uint8)
    if arr.ndim == 3 and arr.shape[2] == 4:
        alpha = arr[:, :, 3:4].astype(np.float32) / 255
        arr = (arr[:, :, :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    elif arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] != 3):
        raise ImageError(f"<array>: expected a 2-D or 3-D image array, got shape {arr.shape}")
    return arr
