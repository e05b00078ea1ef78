"""scripts/card_benchmarks.py: a model card's benchmark section, rendered from the benchmark runs' JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "card_benchmarks.py")
CARD = "# m\n\n## Metrics\n- Validation CER: 0.03\n\n## Known limits\n- No handwriting.\n"
MACHINE = {"date": "2026-12-06 11:41 UTC", "cpu": "Test CPU", "cores": 2}


def _group(cer: float) -> dict:
    return {"cer": cer, "cer_interval": [cer / 2, cer * 2], "samples": 175}


def _engine(scale: float) -> dict:
    levels = {"clean": 0.004, "light": 0.007, "medium": 0.017, "strong": 0.042}
    return {"overall": _group(0.0174 * scale) | {"samples": 700},
            "groups": {"level": {k: _group(v * scale) for k, v in levels.items()},
                       "heldout_font": {"true": _group(0.029 * scale), "false": _group(0.015 * scale)}}}


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    synth = {"machine": MACHINE, "engines": {"default": _engine(1), "tesseract": _engine(10),
                                             "tesseract-script": _engine(8)}}
    real = {"machine": MACHINE,
            "sets": {"blog-6": {"default": {"overall": {"cer": 0.0548, "samples": 5}},
                                "tesseract-script": {"overall": {"cer": 0.1877, "samples": 5}}}},
            "partial": {"default": {"story": {"cer": 0.0669}}, "tesseract": {"story": {"cer": 0.1671}}}}
    paths = tmp_path / "card.md", tmp_path / "synth.json", tmp_path / "real.json"
    paths[0].write_text(CARD, encoding="utf-8")
    paths[1].write_text(json.dumps(synth), encoding="utf-8")
    paths[2].write_text(json.dumps(real), encoding="utf-8")
    return paths


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, timeout=60)


def test_section_goes_before_known_limits_and_is_replaced_whole(tmp_path: Path) -> None:
    card, synth, real = _files(tmp_path)
    args = (str(card), "--engine", "default", "--synth", str(synth), "--real", str(real))
    assert _run(*args).returncode == 0
    text = card.read_text(encoding="utf-8")
    assert text.index("## Metrics") < text.index("## Benchmarks") < text.index("## Known limits")
    assert "| strong | 4.20% (2.10%–8.40%) | 33.60% (`tesseract-script`) |" in text
    assert "| font held out of training | 2.90% (1.45%–5.80%) | 23.20% (`tesseract-script`) |" in text
    assert "| blog-6 (5 pages) | 5.48% | 18.77% (`tesseract-script`) |" in text
    assert "| story (transcribed in part) | 6.69% | 16.71% (`tesseract`) |" in text
    assert "2026-12-06 11:41 UTC, Test CPU with 2 cores" in text
    assert _run(*args).returncode == 0  # a second run replaces the section instead of adding one
    assert card.read_text(encoding="utf-8") == text
    assert text.endswith("## Known limits\n- No handwriting.\n")


def test_unknown_engine_or_missing_file_is_one_line_error(tmp_path: Path) -> None:
    card, synth, _ = _files(tmp_path)
    done = _run(str(card), "--engine", "compact", "--synth", str(synth))
    assert done.returncode == 1 and "engine 'compact' is not in" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    done = _run(str(card), "--engine", "default", "--synth", str(tmp_path / "nope.json"))
    assert done.returncode == 1 and "nope.json" in done.stderr
    assert card.read_text(encoding="utf-8") == CARD
