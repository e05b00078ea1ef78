"""The whole VLM workflow through the real CLI: overfit 4 samples, read them back exactly, eval, merge, push, label."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from odia_ocr.cli.main import main
from odia_ocr.data import open_dataset
from odia_ocr.engines.registry import create_engine
from vlm_fixtures import one_torch_thread, pattern_image, tiny_base_dir, tiny_overrides, write_dataset

TEXTS = ["କଖ", "ଓଡ଼ିଆ", "ଭାଷା", "୧୨୩"]
#: Rounds of 20 steps before giving up on an exact overfit (each round resumes the previous one).
MAX_ROUNDS = 4


@pytest.fixture(scope="module", autouse=True)
def _one_thread() -> Iterator[None]:
    with one_torch_thread():
        yield


def _flags(values: dict[str, object]) -> list[str]:
    argv: list[str] = []
    for key, value in values.items():
        flag = "--" + key.replace("_", "-")
        argv += [flag, *map(str, value)] if isinstance(value, list) else [flag, str(value)]
    return argv


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Train through `odia-ocr vlm train` until the adapter reads its 4 training images exactly."""
    root = tmp_path_factory.mktemp("vlm-workflow")
    images = [root / f"line{i}.png" for i in range(len(TEXTS))]
    for i, path in enumerate(images):
        pattern_image(i).save(path)
    data = write_dataset(root / "data", [(f"s{i}", pattern_image(i), t, "train") for i, t in enumerate(TEXTS)])
    # Every linear layer of the language model, a high constant rate: memorize fast, still through LoRA.
    values = tiny_overrides(tiny_base_dir(), data, root / "run", prompt="Odia text:", val_data=str(data),
                            batch_size=4, grad_accum=1, learning_rate=1e-2, lr_scheduler="constant",
                            lora_dropout=0.0, save_every=10, val_size=4,
                            lora_target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
                                                 "down_proj"])
    for rounds in range(1, MAX_ROUNDS + 1):
        argv = ["vlm", "train", *_flags({**values, "max_steps": 20 * rounds})] + (["--resume"] if rounds > 1 else [])
        assert main(argv) == 0
        best = json.loads((root / "run" / "best" / "odia_vlm.json").read_text(encoding="utf-8"))
        if best["metrics"]["cer"] == 0.0:
            break
    return {"root": root, "data": data, "best": root / "run" / "best", "images": images}  # type: ignore[dict-item]


