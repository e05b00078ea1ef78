"""Which device `odia-ocr train` runs on: a GPU when there is one, else all CPU cores.

Kept apart from the loop so the choice (and its one-line error when a requested
GPU is missing) is testable without training anything.
"""

from __future__ import annotations

import torch

from odia_ocr.training.config import check_device_name

__all__ = ["bf16_supported", "describe_device", "device_label", "resolve_device"]


def resolve_device(name: str) -> torch.device:
    """``auto`` picks the first CUDA GPU when PyTorch sees one, else the CPU; explicit names are checked."""
    check_device_name(name)
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"device {name!r} was asked for, but PyTorch sees no CUDA GPU here")
        if (device.index or 0) >= torch.cuda.device_count():
            raise ValueError(f"device {name!r} was asked for, but PyTorch sees {torch.cuda.device_count()} GPU(s)")
    return device


def describe_device(device: torch.device, threads: int) -> str:
    """One line for the log: the GPU's name, or how many CPU threads train."""
    if device.type == "cuda":
        return f"training on {device} ({torch.cuda.get_device_name(device)})"
    return f"training on the CPU with {threads} thread(s)"


def device_label(device: torch.device, threads: int) -> str:
    """What trained a model, for its metadata and card: the GPU's name, or the CPU and its threads."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return f"the CPU ({threads} thread{'' if threads == 1 else 's'})"


def bf16_supported(device: torch.device) -> bool:
    """bf16 autocast runs on every CPU PyTorch supports, but only on CUDA GPUs from Ampere on.

    On an older GPU autocast would raise; training there runs in fp32 instead
    (fp16 would also need loss scaling).
    """
    return device.type != "cuda" or torch.cuda.is_bf16_supported()
