"""Synthetic printed pages with known line boxes: columns, headers, titles, pictures, rules, insets, contents pages.

``PageSynthesizer.sample(key)`` is a pure function of its key, like the line
synthesizer, so a benchmark page set can be rebuilt bit for bit. Every text
line's ink box and text are recorded in reading order, which is what line
detection and page-level CER are measured against. Geometric degradations
(rotation, shear, perspective, clipping) are left out so the boxes stay true;
skew is tested separately by rotating a page.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from odia_ocr.synth.corpus import TextSampler
from odia_ocr.synth.degrade import LEVELS, degrade, sample_degradation
from odia_ocr.synth.fonts import FontSpec, font_coverage
from odia_ocr.synth.render import LineRenderer

__all__ = ["PageLine", "PageSynthesizer", "SynthPage", "page_legible", "write_page_dataset"]


def page_legible(mask: np.ndarray, image: np.ndarray, inverted: bool = False, max_confusable: float = 0.03) -> bool:
    """Whether text still stands out from the paper on a degraded page.

    Counts the paper pixels (away from any letter) that are at least as dark as
    the median letter pixel: on a legible page, however noisy, they are rare;
    where uneven light, grain and binarization turned whole regions black,
    they are many, and the text there is gone for any reader.
    """
    if image.shape != mask.shape:
        return True
    text = mask > 127
    if not text.any():
        return True
    paper = cv2.dilate(mask, np.ones((7, 7), np.uint8)) == 0
    grey = 255 - image if inverted else image
    median_text = float(np.median(grey[text]))
    return float((grey[paper] <= median_text).mean()) <= max_confusable

Box = tuple[int, int, int, int]
_ODIA_DIGITS = "୦୧୨୩୪୫୬୭୮୯"


@dataclass
class PageLine:
    """One text line of a page: its ink box, its text and what it is (body, header, title, caption, page-number)."""

    box: Box
    text: str
    role: str = "body"


@dataclass
class SynthPage:
    """A rendered page (uint8 grey), its lines in reading order and the parameters that made it."""

    image: np.ndarray
    lines: list[PageLine]
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Page text: the lines in reading order, one per row."""
        return "\n".join(line.text for line in self.lines)


@dataclass
class _Style:
    """What one page looks like; drawn once per page so all its lines agree."""

    size: int
    pitch: float
    jitter: float
    indent: float
    justify: bool
    paragraph_gap: float


def _outer_box(boxes: Sequence[tuple[float, float, float, float]]) -> Box:
    """The whole-pixel box around glyph boxes given in fractional pixels."""
    return (
        int(np.floor(min(b[0] for b in boxes))), int(np.floor(min(b[1] for b in boxes))),
        int(np.ceil(max(b[2] for b in boxes))), int(np.ceil(max(b[3] for b in boxes))),
    )


class _Canvas:
    """An ink mask (ink = 255) that records the box and text of every line drawn on it."""

    def __init__(self, width: int, height: int) -> None:
        self.image = Image.new("L", (width, height), 0)
        self.draw = ImageDraw.Draw(self.image)
        self.lines: list[PageLine] = []

    def line(
        self, words: Sequence[str], x: float, baseline: float, font: ImageFont.FreeTypeFont, role: str, width: float = 0
    ) -> None:
        """Draw words from ``x`` on ``baseline``; with ``width`` > 0 the gaps stretch to fill it (justified)."""
        lengths = [font.getlength(w) for w in words]
        gap = font.getlength(" ")
        if width > 0 and len(words) > 1:
            gap = max(gap, (width - sum(lengths)) / (len(words) - 1))
        boxes = []
        for word, length in zip(words, lengths, strict=True):
            self.draw.text((x, baseline), word, font=font, fill=255, anchor="ls")
            b = font.getbbox(word, anchor="ls")
            boxes.append((x + b[0], baseline + b[1], x + b[2], baseline + b[3]))
            x += length + gap
        self.lines.append(PageLine(_outer_box(boxes), " ".join(words), role))

    def row(self, cells: Sequence[tuple[str, float]], baseline: float, font: ImageFont.FreeTypeFont, role: str) -> None:
        """Draw a table row, each cell's text from its x, and record it as one line read across."""
        boxes = []
        for text, x in cells:
            self.draw.text((x, baseline), text, font=font, fill=255, anchor="ls")
            b = font.getbbox(text, anchor="ls")
            boxes.append((x + b[0], baseline + b[1], x + b[2], baseline + b[3]))
        self.lines.append(PageLine(_outer_box(boxes), " ".join(text for text, _ in cells), role))


