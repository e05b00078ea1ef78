"""The evaluation runner and reports: group math, bad samples, throughput timing, written files."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from odia_ocr.data.images import ImageError
from odia_ocr.engines.base import LineResult
from odia_ocr.evaluation import build_report, evaluate, group_totals, render_markdown, write_report
from odia_ocr.evaluation.interval import cer_interval
from odia_ocr.metrics import score_pair


@dataclass
class FakeSample:
    """A sample whose image encodes its index in the top-left pixel, so the fake engine can 'read' it."""

    id: str
    text: str
    index: int
    source: str = "fake"
    meta: dict[str, Any] = field(default_factory=dict)
    broken: bool = False
    load_delay: float = 0.0

    def load(self) -> Image.Image:
        time.sleep(self.load_delay)
        if self.broken:
            raise ImageError(f"{self.id}.png: broken or truncated image (image file is truncated)")
        arr = np.full((8, 20), 255, np.uint8)
        arr[0, 0] = self.index
        return Image.fromarray(arr)


class TableEngine:
    """Returns a fixed prediction per sample index; an index in ``fail_on`` makes the engine raise."""

    name = "table"

    def __init__(self, predictions: Sequence[str], fail_on: Sequence[int] = (), delay: float = 0.0) -> None:
        self.predictions = list(predictions)
        self.fail_on = set(fail_on)
        self.delay = delay
        self.calls = 0

    def recognize(self, images: Sequence[np.ndarray]) -> list[LineResult]:
        self.calls += 1
        time.sleep(self.delay)
        out = []
        for img in images:
            i = int(img[0, 0])
            if i in self.fail_on:
                raise RuntimeError(f"cannot read image {i}\nsecond line of detail")
            out.append(LineResult(self.predictions[i], 0.5))
        return out


REFS = ["ଆଜି ଭଲ ଦିନ", "ଓଡ଼ିଆ", "ସରକାର ନୂଆ ଯୋଜନା", "କ"]
PREDS = ["ଆଜି ଭଲ ଦିନ", "ଓଡିଆ", "ସରକର ନୂଅ ଯୋଜନା", "ଖ"]
FONTS = ["a", "b", "a", "b"]


def _samples(**kwargs: Any) -> list[FakeSample]:
    return [FakeSample(f"s{i}", r, i, meta={"font": f, "level": "clean"}, **kwargs)
            for i, (r, f) in enumerate(zip(REFS, FONTS, strict=True))]


def test_group_rates_are_corpus_rates() -> None:
    run = evaluate(TableEngine(PREDS), _samples(), batch_size=3)
    assert len(run.results) == 4 and not run.bad
    counts = [score_pair(r, p) for r, p in zip(REFS, PREDS, strict=True)]
    groups = group_totals(run.results, "font")
    for font in ("a", "b"):
        idx = [i for i, f in enumerate(FONTS) if f == font]
        expected = sum(counts[i].char_edits for i in idx) / sum(counts[i].chars for i in idx)
        assert groups[font].cer == pytest.approx(expected)
    # Group b: the 1-char line is 100% wrong, but the group's rate is not the mean of per-line rates.
    assert groups["b"].cer != pytest.approx((counts[1].cer + counts[3].cer) / 2)
    total = sum(c.char_edits for c in counts) / sum(c.chars for c in counts)
    assert run.total.cer == pytest.approx(total)
    report = build_report(run)
    assert report["overall"]["cer"] == pytest.approx(total, abs=1e-6)
    assert set(report["groups"]) == {"source", "font", "level"}
    assert report["groups"]["font"]["b"]["samples"] == 2
    # every CER carries its bootstrap interval over the group's own samples
    lo, hi = report["overall"]["cer_interval"]
    assert lo <= report["overall"]["cer"] <= hi and lo < hi
    b_rows = [i for i, f in enumerate(FONTS) if f == "b"]
    expected_b = cer_interval([counts[i].char_edits for i in b_rows], [counts[i].chars for i in b_rows])
    assert report["groups"]["font"]["b"]["cer_interval"] == [round(x, 6) for x in expected_b]
    assert report["worst"][0]["id"] == "s3"  # CER 100%
    assert report["worst"][0]["edits"] == [["replace", "କ", "ଖ"]]
    assert all(w["id"] != "s0" for w in report["worst"])  # perfect lines are not "worst"


def test_group_by_named_keys_and_missing_values() -> None:
    samples = _samples()
    samples[2].meta["heldout_font"] = True
    report = build_report(evaluate(TableEngine(PREDS), samples), group_by=["heldout_font", "nope"])
    assert set(report["groups"]) == {"heldout_font", "nope"}
    assert set(report["groups"]["heldout_font"]) == {"true", "(none)"}
    assert report["groups"]["nope"]["(none)"]["samples"] == 4


def test_bad_image_is_counted_and_the_run_goes_on() -> None:
    samples = _samples()
    samples[1].broken = True
    problems: list[str] = []
    run = evaluate(TableEngine(PREDS), samples, on_problem=problems.append)
    assert [r.id for r in run.results] == ["s0", "s2", "s3"]
    assert [b.id for b in run.bad] == ["s1"]
    assert problems == ["s1: s1.png: broken or truncated image (image file is truncated)"]
    assert build_report(run)["bad_samples"]["count"] == 1


def test_engine_failure_on_one_image_spares_the_rest_of_its_batch() -> None:
    engine = TableEngine(PREDS, fail_on=[2])
    run = evaluate(engine, _samples(), batch_size=4)
    assert [r.id for r in run.results] == ["s0", "s1", "s3"]
    assert run.bad[0].id == "s2" and run.bad[0].error == "engine failed: cannot read image 2"
    assert engine.calls == 1 + 4  # the batch, then one by one


def test_throughput_times_only_the_engine() -> None:
    run = evaluate(TableEngine(PREDS, delay=0.05), _samples(load_delay=0.15), batch_size=2)
    assert 0.1 <= run.engine_seconds < 0.45  # two engine calls; the 0.6 s of loading is not counted
    assert run.items_per_second == pytest.approx(4 / run.engine_seconds)


def test_page_mode_needs_a_page_reader_and_collapses_whitespace() -> None:
    with pytest.raises(TypeError, match="recognize_page"):
        evaluate(TableEngine(PREDS), _samples(), page_mode=True)

    class PageEngine:
        name = "pages"

        def recognize_page(self, image: np.ndarray) -> str:
            return "ଆଜି\nଭଲ   ଦିନ"

    run = evaluate(PageEngine(), _samples()[:1], page_mode=True)
    assert run.results[0].counts.char_edits == 0 and run.results[0].confidence is None
    assert build_report(run)["throughput"]["unit"] == "pages"


def test_written_report(tmp_path: Path) -> None:
    samples = _samples()
    samples[3].broken = True
    run = evaluate(TableEngine(PREDS), samples)
    report = build_report(run, info={"data": "somewhere", "split": "test"})
    write_report(run, report, tmp_path / "out")
    loaded = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert loaded["overall"] == report["overall"] and loaded["data"] == "somewhere"
    rows = [json.loads(x) for x in (tmp_path / "out" / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["s0", "s1", "s2", "s3"]
    assert rows[1]["prediction"] == "ଓଡିଆ" and rows[1]["meta"]["font"] == "b"
    assert "error" in rows[3]
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert md == render_markdown(report)
    assert "| CER 95% interval |" in md
    for heading in ("# Evaluation: table", "## By font", "## Worst samples", "could not be evaluated", "`s3`"):
        assert heading in md
    assert "[-ସରକାର-]" in md or "[-କା-]" in md
