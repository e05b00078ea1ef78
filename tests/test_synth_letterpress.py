"""Letterpress artefacts: off by default, deterministic, and they mark the print without erasing the text."""

from __future__ import annotations

import json

import numpy as np
import pytest

from odia_ocr.synth.corpus import TextSampler
from odia_ocr.synth.fonts import discover_fonts
from odia_ocr.synth.letterpress import Letterpress, apply_letterpress, sample_letterpress
from odia_ocr.synth.lines import LineSynthesizer
from odia_ocr.synth.render import LineRenderer


@pytest.fixture(scope="module")
def fonts(shared_data):
    return [f for f in discover_fonts([shared_data / "fonts"]) if f.family == "noto-serif-oriya"]


@pytest.fixture(scope="module")
def mask(fonts):
    return LineRenderer().render("ଓଡ଼ିଆ ଭାଷା ଏକ ପ୍ରାଚୀନ ଭାଷା", fonts[0], 32)


def _ink(m: np.ndarray) -> float:
    return float(m.astype(np.float64).sum())


def test_no_artefacts_leave_the_mask_unchanged(mask) -> None:
    assert np.array_equal(apply_letterpress(mask, Letterpress(), np.random.default_rng(0)), mask)


def test_same_seed_same_print(mask) -> None:
    def printed(seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        return apply_letterpress(mask, sample_letterpress(rng), rng)

    assert np.array_equal(printed(3), printed(3))
    assert any(not np.array_equal(printed(3), printed(s)) for s in range(4, 8))


def test_misaligned_sorts_move_clusters_but_keep_every_pixel(mask) -> None:
    out = apply_letterpress(mask, Letterpress(jitter=0.03), np.random.default_rng(0))
    assert out.shape[1] == mask.shape[1] and out.shape[0] > mask.shape[0]
    assert _ink(out) == _ink(mask)
    pad = (out.shape[0] - mask.shape[0]) // 2
    assert not np.array_equal(out[pad : pad + mask.shape[0]], mask)  # some cluster moved


def test_breaks_and_uneven_inking_lighten_but_keep_most_ink(mask) -> None:
    for lp in (Letterpress(breaks=0.22), Letterpress(inking=0.6), Letterpress(ragged=0.4)):
        kept = [_ink(apply_letterpress(mask, lp, np.random.default_rng(s))) / _ink(mask) for s in range(5)]
        assert all(0.5 < k < 1.25 for k in kept), (lp, kept)
    broken = [_ink(apply_letterpress(mask, Letterpress(breaks=0.22), np.random.default_rng(s))) for s in range(5)]
    assert min(broken) < _ink(mask)


def test_show_through_is_faint(mask) -> None:
    out = apply_letterpress(mask, Letterpress(show_through=0.15), np.random.default_rng(0))
    added = out.astype(int) - mask.astype(int)
    assert added.max() > 0 and added.max() <= 0.15 * 255 + 1
    assert added.min() >= 0


def test_synthesizer_prints_letterpress_only_when_asked(fonts, tiny_corpus) -> None:
    texts = TextSampler(tiny_corpus.read_text(encoding="utf-8").splitlines())
    plain = LineSynthesizer(fonts, texts)
    never = LineSynthesizer(fonts, texts, p_letterpress=0.0)
    always = LineSynthesizer(fonts, texts, p_letterpress=1.0)
    for k in range(3):
        a, b, c = plain.sample([7, k]), never.sample([7, k]), always.sample([7, k])
        assert np.array_equal(a.image, b.image) and "letterpress" not in b.meta
        assert c.text == a.text and "letterpress" in c.meta


def test_synth_command_writes_letterpress_lines(shared_data, tmp_path, capsys) -> None:
    from odia_ocr.cli.main import main

    out = tmp_path / "lp"
    corpus = shared_data / "corpora" / "ud-odia-odtb.txt"
    assert main(["synth", "--out", str(out), "--count", "6", "--corpus", str(corpus), "--letterpress", "1",
                 "--only-family", "noto-serif-oriya", "--font-dir", str(shared_data / "fonts"), "--workers", "1"]) == 0
    rows = [json.loads(x) for x in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 6 and all("letterpress" in r for r in rows)
    assert main(["synth", "--out", str(out), "--corpus", str(corpus), "--letterpress", "2"]) != 0
    assert "--letterpress 2.0: must be a share in [0, 1]" in capsys.readouterr().err
