"""Image sizes for Qwen2.5-VL: how many image tokens an image becomes, and resizing to a token budget.

The processor turns an image of H×W pixels (multiples of ``factor`` =
patch size × merge size, 28 for Qwen2.5-VL) into (H/28)·(W/28) image tokens.
We resize every image to such a size ourselves, inside the pixel bounds, so
the count is known before the processor runs: the collator can then check a
sample's whole length and never has to cut into its image tokens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

__all__ = ["FittedImage", "fit_image", "target_size"]


@dataclass(frozen=True)
class FittedImage:
    image: Image.Image  # RGB, height and width multiples of the factor
    tokens: int  # image tokens it becomes
    padded: bool  # white margins were added to bring an extreme aspect ratio within bounds


def target_size(height: int, width: int, factor: int, min_pixels: int, max_pixels: int) -> tuple[int, int]:
    """(height, width): multiples of ``factor``, area within [min_pixels, max_pixels], aspect kept closely.

    Same rule as the Qwen2-VL processor's ``smart_resize``, plus a last
    step that guarantees the upper bound for very thin images, where rounding
    a side up to one factor would otherwise overshoot it.
    """
    if height < 1 or width < 1:
        raise ValueError(f"image has no pixels ({width}x{height})")
    if max_pixels < factor * factor:
        raise ValueError(f"max_pixels {max_pixels} is below one image token ({factor}x{factor} pixels)")
    h = max(factor, round(height / factor) * factor)
    w = max(factor, round(width / factor) * factor)
    if h * w > max_pixels:
        beta = math.sqrt(height * width / max_pixels)
        h = max(factor, math.floor(height / beta / factor) * factor)
        w = max(factor, math.floor(width / beta / factor) * factor)
    elif h * w < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h = math.ceil(height * beta / factor) * factor
        w = math.ceil(width * beta / factor) * factor
    while h * w > max_pixels:  # only thin images get here: shrink the long side
        if h >= w:
            h -= factor
        else:
            w -= factor
    return h, w


def _pad_to_aspect(img: Image.Image, max_aspect: float) -> tuple[Image.Image, bool]:
    w, h = img.size
    if max(w, h) <= max_aspect * min(w, h):
        return img, False
    new_w = w if w >= h else math.ceil(h / max_aspect)
    new_h = h if h > w else math.ceil(w / max_aspect)
    canvas = Image.new("RGB", (new_w, new_h), (255, 255, 255))
    canvas.paste(img, ((new_w - w) // 2, (new_h - h) // 2))
    return canvas, True


def fit_image(
    img: Image.Image, factor: int, min_pixels: int, max_pixels: int, max_aspect: float = 100.0
) -> FittedImage:
    """``img`` as RGB, padded to ``max_aspect`` if needed and resized to :func:`target_size`."""
    rgb = img if img.mode == "RGB" else img.convert("RGB")
    rgb, padded = _pad_to_aspect(rgb, max_aspect)
    h, w = target_size(rgb.height, rgb.width, factor, min_pixels, max_pixels)
    if (w, h) != rgb.size:
        rgb = rgb.resize((w, h), Image.Resampling.BICUBIC)
    return FittedImage(rgb, (h // factor) * (w // factor), padded)
