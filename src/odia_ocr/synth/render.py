"""Render Odia text lines with real fonts and correct shaping (Pillow + raqm).

raqm runs HarfBuzz, which forms Odia conjuncts, reph and two-part vowels; the
basic layout does not, so this module refuses to run without raqm rather than
produce silently wrong training data.
"""

from __future__ import annotations

import re

import numpy as np
from PIL import Image, ImageDraw, ImageFont, features

from odia_ocr.synth.fonts import FontSpec
from odia_ocr.text import aksharas

__all__ = ["DIGIT_CLASS", "MIN_WORD_GAP_EM", "LineRenderer", "require_raqm"]

#: Narrowest word space that `render` draws when it scales spaces, in ems.
MIN_WORD_GAP_EM = 0.12

_AXIS_NAMES = {"wght": b"Weight", "wdth": b"Width"}

#: One Odia or ASCII digit, as a regular-expression class (figure spacing widens the gaps between them).
DIGIT_CLASS = r"[0-9\u0b66-\u0b6f]"

#: Runs of digits (kept as separators by ``re.split``).
_DIGIT_RUN = re.compile(f"({DIGIT_CLASS}+)")


def _is_digit(part: str) -> bool:
    return len(part) == 1 and _DIGIT_RUN.fullmatch(part) is not None


def require_raqm() -> None:
    """Fail early with a clear message when Pillow lacks complex-script shaping."""
    if not features.check("raqm"):
        raise RuntimeError("Pillow was built without raqm: Odia conjuncts would render wrongly. Install Pillow wheels.")


class LineRenderer:
    """Renders one text line to a white-on-black uint8 mask (ink = 255).

    Fonts are loaded once per (style, size) and cached on the instance, because
    loading a font costs far more than drawing a line.
    """

    def __init__(self) -> None:
        require_raqm()
        self._fonts: dict[tuple[FontSpec, int], ImageFont.FreeTypeFont] = {}

    def font(self, spec: FontSpec, size: int) -> ImageFont.FreeTypeFont:
        key = (spec, size)
        f = self._fonts.get(key)
        if f is None:
            f = ImageFont.truetype(spec.path, size, layout_engine=ImageFont.Layout.RAQM)
            if spec.axes:
                wanted = dict(spec.axes)
                values = []
                for axis in f.get_variation_axes():
                    tag = next((t for t, n in _AXIS_NAMES.items() if n == axis["name"]), None)
                    values.append(wanted.get(tag, axis["default"]) if tag else axis["default"])
                f.set_variation_by_axes(values)
            self._fonts[key] = f
        return f

    def render(self, text: str, spec: FontSpec, size: int, letter_spacing: float = 0.0,
               word_spacing: float = 1.0, figure_spacing: float = 0.0) -> np.ndarray:
        """Mask of ``text`` with a margin of ~¼ line height; letter_spacing is in ems.

        ``word_spacing`` scales the font's own word spaces: fonts differ widely
        in space width, and justified or tightly set text moves spaces further,
        so a model must read word breaks from gaps of many widths.

        ``figure_spacing`` (ems) widens the gaps inside numbers only, as fonts
        with tabular figures set them (a narrow "୧" keeps a wide digit's
        advance): a model must not read a gap inside a number as a word break.

        The image height follows the font's ascent and descent (or the ink, when
        it reaches further), so lines of one font and size share a baseline and
        height whatever letters they hold: as a line crop from a page would.
        """
        font = self.font(spec, size)
        ascent, descent = font.getmetrics()
        if letter_spacing > 0:
            parts = aksharas(text, keep_spaces=True)
            gap = letter_spacing * size
        elif word_spacing != 1.0 or figure_spacing > 0:
            parts, gap = [p for p in re.split(r"( +)", text) if p], 0.0
        else:
            parts, gap = [text], 0.0
        if figure_spacing > 0:
            parts = [q for p in parts for q in _DIGIT_RUN.split(p) if q]
            parts = [d for p in parts for d in (list(p) if _DIGIT_RUN.fullmatch(p) else [p])]
        # Positions of each part along the baseline.
        xs, x = [], 0.0
        for i, p in enumerate(parts):
            xs.append(x)
            advance = font.getlength(p)
            if p.isspace() and word_spacing != 1.0:
                # Never narrower than MIN_WORD_GAP_EM: below that no reader sees a word break.
                advance = max(advance * word_spacing, MIN_WORD_GAP_EM * size * len(p))
            x += advance + gap
            if figure_spacing > 0 and i + 1 < len(parts) and _is_digit(p) and _is_digit(parts[i + 1]):
                x += figure_spacing * size
        left, top, right, bottom = 0, -ascent, int(np.ceil(x)), descent
        for p, px in zip(parts, xs, strict=True):
            if p.isspace():
                continue
            b = font.getbbox(p, anchor="ls")
            left, top = min(left, int(px) + b[0]), min(top, b[1])
            right, bottom = max(right, int(px) + b[2]), max(bottom, b[3])
        margin = max(2, size // 4)
        w, h = right - left + 2 * margin, bottom - top + 2 * margin
        img = Image.new("L", (max(w, 1), max(h, 1)), 0)
        draw = ImageDraw.Draw(img)
        for p, px in zip(parts, xs, strict=True):
            if not p.isspace():
                draw.text((px - left + margin, -top + margin), p, font=font, fill=255, anchor="ls")
        return np.asarray(img)
