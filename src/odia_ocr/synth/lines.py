"""Synthetic line samples: text + font + size + spacing + degradation, from one seed.

``LineSynthesizer.sample(key)`` is a pure function of its key, so training can
resume at any sample index and a benchmark set can be rebuilt bit for bit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from odia_ocr.recognizer.preprocess import prepare_line
from odia_ocr.synth.corpus import TextSampler
from odia_ocr.synth.degrade import LEVELS, Degradation, degrade, sample_degradation
from odia_ocr.synth.fonts import FontSpec, font_coverage
from odia_ocr.synth.letterpress import apply_letterpress, sample_letterpress
from odia_ocr.synth.render import DIGIT_CLASS, LineRenderer
from odia_ocr.synth.spacing import perturb_spaces
from odia_ocr.synth.style import sample_style, vary_style

__all__ = ["FIGURE_SPACING_RANGE", "FONT_SAMPLING", "STRENGTH_BANDS", "WORD_SPACING_RANGE", "LineSynthesizer",
           "SynthLine", "check_strength_weights", "ink_crop", "legible"]


def ink_crop(mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Crop a rendered line to its ink and pad it by a random margin, as a line detector's box would.

    Renders are as tall as the font's ascent and descent, whatever letters the
    line holds; a detector's box fits the ink, so on a page a line without tall
    signs or subscripts comes out shorter and its letters larger. Training on
    both teaches the model that letter scale.
    """
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if not len(rows):
        return mask
    ink = mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h = ink.shape[0]
    top, bottom = (round(h * float(rng.uniform(0.02, 0.35))) for _ in range(2))
    left, right = (round(h * float(rng.uniform(0.05, 0.5))) for _ in range(2))
    return np.pad(ink, ((top, bottom), (left, right)))


def legible(mask: np.ndarray, image: np.ndarray, height: int = 32) -> bool:
    """Whether a degraded line still shows roughly the ink of its clean render, at model resolution.

    Too little ink means the text was erased; far too much means it drowned in blobs or noise.
    """
    clean = (prepare_line(255 - mask, height) > 0.5).sum()
    seen = (prepare_line(image, height) > 0.5).sum()
    return bool(0.35 * clean <= seen <= 3.5 * clean)


@dataclass
class SynthLine:
    """One rendered sample and what made it, for per-group evaluation."""

    image: np.ndarray  # uint8 grey
    text: str
    font: str
    level: str
    size: int
    meta: dict[str, object] = field(default_factory=dict)


#: Scale of word spaces drawn for lines with word-spacing variation: from tight setting to loose justification.
WORD_SPACING_RANGE = (0.5, 1.8)

#: Extra space between the digits of a number, in ems, for lines with figure spacing. Fonts with tabular figures
#: set a narrow digit in a wide digit's advance: utkal's digits stand 0.1-0.27 em apart, Noto Sans's 0.02-0.09 em,
#: so gaps inside numbers can be as wide as another font's word space.
FIGURE_SPACING_RANGE = (0.05, 0.25)

#: Two digits in a row (Odia or ASCII): a number whose digits figure spacing can set apart.
_NUMBER = re.compile(DIGIT_CLASS + "{2}")

#: Training strength bands (clean, light, up to strong, past strong); one is drawn per line, then a strength in it.
STRENGTH_BANDS: tuple[tuple[float, float], ...] = ((0.0, 0.0), (0.0, 0.5), (0.3, 1.0), (0.7, 1.3))


def check_strength_weights(weights: Sequence[float]) -> None:
    """Raise ValueError unless ``weights`` gives each of STRENGTH_BANDS a non-negative weight, not all zero."""
    if len(weights) != len(STRENGTH_BANDS) or min(weights) < 0 or sum(weights) <= 0:
        raise ValueError(f"strength_weights must be {len(STRENGTH_BANDS)} non-negative weights, not all zero "
                         f"(got {list(weights)})")


#: How LineSynthesizer draws a line's font: every style equally often, or every family (typeface design).
FONT_SAMPLING = ("style", "family")
#: Texts drawn at most for a family drawn first before any font that covers the text is taken instead.
_TEXT_DRAWS = 8


