"""What a dataset holds: samples and characters per source and split, charset coverage, problems by reason."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from odia_ocr.data.sample import Problem, Sample
from odia_ocr.text import Charset, default_charset

__all__ = ["NO_SPLIT", "Summary", "format_summary", "summarize"]

#: Split label of samples that have none.
NO_SPLIT = "(none)"


@dataclass
class Summary:
    """Counts for a report; ``chars`` counts every character of every text (newlines aside)."""

    samples: Counter[tuple[str, str]] = field(default_factory=Counter)  # (source, split) -> samples
    lengths: Counter[tuple[str, str]] = field(default_factory=Counter)  # (source, split) -> characters
    chars: Counter[str] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)  # reason -> count
    unknown: Counter[str] = field(default_factory=Counter)  # characters not in the charset
    charset_size: int = 0

    @property
    def total_samples(self) -> int:
        return sum(self.samples.values())

    @property
    def total_chars(self) -> int:
        return sum(self.chars.values())

    @property
    def coverage(self) -> float:
        """Share of character occurrences the charset can represent (1.0 for no text)."""
        total = self.total_chars
        return 1.0 - sum(self.unknown.values()) / total if total else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "samples": self.total_samples,
            "characters": self.total_chars,
            "distinct_characters": len(self.chars),
            "by_source_split": [
                {"source": src, "split": sp, "samples": n, "characters": self.lengths[(src, sp)]}
                for (src, sp), n in sorted(self.samples.items())
            ],
            "charset_size": self.charset_size,
            "charset_coverage": self.coverage,
            "not_in_charset": {f"U+{ord(c):04X}": n for c, n in self.unknown.most_common()},
            "problems": dict(sorted(self.problems.items())),
        }


def summarize(samples: Iterable[Sample], problems: Iterable[Problem] = (), charset: Charset | None = None) -> Summary:
    """Count ``samples`` (texts only: no image is read) and ``problems`` by reason."""
    charset = charset or default_charset()
    summary = Summary(charset_size=len(charset))
    for s in samples:
        key = (s.source, s.split or NO_SPLIT)
        text = s.text.replace("\n", "")
        summary.samples[key] += 1
        summary.lengths[key] += len(text)
        summary.chars.update(text)
    summary.unknown = Counter({c: n for c, n in summary.chars.items() if c not in charset})
    summary.problems.update(p.reason for p in problems)
    return summary


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def format_summary(summary: Summary, problems_title: str = "problems", max_unknown: int = 30) -> str:
    """A plain-text report: the per source/split table, totals per split, coverage, problems by reason."""
    rows = [("source", "split", "samples", "chars")]
    for (src, sp), n in sorted(summary.samples.items()):
        rows.append((src, sp, str(n), str(summary.lengths[(src, sp)])))
    splits: Counter[str] = Counter()
    split_chars: Counter[str] = Counter()
    for (src, sp), n in summary.samples.items():
        splits[sp] += n
        split_chars[sp] += summary.lengths[(src, sp)]
    if len(summary.samples) > 1:
        for sp in sorted(splits):
            rows.append(("all", sp, str(splits[sp]), str(split_chars[sp])))
    rows.append(("TOTAL", "", str(summary.total_samples), str(summary.total_chars)))
    lines = _table(rows)
    lines.append("")
    lines.append(
        f"characters: {summary.total_chars} ({len(summary.chars)} distinct); charset coverage "
        f"{summary.coverage:.2%} (charset of {summary.charset_size} symbols)"
    )
    if summary.unknown:
        lines.append(f"not in charset: {len(summary.unknown)} distinct, {sum(summary.unknown.values())} occurrences")
        for ch, n in summary.unknown.most_common(max_unknown):
            lines.append(f"  U+{ord(ch):04X} {ch!r:>6} x{n}")
        if len(summary.unknown) > max_unknown:
            lines.append(f"  ... and {len(summary.unknown) - max_unknown} more")
    lines.append(f"{problems_title}: {sum(summary.problems.values())}")
    width = max((len(r) for r in summary.problems), default=0)
    for reason, n in sorted(summary.problems.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {reason.ljust(width)}  {n}")
    return "\n".join(lines)
