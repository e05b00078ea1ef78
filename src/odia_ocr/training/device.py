"""Which device `odia-ocr train` runs on: a GPU when there is one, else all CPU cores.

Kept apart from the loop so the choice (and its one-line error when a requested
GPU is missing) is testable without training anything.
"""

from __future__ import annotations

import torch

from odia_ocr.training.config import check_device_name

__all__ = [
    "bf16_fallback_reason", "bf16_supported", "cpu_bf16_native", "describe_device", "device_label", "resolve_device",
]


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


def cpu_bf16_native() -> bool:
    """Whether oneDNN runs bfloat16 on this CPU's own instructions (AVX-512 and up).

    Why: without them PyTorch still accepts bf16 autocast but emulates it, and a training step of the 5.6M-parameter
    recognizer took 30 s instead of 1.7 s in fp32 on an AVX2-only AMD EPYC (2026-12-07); with AVX-512 bf16
    autocast trains 1.7x faster than fp32 (FACTS.md).
    """
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # a build without oneDNN, or without this check
        return torch.backends.cpu.get_cpu_capability().startswith("AVX512")


def bf16_supported(device: torch.device) -> bool:
    """Whether bf16 autocast pays here: CPUs with native bf16 (see :func:`cpu_bf16_native`), CUDA GPUs from Ampere on.

    Elsewhere training runs in fp32: an older GPU would raise under bf16 autocast (fp16 would also need loss
    scaling), and a CPU without AVX-512 would emulate it many times slower.
    """
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    return cpu_bf16_native()


def bf16_fallback_reason(device: torch.device) -> str:
    """The one line training logs when its config asks for bf16 that this device does not run natively."""
    if device.type == "cuda":
        return "this GPU has no bfloat16: training in fp32"
    unit = torch.backends.cpu.get_cpu_capability()
    return f"this CPU has no native bfloat16 (its widest vector unit is {unit}): training in fp32"
