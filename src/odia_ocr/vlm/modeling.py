"""Loading Qwen2.5-VL for training and inference: device, precision, QLoRA, LoRA and the model folder's metadata.

Every folder we write (checkpoint, best, merged, pushed) holds ``odia_vlm.json``:
format version, text canonicalization, base model, the inference settings
(prompt, pixel bounds, loop guard) and measured metrics. Loading checks it,
so a model is always prompted the way it was trained.
"""

from __future__ import annotations

import contextlib
import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from odia_ocr import __version__
from odia_ocr.recognizer.modelfile import ModelFormatError, atomic_write_bytes
from odia_ocr.text import CANONICALIZATION_ID
from odia_ocr.vlm.config import DEFAULT_BASE_MODEL, InferenceSettings, VLMConfig

__all__ = [
    "META_FILE",
    "LoadedVLM",
    "attach_lora",
    "load_base_model",
    "load_for_inference",
    "load_processor",
    "lora_target_pattern",
    "pick_device",
    "read_model_meta",
    "resolve_precision",
    "torch_dtype",
    "write_model_meta",
]

META_FILE = "odia_vlm.json"
#: Bump when a reader of the previous version could not use a new folder.
META_FORMAT_VERSION = 1
_HUB_ID = re.compile(r"[\w.-]+/[\w.-]+")
_DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}


def pick_device(device: str | None) -> torch.device:
    """``device`` as given, else the first CUDA GPU when there is one, else the CPU."""
    if device:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def resolve_precision(precision: str, device: torch.device) -> str:
    """bf16, fp16 or fp32. "auto" is bf16 where the GPU supports it and fp32 elsewhere, never fp16:
    fp16 overflows Qwen2.5-VL's activations (ask for it explicitly on old GPUs, with loss scaling)."""
    if precision != "auto":
        return precision
    if device.type == "cuda" and torch.cuda.is_bf16_supported():
        return "bf16"
    return "fp32"


def torch_dtype(precision: str) -> torch.dtype:
    return _DTYPES[precision]


def _dtype_kwarg(dtype: torch.dtype) -> dict[str, torch.dtype]:
    import transformers

    major = int(transformers.__version__.split(".")[0])
    return {"dtype": dtype} if major >= 5 else {"torch_dtype": dtype}


def load_processor(path: str | Path, settings: InferenceSettings) -> Any:
    """The model's processor with the image processor's pixel bounds set to ``settings``."""
    from transformers import AutoProcessor

    processor = AutoProcessor.from_pretrained(str(path))
    ip = processor.image_processor
    ip.size = {"shortest_edge": settings.min_pixels, "longest_edge": settings.max_pixels}
    for key in ("min_pixels", "max_pixels"):  # transformers 4.x reads these attributes
        if hasattr(ip, key):
            setattr(ip, key, getattr(settings, key))
    return processor


def load_base_model(
    name: str | Path,
    precision: str,
    device: torch.device,
    quantization: str = "none",
    attn_implementation: str | None = None,
) -> Any:
    """The image-text-to-text model ``name`` (a local folder or a Hub id) in ``precision``, on ``device``.

    With ``quantization`` "4bit" (NF4, double quantization; QLoRA) or "8bit",
    the weights load through bitsandbytes, which needs a CUDA GPU.
    """
    from transformers import AutoModelForImageTextToText

    dtype = torch_dtype(precision)
    kwargs: dict[str, Any] = _dtype_kwarg(dtype)
    if attn_implementation:
        kwargs["attn_implementation"] = attn_implementation
    if quantization != "none":
        if device.type != "cuda":
            raise ValueError(f"{quantization} loading (QLoRA) needs a CUDA GPU and bitsandbytes, not {device}")
        from transformers import BitsAndBytesConfig

        compute = dtype if dtype != torch.float32 else torch.bfloat16
        if quantization == "4bit":
            kwargs["quantization_config"] = BitsAndBytesConfig(
                load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                bnb_4bit_compute_dtype=compute,
            )
        else:
            kwargs["quantization_config"] = BitsAndBytesConfig(load_in_8bit=True)
        kwargs["device_map"] = {"": device.index or 0}
    model = AutoModelForImageTextToText.from_pretrained(str(name), **kwargs)
    if quantization == "none":
        model.to(device)
    return model


