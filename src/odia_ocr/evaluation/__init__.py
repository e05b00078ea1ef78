"""Evaluation: run an engine over a dataset, score it, and write Markdown and JSON reports."""

from odia_ocr.evaluation.runner import BadSample, EvalRun, EvalSample, PageRecognizer, SampleResult, evaluate
from odia_ocr.evaluation.summary import build_report, group_totals
from odia_ocr.evaluation.writers import render_markdown, write_report

__all__ = [
    "BadSample",
    "EvalRun",
    "EvalSample",
    "PageRecognizer",
    "SampleResult",
    "build_report",
    "evaluate",
    "group_totals",
    "render_markdown",
    "write_report",
]