@pytest.mark.slow
def test_overfit_then_predict_returns_the_exact_texts(run: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    images = [str(p) for p in run["images"]]  # type: ignore[attr-defined]
    assert main(["vlm", "predict", "--model", str(run["best"]), "--json", *images]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in rows] == TEXTS
    assert all(0.0 < r["confidence"] <= 1.0 for r in rows)
    # The same adapter through the engine registry, as `odia-ocr read --engine vlm` builds it.
    engine = create_engine("vlm", model=str(run["best"]), batch_size=2)
    arrays = [np.asarray(pattern_image(i)) for i in range(len(TEXTS))]
    assert [r.text for r in engine.recognize(arrays)] == TEXTS
    assert main(["read", "--engine", "vlm", "--model", str(run["best"]), images[1]]) == 0
    assert capsys.readouterr().out.strip() == TEXTS[1]


@pytest.mark.slow
def test_eval_reports_cer_and_catastrophic_rate(run: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    report_path = run["root"] / "eval.json"
    argv = ["vlm", "eval", "--model", str(run["best"]), "--data", str(run["data"]), "--report", str(report_path),
            "--predictions", str(run["root"] / "predictions.jsonl")]
    assert main(argv) == 0
    capsys.readouterr()
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["samples"] == 4 and report["cer"] == 0.0 and report["catastrophic_rate"] == 0.0
    assert report["loop_rate"] == 0.0 and report["dataset"] == str(run["data"])
    # The project-wide eval command runs the same engine.
    assert main(["eval", "--engine", "vlm", "--model", str(run["best"]), "--data", str(run["data"])]) == 0
    out = capsys.readouterr().out
    assert "Evaluated 4 samples" in out and re.search(r"overall\s*\|\s*0\.00%", out), out


@pytest.mark.slow
def test_merge_gives_a_model_that_reads_the_same(run: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    merged = run["root"] / "merged"
    assert main(["vlm", "merge", "--model", str(run["best"]), "--out", str(merged), "--precision", "fp32"]) == 0
    assert (merged / "model.safetensors").is_file() and not (merged / "adapter_config.json").exists()
    meta = json.loads((merged / "odia_vlm.json").read_text(encoding="utf-8"))
    assert meta["kind"] == "merged" and meta["inference"]["prompt"] == "Odia text:"
    engine = create_engine("vlm", model=str(merged))
    assert [r.text for r in engine.recognize([np.asarray(pattern_image(i)) for i in range(4)])] == TEXTS


@pytest.mark.slow
def test_push_without_token_writes_the_folder_with_measured_numbers(
    run: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))  # no stored login either
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = tmp_path / "upload"
    assert main(["vlm", "push", "--model", str(run["best"]), "--repo-id", "someone/odia-tiny", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "no Hugging Face token" in said and str(out) in said
    assert (out / "adapter_model.safetensors").is_file() and not (out / "trainer_state.safetensors").exists()
    card = (out / "README.md").read_text(encoding="utf-8")
    meta = json.loads((run["best"] / "odia_vlm.json").read_text(encoding="utf-8"))
    assert f"| CER (corpus) | {100 * meta['metrics']['cer']:.2f}% |" in card
    assert f"| Samples scored | {meta['metrics']['samples']} |" in card
    assert f"| Steps | {meta['training']['step']} |" in card and "r=8, alpha=16" in card
    # With an evaluation report, the card shows that measurement instead.
    report = {"dataset": "some/test-set", "split": "test", "date": "2026-11-25", "samples": 123, "cer": 0.0421,
              "wer": 0.1, "aer": 0.05, "catastrophic_rate": 0.0163, "loop_rate": 0.0081, "catastrophic_cer": 0.5}
    (tmp_path / "eval.json").write_text(json.dumps(report), encoding="utf-8")
    argv = ["vlm", "push", "--model", str(run["best"]), "--repo-id", "someone/odia-tiny", "--out", str(out),
            "--report", str(tmp_path / "eval.json")]
    assert main(argv) == 0
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "| CER (corpus) | 4.21% |" in card and "| Catastrophic failures | 1.63% |" in card
    assert "| Samples scored | 123 |" in card and "`some/test-set` (split `test`)" in card


@pytest.mark.slow
def test_label_keeps_confident_agreeing_readings(run: dict[str, Path], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "unlabeled").mkdir()
    for i in range(4):
        pattern_image(i).save(tmp_path / "unlabeled" / f"page{i}.png")
    (tmp_path / "unlabeled" / "broken.png").write_bytes(b"\x89PNG broken")
    spec = f"vlm:model={run['best']},batch_size=4"
    argv = ["vlm", "label", str(tmp_path / "unlabeled"), "--out", str(tmp_path / "ds"), "--engine", spec,
            "--engine", spec, "--min-confidence", "0.0"]
    assert main(argv) == 1  # one unreadable image is reported and counted; the rest is labelled
    report = json.loads(capsys.readouterr().out)
    assert (report["images"], report["kept"], report["unreadable"]) == (5, 4, 1)
    ds = open_dataset(tmp_path / "ds")
    assert sorted(s.text for s in ds) == sorted(TEXTS)
    sample = ds[0]
    assert 0.0 < sample.meta["confidence"] <= 1.0 and sample.meta["agreement"] == 1.0
    assert set(sample.meta["engines"]) == {"vlm", "vlm#1"}
    assert sample.load().size == (56, 56)
    # An impossible confidence threshold keeps nothing and says why.
    argv = ["vlm", "label", str(tmp_path / "unlabeled" / "page0.png"), "--out", str(tmp_path / "ds2"),
            "--engine", spec, "--min-confidence", "1.01"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kept"] == 0 and report["low_confidence"] == 1
    assert json.loads((tmp_path / "ds2" / "rejected.jsonl").read_text(encoding="utf-8"))["rejected"] == "low_confidence"
