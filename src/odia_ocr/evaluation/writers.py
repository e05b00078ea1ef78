"""Write an evaluation as files: report.md for people, report.json and predictions.jsonl for tools."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from odia_ocr.evaluation.runner import EvalRun

__all__ = ["markdown_table", "percent", "render_markdown", "write_predictions", "write_report"]


def percent(rate: float | None) -> str:
    """A rate as a percentage with two decimals ('–' when unknown)."""
    return "–" if rate is None else f"{100 * rate:.2f}%"


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table; the first column is left-aligned, the rest right-aligned."""
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |",
             "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def interval_cell(summary: dict[str, Any]) -> str:
    """A summary's CER interval as a table cell ('–' when it has none)."""
    lo_hi = summary.get("cer_interval")
    return f"{percent(lo_hi[0])}–{percent(lo_hi[1])}" if lo_hi else "–"


def _rates_row(label: str, s: dict[str, Any]) -> list[Any]:
    return [label, percent(s["cer"]), interval_cell(s), percent(s["wer"]), percent(s["aer"]), s["samples"], s["chars"]]


_RATES_HEADER = ("", "CER", "CER 95% interval", "WER", "akshara ER", "samples", "ref chars")


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: summary, per-group tables, confusions and the worst samples."""
    mode = "page mode, whitespace collapsed" if report["page_mode"] else "line mode"
    tp = report["throughput"]
    out = [f"# Evaluation: {report['engine']}", ""]
    if report.get("data"):
        out.append(f"Data: `{report['data']}`" + (f" (split `{report['split']}`)" if report.get("split") else ""))
    out += [
        f"Mode: {mode}. Evaluated {report['evaluated']} samples; {report['bad_samples']['count']} could not be.",
        f"Throughput: {tp['per_second']:.2f} {tp['unit']}/s ({tp['items']} {tp['unit']} in {tp['engine_seconds']:.1f} s"
        " of engine time).",
        "",
        markdown_table(_RATES_HEADER, [_rates_row("overall", report["overall"])]),
    ]
    for key, groups in report["groups"].items():
        out += ["", f"## By {key}", "", markdown_table(_RATES_HEADER, [_rates_row(v, s) for v, s in groups.items()])]
    if report["confusions"]:
        out += ["", "## Most frequent confusions (reference → prediction, ∅ = nothing)", "",
                markdown_table(("confusion", "count"), [(c["shown"], c["count"]) for c in report["confusions"]])]
    if report["worst"]:
        out += ["", "## Worst samples", ""]
        for w in report["worst"]:
            out += [f"**{w['id']}**: CER {percent(w['cer'])} ({w['char_edits']}/{w['chars']})", "",
                    "```", w["view"], "```", ""]
    if report["bad_samples"]["count"]:
        out += ["", "## Samples that could not be evaluated", ""]
        out += [f"- `{b['id']}`: {b['error']}" for b in report["bad_samples"]["items"]]
    return "\n".join(out).rstrip() + "\n"


def write_predictions(run: EvalRun, path: str | Path) -> None:
    """One JSON object per sample: prediction, reference, counts and metadata; bad samples carry ``error``."""
    with Path(path).open("w", encoding="utf-8") as f:
        for r in run.results:
            row = {"id": r.id, "prediction": r.prediction, "reference": r.reference, "confidence": r.confidence,
                   "cer": round(r.counts.cer, 6), "char_edits": r.counts.char_edits, "chars": r.counts.chars,
                   "word_edits": r.counts.word_edits, "words": r.counts.words,
                   "akshara_edits": r.counts.akshara_edits, "aksharas": r.counts.aksharas,
                   "source": r.source, "meta": r.meta}
            f.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        for b in run.bad:
            f.write(json.dumps({"id": b.id, "error": b.error}, ensure_ascii=False) + "\n")


def write_report(run: EvalRun, report: dict[str, Any], out_dir: str | Path) -> Path:
    """Write report.md, report.json and predictions.jsonl into ``out_dir`` (created); returns the folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n",
                                     encoding="utf-8")
    (out / "report.md").write_text(render_markdown(report), encoding="utf-8")
    write_predictions(run, out / "predictions.jsonl")
    return out