class LineSynthesizer:
    """Draws complete line samples; all randomness comes from the key's generator."""

    def __init__(
        self,
        fonts: Sequence[FontSpec],
        texts: TextSampler,
        sizes: tuple[int, int] = (18, 40),
        p_letter_spacing: float = 0.08,
        style_jitter: float = 0.0,
        p_ink_crop: float = 0.0,
        p_space_jitter: float = 0.0,
        strength_weights: Sequence[float] | None = None,
        p_word_spacing: float = 0.0,
        p_letterpress: float = 0.0,
        p_figure_spacing: float = 0.0,
        font_sampling: str = "style",
        p_binarize: float = 0.0,
    ) -> None:
        """``font_sampling``: "style" draws each of ``fonts`` equally often (a family of 20 styles 20 times as
        often as a family of one); "family" draws a family first, then one of its styles, so that every
        typeface design is seen equally often."""
        if not fonts:
            raise ValueError("no fonts to render with")
        if font_sampling not in FONT_SAMPLING:
            raise ValueError(f"font_sampling must be one of {', '.join(FONT_SAMPLING)}, not {font_sampling!r}")
        if strength_weights is not None:
            check_strength_weights(strength_weights)
        self.fonts = list(fonts)
        self.texts = texts
        self.sizes = sizes
        self.p_letter_spacing = p_letter_spacing
        self.style_jitter = style_jitter  # 0 keeps fonts as designed (benchmarks); training varies them
        self.p_ink_crop = p_ink_crop  # share of lines cropped to their ink, as page line detectors crop
        self.p_space_jitter = p_space_jitter  # share of sampled texts with words split or joined (synth/spacing.py)
        self.p_word_spacing = p_word_spacing  # share of lines whose word spaces are narrowed or widened
        self.p_letterpress = p_letterpress  # share of lines printed as by letterpress (synth/letterpress.py)
        self.p_figure_spacing = p_figure_spacing  # share of lines with a number whose digits are set apart
        # Share of degraded lines also binarized, as bitonal scans are, on top of the strength's own chance.
        self.p_binarize = p_binarize
        # Relative frequency of each training strength band (STRENGTH_BANDS); None: all equal.
        self.strength_p = None
        if strength_weights is not None:
            self.strength_p = np.asarray(strength_weights, float) / sum(strength_weights)
        self.renderer = LineRenderer()
        self._coverage = {f.path: font_coverage(f.path) | {" "} for f in self.fonts}
        self.font_sampling = font_sampling
        self._families: dict[str, list[FontSpec]] = {}
        for f in self.fonts:
            self._families.setdefault(f.family, []).append(f)

    def _degradation(self, rng: np.random.Generator, strength: float) -> Degradation:
        """A strength's degradation, binarized more often when ``p_binarize`` asks (drawn only then, so that
        recipes and benchmarks without it render exactly as before)."""
        d = sample_degradation(rng, strength)
        if self.p_binarize > 0 and strength > 0 and not d.binarize and rng.random() < self.p_binarize:
            d = replace(d, binarize=True)
        return d

    @property
    def families(self) -> dict[str, tuple[FontSpec, ...]]:
        """The fonts grouped by family (typeface design), in the order first met.

        A fresh copy: the synthesizer draws from its own grouping, which a
        caller must not be able to change behind its back.
        """
        return {name: tuple(styles) for name, styles in self._families.items()}

    def covers(self, font: FontSpec, text: str) -> bool:
        """True when ``font`` has a glyph for every character of ``text``."""
        cov = self._coverage.get(font.path) or font_coverage(font.path)
        return all(c in cov for c in text)

    def _pick_font(self, rng: np.random.Generator, text: str, family: Sequence[FontSpec] = ()) -> tuple[FontSpec, str]:
        """A style of ``family`` that renders all of ``text``, else any font that does, and the text.

        When no font covers the text, the first font drawn renders the characters it has.
        """
        styles = [f for f in family if self.covers(f, text)]
        if styles:
            return styles[int(rng.integers(len(styles)))], text
        order = rng.permutation(len(self.fonts))
        found = next((self.fonts[i] for i in order if self.covers(self.fonts[i], text)), None)
        if found is not None:
            return found, text
        font = self.fonts[order[0]]
        return font, "".join(c for c in text if self.covers(font, c)).strip() or "ଓଡ଼ିଆ"

    def sample(
        self,
        key: Sequence[int],
        target_len: int | None = None,
        level: str | None = None,
        text: str | None = None,
        font: FontSpec | None = None,
    ) -> SynthLine:
        """Render the sample identified by ``key``.

        ``level`` fixes a named degradation level (benchmarks); without it the
        strength is drawn continuously, reaching a bit past 'strong' (training).
        """
        rng = np.random.default_rng(list(key))
        if target_len is None:
            target_len = int(rng.integers(4, 48))
        family: list[FontSpec] = []
        if font is None and self.font_sampling == "family":
            names = list(self._families)
            family = self._families[names[int(rng.integers(len(names)))]]
        if text is None:
            # A family drawn first gets a text it can render (a few draws at most): some fonts lack the danda,
            # digits or Latin letters, and moving on to another family would leave them rarely drawn again.
            for _ in range(_TEXT_DRAWS if family else 1):
                text = self.texts.sample(rng, target_len)
                if self.p_space_jitter > 0 and rng.random() < self.p_space_jitter:
                    text = perturb_spaces(text, rng, edits=int(rng.integers(1, 3)))
                if any(self.covers(f, text) for f in family):
                    break
        assert text is not None
        if font is None:
            font, text = self._pick_font(rng, text, family)
        size = int(rng.integers(self.sizes[0], self.sizes[1] + 1))
        spacing = float(rng.uniform(0.05, 0.4)) if rng.random() < self.p_letter_spacing else 0.0
        if level is None:
            bands = [rng.uniform(lo, hi) if hi > lo else lo for lo, hi in STRENGTH_BANDS]
            strength = float(rng.choice(bands) if self.strength_p is None else rng.choice(bands, p=self.strength_p))
            level_name = "random"
        else:
            strength, level_name = LEVELS[level], level
        word_spacing = 1.0
        if self.p_word_spacing > 0 and rng.random() < self.p_word_spacing:
            word_spacing = float(rng.uniform(*WORD_SPACING_RANGE))
        figure_spacing = 0.0
        # Drawn only for lines with a number, and only when enabled, so other recipes render as before.
        if self.p_figure_spacing > 0 and _NUMBER.search(text) and rng.random() < self.p_figure_spacing:
            figure_spacing = float(rng.uniform(*FIGURE_SPACING_RANGE))
        mask = self.renderer.render(text, font, size, spacing, word_spacing, figure_spacing)
        meta: dict[str, object] = {"letter_spacing": spacing}
        if word_spacing != 1.0:
            meta["word_spacing"] = word_spacing
        if figure_spacing:
            meta["figure_spacing"] = figure_spacing
        if self.style_jitter > 0:
            style = sample_style(rng, self.style_jitter)
            mask = vary_style(mask, style, rng)
            meta["style"] = style.to_dict()
        if self.p_ink_crop > 0 and rng.random() < self.p_ink_crop:
            mask = ink_crop(mask, rng)
            meta["ink_crop"] = True
        # Drawn only when enabled, so recipes and benchmarks without it render exactly as before.
        if self.p_letterpress > 0 and rng.random() < self.p_letterpress:
            lp = sample_letterpress(rng)
            mask = apply_letterpress(mask, lp, rng)
            meta["letterpress"] = lp.to_dict()
        deg = self._degradation(rng, strength)
        img = degrade(mask, deg, rng)
        for _ in range(3):  # rare parameter mixes leave the text illegible: redraw milder
            if legible(mask, img):
                break
            strength *= 0.5
            deg = self._degradation(rng, strength)
            img = degrade(mask, deg, rng)
        meta["strength"] = strength
        meta["degradation"] = deg.to_dict()  # what the image went through, for error analysis by artefact
        return SynthLine(img, text, font.name, level_name, size, meta)
