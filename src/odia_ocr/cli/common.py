"""Conventions shared by all sub-commands: one-line errors and per-file problem reports."""

from __future__ import annotations

import argparse
import sys

__all__ = ["CliError", "confidence_threshold", "positive_int", "report_problem"]


class CliError(Exception):
    """A failure of the whole command; printed as one line, exit status 2."""


def report_problem(message: str) -> None:
    """Print a one-line problem with one input (the batch goes on and counts it)."""
    print(f"odia-ocr: {message}", file=sys.stderr)


def confidence_threshold(value: str) -> float:
    """argparse type for a confidence threshold: a number from 0 to 1 (a little over 1 means 'always')."""
    try:
        tau = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value!r}") from None
    if not 0.0 <= tau <= 1.01:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value}")
    return tau


def positive_int(value: str) -> int:
    """argparse type for counts and sizes: a whole number of at least 1 (0 or less would silently do nothing)."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value}")
    return n
