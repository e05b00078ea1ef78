"""Odia font discovery: which fonts exist here, their styles and their licenses.

Fonts come from the folders a user names plus Debian's Odia font packages. Each
font is a :class:`FontSpec`; variable fonts expand into several named styles so
weight and width vary in synthetic data.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont

__all__ = [
    "DEFAULT_HELDOUT_FAMILIES", "SYSTEM_FONT_FILES", "FontSpec", "discover_fonts", "font_coverage", "split_fonts",
]

#: Debian's Odia fonts (fonts-noto-core, fonts-lohit-orya, fonts-samyak-orya, fonts-orya-extra).
SYSTEM_FONT_FILES: dict[str, tuple[str, str]] = {
    "/usr/share/fonts/truetype/noto/NotoSansOriya-Regular.ttf": ("noto-sans-oriya-2.000", "OFL-1.1"),
    "/usr/share/fonts/truetype/noto/NotoSansOriya-Bold.ttf": ("noto-sans-oriya-2.000", "OFL-1.1"),
    "/usr/share/fonts/truetype/lohit-oriya/Lohit-Odia.ttf": ("lohit-odia", "OFL-1.1"),
    "/usr/share/fonts/truetype/samyak-fonts/Samyak-Oriya.ttf": ("samyak-oriya", "GPL-3.0-with-font-exception"),
    "/usr/share/fonts/truetype/fonts-orya-extra/utkal.ttf": ("utkal", "GPL-2.0"),
}

#: Families kept out of training so benchmarks measure generalization to unseen type.
DEFAULT_HELDOUT_FAMILIES: tuple[str, ...] = ("lohit-odia",)

# GNU FreeSerif claims Odia but renders conjuncts with visible halants.
_BROKEN = ("freeserif", "freesans", "freemono")

# Named instances for variable fonts: (label, {axis: value}).
_VARIABLE_INSTANCES: dict[str, list[tuple[str, dict[str, float]]]] = {
    "wdth,wght": [
        ("Light", {"wdth": 100, "wght": 300}),
        ("Regular", {"wdth": 100, "wght": 400}),
        ("SemiBold", {"wdth": 100, "wght": 600}),
        ("Bold", {"wdth": 100, "wght": 700}),
        ("CondensedRegular", {"wdth": 75, "wght": 400}),
        ("CondensedBold", {"wdth": 75, "wght": 700}),
        ("ExpandedRegular", {"wdth": 125, "wght": 400}),
        ("ExpandedMedium", {"wdth": 112, "wght": 500}),
    ],
    "wght": [
        ("Light", {"wght": 300}),
        ("Regular", {"wght": 400}),
        ("SemiBold", {"wght": 600}),
        ("Bold", {"wght": 700}),
    ],
}


@dataclass(frozen=True)
class FontSpec:
    """One renderable style: a font file plus, for a variable font, axis values."""

    path: str
    family: str
    style: str
    license: str
    axes: tuple[tuple[str, float], ...] = ()

    @property
    def name(self) -> str:
        return f"{self.family}/{self.style}"


def font_coverage(path: str) -> frozenset[str]:
    """Characters the font maps to a glyph (from its cmap): a line is rendered
    only with a font that covers it, so no tofu boxes reach training data."""
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # noisy about harmless cmap quirks
    with TTFont(path, lazy=True) as f:
        cmap = f.getBestCmap() or {}
    return frozenset(chr(cp) for cp in cmap)


def _license_near(path: Path) -> str:
    for name in ("OFL.txt", "LICENSE", "LICENSE.txt"):
        if (path.parent / name).exists():
            return "OFL-1.1" if name == "OFL.txt" else f"see {path.parent / name}"
    return "unknown"


def _specs_for_file(path: Path, family: str, license_: str) -> list[FontSpec]:
    stem = path.stem
    if "[" in stem:
        axes_key = stem[stem.index("[") + 1 : stem.index("]")]
        instances = _VARIABLE_INSTANCES.get(axes_key, [])
        return [
            FontSpec(str(path), family, f"var-{label}", license_, tuple(sorted(axes.items())))
            for label, axes in instances
        ]
    style = stem.split("-", 1)[1] if "-" in stem else "Regular"
    return [FontSpec(str(path), family, style, license_)]


def discover_fonts(dirs: Iterable[str | os.PathLike[str]] = (), include_system: bool = True) -> list[FontSpec]:
    """All Odia font styles under ``dirs`` (one family per sub-folder) plus Debian's.

    A folder's name is its family name; the license is read from the OFL.txt
    or LICENSE file next to the font.
    """
    specs: list[FontSpec] = []
    for d in dirs:
        root = Path(d)
        if not root.is_dir():
            raise FileNotFoundError(f"{root}: font folder not found")
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() not in (".ttf", ".otf") or any(b in path.name.lower() for b in _BROKEN):
                continue
            family = path.parent.name if path.parent != root else path.stem.split("-")[0].lower()
            specs.extend(_specs_for_file(path, family, _license_near(path)))
    if include_system:
        for file, (family, license_) in SYSTEM_FONT_FILES.items():
            if Path(file).exists():
                specs.extend(_specs_for_file(Path(file), family, license_))
    return specs


def split_fonts(
    fonts: Sequence[FontSpec], heldout_families: Sequence[str] = DEFAULT_HELDOUT_FAMILIES
) -> tuple[list[FontSpec], list[FontSpec]]:
    """(training fonts, held-out fonts) by family name."""
    train = [f for f in fonts if f.family not in heldout_families]
    held = [f for f in fonts if f.family in heldout_families]
    return train, held
