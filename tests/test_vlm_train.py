"""Training resume: killed with SIGKILL mid-run and resumed, a run ends bit-identical to an uninterrupted one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from safetensors import safe_open

from odia_ocr.vlm.config import VLMConfig, apply_overrides
from odia_ocr.vlm.state import STATE_FILE, find_last_checkpoint
from odia_ocr.vlm.train import train
from vlm_fixtures import one_torch_thread, pattern_image, tiny_base_dir, tiny_overrides, write_dataset

REPO = Path(__file__).resolve().parents[1]
TEXTS = ["କଖ", "ଓଡ଼ିଆ", "ଭାଷା", "୧୨୩", "ଚାଁଦ", "ଘରେ"]


@pytest.fixture(scope="module", autouse=True)
def _one_thread() -> Iterator[None]:
    with one_torch_thread():
        yield


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = [(f"s{i}", pattern_image(i), t, "train") for i, t in enumerate(TEXTS)]
    rows.append(("broken", b"not an image", "ଭାଷା", "train"))  # skipped and counted, every epoch
    return write_dataset(tmp_path_factory.mktemp("data"), rows)


def _values(dataset: Path, out: Path) -> dict[str, Any]:
    # Dropout on, two accumulation steps, warm-up and a cosine schedule: every piece of state matters.
    return tiny_overrides(tiny_base_dir(), dataset, out, prompt="Odia text:", max_steps=6, save_every=2,
                          grad_accum=2, batch_size=2, lora_dropout=0.1, val_size=2, learning_rate=5e-3,
                          warmup_steps=2, keep_checkpoints=2, max_new_tokens=8, val_data=str(dataset))


def _state(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    with safe_open(str(folder / STATE_FILE), framework="pt") as f:
        header = json.loads((f.metadata() or {})["odia_vlm_trainer"])
        return {k: f.get_tensor(k) for k in f.keys()}, header


def _losses(out: Path) -> dict[int, float]:
    losses: dict[int, float] = {}
    for line in (out / "log.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if "loss" in entry:
            losses[entry["step"]] = entry["loss"]  # a resumed run's repeated steps overwrite the lost ones
    return losses


_KILLED_RUN = """
import os, signal, sys
import torch
torch.set_num_threads(1)
sys.path.insert(0, {tests!r})
from odia_ocr.vlm.config import VLMConfig, apply_overrides
from odia_ocr.vlm.train import train

def kill(info):
    if info["step"] == 3:  # after the step-2 checkpoint: step 3 is lost and must be redone
        os.kill(os.getpid(), signal.SIGKILL)

train(apply_overrides(VLMConfig(), {values!r}), on_step=kill, echo=lambda s: None)
"""


@pytest.mark.slow
def test_killed_and_resumed_run_matches_an_uninterrupted_one(dataset: Path, tmp_path: Path) -> None:
    full = train(apply_overrides(VLMConfig(), _values(dataset, tmp_path / "full")), echo=lambda s: None)
    assert full.step == 6 and full.skipped.get("unreadable image", 0) >= 2

    values = _values(dataset, tmp_path / "killed")
    script = _KILLED_RUN.format(tests=str(Path(__file__).parent), values=values)
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), OMP_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], env=env, capture_output=True, timeout=300)
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    last = find_last_checkpoint(tmp_path / "killed")
    assert last is not None and last.name == "step-000002"

    resumed = train(apply_overrides(VLMConfig(), values), resume=True, echo=lambda s: None)
    assert resumed.step == 6 and resumed.positions == full.positions and resumed.skipped == full.skipped

    a_tensors, a_header = _state(tmp_path / "full" / "checkpoints" / "step-000006")
    b_tensors, b_header = _state(tmp_path / "killed" / "checkpoints" / "step-000006")
    assert a_tensors.keys() == b_tensors.keys()
    assert any(k.startswith("optim.") for k in a_tensors) and any(k.startswith("param.") for k in a_tensors)
    for key, tensor in a_tensors.items():  # LoRA weights, Adam moments, RNG: all bit-identical
        assert tensor.equal(b_tensors[key]), key
    for part in ("progress", "scheduler", "optimizer", "scaler"):
        assert a_header[part] == b_header[part], part
    assert _losses(tmp_path / "full") == _losses(tmp_path / "killed")

    # keep_checkpoints=2 plus best/, chosen by validation CER from real generation.
    assert sorted(p.name for p in (tmp_path / "full" / "checkpoints").iterdir()) == ["step-000004", "step-000006"]
    best = json.loads((tmp_path / "full" / "best" / "odia_vlm.json").read_text(encoding="utf-8"))
    assert best["metrics"]["cer"] == pytest.approx(full.best_cer, abs=1e-6)
    assert best["training"]["step"] == full.best_step
    assert (tmp_path / "full" / "best" / "adapter_model.safetensors").is_file()
    assert not (tmp_path / "full" / "best" / STATE_FILE).exists()


def test_resume_refuses_a_changed_recipe(dataset: Path, tmp_path: Path) -> None:
    values = _values(dataset, tmp_path / "run")
    values.update(max_steps=2, save_every=2)
    train(apply_overrides(VLMConfig(), values), echo=lambda s: None)
    with pytest.raises(ValueError, match="lora_r"):
        train(apply_overrides(VLMConfig(), {**values, "max_steps": 4, "lora_r": 4}), resume=True, echo=lambda s: None)
    with pytest.raises(FileExistsError):
        train(apply_overrides(VLMConfig(), values), echo=lambda s: None)  # would overwrite a run
    more = train(apply_overrides(VLMConfig(), {**values, "max_steps": 3}), resume=True, echo=lambda s: None)
    assert more.step == 3  # max_steps may grow on resume
