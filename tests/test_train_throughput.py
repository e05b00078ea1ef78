"""benchmarks/train_throughput.py: every way of rendering trains the same steps and is reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from odia_ocr.training.config import TrainConfig

SCRIPT = str(Path(__file__).resolve().parents[1] / "benchmarks" / "train_throughput.py")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, timeout=300)


def test_reports_each_variant_per_round(tmp_path: Path, tiny_corpus: Path) -> None:
    cfg = TrainConfig(
        out_dir=str(tmp_path / "unused"), font_dirs=[], heldout_families=[], corpora=[str(tiny_corpus)],
        wordlists=[], min_chars=3, max_chars=10, font_sizes=(16, 22), channels=(4, 8, 8, 8, 16, 16),
        rnn_hidden=16, rnn_layers=1, batch_size=4, val_size=8, threads=1,
    )
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps(cfg.to_dict()), encoding="utf-8")
    out = tmp_path / "out"
    done = _run("--config", str(config), "--steps", "2", "--warmup", "1", "--rounds", "2",
                "--variants", "worker,inline,prerendered,worker-bucketed", "--bucket", "2", "--out", str(out))
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "train_throughput.json").read_text(encoding="utf-8"))
    assert set(report["lines_per_s"]) == {"worker", "inline", "prerendered", "worker-bucketed"}
    assert all(len(v) == 2 and min(v) > 0 for v in report["lines_per_s"].values())
    assert report["render_cpu_s_per_line"] > 0 and report["batch_size"] == 4
    assert report["useful_area"]["bucketed"] >= report["useful_area"]["unbucketed"]
    assert "| prerendered |" in done.stdout


def test_unknown_variant_is_refused() -> None:
    done = _run("--config", "unused.toml", "--variants", "inline,threads")
    assert done.returncode == 2
    assert "unknown variant(s) threads" in done.stderr


def test_bad_config_is_one_line_error(tmp_path: Path) -> None:
    done = _run("--config", str(tmp_path / "nope.toml"))
    assert done.returncode == 2 and done.stderr.strip().endswith("nope.toml: no such config file")
    assert len(done.stderr.strip().splitlines()) == 1