class PageSynthesizer:
    """Lays out and renders whole pages; all randomness comes from the key's generator.

    ``page_size`` is the pixel size of an A4 page at about 150 dpi; each page is
    scaled by a random factor in ``scale`` so resolution and text size vary.
    ``column_weights`` are the odds of one, two and three columns.
    ``table_share`` is the share of pages that hold a table of contents
    (numbered titles with page numbers, in one or two halves) instead of
    prose; at 0 no random number is drawn for it, so prose pages stay the
    same bit for bit. ``inset_share`` is the share of two-column prose pages
    with an inset set across the gutter, as newspapers set a story's picture
    between two short captions: both columns narrow around it, and it is
    read after them. At 0 it, too, draws no random number.
    """

    def __init__(
        self,
        fonts: Sequence[FontSpec],
        texts: TextSampler,
        page_size: tuple[int, int] = (1240, 1754),
        sizes: tuple[int, int] = (18, 40),
        scale: tuple[float, float] = (0.8, 1.3),
        column_weights: tuple[float, float, float] = (0.55, 0.35, 0.1),
        table_share: float = 0.0,
        inset_share: float = 0.0,
    ) -> None:
        if not fonts:
            raise ValueError("no fonts to render with")
        self.fonts = list(fonts)
        self.texts = texts
        self.page_size = page_size
        self.sizes = sizes
        self.scale = scale
        self.column_weights = np.asarray(column_weights, np.float64) / sum(column_weights)
        self.table_share = float(table_share)
        self.inset_share = float(inset_share)
        self.renderer = LineRenderer()
        self._coverage = {f.path: font_coverage(f.path) for f in self.fonts}

    def sample(self, key: Sequence[int], level: str | None = None, font: FontSpec | None = None) -> SynthPage:
        """Render the page identified by ``key``; ``level`` fixes a named degradation level."""
        rng = np.random.default_rng(list(key))
        font = font or self.fonts[int(rng.integers(len(self.fonts)))]
        s = float(rng.uniform(*self.scale))
        width, height = int(self.page_size[0] * s), int(self.page_size[1] * s)
        size = int(rng.integers(self.sizes[0], self.sizes[1] + 1))
        body = self.renderer.font(font, size)
        ascent, descent = body.getmetrics()
        ink_height = max(ascent, 0.95 * size) + max(descent, 0.35 * size)
        style = _Style(
            size=size,
            pitch=ink_height * float(rng.uniform(1.0, 1.6)),
            jitter=float(rng.choice([0.0, rng.uniform(0.02, 0.12)])),
            indent=size * float(rng.choice([0.0, rng.uniform(1, 3)])),
            justify=bool(rng.random() < 0.5),
            paragraph_gap=ink_height * float(rng.choice([0.0, rng.uniform(0.3, 1.0)])),
        )
        canvas = _Canvas(width, height)
        mx, my = width * float(rng.uniform(0.05, 0.1)), height * float(rng.uniform(0.04, 0.08))
        left, right, top, bottom = mx, width - mx, my, height - my
        meta: dict[str, object] = {"font": font.name, "size": size, "page_size": [width, height]}

        if rng.random() < 0.6:  # running header, maybe with a rule under it
            top = self._single_line(canvas, rng, font, int(size * rng.uniform(0.7, 0.9)), left, right, top, "header")
            if rng.random() < 0.5:
                t = int(rng.integers(1, 4))
                canvas.draw.rectangle((left, top + size * 0.2, right, top + size * 0.2 + t - 1), fill=255)
                top += size * 0.2 + t
            top += size * 0.8
        if rng.random() < 0.7:  # page number in the footer
            bottom = self._page_number(canvas, rng, font, int(size * rng.uniform(0.7, 1.0)), left, right, bottom)
            bottom -= size * 0.8
        if rng.random() < 0.35:  # title across all columns
            top = self._single_line(canvas, rng, font, int(size * rng.uniform(1.3, 1.8)), left, right, top, "title")
            top += size * 0.8
        if self.table_share > 0 and rng.random() < self.table_share:
            halves = 2 if (right - left) / 2 >= 14 * size and rng.random() < 0.6 else 1
            gutter = size * float(rng.uniform(1.5, 3.0))
            half_w = (right - left - gutter * (halves - 1)) / halves
            number = int(rng.integers(1, 150))
            page = int(rng.integers(1, 200))
            odia_digits = rng.random() < 0.8
            for c in range(halves):
                x0 = left + c * (half_w + gutter)
                if c and rng.random() < 0.5:
                    gx = int(x0 - gutter / 2)
                    canvas.draw.rectangle((gx, top, gx + int(rng.integers(0, 2)), bottom), fill=255)
                number, page = self._contents(canvas, rng, font, style, x0, x0 + half_w, top, bottom,
                                              number, page, odia_digits)
            meta.update(columns=halves, table=True, pitch=round(style.pitch, 1))
        else:
            columns = int(rng.choice([1, 2, 3], p=self.column_weights))
            if (columns == 3 and size > 28) or (right - left) / columns < 12 * size:
                columns = 2 if (right - left) / 2 >= 12 * size else 1
            gutter = size * float(rng.uniform(1.0, 2.5))
            col_w = (right - left - gutter * (columns - 1)) / columns
            picture_col = int(rng.integers(columns)) if rng.random() < 0.3 else -1
            rule_between = rng.random() < 0.3
            inset = None
            if self.inset_share > 0 and columns == 2 and rng.random() < self.inset_share:
                inset, inset_margin = self._inset_box(rng, style, left + col_w + gutter / 2, right - left, top, bottom)
                picture_col, rule_between = -1, False
            for c in range(columns):
                x0 = left + c * (col_w + gutter)
                if c and rule_between:
                    gx = int(x0 - gutter / 2)
                    canvas.draw.rectangle((gx, top, gx + int(rng.integers(0, 2)), bottom), fill=255)
                self._column(canvas, rng, font, style, x0, x0 + col_w, top, bottom, c == picture_col, inset)
            if inset is not None:
                self._inset(canvas, rng, font, style, inset, inset_margin)
            meta.update(columns=columns, justified=style.justify, pitch=round(style.pitch, 1), inset=inset is not None)

        if level is None:
            strength, level_name = float(rng.choice([0.0, rng.uniform(0, 0.5), rng.uniform(0.3, 1.0)])), "random"
        else:
            strength, level_name = LEVELS[level], level
        mask = np.asarray(canvas.image)
        for _ in range(4):  # rare parameter mixes bury the text: redraw milder, as for lines
            # Paper grain at the scale of a line's grain, not the page's (12 cells across a whole page
            # made blotches several lines tall).
            d = dataclasses.replace(
                sample_degradation(rng, strength), rotate_deg=0.0, shear=0.0, perspective=0.0, clip_top=0.0,
                clip_bottom=0.0, texture_cells=max(12, round(12 * height / (3 * size))),
            )
            image = degrade(mask, d, rng)
            if page_legible(mask, image, d.invert):
                break
            strength *= 0.5
        meta.update(level=level_name, strength=round(strength, 3))
        lines = [ln for ln in canvas.lines if ln.text]
        return SynthPage(image, lines, meta)

    # -- text ---------------------------------------------------------------------------------------------------

    def _draws(self, spec: FontSpec, chars: str) -> bool:
        """Whether ``spec`` has a glyph for every character (Lohit Odia has no Latin digits)."""
        return all(ch in self._coverage[spec.path] for ch in chars)

    def _words(self, rng: np.random.Generator, font: FontSpec, target_len: int) -> list[str]:
        """Words of sampled text that ``font`` can draw, at least about ``target_len`` characters."""
        cov = self._coverage[font.path]
        words: list[str] = []
        for _ in range(50):
            if sum(len(w) + 1 for w in words) >= target_len:
                break
            text = self.texts.sample(rng, int(rng.integers(20, 120)))
            words.extend(w for w in text.split() if all(ch in cov for ch in w))
        return words or ["ଓଡ଼ିଆ"]

    def _single_line(
        self, canvas: _Canvas, rng: np.random.Generator, spec: FontSpec, size: int,
        left: float, right: float, top: float, role: str,
    ) -> float:
        """A one-line header or title, aligned left, centre or right; returns the y below it."""
        font = self.renderer.font(spec, size)
        words = self._words(rng, spec, int(rng.integers(10, 40)))
        words = _fit(words, font, right - left)
        length = font.getlength(" ".join(words))
        align = int(rng.integers(3))
        x = left + (right - left - length) * align / 2
        baseline = top + max(font.getmetrics()[0], size)
        canvas.line(words, x, baseline, font, role)
        return baseline + max(font.getmetrics()[1], 0.35 * size)

    def _page_number(
        self, canvas: _Canvas, rng: np.random.Generator, spec: FontSpec, size: int,
        left: float, right: float, bottom: float,
    ) -> float:
        """A page number centred or at one side of the footer; returns the y above it."""
        font = self.renderer.font(spec, size)
        n = str(int(rng.integers(1, 400)))
        if rng.random() < 0.5 or not self._draws(spec, n):  # a font without Latin digits would draw boxes
            n = n.translate(str.maketrans("0123456789", _ODIA_DIGITS))
        if rng.random() < 0.2 and self._draws(spec, "-"):
            n = f"- {n} -"
        length = font.getlength(n)
        x = left + (right - left - length) * int(rng.integers(3)) / 2
        baseline = bottom - max(font.getmetrics()[1], 0.35 * size)
        canvas.line(n.split(), x, baseline, font, "page-number")
        return baseline - max(font.getmetrics()[0], size)

    def _column(
        self, canvas: _Canvas, rng: np.random.Generator, spec: FontSpec, style: _Style,
        left: float, right: float, top: float, bottom: float, picture: bool,
        avoid: tuple[float, float, float, float] | None = None,
    ) -> None:
        """Fill one column with paragraphs, and a picture with a caption when asked; rows narrow around ``avoid``."""
        font = self.renderer.font(spec, style.size)
        ascent = max(font.getmetrics()[0], style.size)
        if avoid is not None:
            self._column_around(canvas, rng, spec, font, style, left, right, top, bottom, avoid)
            return
        picture_at = top + (bottom - top) * float(rng.uniform(0, 0.6)) if picture else None
        y = top
        while True:
            if picture_at is not None and y >= picture_at:
                y = self._picture(canvas, rng, spec, style, left, right, y, bottom)
                picture_at = None
            words = self._words(rng, spec, int(rng.integers(80, 600)))
            rows = _break_lines(words, font, right - left, style.indent)
            pitch = style.pitch * float(rng.uniform(0.95, 1.08))
            for i, row in enumerate(rows):
                if y + ascent + style.size * 0.5 > bottom:
                    return
                x = left + (style.indent if i == 0 else 0)
                last = i == len(rows) - 1
                width = right - x if style.justify and not last else 0
                canvas.line(row, x, y + ascent, font, "body", width)
                y += pitch * (1 + float(rng.uniform(-style.jitter, style.jitter)))
            y += style.paragraph_gap

    def _column_around(
        self, canvas: _Canvas, rng: np.random.Generator, spec: FontSpec, font: ImageFont.FreeTypeFont, style: _Style,
        left: float, right: float, top: float, bottom: float, avoid: tuple[float, float, float, float],
    ) -> None:
        """Fill a column whose rows beside ``avoid`` end before it (left column) or start after it (right one)."""
        ascent = max(font.getmetrics()[0], style.size)
        descent = max(font.getmetrics()[1], 0.35 * style.size)
        on_left = (left + right) / 2 < (avoid[0] + avoid[2]) / 2
        y = top
        while True:
            words = self._words(rng, spec, int(rng.integers(80, 600)))
            pitch = style.pitch * float(rng.uniform(0.95, 1.08))
            first = True
            while words:
                if y + ascent + style.size * 0.5 > bottom:
                    return
                x0, x1 = left, right
                if y + ascent + descent > avoid[1] and y < avoid[3]:
                    x0, x1 = (left, min(right, avoid[0])) if on_left else (max(left, avoid[2]), right)
                indent = style.indent if first else 0.0
                fitted = _break_lines(words, font, x1 - x0, indent)
                if not fitted:
                    return
                row = fitted[0]
                words = words[_consumed(words, row):]
                x = x0 + indent
                canvas.line(row, x, y + ascent, font, "body", x1 - x if style.justify and words else 0)
                y += pitch * (1 + float(rng.uniform(-style.jitter, style.jitter)))
                first = False
            y += style.paragraph_gap

    def _inset_box(
        self, rng: np.random.Generator, style: _Style, centre: float, text_width: float, top: float, bottom: float,
    ) -> tuple[tuple[float, float, float, float], float]:
        """Where an inset goes: centred on the gutter, a third of the text width, in the upper middle of the page.

        Returns the box, which includes the white margin that the columns keep
        from the inset's content (0.8 to 1.5 em, as a compositor leaves it), and that margin.
        """
        w = text_width * float(rng.uniform(0.26, 0.38))
        h = style.pitch * float(rng.uniform(6, 11))
        y0 = top + (bottom - top - h) * float(rng.uniform(0.15, 0.6))
        margin = style.size * float(rng.uniform(0.8, 1.5))
        return (centre - w / 2 - margin, y0 - margin, centre + w / 2 + margin, y0 + h + margin), margin

    def _inset(
        self, canvas: _Canvas, rng: np.random.Generator, spec: FontSpec, style: _Style,
        box: tuple[float, float, float, float], margin: float,
    ) -> None:
        """A caption, a picture and maybe a second caption inside ``box`` (less its margin), maybe framed."""
        left, top, right, bottom = box[0] + margin, box[1] + margin, box[2] - margin, box[3] - margin
        if rng.random() < 0.5:
            margin = style.size * 0.5
            canvas.draw.rectangle((int(left), int(top), int(right), int(bottom)), outline=255,
                                  width=int(rng.integers(1, 3)))
            left, top, right, bottom = left + margin, top + margin, right - margin, bottom - margin
        size = int(style.size * rng.uniform(0.9, 1.2))
        y = self._single_line(canvas, rng, spec, size, left, right, top, "inset")
        second = rng.random() < 0.6
        reserve = size * 1.6 if second else 0.0
        start = y + style.size * 0.4
        y = self._picture(canvas, rng, spec, style, left, right, start, bottom - reserve, caption=False)
        if second and y > start:  # under the picture, when there was room for one
            self._single_line(canvas, rng, spec, size, left, right, y - style.pitch + style.size * 0.2, "inset")

    def _contents(
        self, canvas: _Canvas, rng: np.random.Generator, spec: FontSpec, style: _Style,
        left: float, right: float, top: float, bottom: float, number: int, page: int, odia_digits: bool,
    ) -> tuple[int, int]:
        """Fill one half of a contents page: "12 । title    34" rows; returns the next number and page.

        Numbers are right-aligned before a danda (or a full stop), titles start
        in one column after them, page numbers are right-aligned at the edge;
        a long title wraps under itself with its page number on the last row.
        """
        font = self.renderer.font(spec, style.size)
        ascent = max(font.getmetrics()[0], style.size)
        odia_digits = odia_digits or not self._draws(spec, "0123456789")
        digits = str.maketrans("0123456789", _ODIA_DIGITS) if odia_digits else str.maketrans("", "")
        space = font.getlength(" ")
        mark = "।" if rng.random() < 0.7 or not self._draws(spec, ".") else "."
        number_end = left + font.getlength(str(number + 60).translate(digits))
        title_x = number_end + 2 * space + (font.getlength(mark) if mark == "।" else 0)
        title_w = right - title_x - font.getlength("000") - 2 * space
        y = top
        if rng.random() < 0.5:  # a heading row over the columns
            head = ["ବିଷୟ", "ପୃଷ୍ଠା" if rng.random() < 0.5 else "ପୃଷ୍ଠାଙ୍କ"]
            canvas.row([(head[0], title_x), (head[1], right - font.getlength(head[1]))], y + ascent, font, "header")
            y += style.pitch * 1.3
        while y + ascent + style.size * 0.5 <= bottom:
            target = int(rng.integers(4, 32))  # characters: titles are short, a few wrap
            pool = self._words(rng, spec, target)
            words = [w for i, w in enumerate(pool) if len(" ".join(pool[: i + 1])) <= target] or pool[:1]
            rows = _break_lines(words, font, title_w, 0.0) or [words]
            if len(rows) > 2 or y + ascent + style.pitch * (len(rows) - 1) + style.size * 0.5 > bottom:
                rows = [rows[0]]
            num = str(number).translate(digits)
            label = [(num + mark, number_end - font.getlength(num))] if mark == "." else [
                (num, number_end - font.getlength(num)), (mark, number_end + space)]
            for i, r in enumerate(rows):
                cells = (label if i == 0 else []) + [(" ".join(r), title_x)]
                if i == len(rows) - 1:
                    p = str(page).translate(digits)
                    cells.append((p, right - font.getlength(p)))
                canvas.row(cells, y + ascent, font, "body")
                y += style.pitch * (1 + float(rng.uniform(-style.jitter, style.jitter)))
            number += 1
            page += int(rng.integers(1, 12))
        return number, page

    def _picture(
        self, canvas: _Canvas, rng: np.random.Generator, spec: FontSpec, style: _Style,
        left: float, right: float, top: float, bottom: float, caption: bool = True,
    ) -> float:
        """A grey photo-like box (smooth shading plus shapes) and maybe a caption; returns the y below.

        With ``caption`` False (an inset's picture) it fills the height it is given and never draws a caption.
        """
        w = int(right - left)
        h = int(min(w * rng.uniform(0.4, 0.8), (bottom - top) * 0.6)) if caption else int(bottom - top)
        if h < style.size * 2:
            return top
        coarse = rng.uniform(0, 1, (4, 4)).astype(np.float32)
        shade = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
        photo = Image.fromarray((np.clip(shade, 0, 1) * 200 + 20).astype(np.uint8))
        draw = ImageDraw.Draw(photo)
        for _ in range(int(rng.integers(2, 8))):
            x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
            x1, y1 = x0 + int(rng.integers(10, w // 2 + 11)), y0 + int(rng.integers(10, h // 2 + 11))
            draw.ellipse((x0, y0, x1, y1), fill=int(rng.integers(0, 256)))
        canvas.image.paste(photo, (int(left), int(top)))
        y = top + h + style.size * 0.5
        if caption and rng.random() < 0.6:
            size = int(style.size * rng.uniform(0.7, 0.9))
            y = self._single_line(canvas, rng, spec, size, left, right, y, "caption")
        return y + style.pitch


def _fit(words: list[str], font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """The leading words that fit in ``width`` (at least one)."""
    out: list[str] = []
    for w in words:
        if out and font.getlength(" ".join([*out, w])) > width:
            break
        out.append(w)
    return out


def _consumed(words: list[str], row: list[str]) -> int:
    """How many of ``words`` a row taken greedily from their start used up, words dropped as too wide included.

    A dropped word cannot equal a word of the row: both were measured against the same width.
    """
    matched = 0
    for k, w in enumerate(words):
        if w == row[matched]:
            matched += 1
            if matched == len(row):
                return k + 1
    return len(words)


def _break_lines(words: list[str], font: ImageFont.FreeTypeFont, width: float, indent: float) -> list[list[str]]:
    """Greedy line breaking; a word wider than the column is dropped."""
    space = font.getlength(" ")
    rows: list[list[str]] = []
    row: list[str] = []
    used = indent
    for w in words:
        length = font.getlength(w)
        if length > width - indent:
            continue
        if row and used + space + length > width:
            rows.append(row)
            row, used = [], 0.0
        used += (space if row else 0) + length
        row.append(w)
    if row:
        rows.append(row)
    return rows


def write_page_dataset(
    out_dir: str | Path, pages: Iterable[tuple[str, SynthPage]], split: str, source: str = "synth-pages"
) -> int:
    """Write pages in the standard dataset format; returns how many were written.

    ``out_dir`` gets ``images/<id>.png`` and ``manifest.jsonl`` with one object
    per page: id, image, text (lines joined by newlines), source, split,
    lines (box and text of each line, in reading order) and meta.
    """
    out = Path(out_dir)
    (out / "images").mkdir(parents=True, exist_ok=True)
    n = 0
    with (out / "manifest.jsonl").open("a", encoding="utf-8") as manifest:
        for page_id, page in pages:
            rel = f"images/{page_id}.png"
            Image.fromarray(page.image).save(out / rel, optimize=False, compress_level=1)
            record = {
                "id": page_id, "image": rel, "text": page.text, "source": source, "split": split,
                "lines": [{"box": list(ln.box), "text": ln.text, "role": ln.role} for ln in page.lines],
                "meta": page.meta,
            }
            manifest.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_pages(
    fonts: Sequence[FontSpec],
    sentences: Sequence[str],
    out_dir: str | Path,
    count: int,
    seed: int = 0,
    level: str | None = "random",
    source: str = "synth-pages",
    split: str = "train",
    words: Sequence[str] = (),
    table_share: float = 0.0,
    inset_share: float = 0.0,
) -> int:
    """Render ``count`` pages (page ``i`` from key ``(seed, i)``) into a fresh standard-format dataset.

    ``level`` is a named degradation level, or "random"/None for strengths
    drawn per page. ``table_share`` and ``inset_share`` are the
    :class:`PageSynthesizer` options (contents pages; insets across the gutter
    of two-column pages). Returns the number of pages written.
    """
    out = Path(out_dir)
    manifest = out / "manifest.jsonl"
    if manifest.exists():
        manifest.unlink()
    synth = PageSynthesizer(fonts, TextSampler(list(sentences), list(words)), table_share=table_share,
                            inset_share=inset_share)
    fixed = None if level in (None, "random") else level
    pages = ((f"page-{seed}-{i:05d}", synth.sample((seed, i), level=fixed)) for i in range(count))
    return write_page_dataset(out, pages, split, source)
