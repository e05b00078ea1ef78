"""Training device choice: a GPU when PyTorch sees one, else the CPU; a missing GPU is a clear error."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from odia_ocr.training.config import TrainConfig  # noqa: E402
from odia_ocr.training.device import bf16_fallback_reason, bf16_supported, describe_device, device_label, resolve_device  # noqa: E402


def test_auto_follows_cuda_availability(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == torch.device("cuda")


def test_missing_gpu_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="sees no CUDA GPU"):
        resolve_device("cuda")


def test_gpu_index_out_of_range(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert resolve_device("cuda:0") == torch.device("cuda:0")
    with pytest.raises(ValueError, match="sees 1 GPU"):
        resolve_device("cuda:1")


@pytest.mark.parametrize("name", ["tpu", "gpu", "cuda:x", ""])
def test_unknown_device_names_fail_in_the_config(name: str) -> None:
    with pytest.raises(ValueError, match="device must be auto, cpu, cuda or cuda:N"):
        TrainConfig(device=name)


def test_cpu_description_counts_threads() -> None:
    assert describe_device(torch.device("cpu"), 2) == "training on the CPU with 2 thread(s)"


def test_device_label_names_the_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    assert device_label(torch.device("cpu"), 2) == "the CPU (2 threads)"
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda d=None: "NVIDIA H100 80GB HBM3")
    assert device_label(torch.device("cuda"), 2) == "NVIDIA H100 80GB HBM3"


def test_bf16_falls_back_to_fp32_on_gpus_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: False)
    assert not bf16_supported(torch.device("cuda"))
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: True)
    assert bf16_supported(torch.device("cuda"))


def test_bf16_on_the_cpu_only_where_onednn_runs_it_natively(monkeypatch: pytest.MonkeyPatch) -> None:
    # An AVX2-only CPU emulates bf16 autocast about 18x slower than fp32 (2026-12-07); it must train in fp32.
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: False)
    assert not bf16_supported(torch.device("cpu"))
    assert "no native bfloat16" in bf16_fallback_reason(torch.device("cpu"))
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: True)
    assert bf16_supported(torch.device("cpu"))
