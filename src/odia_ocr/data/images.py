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

__all__ = ["ImageError", "load_image", "to_array", "MAX_PIXELS"]

#: Larger images are refused as likely decompression bombs (≈ 16k × 11k pixels).
MAX_PIXELS = 180_000_000


class ImageError(ValueError):
    """An image that cannot be used; ``str()`` is a one-line message naming the file."""


def _flatten_alpha(img: Image.Image) -> Image.Image:
    rgba = img.convert("RGBA")
    bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(bg, rgba).convert("RGB")


def load_image(source: str | os.PathLike[str] | bytes | Image.Image | np.ndarray, name: str | None = None) -> Image.Image:
    """Open ``source`` as an RGB or L PIL image, upright, fully decoded.

    ``name`` is used in error messages (defaults to the path, or '<bytes>').
    """
    if isinstance(source, np.ndarray):
        return Image.fromarray(to_array(source))
    if isinstance(source, Image.Image):
        img, label = source, name or "<image>"
    else:
        if isinstance(source, bytes | bytearray):
            data, label = bytes(source), name or "<bytes>"
        else:
            label = name or str(source)
            p = Path(source)
            if not p.exists():
                raise ImageError(f"{label}: file not found")
            if p.is_dir():
                raise ImageError(f"{label}: is a directory, not an image")
            data = p.read_bytes()
        if not data:
            raise ImageError(f"{label}: empty file (0 bytes)")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                img = Image.open(io.BytesIO(data))
                if img.width * img.height > MAX_PIXELS:
                    raise ImageError(f"{label}: image too large ({img.width}x{img.height} pixels, limit {MAX_PIXELS})")
                img.load()
        except ImageError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageError(f"{label}: image too large (decompression bomb guard)") from None
        except UnidentifiedImageError:
            raise ImageError(f"{label}: not a readable image") from None
        except (OSError, SyntaxError, ValueError) as err:
            raise ImageError(f"{label}: broken or truncated image ({str(err).splitlines()[0]})") from None
    try:
        img = ImageOps.exif_transpose(img) or img
    except Exception:  # noqa: BLE001 - a bad EXIF block must not lose the image
        pass
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        return _flatten_alpha(img)
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        arr = (arr - lo) / (hi - lo) * 255 if hi > lo else np.zeros_like(arr)
        return Image.fromarray(arr.astype(np.uint8), "L")
    if img.mode not in ("RGB", "L"):
        return img.convert("RGB")
    return img


def to_array(img: Image.Image | np.ndarray) -> np.ndarray:
    """uint8 array (H, W) or (H, W, 3) of an image; other dtypes are rescaled to 0–255."""
    arr = np.asarray(img)
    if arr.dtype != np.uint8:
        a = arr.astype(np.float64)
        lo, hi = float(a.min()), float(a.max()) if a.size else (0.0, 0.0)
        arr = ((a - lo) / (hi - lo) * 255 if hi > lo else np.zeros_like(a)).astype(np.uint8)
    if arr.ndim == 3 and arr.shape[2] == 4:
        alpha = arr[:, :, 3:4].astype(np.float32) / 255
        arr = (arr[:, :, :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    elif arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3):
        raise ImageError(f"<array>: expected a 2-D or 3-D image array, got shape {arr.shape}")
    return arr