@contextlib.contextmanager
def _quiet_peft() -> Iterator[None]:
    """peft asks transformers a deprecated question when wrapping a model; nothing for users to act on."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
        yield


def lora_target_pattern(targets: list[str], on_vision: bool) -> str | list[str]:
    """peft ``target_modules``: the named layers of the language model (and of the vision tower if asked).

    Qwen2.5-VL's vision blocks also have ``gate_proj``/``up_proj``/``down_proj``;
    a regex keeps them out unless ``on_vision`` is set. "all-linear" passes through.
    """
    if targets == ["all-linear"]:
        return "all-linear"
    names = "|".join(re.escape(t) for t in targets)
    if on_vision:
        return rf"(.*\.)?({names})"
    return rf"(?!.*\bvisual\b)(.*\.)?({names})"


def attach_lora(model: Any, cfg: VLMConfig) -> Any:
    """The model wrapped with fresh LoRA adapters as configured; only the adapters train (in fp32)."""
    from peft import LoraConfig, get_peft_model

    if cfg.quantization != "none":
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=cfg.gradient_checkpointing)
    lora = LoraConfig(
        r=cfg.lora_r,
        lora_alpha=cfg.lora_alpha,
        lora_dropout=cfg.lora_dropout,
        target_modules=lora_target_pattern(list(cfg.lora_target_modules), cfg.lora_on_vision),
        bias="none",
        task_type="CAUSAL_LM",
    )
    with _quiet_peft():
        peft_model = get_peft_model(model, lora)
    for p in peft_model.parameters():
        if p.requires_grad and p.dtype != torch.float32:
            p.data = p.data.float()  # fp32 master copy: optimizer state and resume never see half precision
    return peft_model


def write_model_meta(folder: str | Path, kind: str, base_model: str, settings: InferenceSettings,
                     metrics: dict[str, Any] | None = None, training: dict[str, Any] | None = None) -> None:
    """Write ``odia_vlm.json`` into ``folder`` atomically."""
    meta = {
        "format_version": META_FORMAT_VERSION,
        "canonicalization": CANONICALIZATION_ID,
        "kind": kind,  # "adapter" or "merged"
        "base_model": base_model,
        "inference": settings.to_dict(),
        "metrics": metrics or {},
        "training": training or {},
        "odia_ocr_version": __version__,
    }
    atomic_write_bytes(Path(folder) / META_FILE, json.dumps(meta, indent=2, ensure_ascii=False).encode("utf-8"))


def read_model_meta(folder: str | Path) -> dict[str, Any] | None:
    """``odia_vlm.json`` of ``folder``, checked; None when the folder has none (a plain Hugging Face model)."""
    path = Path(folder) / META_FILE
    if not path.is_file():
        return None
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ModelFormatError(f"{path}: not valid JSON ({err.msg})") from None
    version = meta.get("format_version")
    if not isinstance(version, int):
        raise ModelFormatError(f"{path}: no format_version: not an odia-ocr VLM folder")
    if version > META_FORMAT_VERSION:
        raise ModelFormatError(f"{path}: format version {version} is newer than this odia-ocr supports "
                               f"({META_FORMAT_VERSION}); upgrade odia-ocr")
    if meta.get("canonicalization") != CANONICALIZATION_ID:
        raise ModelFormatError(f"{path}: unknown text canonicalization {meta.get('canonicalization')!r}")
    return meta


@dataclass
class LoadedVLM:
    model: Any
    processor: Any
    settings: InferenceSettings
    meta: dict[str, Any]
    device: torch.device


def _has_processor(folder: Path) -> bool:
    return any((folder / f).is_file() for f in ("processor_config.json", "preprocessor_config.json"))


def load_for_inference(
    model: str | Path | None = None,
    base_model: str | None = None,
    device: str | None = None,
    precision: str = "auto",
    quantization: str = "none",
    attn_implementation: str | None = None,
) -> LoadedVLM:
    """A model ready to generate: an adapter folder (on its base model), a merged folder, or a base model.

    ``base_model`` overrides the base an adapter names (e.g. a local copy of
    the Hub model). A folder without ``odia_vlm.json`` runs zero-shot with the
    default prompt and pixel bounds.
    """
    path = Path(model) if model else None
    if path is not None and not path.exists():
        if not _HUB_ID.fullmatch(str(model)):
            raise FileNotFoundError(f"{model}: model folder not found")
        base_model, path = str(model), None  # a Hub id: the base model itself, zero-shot
    meta = (read_model_meta(path) if path is not None and path.is_dir() else None) or {}
    settings = InferenceSettings.from_dict(meta.get("inference", {}))
    dev = pick_device(device)
    prec = resolve_precision(precision, dev)
    adapter = path is not None and (path / "adapter_config.json").is_file()
    if adapter:
        assert path is not None
        cfg = json.loads((path / "adapter_config.json").read_text(encoding="utf-8"))
        base = base_model or meta.get("base_model") or cfg.get("base_model_name_or_path") or DEFAULT_BASE_MODEL
        from peft import PeftModel

        net = load_base_model(base, prec, dev, quantization, attn_implementation)
        with _quiet_peft():
            net = PeftModel.from_pretrained(net, str(path))
    else:
        base = str(path) if path is not None else (base_model or DEFAULT_BASE_MODEL)
        net = load_base_model(base, prec, dev, quantization, attn_implementation)
    processor_source = path if path is not None and path.is_dir() and _has_processor(path) else base
    processor = load_processor(processor_source, settings)
    net.eval()
    return LoadedVLM(net, processor, settings, dict(meta, base_model=meta.get("base_model", str(base))), dev)
