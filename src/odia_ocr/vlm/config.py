"""All knobs of `odia-ocr vlm`: one dataclass, loaded from JSON/TOML plus overrides, validated once.

The defaults reproduce the public Qwen2.5-VL-3B LoRA recipe the project
started from (r=32, α=64, q_proj+v_proj, lr 1e-4 cosine with 50 warm-up
steps, batch 1 × 4 accumulation, 500 steps, a save every 50, 512 tokens),
except for precision: "auto" picks bf16 where the GPU has it, because fp16
overflows this model family. The resolved config is saved with every
checkpoint, and the inference part of it travels with every model folder.
"""

from __future__ import annotations

import types
import typing
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from odia_ocr.configfile import load_config_file

__all__ = [
    "DEFAULT_BASE_MODEL",
    "DEFAULT_PROMPT",
    "InferenceSettings",
    "VLMConfig",
    "apply_overrides",
    "field_type",
    "load_config",
]

DEFAULT_BASE_MODEL = "Qwen/Qwen2.5-VL-3B-Instruct"
DEFAULT_PROMPT = "Read the Odia text in this image. Reply with the text only, exactly as written."

#: Keys that may change when a run is resumed without breaking "continues identically".
RESUMABLE_CHANGES = frozenset(
    {"max_steps", "save_every", "keep_checkpoints", "num_workers", "log_every", "val_size", "eval_batch_size",
     "out_dir"}
)


