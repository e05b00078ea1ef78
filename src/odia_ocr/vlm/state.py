"""Resumable VLM trainer state in safetensors plus JSON, and atomic checkpoint folders.

``trainer_state.safetensors`` holds the trainable (LoRA) weights, the
optimizer's tensors keyed by parameter name, and every RNG state; its
header holds the progress (step, data positions, skip counts, best CER),
optimizer hyperparameters, scheduler and gradient-scaler state as JSON.
Nothing is pickled. A checkpoint folder is built under a temporary name and
renamed into place, and ``last.json`` (written atomically) names the newest
complete one, so a kill at any moment leaves a usable previous checkpoint.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import save as st_save

from odia_ocr.recognizer.modelfile import atomic_write_bytes

__all__ = [
    "RNGState",
    "TrainProgress",
    "capture_rng",
    "commit_folder",
    "find_last_checkpoint",
    "load_trainer_state",
    "restore_rng",
    "save_trainer_state",
    "write_last_pointer",
]

STATE_FILE = "trainer_state.safetensors"
LAST_FILE = "last.json"
_HEADER_KEY = "odia_vlm_trainer"


@dataclass
class TrainProgress:
    step: int = 0  # optimizer steps done
    positions: list[int] = field(default_factory=lambda: [0])  # next stream position of each rank
    samples_seen: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count
    downscaled: int = 0
    overflow_steps: int = 0  # fp16 steps the gradient scaler skipped
    best_cer: float | None = None
    best_step: int = -1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RNGState:
    """Every random generator a training step can touch, for one process."""

    torch_cpu: torch.Tensor
    torch_cuda: list[torch.Tensor]
    numpy: dict[str, Any]
    python: list[Any]


def capture_rng() -> RNGState:
    np_state = np.random.get_state()
    return RNGState(
        torch_cpu=torch.get_rng_state(),
        torch_cuda=[t.cpu() for t in torch.cuda.get_rng_state_all()] if torch.cuda.is_available() else [],
        numpy={"keys": np_state[1].tolist(), "pos": int(np_state[2]), "has_gauss": int(np_state[3]),
               "cached": float(np_state[4])},
        python=json.loads(json.dumps(random.getstate())),
    )


def restore_rng(state: RNGState) -> None:
    torch.set_rng_state(state.torch_cpu)
    if state.torch_cuda and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state.torch_cuda)
    n = state.numpy
    np.random.set_state(("MT19937", np.array(n["keys"], dtype=np.uint32), n["pos"], n["has_gauss"], n["cached"]))
    version, internal, gauss = state.python
    random.setstate((version, tuple(internal), gauss))


def save_trainer_state(
    folder: Path,
    named_params: list[tuple[str, torch.nn.Parameter]],
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    scaler: torch.amp.GradScaler,
    progress: TrainProgress,
    rng: list[RNGState],
    config: dict[str, Any],
) -> None:
    """Write ``trainer_state.safetensors`` into ``folder`` (one RNG state per rank)."""
    tensors: dict[str, torch.Tensor] = {}
    for name, p in named_params:
        tensors[f"param.{name}"] = p.detach().cpu().contiguous()
    sd = optimizer.state_dict()
    names = [n for n, _ in named_params]
    scalars: dict[str, dict[str, Any]] = {}
    for idx, st in sd["state"].items():
        for k, v in st.items():
            if torch.is_tensor(v):
                tensors[f"optim.{names[idx]}.{k}"] = v.detach().cpu().contiguous()
            else:
                scalars.setdefault(names[idx], {})[k] = v
    rng_meta = []
    for r, state in enumerate(rng):
        tensors[f"rng.{r}.torch_cpu"] = state.torch_cpu
        for d, t in enumerate(state.torch_cuda):
            tensors[f"rng.{r}.torch_cuda.{d}"] = t
        rng_meta.append({"cuda_devices": len(state.torch_cuda), "numpy": state.numpy, "python": state.python})
    header = {
        "progress": progress.to_dict(),
        "param_names": names,
        "optimizer": {"param_groups": sd["param_groups"], "scalars": scalars},
        "scheduler": scheduler.state_dict(),
        "scaler": scaler.state_dict(),
        "rng": rng_meta,
        "config": config,
    }
    atomic_write_bytes(folder / STATE_FILE, st_save(tensors, metadata={_HEADER_KEY: json.dumps(header)}))


def load_trainer_state(
    folder: Path,
    named_params: list[tuple[str, torch.nn.Parameter]],
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    scaler: torch.amp.GradScaler,
) -> tuple[TrainProgress, list[RNGState], dict[str, Any]]:
    """Restore weights, optimizer, scheduler and scaler in place; returns progress, RNG states and config."""
    path = folder / STATE_FILE
    with safe_open(str(path), framework="pt") as f:
        header = json.loads((f.metadata() or {}).get(_HEADER_KEY, "null"))
        if header is None:
            raise ValueError(f"{path}: not an odia-ocr VLM trainer state")
        tensors = {k: f.get_tensor(k) for k in f.keys()}
    names = [n for n, _ in named_params]
    if header["param_names"] != names:
        missing = sorted(set(header["param_names"]) ^ set(names))[:3]
        raise ValueError(f"{folder}: checkpoint was made for other trainable parameters (LoRA targets or rank "
                         f"changed?), e.g. {', '.join(missing)}")
    with torch.no_grad():
        for name, p in named_params:
            saved = tensors[f"param.{name}"]
            if saved.shape != p.shape:
                raise ValueError(f"{folder}: {name} has shape {tuple(saved.shape)}, model has {tuple(p.shape)}")
            p.copy_(saved.to(device=p.device, dtype=p.dtype))
    opt = header["optimizer"]
    state: dict[int, dict[str, Any]] = {}
    for idx, name in enumerate(names):
        st: dict[str, Any] = dict(opt["scalars"].get(name, {}))
        prefix = f"optim.{name}."
        for k, v in tensors.items():
            if k.startswith(prefix):
                st[k[len(prefix):]] = v
        if st:
            state[idx] = st
    optimizer.load_state_dict({"state": state, "param_groups": opt["param_groups"]})
    scheduler.load_state_dict(header["scheduler"])
    if header["scaler"]:
        scaler.load_state_dict(header["scaler"])
    rng = []
    for r, m in enumerate(header["rng"]):
        rng.append(RNGState(
            torch_cpu=tensors[f"rng.{r}.torch_cpu"],
            torch_cuda=[tensors[f"rng.{r}.torch_cuda.{d}"] for d in range(m["cuda_devices"])],
            numpy=m["numpy"],
            python=m["python"],
        ))
    return TrainProgress(**header["progress"]), rng, header["config"]


def commit_folder(tmp: Path, final: Path) -> None:
    """Move the finished folder ``tmp`` to ``final`` (replacing it); readers see the old or the new, whole."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
    os.replace(tmp, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_last_pointer(out_dir: Path, checkpoint: Path, step: int) -> None:
    data = {"step": step, "path": os.path.relpath(checkpoint, out_dir)}
    atomic_write_bytes(out_dir / LAST_FILE, json.dumps(data).encode("utf-8"))


def find_last_checkpoint(out_dir: Path) -> Path | None:
    """The newest complete checkpoint of a run: the one ``last.json`` names, else the highest step folder."""
    pointer = out_dir / LAST_FILE
    if pointer.is_file():
        try:
            folder = out_dir / json.loads(pointer.read_text(encoding="utf-8"))["path"]
        except (json.JSONDecodeError, KeyError):
            folder = None
        if folder is not None and (folder / STATE_FILE).is_file():
            return folder
    candidates = sorted(p for p in (out_dir / "checkpoints").glob("step-*") if (p / STATE_FILE).is_file())
    return candidates[-1] if candidates else None
