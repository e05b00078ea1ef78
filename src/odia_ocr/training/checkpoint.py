"""Atomic training checkpoints in one safetensors file: model, optimizer, scheduler, RNG, step.

One file per checkpoint, written through a temporary file and ``os.replace``,
so a kill at any moment leaves the previous checkpoint intact. Non-tensor
state (step, scheduler, optimizer hyperparameters, config) goes into the
safetensors header as JSON; nothing is pickled.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save as st_save

from odia_ocr.recognizer.model import CRNN, CRNNConfig
from odia_ocr.recognizer.modelfile import META_KEY, ModelFormatError, ModelMeta, atomic_write_bytes

__all__ = [
    "TrainerState",
    "cast_model_file",
    "compact_checkpoint",
    "load_checkpoint",
    "load_into",
    "load_model",
    "load_model_weights",
    "read_trainer_state",
    "save_checkpoint",
    "save_model_file",
]

_STATE_KEY = "trainer_state"


@contextmanager
def _open(path: str | Path) -> Iterator[Any]:
    """``safe_open`` whose errors on a damaged or foreign file are one :class:`ModelFormatError` naming it."""
    try:
        with safe_open(str(path), framework="pt") as f:
            yield f
    except SafetensorError as err:
        raise ModelFormatError(f"{path}: not a readable safetensors file ({err})") from None


def load_into(model: torch.nn.Module, weights: dict[str, torch.Tensor], source: str | Path) -> None:
    """``model.load_state_dict(weights)``, with weights of another architecture a one-line error naming ``source``."""
    try:
        model.load_state_dict(weights)
    except RuntimeError as err:
        detail = " ".join(str(err).split())[:200]
        raise ModelFormatError(f"{source}: weights do not fit the configured architecture ({detail})") from None


@dataclass
class TrainerState:
    step: int = 0
    best_cer: float = float("inf")
    best_step: int = -1
    bad_validations: int = 0
    lines_seen: int = 0
    train_seconds: float = 0.0  # wall-clock seconds spent in the training loop, over all resumes
    rewarm_from: int = -1  # the step a compacted checkpoint dropped the optimizer's moments at (-1: never)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _optimizer_tensors(opt: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    sd = opt.state_dict()
    tensors: dict[str, torch.Tensor] = {}
    scalars: dict[str, dict[str, Any]] = {}
    for pid, st in sd["state"].items():
        for k, v in st.items():
            if torch.is_tensor(v):
                tensors[f"optim.{pid}.{k}"] = v.detach().clone().contiguous()
            else:
                scalars.setdefault(str(pid), {})[k] = v
    return tensors, {"param_groups": sd["param_groups"], "scalars": scalars, "ids": list(sd["state"].keys())}


def save_checkpoint(
    path: str | Path,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    state: TrainerState,
    meta: ModelMeta,
) -> None:
    """Write a resumable checkpoint atomically."""
    tensors = {f"model.{k}": v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    opt_tensors, opt_rest = _optimizer_tensors(optimizer)
    tensors.update(opt_tensors)
    tensors["rng.torch"] = torch.get_rng_state()
    if any(p.is_cuda for p in model.parameters()):
        tensors["rng.cuda"] = torch.cuda.get_rng_state()
    header = {
        META_KEY: meta.to_json(),
        _STATE_KEY: json.dumps(
            {"trainer": state.to_dict(), "optimizer": opt_rest, "scheduler": scheduler.state_dict()}
        ),
    }
    atomic_write_bytes(path, st_save(tensors, metadata=header))


def load_checkpoint(
    path: str | Path,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
) -> tuple[TrainerState, ModelMeta]:
    """Restore everything ``save_checkpoint`` wrote; returns the trainer state and metadata."""
    with _open(path) as f:
        header = f.metadata() or {}
        tensors = {k: f.get_tensor(k) for k in f.keys()}
    if _STATE_KEY not in header:
        raise ModelFormatError(f"{path}: not a training checkpoint (no trainer state); use it with --init")
    meta = ModelMeta.from_json(header[META_KEY], str(path))
    extra = json.loads(header[_STATE_KEY])
    load_into(model, {k[6:]: v for k, v in tensors.items() if k.startswith("model.")}, path)
    opt = extra["optimizer"]
    state: dict[int, dict[str, Any]] = {}
    for pid in opt["ids"]:
        st: dict[str, Any] = dict(opt["scalars"].get(str(pid), {}))
        prefix = f"optim.{pid}."
        for k, v in tensors.items():
            if k.startswith(prefix):
                st[k[len(prefix):]] = v
        state[int(pid)] = st
    optimizer.load_state_dict({"state": state, "param_groups": opt["param_groups"]})
    scheduler.load_state_dict(extra["scheduler"])
    torch.set_rng_state(tensors["rng.torch"])
    if "rng.cuda" in tensors and torch.cuda.is_available():
        torch.cuda.set_rng_state(tensors["rng.cuda"])
    t = extra["trainer"]
    return TrainerState(**t), meta


def _training_state(header: dict[str, str], path: str | Path) -> dict[str, Any]:
    """The JSON trainer/optimizer/scheduler state of a checkpoint's header; a model file is a one-line error."""
    if _STATE_KEY not in header:
        raise ModelFormatError(f"{path}: not a training checkpoint (no trainer state)")
    return json.loads(header[_STATE_KEY])


