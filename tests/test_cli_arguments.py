"""Counts and sizes on the command line: 0, negative or non-numbers are usage errors, not silent no-ops."""

from __future__ import annotations

import pytest

from odia_ocr.cli.main import main


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["synth", "--out", "x", "--count", "-1"], "--count"),
        (["synth", "--out", "x", "--count", "0"], "--count"),
        (["synth", "--out", "x", "--workers", "0"], "--workers"),
        (["read", "--batch-size", "0", "a.png"], "--batch-size"),
        (["eval", "--data", "x", "--limit", "abc"], "--limit"),
    ],
)
def test_bad_counts_are_usage_errors(argv: list[str], option: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}: expected a whole number of at least 1" in err
    assert "Traceback" not in err
