"""Config files: every mistake is one line that names the file (train and vlm configs alike)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from odia_ocr.configfile import ConfigFileError
from odia_ocr.training.config import TrainConfig, apply_overrides, load_config


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("broken.toml", "max_steps = [\n", "invalid TOML"),
        ("broken.json", "{", "invalid JSON"),
        ("list.json", "[1, 2]", "expected a table of settings, got list"),
        ("typo.toml", "max_step = 10\n", "unknown config keys: max_step"),
        ("word.toml", 'lr = "fast"\n', "lr must be float (got 'fast')"),
        ("flag.toml", "bf16 = 1\n", "bf16 must be bool"),
        ("items.toml", 'channels = [8, "a"]\n', "channels must be tuple"),
        ("prob.toml", "p_letterpress = 2.0\n", "p_letterpress must be a probability"),
        ("bitonal.toml", "p_binarize = -0.1\n", "p_binarize must be a probability"),
    ],
)
def test_bad_train_config_names_file_and_problem(tmp_path: Path, name: str, text: str, problem: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigFileError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: ") and problem in str(err.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigFileError, match="no such config file"):
        load_config(tmp_path / "nope.toml")


def test_ints_are_accepted_where_floats_are_declared(tmp_path: Path) -> None:
    path = tmp_path / "ok.toml"
    path.write_text("lr = 1\nmax_steps = 5\nchannels = [4, 8, 8, 8, 16, 16]\n", encoding="utf-8")
    cfg = load_config(path)
    assert cfg.lr == 1 and cfg.max_steps == 5 and cfg.channels == (4, 8, 8, 8, 16, 16)


def test_override_with_wrong_type_is_rejected() -> None:
    with pytest.raises(ValueError, match="max_steps must be int"):
        apply_overrides(TrainConfig(), ["max_steps=ten"])


def test_shipped_recipes_load() -> None:
    for path in sorted(Path(__file__).parents[1].glob("configs/*.toml")):
        assert isinstance(load_config(path), TrainConfig), path


def test_cli_prints_one_line_and_exits_nonzero(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    path = tmp_path / "broken.toml"
    path.write_text("lr = [\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "odia_ocr", "train", "--config", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"odia-ocr: error: {path}: invalid TOML"), proc.stderr
