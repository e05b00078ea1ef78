"""Conventions shared by all sub-commands: one-line errors and per-file problem reports."""

from __future__ import annotations

import sys

__all__ = ["CliError", "report_problem"]


class CliError(Exception):
    """A failure of the whole command; printed as one line, exit status 2."""


def report_problem(message: str) -> None:
    """Print a one-line problem with one input (the batch goes on and counts it)."""
    print(f"odia-ocr: {message}", file=sys.stderr)
