"""`odia-ocr eval` end to end on a tiny standard-format dataset, with a fake engine plugged into the registry."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from PIL import Image

from odia_ocr.cli.main import main
from odia_ocr.engines import registry
from odia_ocr.engines.base import LineResult
from odia_ocr.metrics import score_pair

READING = "ଆଜି ଭଲ"


class ConstantEngine:
    """Reads every line as READING; records its options so the test can check what the CLI passed."""

    name = "constant"
    options: ClassVar[dict[str, object]] = {}

    def __init__(self, **options: object) -> None:
        ConstantEngine.options = options

    def recognize(self, images: Sequence[np.ndarray]) -> list[LineResult]:
        return [LineResult(READING, 0.9) for _ in images]


class ConstantPageEngine(ConstantEngine):
    def recognize_page(self, image: np.ndarray) -> str:
        return "ଆଜି\nଭଲ"


ROWS = [
    {"id": "a", "text": "ଆଜି ଭଲ", "font": "f1", "level": "clean", "split": "test"},
    {"id": "b", "text": "ଆଜି ଭଲ ଦିନ", "font": "f2", "level": "clean", "split": "test"},
    {"id": "c", "text": "ଓଡ଼ିଆ", "font": "f1", "level": "strong", "split": "test"},
    {"id": "d", "text": "ଭଲ", "font": "f2", "level": "strong", "split": "train"},
]


@pytest.fixture()
def engines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.ENGINES, "constant", f"{__name__}:ConstantEngine")
    monkeypatch.setitem(registry.ENGINES, "constant-page", f"{__name__}:ConstantPageEngine")


def _dataset(root: Path, broken: Sequence[str] = (), missing: Sequence[str] = ()) -> Path:
    (root / "images").mkdir(parents=True)
    with (root / "manifest.jsonl").open("w", encoding="utf-8") as f:
        for row in ROWS:
            image = f"images/{row['id']}.png"
            if row["id"] in broken:
                (root / image).write_bytes(b"\x89PNG\r\n\x1a\n truncated")
            elif row["id"] not in missing:
                Image.fromarray(np.full((32, 100), 255, np.uint8)).save(root / image)
            f.write(json.dumps({**row, "image": image, "source": "tiny"}, ensure_ascii=False) + "\n")
    return root


def test_eval_writes_reports_and_counts_bad_images(
    engines: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _dataset(tmp_path / "ds", broken=["c"])
    out = tmp_path / "report"
    code = main(["eval", "--engine", "constant", "--data", str(data), "--split", "test", "--group-by", "font,level",
                 "--out", str(out), "--batch-size", "2", "--model", "some.onnx"])
    captured = capsys.readouterr()
    assert code == 0
    assert ConstantEngine.options == {"batch_size": 2, "model": "some.onnx"}
    assert "c.png" in captured.err and "1 of 3 sample(s) could not be evaluated" in captured.err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    expected = [score_pair(r["text"], READING) for r in ROWS[:2]]
    assert report["overall"]["cer"] == pytest.approx(
        sum(c.char_edits for c in expected) / sum(c.chars for c in expected), abs=1e-6)
    assert report["evaluated"] == 2 and report["bad_samples"]["count"] == 1
    assert set(report["groups"]) == {"font", "level"}
    assert report["groups"]["font"]["f2"]["cer"] == pytest.approx(expected[1].cer, abs=1e-6)
    assert "## By font" in captured.out and "CER" in captured.out
    assert (out / "report.md").is_file()
    assert len((out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_missing_image_file_is_counted_too(engines: None, tmp_path: Path) -> None:
    data = _dataset(tmp_path / "ds", missing=["a"])
    assert main(["eval", "--engine", "constant", "--data", str(data), "--out", str(tmp_path / "r")]) == 0
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert report["evaluated"] == 3 and report["bad_samples"]["count"] == 1
    assert "missing image" in report["bad_samples"]["items"][0]["error"]
    assert set(report["groups"]) == {"source", "font", "level"}  # the default grouping


def test_limit_and_page_mode(engines: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _dataset(tmp_path / "ds")
    assert main(["eval", "--engine", "constant-page", "--data", str(data), "--page", "--limit", "1",
                 "--out", str(tmp_path / "r")]) == 0
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert report["evaluated"] == 1 and report["page_mode"] is True
    assert report["overall"]["cer"] == 0.0  # the line break in the page reading is not an error
    assert "page mode" in capsys.readouterr().out


def test_whole_command_errors_are_one_line(
    engines: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _dataset(tmp_path / "ds", broken=["a", "b", "c", "d"])
    assert main(["eval", "--engine", "constant", "--data", str(data)]) == 2
    assert "nothing could be evaluated (4 bad samples)" in capsys.readouterr().err
    assert main(["eval", "--engine", "no-such-engine", "--data", str(data)]) == 2
    assert "unknown engine 'no-such-engine'" in capsys.readouterr().err
    assert main(["eval", "--engine", "constant", "--data", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "cannot open dataset" in err and len(err.strip().splitlines()) == 1
    assert main(["eval", "--engine", "constant", "--data", str(data), "--page"]) == 2
    assert "cannot read whole pages" in capsys.readouterr().err