@dataclass
class InferenceSettings:
    """What inference must repeat exactly as in training (prompt, image bounds) plus the generation guards.

    Saved as ``odia_vlm.json`` in every checkpoint, best, merged and pushed
    folder, so a model folder alone says how to prompt it.
    """

    prompt: str = DEFAULT_PROMPT
    system_prompt: str | None = None  # None: the chat template's own default
    min_pixels: int = 28 * 28 * 4
    max_pixels: int = 28 * 28 * 320  # at most 320 image tokens: leaves room for text in 512
    max_aspect: float = 100.0  # wider/taller images are padded with white to this aspect ratio
    max_new_tokens: int = 256
    repetition_penalty: float = 1.0  # 1.0: off; the loop guard below handles runaway repetition
    loop_max_period: int = 32  # longest repeating unit (tokens) the guard looks for
    loop_min_repeats: int = 4  # a unit must repeat at least this often back to back...
    loop_min_span: int = 16  # ...and cover at least this many tokens, to count as a loop

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> InferenceSettings:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass
class VLMConfig:
    """Everything `odia-ocr vlm train` uses; every field is also a ``--flag`` of that command."""

    # data
    data: str = ""  # training dataset: any path the data layer opens
    data_split: str | None = None
    val_data: str | None = None  # None: hold out ``val_size`` samples of ``data``
    val_split: str | None = None
    val_size: int = 200  # validation samples generated at each checkpoint
    out_dir: str = "runs/vlm"
    seed: int = 0
    # model
    base_model: str = DEFAULT_BASE_MODEL
    quantization: str = "none"  # none | 4bit | 8bit (QLoRA through bitsandbytes; needs a CUDA GPU)
    precision: str = "auto"  # auto (bf16 where supported, else fp32) | bf16 | fp16 | fp32
    attn_implementation: str | None = None  # e.g. sdpa, flash_attention_2; None: transformers' default
    gradient_checkpointing: bool = False
    # LoRA
    lora_r: int = 32
    lora_alpha: int = 64
    lora_dropout: float = 0.05
    lora_target_modules: list[str] = field(default_factory=lambda: ["q_proj", "v_proj"])
    lora_on_vision: bool = False  # also adapt matching layers of the vision tower
    # prompt, images and generation
    prompt: str = DEFAULT_PROMPT
    system_prompt: str | None = None
    min_pixels: int = 28 * 28 * 4
    max_pixels: int = 28 * 28 * 320
    max_aspect: float = 100.0
    max_seq_length: int = 512
    max_new_tokens: int = 256
    repetition_penalty: float = 1.0
    loop_max_period: int = 32
    loop_min_repeats: int = 4
    loop_min_span: int = 16
    # optimisation
    learning_rate: float = 1e-4
    lr_scheduler: str = "cosine"  # cosine | linear | constant (all after linear warm-up)
    warmup_steps: int = 50
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    batch_size: int = 1
    grad_accum: int = 4
    max_steps: int = 500  # optimizer steps
    # checkpoints and evaluation
    save_every: int = 50  # optimizer steps between checkpoints; each one is evaluated
    keep_checkpoints: int = 3  # newest checkpoints kept besides best/
    eval_batch_size: int = 8
    catastrophic_cer: float = 0.5  # a sample at or above this CER counts as a catastrophic failure
    num_workers: int = 2  # processes preparing training samples
    log_every: int = 10

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ValueError with a one-line message for a config that cannot work."""
        choices = {
            "quantization": ("none", "4bit", "8bit"),
            "precision": ("auto", "bf16", "fp16", "fp32"),
            "lr_scheduler": ("cosine", "linear", "constant"),
        }
        for key, allowed in choices.items():
            if getattr(self, key) not in allowed:
                raise ValueError(f"{key} must be one of {', '.join(allowed)}, not {getattr(self, key)!r}")
        positive = ("lora_r", "batch_size", "grad_accum", "max_steps", "save_every", "max_seq_length",
                    "max_new_tokens", "eval_batch_size", "min_pixels", "loop_max_period", "loop_min_repeats",
                    "keep_checkpoints")
        for key in positive:
            if int(getattr(self, key)) < 1:
                raise ValueError(f"{key} must be at least 1, not {getattr(self, key)!r}")
        if self.min_pixels > self.max_pixels:
            raise ValueError(f"min_pixels ({self.min_pixels}) is larger than max_pixels ({self.max_pixels})")
        if not 1.0 <= self.max_aspect <= 200.0:
            raise ValueError(f"max_aspect must be within 1..200 (the Qwen processor's limit), not {self.max_aspect}")
        if self.learning_rate <= 0:
            raise ValueError(f"learning_rate must be positive, not {self.learning_rate}")
        if not self.lora_target_modules:
            raise ValueError("lora_target_modules is empty")

    def inference(self) -> InferenceSettings:
        """The part of the config inference must repeat."""
        known = {f.name for f in fields(InferenceSettings)}
        return InferenceSettings(**{k: v for k, v in asdict(self).items() if k in known})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> VLMConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown vlm config keys: {', '.join(sorted(unknown))}")
        return cls(**d)

    def differences(self, other: VLMConfig) -> list[str]:
        """Keys whose values differ from ``other``."""
        a, b = self.to_dict(), other.to_dict()
        return sorted(k for k in a if a[k] != b[k])


def field_type(name: str) -> tuple[type, bool, bool]:
    """(scalar type, is a list, may be None) of a VLMConfig field, for building CLI flags."""
    hints = typing.get_type_hints(VLMConfig)
    hint = hints[name]
    optional = False
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        optional = type(None) in args
        hint = next(a for a in args if a is not type(None))
    if typing.get_origin(hint) is list:
        return typing.get_args(hint)[0], True, optional
    return hint, False, optional


def load_config(path: str | Path | None) -> VLMConfig:
    """Config from a .json or .toml file, or the defaults when ``path`` is None."""
    if path is None:
        return VLMConfig()
    return load_config_file(path, VLMConfig.from_dict)


def apply_overrides(cfg: VLMConfig, overrides: dict[str, Any]) -> VLMConfig:
    """A new config with ``overrides`` (already typed values) applied and validated."""
    d = cfg.to_dict()
    for key, value in overrides.items():
        if key not in d:
            raise ValueError(f"unknown vlm config key {key!r}")
        d[key] = value
    return VLMConfig.from_dict(d)
