"""Synthetic rendering: shaping correctness, determinism, degradation, dataset writing."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from odia_ocr.synth.corpus import TextSampler, load_corpus_lines, split_of
from odia_ocr.synth.degrade import LEVELS, degrade, sample_degradation
from odia_ocr.synth.fonts import discover_fonts, split_fonts
from odia_ocr.synth.lines import LineSynthesizer
from odia_ocr.synth.render import MIN_WORD_GAP_EM, LineRenderer


@pytest.fixture(scope="module")
def fonts(shared_data):
    return discover_fonts([shared_data / "fonts"])


def _font(fonts, family: str):
    return next(f for f in fonts if f.family == family)


@pytest.mark.parametrize("family", ["noto-sans-oriya", "noto-serif-oriya", "anek-odia", "lohit-odia", "samyak-oriya"])
@pytest.mark.parametrize("conjunct", ["କ୍ଷ", "ଷ୍ଟ୍ର", "ଶ୍ରୀ", "ନ୍ତ୍ର"])
def test_conjuncts_form(fonts, family: str, conjunct: str) -> None:
    """A shaped conjunct differs from the same letters with an explicit (ZWNJ-forced) virama, and is narrower."""
    r = LineRenderer()
    font = _font(fonts, family)
    shaped = r.render(conjunct, font, 40)
    explicit = r.render(conjunct.replace("୍", "୍\u200c"), font, 40)
    assert shaped.shape != explicit.shape or not np.array_equal(shaped, explicit)
    assert shaped.shape[1] < explicit.shape[1]


def test_two_part_vowel_wraps_consonant(fonts) -> None:
    """େ of କୋ is drawn left of the consonant: the ink starts further left than କ alone... in the same box."""
    r = LineRenderer()
    font = _font(fonts, "noto-sans-oriya")
    ko, ka = r.render("କୋ", font, 40), r.render("କ", font, 40)
    assert ko.shape[1] > ka.shape[1] * 1.5


def test_font_discovery_and_heldout_split(fonts) -> None:
    families = {f.family for f in fonts}
    assert {"noto-sans-oriya", "noto-serif-oriya", "anek-odia"} <= families
    assert all("freeserif" not in f.path.lower() for f in fonts)
    train, held = split_fonts(fonts)
    assert held and all(f.family == "lohit-odia" for f in held)
    assert not {f.family for f in train} & {f.family for f in held}
    assert all(f.license != "unknown" for f in fonts)
    variable = [f for f in fonts if f.axes]
    assert variable, "variable fonts should expand to named instances"


def test_variable_font_instances_render_differently(fonts) -> None:
    r = LineRenderer()
    anek = [f for f in fonts if f.family == "anek-odia"]
    light = next(f for f in anek if f.style == "var-Light")
    bold = next(f for f in anek if f.style == "var-Bold")
    a, b = r.render("ଓଡ଼ିଆ", light, 40), r.render("ଓଡ଼ିଆ", bold, 40)
    assert b.astype(float).sum() > a.astype(float).sum() * 1.2  # more ink when bolder


def test_sampling_is_deterministic(fonts, shared_data) -> None:
    sents = load_corpus_lines([shared_data / "corpora" / "ud-odia-odtb.txt"])
    syn = LineSynthesizer(fonts, TextSampler(sents, ["ଓଡ଼ିଆ", "ଭାଷା"]))
    a, b = syn.sample([5, 17]), syn.sample([5, 17])
    assert a.text == b.text and a.font == b.font and np.array_equal(a.image, b.image)
    c = syn.sample([5, 18])
    assert (c.text, c.font) != (a.text, a.font) or not np.array_equal(c.image, a.image)


def test_fonts_cover_their_text(fonts) -> None:
    """Latin text never goes to a font without Latin glyphs (utkal has none): no tofu in training data."""
    syn = LineSynthesizer(fonts, TextSampler(["ABC xyz 123"], [], p_sentence=1.0))
    for i in range(30):
        s = syn.sample([1, i], text="ABC xyz 123")
        font = next(f for f in fonts if f.name == s.font)
        assert syn.covers(font, s.text)


def test_degradation_levels_increase_damage(fonts) -> None:
    r = LineRenderer()
    mask = r.render("ଓଡ଼ିଆ ଭାଷା ଏକ ପ୍ରାଚୀନ ଭାଷା", _font(fonts, "noto-serif-oriya"), 32)
    clean = degrade(mask, sample_degradation(np.random.default_rng(0), LEVELS["clean"]), np.random.default_rng(0))
    assert np.array_equal(clean, 255 - mask)  # clean = black ink on white, nothing else
    diffs = []
    for level in ("light", "strong"):
        errs = []
        for seed in range(12):
            rng = np.random.default_rng(seed)
            img = degrade(mask, sample_degradation(rng, LEVELS[level]), rng)
            img = cv2.resize(img, clean.shape[::-1], interpolation=cv2.INTER_AREA)  # geometry changes the size
            errs.append(np.abs(img.astype(float) - clean).mean())
        diffs.append(np.mean(errs))
    assert diffs[0] < diffs[1]


def test_corpus_split_is_stable_and_disjoint(shared_data) -> None:
    lines = load_corpus_lines([shared_data / "corpora" / "common-voice-or.txt"])
    splits = [split_of(s) for s in lines]
    assert splits == [split_of(s) for s in lines]
    assert {"train", "val", "test"} <= set(splits)
    assert 0.02 < splits.count("test") / len(splits) < 0.08


def test_synth_cli_writes_standard_dataset(tmp_path: Path, tiny_corpus: Path) -> None:
    from odia_ocr.cli.main import main

    out = tmp_path / "ds"
    args = ["synth", "--out", str(out), "--count", "12", "--corpus", str(tiny_corpus), "--seed", "4", "--workers", "1",
            "--only-family", "noto-sans-oriya-2.000", "--level", "medium"]
    assert main(args) == 0
    rows = [json.loads(x) for x in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 12
    assert all((out / r["image"]).is_file() and r["text"] and r["level"] == "medium" for r in rows)
    again = tmp_path / "ds2"
    assert main([*args[:2], str(again), *args[3:]]) == 0
    assert (again / "manifest.jsonl").read_text() == (out / "manifest.jsonl").read_text()
    assert (again / rows[5]["image"]).read_bytes() == (out / rows[5]["image"]).read_bytes()


def test_synth_cli_binarize_share(tmp_path: Path, tiny_corpus: Path, capsys) -> None:
    """--binarize P renders bitonal-scan lines more often; a share outside [0, 1] is a one-line error."""
    from odia_ocr.cli.main import main

    base = ["synth", "--count", "6", "--corpus", str(tiny_corpus), "--seed", "4", "--workers", "1",
            "--only-family", "noto-sans-oriya-2.000", "--level", "medium"]
    assert main([*base, "--out", str(tmp_path / "plain")]) == 0
    assert main([*base, "--out", str(tmp_path / "bitonal"), "--binarize", "1"]) == 0
    names = sorted(p.name for p in (tmp_path / "plain" / "images").iterdir())
    changed = [n for n in names if (tmp_path / "plain" / "images" / n).read_bytes()
               != (tmp_path / "bitonal" / "images" / n).read_bytes()]
    assert len(names) == 6 and changed
    capsys.readouterr()
    assert main([*base, "--out", str(tmp_path / "x"), "--binarize", "1.5"]) == 2
    err = capsys.readouterr().err
    assert "--binarize 1.5: must be a share in [0, 1]" in err and len(err.strip().splitlines()) == 1


def test_synth_cli_bad_input(tmp_path: Path, capsys) -> None:
    from odia_ocr.cli.main import main

    assert main(["synth", "--out", str(tmp_path / "x"), "--corpus", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert "missing.txt: file not found" in err and len(err.strip().splitlines()) == 1


def test_erosion_never_erases_thin_text(fonts) -> None:
    """Thin fonts at small sizes keep most of their ink through the strongest degradations."""
    from odia_ocr.synth.degrade import Degradation

    r = LineRenderer()
    thin = next(f for f in fonts if f.style == "ExtraCondensedThin")
    mask = r.render("ଓଡ଼ିଆ ଭାଷା", thin, 18)
    out = degrade(mask, Degradation(morph=-2), np.random.default_rng(0))
    ink_before, ink_after = (mask > 127).sum(), (out < 128).sum()
    assert ink_after >= 0.5 * ink_before


def test_strength_weights_choose_training_bands(fonts) -> None:
    """Weights pick the training degradation bands (clean, light, up to strong, past strong)."""
    sampler = TextSampler(["ଓଡ଼ିଆ ଭାଷା ଓ ସାହିତ୍ୟ"], ["ଓଡ଼ିଆ"], p_sentence=1.0)
    only_clean = LineSynthesizer(fonts[:2], sampler, strength_weights=[1, 0, 0, 0])
    assert all(only_clean.sample([7, i]).meta["strength"] == 0.0 for i in range(6))
    only_hard = LineSynthesizer(fonts[:2], sampler, strength_weights=[0, 0, 0, 1])
    # the legibility check may halve a strength up to three times; the band itself starts at 0.7
    assert all(only_hard.sample([7, i]).meta["strength"] >= 0.7 / 8 for i in range(6))
    assert any(only_hard.sample([7, i]).meta["strength"] >= 0.7 for i in range(6))
    with pytest.raises(ValueError, match="strength_weights"):
        LineSynthesizer(fonts[:2], sampler, strength_weights=[1, 1])


def test_word_spacing_scales_only_word_gaps(fonts) -> None:
    """Scaled word spaces change the line's width, never a word's shape; the gap keeps a visible minimum."""
    r = LineRenderer()
    font = _font(fonts, "noto-sans-oriya")
    two_words = "ଓଡ଼ିଆ ଭାଷା"
    natural, tight, loose = (r.render(two_words, font, 32, 0.0, ws).shape[1] for ws in (1.0, 0.5, 1.8))
    assert tight < natural < loose
    one_word = "ଓଡ଼ିଆ"
    assert np.array_equal(r.render(one_word, font, 32), r.render(one_word, font, 32, 0.0, 0.5))
    # any narrower request draws the minimum gap of MIN_WORD_GAP_EM
    at_minimum = MIN_WORD_GAP_EM * 32 / r.font(font, 32).getlength(" ")
    assert at_minimum < 0.9
    assert np.array_equal(r.render(two_words, font, 32, 0.0, 0.01), r.render(two_words, font, 32, 0.0, at_minimum))


def test_word_spacing_variation_is_recorded(fonts) -> None:
    sampler = TextSampler(["ଓଡ଼ିଆ ଭାଷା ଓ ସାହିତ୍ୟ"], ["ଓଡ଼ିଆ"], p_sentence=1.0)
    syn = LineSynthesizer(fonts[:2], sampler, p_word_spacing=1.0)
    spacings = [syn.sample([11, i]).meta.get("word_spacing") for i in range(5)]
    assert all(s is not None and 0.5 <= s <= 1.8 for s in spacings)
    assert "word_spacing" not in LineSynthesizer(fonts[:2], sampler).sample([11, 0]).meta



def test_figure_spacing_widens_only_the_gaps_inside_numbers(fonts) -> None:
    """Tabular figures: digits of a number set apart; words, spaces and lone digits keep their places."""
    r = LineRenderer()
    font = _font(fonts, "noto-sans-oriya")
    words = "ଓଡ଼ିଆ ଭାଷା ୫"
    assert np.array_equal(r.render(words, font, 32), r.render(words, font, 32, figure_spacing=0.25))
    plain, spaced = r.render("ସନ ୧୯୪୩", font, 32), r.render("ସନ ୧୯୪୩", font, 32, figure_spacing=0.25)
    assert spaced.shape[1] - plain.shape[1] == pytest.approx(3 * 0.25 * 32, abs=3)  # three gaps inside ୧୯୪୩
    left = r.render("ସନ", font, 32)
    # the word before the number is drawn exactly as without figure spacing
    assert np.array_equal(spaced[:, : left.shape[1] - 8], plain[:, : left.shape[1] - 8])


def test_figure_spacing_is_drawn_only_for_lines_with_a_number(fonts) -> None:
    with_number = TextSampler(["ସନ ୧୯୪୩ ରେ"], [], p_sentence=1.0)
    without = TextSampler(["ଓଡ଼ିଆ ଭାଷା ଓ ସାହିତ୍ୟ ୫"], [], p_sentence=1.0)
    spacings = [LineSynthesizer(fonts[:2], with_number, p_figure_spacing=1.0).sample([12, i]).meta.get(
        "figure_spacing") for i in range(4)]
    assert all(s is not None and 0.05 <= s <= 0.25 for s in spacings)
    assert all("figure_spacing" not in LineSynthesizer(fonts[:2], without, p_figure_spacing=1.0).sample([12, i]).meta
               for i in range(4))
    # off (the default): the same line as a synthesizer without the option, pixel for pixel
    a = LineSynthesizer(fonts[:2], with_number).sample([12, 0])
    b = LineSynthesizer(fonts[:2], with_number, p_figure_spacing=0.0).sample([12, 0])
    assert np.array_equal(a.image, b.image) and "figure_spacing" not in a.meta


def test_synth_cli_pages_with_contents_and_insets(tmp_path: Path, tiny_corpus: Path, capsys) -> None:
    from odia_ocr.cli.main import main

    base = ["synth", "--kind", "pages", "--count", "1", "--corpus", str(tiny_corpus), "--only-family",
            "noto-sans-oriya-2.000", "--level", "clean"]
    assert main([*base, "--out", str(tmp_path / "c"), "--contents", "1"]) == 0
    row = json.loads((tmp_path / "c" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert row["meta"]["table"] is True
    assert main([*base, "--out", str(tmp_path / "x"), "--insets", "1.5"]) == 2
    err = capsys.readouterr().err
    assert "--insets 1.5: must be a share in [0, 1]" in err and len(err.strip().splitlines()) == 1


def test_family_sampling_draws_every_typeface_alike(fonts) -> None:
    """font_sampling="family": Samyak (one style, no danda) is drawn about as often as Noto Sans Oriya (20 styles),
    with texts it can render; the default draws it far less often, as every style counts alike."""
    texts = TextSampler(["ଓଡ଼ିଆ ଭାଷା ।", "ସାହିତ୍ୟ ଓ ସଂସ୍କୃତି ।", "ଭାରତ ଦେଶ"], [], p_sentence=1.0)
    families = sorted({f.family for f in fonts})
    n = 140

    def drawn(syn: LineSynthesizer) -> dict[str, int]:
        counts = dict.fromkeys(families, 0)
        for i in range(n):
            s = syn.sample([11, i], level="clean")
            font = next(f for f in fonts if f.name == s.font)
            assert syn.covers(font, s.text)
            counts[font.family] += 1
        return counts

    by_family = drawn(LineSynthesizer(fonts, texts, font_sampling="family"))
    by_style = drawn(LineSynthesizer(fonts, texts))
    fair = n / len(families)
    assert all(0.5 * fair <= c <= 1.6 * fair for c in by_family.values()), by_family
    assert by_style["samyak-oriya"] < 0.5 * fair < by_family["samyak-oriya"]
    assert by_style["noto-sans-oriya"] > 2 * by_family["noto-sans-oriya"]
    with pytest.raises(ValueError, match="font_sampling"):
        LineSynthesizer(fonts, texts, font_sampling="weight")


def test_families_is_a_copy_that_cannot_change_the_draw(fonts) -> None:
    """Emptying what ``families`` returns leaves the synthesizer drawing from every family, as before."""
    texts = TextSampler(["ଓଡ଼ିଆ ଭାଷା", "ଭାରତ ଦେଶ"], [], p_sentence=1.0)
    syn = LineSynthesizer(fonts, texts, font_sampling="family")
    before = [syn.sample([5, i], level="clean").font for i in range(6)]
    grouped = syn.families
    assert {f.family for f in fonts} == set(grouped)
    grouped.clear()
    assert set(syn.families) == {f.family for f in fonts}
    assert [syn.sample([5, i], level="clean").font for i in range(6)] == before


def test_p_binarize_binarizes_degraded_lines_and_leaves_other_recipes_unchanged(fonts, monkeypatch) -> None:
    """Bitonal-scan emphasis binarizes every degraded line at p=1, never a clean one, and draws nothing at p=0."""
    import odia_ocr.synth.lines as synth_lines

    sampler = TextSampler(["ଓଡ଼ିଆ ଭାଷା ଓ ସାହିତ୍ୟ"], ["ଓଡ଼ିଆ"], p_sentence=1.0)
    plain = LineSynthesizer(fonts[:2], sampler)
    zero = LineSynthesizer(fonts[:2], sampler, p_binarize=0.0)
    for i in range(4):
        assert np.array_equal(plain.sample([5, i], level="strong").image, zero.sample([5, i], level="strong").image)

    drawn: list = []

    def recording(mask, d, rng):
        drawn.append(d)
        return degrade(mask, d, rng)

    monkeypatch.setattr(synth_lines, "degrade", recording)
    always = LineSynthesizer(fonts[:2], sampler, p_binarize=1.0)
    for i in range(6):
        drawn.clear()
        always.sample([5, i], level="medium")
        assert drawn and all(d.binarize for d in drawn)
    drawn.clear()
    always.sample([5, 0], level="clean")
    assert drawn and not any(d.binarize for d in drawn)
    drawn.clear()
    for i in range(12):
        plain.sample([5, i], level="medium")
    assert not all(d.binarize for d in drawn)  # without it, a medium line is binarized only now and then


def test_each_line_records_the_degradation_it_went_through(fonts) -> None:
    """Each line keeps its own draw as plain JSON (the manifest's `degradation`); a clean line's is all zero."""
    from odia_ocr.synth.degrade import Degradation

    sampler = TextSampler(["ଓଡ଼ିଆ ଭାଷା ଓ ସାହିତ୍ୟ"], ["ଓଡ଼ିଆ"], p_sentence=1.0)
    syn = LineSynthesizer(fonts[:2], sampler)
    clean = syn.sample([8, 0], level="clean")
    assert Degradation.from_dict(clean.meta["degradation"]) == Degradation()
    strong = [syn.sample([8, i], level="strong") for i in range(6)]
    assert all(json.loads(json.dumps(s.meta["degradation"])) == s.meta["degradation"] for s in strong)
    assert len({json.dumps(s.meta["degradation"], sort_keys=True) for s in strong}) == 6
