"""Bootstrap intervals of CER, paired comparisons of two runs, and the benchmark script that prints them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from odia_ocr.evaluation.compare import ALL, PredictionsError, compare_groups, load_predictions
from odia_ocr.evaluation.interval import cer_interval, paired_difference

ROOT = Path(__file__).resolve().parents[1]


def test_interval_holds_the_rate_and_narrows_with_more_samples() -> None:
    rng = np.random.default_rng(3)
    chars = rng.integers(10, 60, 2000)
    edits = rng.binomial(chars, 0.04)
    rate = edits.sum() / chars.sum()
    small = cer_interval(edits[:100], chars[:100])
    large = cer_interval(edits, chars)
    assert large[0] < rate < large[1]
    assert large[1] - large[0] < 0.6 * (small[1] - small[0])
    assert cer_interval(edits, chars, seed=5) != large  # another draw of resamples ...
    assert cer_interval(edits, chars) == large  # ... and the same seed gives the same interval


def test_interval_widens_when_few_lines_hold_the_errors() -> None:
    """Same corpus CER, errors spread over every line or piled on three: the second is far less certain."""
    chars = np.full(150, 20)
    spread = np.ones(150, int)
    piled = np.zeros(150, int)
    piled[:3] = 50
    assert spread.sum() == piled.sum()
    lo_s, hi_s = cer_interval(spread, chars)
    lo_p, hi_p = cer_interval(piled, chars)
    assert hi_s - lo_s == 0.0  # every resample has the same rate
    assert hi_p - lo_p > 0.04


def test_interval_edge_cases_and_bad_input() -> None:
    assert cer_interval([], []) == (0.0, 0.0)
    assert cer_interval([2], [10]) == (0.2, 0.2)
    with pytest.raises(ValueError, match="equally long"):
        cer_interval([1, 2], [3])
    with pytest.raises(ValueError, match="confidence"):
        cer_interval([1], [3], confidence=1.5)


def test_paired_difference_sees_a_small_consistent_gain_that_unpaired_intervals_hide() -> None:
    rng = np.random.default_rng(0)
    chars = rng.integers(10, 60, 175)
    a = rng.binomial(chars, rng.uniform(0, 0.1, 175))
    b = a.copy()
    b[::4] = np.maximum(0, b[::4] - 1)  # B reads one character better on every fourth line
    d = paired_difference(a, b, chars)
    assert d.diff < 0 and d.high < 0 and d.clear
    lo_a, hi_a = cer_interval(a, chars)
    assert lo_a < d.cer_b < hi_a  # B's CER is inside A's own interval: unpaired, it would look like noise
    same = paired_difference(a, a, chars)
    assert (same.diff, same.low, same.high, same.clear) == (0.0, 0.0, 0.0, False)


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _rows(edits: list[int], levels: list[str]) -> list[dict]:
    return [{"id": f"s{i}", "char_edits": e, "chars": 20, "source": "t", "meta": {"level": lv}}
            for i, (e, lv) in enumerate(zip(edits, levels, strict=True))]


def test_compare_groups_by_level(tmp_path: Path) -> None:
    levels = ["clean"] * 40 + ["strong"] * 40
    a = _write(tmp_path / "a.jsonl", [*_rows([0] * 40 + [4] * 40, levels), {"id": "bad", "error": "truncated"}])
    (tmp_path / "b").mkdir()
    b = _write(tmp_path / "b" / "predictions.jsonl", _rows([0] * 40 + [1] * 40, levels))
    out = compare_groups(load_predictions(a), load_predictions(tmp_path / "b"), "level")
    assert list(out) == [ALL, "clean", "strong"]
    n, _, interval_b, strong = out["strong"]
    assert interval_b == cer_interval([1] * 40, [20] * 40) == (0.05, 0.05)
    assert n == 40 and strong.cer_a == pytest.approx(0.2) and strong.cer_b == pytest.approx(0.05)
    assert strong.clear and strong.high < 0
    assert not out["clean"].difference.clear
    assert out[ALL].samples == 80  # the row with an error was left out of A, as B never had it
    assert b.exists()


def test_compare_refuses_runs_of_different_samples(tmp_path: Path) -> None:
    a = load_predictions(_write(tmp_path / "a.jsonl", _rows([0, 1], ["x", "x"])))
    b = load_predictions(_write(tmp_path / "b.jsonl", _rows([0, 1, 2], ["x", "x", "x"])))
    with pytest.raises(PredictionsError, match=r"different samples: 0 only in A .* 1 only in B"):
        compare_groups(a, b)
    longer = {k: {**v, "chars": v["chars"] + 1} for k, v in a.items()}
    with pytest.raises(PredictionsError, match="differ in length for 2 samples"):
        compare_groups(a, longer)


def test_load_predictions_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "p.jsonl"
    bad.write_text('{"id": "a", "char_edits": 1, "chars": 3}\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(PredictionsError, match=r"p.jsonl, line 2: not a prediction row"):
        load_predictions(bad)
    with pytest.raises(PredictionsError, match=r"missing.jsonl: cannot read predictions"):
        load_predictions(tmp_path / "missing.jsonl")


def test_compare_runs_script(tmp_path: Path) -> None:
    levels = ["strong"] * 30
    a = _write(tmp_path / "a.jsonl", _rows([5] * 30, levels))
    b = _write(tmp_path / "b.jsonl", _rows([1] * 30, levels))
    script = str(ROOT / "benchmarks" / "compare_runs.py")
    ok = subprocess.run([sys.executable, script, str(a), str(b), "--out", str(tmp_path / "res")],
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert "| strong | 30 | 25.00% (25.00–25.00) | 5.00% (5.00–5.00) | -20.00 |" in ok.stdout
    assert "B better" in ok.stdout
    saved = json.loads((tmp_path / "res" / "compare_runs.json").read_text(encoding="utf-8"))
    assert saved["groups"]["strong"]["verdict"] == "B better"
    bad = subprocess.run([sys.executable, script, str(a), str(tmp_path / "nope.jsonl")],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and "nope.jsonl: cannot read predictions" in bad.stderr


def test_confidence_bins_script(tmp_path: Path) -> None:
    """Lines are counted in the band of their confidence, and each band holds its share of the errors."""
    rows = [{"id": f"s{i}", "char_edits": e, "chars": 10, "confidence": c, "meta": {}}
            for i, (e, c) in enumerate([(6, 0.3), (2, 0.8), (2, 0.8), (0, 0.99), (0, 1.0)])]
    run = _write(tmp_path / "p.jsonl", [*rows, {"id": "bad", "error": "truncated"}])
    script = str(ROOT / "benchmarks" / "confidence_bins.py")
    ok = subprocess.run([sys.executable, script, str(run), "--edges", "0.5,0.97", "--out", str(tmp_path / "r")],
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    saved = json.loads((tmp_path / "r" / "confidence_bins.json").read_text(encoding="utf-8"))["bands"]
    assert [b["lines"] for b in saved] == [1, 2, 2]  # 1.0 falls in the last band
    assert [b["share_of_errors"] for b in saved] == [0.6, 0.4, 0.0]
    assert saved[1]["cer"] == pytest.approx(0.2)
    no_conf = _write(tmp_path / "n.jsonl", [{**rows[0], "confidence": None}])
    for args, message in (([str(no_conf)], "1 of 1 rows have no confidence"),
                          ([str(run), "--edges", "0.9,0.5"], "must increase")):
        bad = subprocess.run([sys.executable, script, *args], capture_output=True, text=True, check=False)
        assert bad.returncode == 2 and message in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_compare_gives_the_same_intervals_as_the_report(tmp_path: Path) -> None:
    """A run's CER interval reads the same in compare_runs as in its own report: samples resampled in one order."""
    rng = np.random.default_rng(1)
    edits = rng.integers(0, 5, 60).tolist()
    rows = [{"id": f"z{59 - i}", "char_edits": e, "chars": 20, "source": "t", "meta": {}} for i, e in enumerate(edits)]
    run = load_predictions(_write(tmp_path / "p.jsonl", rows))
    assert compare_groups(run, run)[ALL].interval_a == cer_interval(edits, [20] * 60)
