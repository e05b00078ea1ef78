"""Training configuration: one dataclass, loaded from a JSON/TOML file plus CLI overrides.

The resolved config is stored in every checkpoint and model file, so a model
always says how it was made.
"""

from __future__ import annotations

import json
import typing
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from odia_ocr.configfile import load_config_file

__all__ = ["TrainConfig", "apply_overrides", "check_device_name", "load_config"]


@dataclass
class TrainConfig:
    """All knobs of `odia-ocr train`; defaults are the recipe of the shipped model."""

    out_dir: str = "runs/default"
    seed: int = 0
    # data
    font_dirs: list[str] = field(default_factory=lambda: ["../shared/data/fonts"])
    heldout_families: list[str] = field(default_factory=lambda: ["lohit-odia"])
    corpora: list[str] = field(default_factory=lambda: ["../shared/data/corpora/common-voice-or.txt"])
    wordlists: list[str] = field(default_factory=lambda: ["../shared/data/corpora/tesseract-langdata/ori.wordlist"])
    datasets: list[str] = field(default_factory=list)  # any path the data layer reads
    dataset_ratio: float = 0.0  # fraction of each batch drawn from `datasets` (rest synthetic)
    min_chars: int = 4
    max_chars: int = 48
    font_sizes: tuple[int, int] = (18, 40)
    style_jitter: float = 0.0  # type-style variation (width, weight, warp) for unseen fonts; 0 = off
    # "style": every font file/instance equally often; "family": every typeface design equally often, then one
    # of its styles (a family of one style is otherwise drawn 20 times less often than Noto Sans Oriya's 20)
    font_sampling: str = "style"
    p_ink_crop: float = 0.0  # share of lines cropped to their ink plus a random margin, like page line crops
    # relative weights of the training degradation bands (clean, light, up to strong, past strong); [] = equal
    strength_weights: list[float] = field(default_factory=list)
    p_word_spacing: float = 0.0  # share of lines rendered with word spaces scaled (synth.lines.WORD_SPACING_RANGE)
    p_letterpress: float = 0.0  # share of lines printed as by letterpress: misaligned sorts, ragged/broken ink
    p_figure_spacing: float = 0.0  # share of lines holding a number whose digits are set apart (tabular figures)
    p_binarize: float = 0.0  # share of degraded lines also binarized (bitonal scans), beyond their strength's chance
    p_space_jitter: float = 0.0  # share of training texts with a word split or two words joined (spaces from pixels)
    # share of lines made of words holding the training text's rare conjuncts, half with a vowel sign recombined
    # (synth.corpus.rare_akshara_words: aksharas seen fewer than rare_akshara_below times in its sentences and words)
    p_rare_aksharas: float = 0.0
    rare_akshara_below: int = 30
    # model
    input_height: int = 32
    max_width: int = 1200
    channels: tuple[int, ...] = (32, 64, 96, 96, 160, 160)
    rnn_hidden: int = 160
    rnn_layers: int = 2
    dropout: float = 0.1
    # optimisation
    batch_size: int = 32
    # Render this many batches' lines together and batch them again by width, so that steps run over lines, not
    # padding (training.batches.BucketedBatches); 1 renders each batch alone, as every run before 2026-12-06.
    bucket_batches: int = 1
    max_steps: int = 30000
    # Wall-clock budget in seconds for the whole run, resumes included; 0 = none. With a budget the cosine runs
    # over whichever of steps and seconds is spent faster, so a run on borrowed GPU time ends annealed and saved.
    max_seconds: float = 0.0
    lr: float = 1.5e-3
    weight_decay: float = 1e-4
    warmup_steps: int = 500
    min_lr_ratio: float = 0.05
    grad_clip: float = 5.0
    bf16: bool = True
    # NHWC convolutions: 59.0 against 47.2 lines/s for the shipped architecture on one CPU thread with bf16
    # (benchmarks/training_speed.py, 2026-11-27). Runs started without it set it to false to resume bit for bit.
    channels_last: bool = True
    device: str = "auto"  # auto: a CUDA GPU when PyTorch sees one, else the CPU; or cpu, cuda, cuda:N
    threads: int = 0  # 0: all cores
    num_workers: int = 1  # processes rendering batches ahead
    # evaluation and checkpoints
    val_every: int = 1000
    val_size: int = 512
    ckpt_every: int = 250
    patience: int = 10  # validations without improvement before early stop; 0 disables

    def __post_init__(self) -> None:
        # Checked here, so a bad file or --set fails with one line before any data is rendered.
        from odia_ocr.synth.lines import FONT_SAMPLING, check_strength_weights

        hints = typing.get_type_hints(type(self))
        for f in fields(self):
            _check_type(f.name, getattr(self, f.name), hints[f.name])
        check_device_name(self.device)
        if self.strength_weights:
            check_strength_weights(self.strength_weights)
        if self.font_sampling not in FONT_SAMPLING:
            raise ValueError(f"font_sampling must be one of {', '.join(FONT_SAMPLING)} (got {self.font_sampling!r})")
        if self.bucket_batches < 1:
            raise ValueError(f"bucket_batches must be at least 1 (got {self.bucket_batches})")
        if self.max_seconds < 0:
            raise ValueError(f"max_seconds must be >= 0 (got {self.max_seconds})")
        for name in ("p_ink_crop", "p_space_jitter", "p_word_spacing", "p_letterpress", "p_figure_spacing",
                     "p_binarize", "p_rare_aksharas"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be a probability in [0, 1] (got {getattr(self, name)})")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["font_sizes"] = list(self.font_sizes)
        d["channels"] = list(self.channels)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown config keys: {', '.join(sorted(unknown))}")
        d = dict(d)
        for k in ("font_sizes", "channels"):
            if k in d:
                d[k] = tuple(d[k])
        return cls(**d)


def check_device_name(name: str) -> None:
    """Reject device names other than ``auto``, ``cpu``, ``cuda`` and ``cuda:N`` before any work starts."""
    if name in ("auto", "cpu", "cuda") or (name.startswith("cuda:") and name[5:].isdigit()):
        return
    raise ValueError(f"device must be auto, cpu, cuda or cuda:N (got {name!r})")


def _matches(value: Any, hint: Any) -> bool:
    """Whether ``value`` fits a field type of TrainConfig (scalars, lists and tuples of scalars)."""
    origin = typing.get_origin(hint)
    if origin in (list, tuple):
        item = typing.get_args(hint)[0]
        return isinstance(value, list | tuple) and all(_matches(v, item) for v in value)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, hint)


def _check_type(name: str, value: Any, hint: Any) -> None:
    if not _matches(value, hint):
        wanted = getattr(hint, "__name__", None) if typing.get_origin(hint) is None else str(hint)
        raise ValueError(f"{name} must be {wanted} (got {value!r})")


def load_config(path: str | Path | None) -> TrainConfig:
    """Config from a .json or .toml file, or the defaults when ``path`` is None."""
    if path is None:
        return TrainConfig()
    return load_config_file(path, TrainConfig.from_dict)


def apply_overrides(cfg: TrainConfig, overrides: list[str]) -> TrainConfig:
    """Apply ``key=value`` overrides; values parse as JSON when they can (numbers, lists, bools)."""
    d = cfg.to_dict()
    for item in overrides:
        if "=" not in item:
            raise ValueError(f"override {item!r} is not key=value")
        k, v = item.split("=", 1)
        if k not in d:
            raise ValueError(f"unknown config key {k!r}")
        try:
            d[k] = json.loads(v)
        except json.JSONDecodeError:
            d[k] = v
    return TrainConfig.from_dict(d)