def _cast(tensors: dict[str, torch.Tensor], dtype: torch.dtype) -> dict[str, torch.Tensor]:
    """Floating tensors cast to ``dtype``; integer ones (BatchNorm's counters, RNG states) kept as they are."""
    return {k: (v.to(dtype) if v.is_floating_point() else v).contiguous() for k, v in tensors.items()}


def read_trainer_state(path: str | Path) -> TrainerState:
    """The trainer state (step, time spent, best validation) of a checkpoint, from its header alone."""
    with _open(path) as f:
        header = f.metadata() or {}
    return TrainerState(**_training_state(header, path)["trainer"])


def compact_checkpoint(src: str | Path, dst: str | Path) -> TrainerState:
    """Write ``src`` (a training checkpoint) as a resumable checkpoint a third of its size, for git.

    Why: ``runs/`` is ignored by git, and a session that begins on a fresh checkout finds none of it; a long
    schedule trained across sessions must carry its state in the repository. A full checkpoint of the 5.6M-parameter
    model is 67 MB (float32 weights and two AdamW moments); this keeps the weights in float16 (rounding about 1e-3
    relative, far below what INT8 export does), the trainer state, schedule and RNG, and drops the optimizer's
    moments, which AdamW rebuilds within a few hundred steps. Resuming from it continues the same schedule at the
    same step; only the moments start again from zero, and the learning rate warms up again (``rewarm_from``).
    """
    with _open(src) as f:
        header = f.metadata() or {}
        extra = _training_state(header, src)
        kept = _cast({k: f.get_tensor(k) for k in f.keys() if k.startswith(("model.", "rng."))}, torch.float16)
    extra["optimizer"] = {**extra["optimizer"], "scalars": {}, "ids": []}
    extra["trainer"] = {**extra["trainer"], "rewarm_from": extra["trainer"]["step"]}
    atomic_write_bytes(dst, st_save(kept, metadata={**header, _STATE_KEY: json.dumps(extra)}))
    return TrainerState(**extra["trainer"])


def cast_model_file(src: str | Path, dst: str | Path, dtype: torch.dtype) -> int:
    """Write the weights of ``src`` (a model file or a checkpoint's model part) in ``dtype``, with its metadata.

    Float16 halves a model file (its rounding, about 1e-3 relative, is far below INT8 export's); training and
    export load either dtype. Returns the number of tensors written.
    """
    weights, meta = load_model_weights(src)
    cast = _cast(weights, dtype)
    atomic_write_bytes(dst, st_save(cast, metadata={META_KEY: meta.to_json()}))
    return len(cast)


def save_model_file(path: str | Path, model: torch.nn.Module, meta: ModelMeta) -> None:
    """Write inference weights (no optimizer) with metadata: the `.safetensors` model file."""
    tensors = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    atomic_write_bytes(path, st_save(tensors, metadata={META_KEY: meta.to_json()}))


def load_model_weights(path: str | Path) -> tuple[dict[str, torch.Tensor], ModelMeta]:
    """Weights and metadata of a model file or a checkpoint (its model part)."""
    with _open(path) as f:
        header = f.metadata() or {}
        if META_KEY not in header:
            raise ModelFormatError(f"{path}: no odia-ocr metadata; not an odia-ocr model file")
        meta = ModelMeta.from_json(header[META_KEY], str(path))
        keys = list(f.keys())
        is_ckpt = any(k.startswith("model.") for k in keys)
        weights = {
            (k[6:] if is_ckpt else k): f.get_tensor(k) for k in keys if (k.startswith("model.") or not is_ckpt)
        }
    return weights, meta


def load_model(path: str | Path) -> tuple[CRNN, ModelMeta]:
    """The CRNN a model file or checkpoint describes, with its weights, in eval mode."""
    weights, meta = load_model_weights(path)
    model = CRNN(CRNNConfig.from_dict(meta.architecture))
    load_into(model, weights, path)
    return model.eval(), meta
