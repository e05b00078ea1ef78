"""Errors by artefact on the synthetic benchmark: the degradation each line records, and the script that reads it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from odia_ocr.synth.degrade import Degradation

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = str(ROOT / "benchmarks" / "artefact_errors.py")


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _row(i: int, edits: int, level: str, **damage: object) -> dict:
    return {"id": f"s{i}", "char_edits": edits, "chars": 10, "confidence": 0.9,
            "meta": {"level": level, "degradation": Degradation(**damage).to_dict()}}  # type: ignore[arg-type]


def test_degradation_round_trips_and_rejects_unknown_keys() -> None:
    d = Degradation(ink=30, binarize=True, downscale=2.5)
    assert Degradation.from_dict(json.loads(json.dumps(d.to_dict()))) == d
    with pytest.raises(ValueError, match="unknown degradation keys: sparkle"):
        Degradation.from_dict({**d.to_dict(), "sparkle": 1})


def test_artefact_errors_splits_a_level_by_each_artefact(tmp_path: Path) -> None:
    rows = [_row(0, 6, "strong", binarize=True), _row(1, 2, "strong", binarize=True, downscale=2.5),
            _row(2, 2, "strong"), _row(3, 0, "strong", downscale=3.0), _row(4, 9, "clean", binarize=True)]
    run = _write(tmp_path / "p.jsonl", [*rows, {"id": "bad", "error": "truncated"}])
    ok = subprocess.run([sys.executable, SCRIPT, str(run), "--out", str(tmp_path / "r")],
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    saved = json.loads((tmp_path / "r" / "artefact_errors.json").read_text(encoding="utf-8"))
    assert saved["lines"] == 4  # the clean line is another level
    art = {a["artefact"]: a for a in saved["artefacts"]}
    assert art["binarized"]["lines"] == 2 and art["binarized"]["cer"] == pytest.approx(0.4)
    assert art["binarized"]["share_of_errors"] == pytest.approx(0.8)
    assert art["binarized"]["cer_without"] == pytest.approx(0.1)
    assert art["resolution lost > 2×"]["lines"] == 2 and art["resolution lost > 2×"]["cer"] == pytest.approx(0.1)
    assert art["ink bleed"]["lines"] == 0 and art["ink bleed"]["cer"] is None


def test_artefact_errors_bad_input_is_one_line(tmp_path: Path) -> None:
    old_set = _write(tmp_path / "old.jsonl", [{"id": "a", "char_edits": 1, "chars": 5, "meta": {"level": "strong"}}])
    odd = _write(tmp_path / "odd.jsonl", [{"id": "a", "char_edits": 1, "chars": 5,
                                           "meta": {"level": "strong", "degradation": {"glow": 2}}}])
    for args, message in (([str(old_set)], "records no degradation per line"),
                          ([str(old_set), "--level", "light"], "no rows at level 'light'"),
                          ([str(odd)], "unreadable degradation (unknown degradation keys: glow)"),
                          ([str(tmp_path / "nope.jsonl")], "cannot read predictions")):
        bad = subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, check=False)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1
