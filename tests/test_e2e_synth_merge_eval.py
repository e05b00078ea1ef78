"""End to end through the real CLI: render lines (`synth`), merge them (`data merge`), score Tesseract (`eval`)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from odia_ocr.cli.main import main

pytestmark = pytest.mark.slow


def _have_command(name: str) -> bool:
    return importlib.util.find_spec(f"odia_ocr.cli.{name}_cmd") is not None


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract binary not installed")
@pytest.mark.skipif(not _have_command("synth"), reason="`odia-ocr synth` (odia_ocr.cli.synth_cmd) not built yet")
@pytest.mark.skipif(not _have_command("data"), reason="`odia-ocr data merge` (odia_ocr.cli.data_cmd) not built yet")
def test_synth_merge_eval(shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = shared_data / "corpora" / "ud-odia-odtb.txt"
    synth, merged, report_dir = tmp_path / "synth", tmp_path / "merged", tmp_path / "report"

    assert main(["synth", "--out", str(synth), "--count", "36", "--corpus", str(corpus), "--level", "clean",
                 "--only-family", "noto-sans-oriya-2.000", "--sizes", "26,34", "--min-chars", "10",
                 "--max-chars", "30", "--workers", "1", "--seed", "3"]) == 0
    assert len((synth / "manifest.jsonl").read_text(encoding="utf-8").splitlines()) == 36

    assert main(["data", "merge", str(synth), "--out", str(merged)]) == 0
    merged_rows = [json.loads(x) for x in (merged / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert 20 <= len(merged_rows) <= 36  # duplicate texts may be dropped, nothing else
    assert {r["split"] for r in merged_rows} <= {"train", "val", "test"}

    capsys.readouterr()
    assert main(["eval", "--engine", "tesseract", "--data", str(merged), "--group-by", "font,split",
                 "--out", str(report_dir)]) == 0
    assert "## By font" in capsys.readouterr().out
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    assert report["evaluated"] == len(merged_rows) and report["bad_samples"]["count"] == 0
    assert list(report["groups"]["font"]) == ["noto-sans-oriya-2.000"]
    assert report["overall"]["cer"] < 0.2, report["worst"][:3]
    assert report["throughput"]["per_second"] > 0
    assert 0.0 < report["mean_confidence"] <= 1.0
