"""scripts/carry_checkpoint.py: a run's state carried through git (a fresh checkout has no runs/) and resumed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from odia_ocr.training.checkpoint import read_trainer_state  # noqa: E402
from test_training import tiny_config  # noqa: E402

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "carry_checkpoint.py")


def carry(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, timeout=120)


def test_a_carried_run_resumes_at_its_step_on_a_fresh_checkout(tmp_path: Path, tiny_corpus: Path) -> None:
    from odia_ocr.training.loop import train

    run, into = tmp_path / "runs" / "tiny", tmp_path / "checkpoints"
    into.mkdir()
    train(tiny_config(run, tiny_corpus, steps=8), progress=False)
    before = read_trainer_state(run / "last.safetensors")
    done = carry("save", str(run), "--into", str(into))
    assert done.returncode == 0, done.stderr
    carried = into / "tiny-carry.safetensors"
    assert carried.stat().st_size < (run / "last.safetensors").stat().st_size / 2  # no optimizer moments
    assert (into / "tiny-best-fp16.safetensors").exists() and (into / "tiny-log.jsonl").exists()

    shutil.rmtree(run)  # what a fresh checkout finds: nothing under runs/
    back = carry("restore", str(run), "--into", str(into))
    assert back.returncode == 0, back.stderr
    assert "at step 8" in back.stdout
    assert read_trainer_state(run / "last.safetensors").rewarm_from == 8  # fresh moments: the rate warms up again
    state = train(tiny_config(run, tiny_corpus, steps=12), resume=True, progress=False)
    assert state.step == 12
    assert state.lines_seen == before.lines_seen + 4 * 4  # it went on from step 8, not from the start
    assert state.train_seconds > before.train_seconds
    steps = [json.loads(x)["step"] for x in (run / "log.jsonl").read_text().splitlines()]
    assert steps == sorted(steps) and steps[0] < 8 < steps[-1] == 12  # one curve, carried and continued

    refused = carry("restore", str(run), "--into", str(into))  # the run is now further along than the carry
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: ") and "already at step 12" in refused.stderr
    assert read_trainer_state(run / "last.safetensors").step == 12


def test_no_best_carries_only_the_resumable_state(tmp_path: Path, tiny_corpus: Path) -> None:
    from odia_ocr.training.loop import train

    run, into = tmp_path / "runs" / "tiny", tmp_path / "checkpoints"
    into.mkdir()
    train(tiny_config(run, tiny_corpus, steps=4), progress=False)
    assert carry("save", str(run), "--into", str(into)).returncode == 0
    assert (into / "tiny-best-fp16.safetensors").exists()
    done = carry("save", str(run), "--into", str(into), "--no-best")
    assert done.returncode == 0, done.stderr
    assert not (into / "tiny-best-fp16.safetensors").exists()  # the older copy went too
    assert (into / "tiny-carry.safetensors").exists() and (into / "tiny-log.jsonl").exists()
    shutil.rmtree(run)
    back = carry("restore", str(run), "--into", str(into))
    assert back.returncode == 0, back.stderr
    assert (run / "last.safetensors").exists() and not (run / "best.safetensors").exists()


def test_nothing_to_carry_is_a_one_line_error(tmp_path: Path) -> None:
    out = carry("save", str(tmp_path / "runs" / "none"), "--into", str(tmp_path))
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "no checkpoint to carry" in out.stderr
    out = carry("restore", str(tmp_path / "runs" / "none"), "--into", str(tmp_path))
    assert out.returncode == 1 and "nothing carried for none" in out.stderr
