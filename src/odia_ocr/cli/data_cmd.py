"""`odia-ocr data`: merge datasets into the standard format (`merge`) and describe any dataset (`stats`)."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from odia_ocr.cli.common import CliError, report_problem

if TYPE_CHECKING:
    from odia_ocr.data import LineDataset, Problem

__all__ = ["SourceSpec", "parse_source", "register"]

#: Problems printed one per line before the rest are only counted.
MAX_PRINTED = 50

SRC_HELP = """\
SRC is a dataset path, optionally followed by '::' and comma-separated options:
  PATH                                  a folder with manifest.jsonl (standard format), a folder of
                                        x.png + x.gt.txt files, a Hugging Face save_to_disk folder, a folder
                                        of .parquet files, or a .jsonl / .csv / .tsv / .parquet file
  hf:OWNER/NAME                         a Hugging Face Hub dataset (downloaded; needs odia-ocr[hf])
  PATH::image_col=img,text_col=label    this source's column names (default: --image-col, --text-col)
  PATH::source=NAME                     the value of the `source` column (default: the row's own, else
                                        the folder or file name)
  PATH::split=test                      read only that split of the source
Example: odia-ocr data merge books/ hf:someone/odia-lines::text_col=label scans.parquet::image_col=img --out merged
"""


@dataclass
class SourceSpec:
    """A parsed SRC argument: where the dataset is and how to read its columns."""

    path: str
    image_col: str = "image"
    text_col: str = "text"
    source: str | None = None
    split: str | None = None

    def open(self) -> LineDataset:
        from odia_ocr.data import DatasetError, open_dataset

        try:
            return open_dataset(self.path, self.image_col, self.text_col, source=self.source, split=self.split)
        except DatasetError as err:
            raise CliError(str(err)) from None


_OPTION_KEYS = {"image_col": "image_col", "image": "image_col", "text_col": "text_col", "text": "text_col"}


def parse_source(spec: str, image_col: str = "image", text_col: str = "text") -> SourceSpec:
    """Parse ``PATH[::key=value,...]`` (keys: image_col, text_col, source, split); see ``SRC_HELP``."""
    path, _, options = spec.partition("::")
    values: dict[str, Any] = {"image_col": image_col, "text_col": text_col, "source": None, "split": None}
    for option in filter(None, (o.strip() for o in options.split(","))):
        key, eq, value = option.partition("=")
        key = _OPTION_KEYS.get(key.strip(), key.strip())
        if not eq or key not in values or not value.strip():
            raise CliError(f"{spec}: bad source option {option!r} (use image_col=, text_col=, source= or split=)")
        values[key] = value.strip()
    if not path:
        raise CliError(f"{spec}: no dataset path before '::'")
    return SourceSpec(path, values["image_col"], values["text_col"], values["source"], values["split"])


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="data_command", metavar="ACTION")

    merge = sub.add_parser(
        "merge",
        help="merge datasets into one standard-format dataset: canonical text, no duplicates, train/val/test",
        description="Merge datasets: canonicalize text; drop empty labels, unreadable images and duplicates "
        "(listed with reasons in OUT/dropped.jsonl); split train/val/test by hashing the text, so a "
        "line never lands in two splits; write OUT/manifest.jsonl + OUT/images/; print a summary. "
        "When two sources hold the same image, the first source listed wins.",
        epilog=SRC_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    merge.add_argument("sources", nargs="+", metavar="SRC", help="datasets to merge (see below)")
    merge.add_argument("--out", required=True, metavar="DIR", help="output folder (must be new or empty)")
    merge.add_argument("--val", type=float, default=0.05, help="fraction of text groups for validation (0.05)")
    merge.add_argument("--test", type=float, default=0.05, help="fraction of text groups for test (0.05)")
    merge.add_argument("--seed", type=int, default=0, help="seed of the split hash (0)")
    merge.add_argument("--keep-splits", action="store_true", help="keep the splits the sources already have")
    merge.add_argument("--image-col", default="image", help="image column of manifests and tables (image)")
    merge.add_argument("--text-col", default="text", help="text column of manifests and tables (text)")
    merge.add_argument("--overwrite", action="store_true", help="replace the manifest and images of a non-empty DIR")
    merge.set_defaults(func=run_merge)

    stats = sub.add_parser(
        "stats",
        help="describe a dataset: samples and characters per source and split, charset coverage, problems",
        description="Describe any dataset odia-ocr can read (same SRC syntax as `merge`).",
        epilog=SRC_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    stats.add_argument("source", metavar="SRC", help="dataset to describe")
    stats.add_argument("--image-col", default="image")
    stats.add_argument("--text-col", default="text")
    stats.add_argument("--split", help="describe only this split")
    stats.add_argument("--check-images", action="store_true", help="also decode every image and count bad ones")
    stats.add_argument(
        "--all-problems", action="store_true", help=f"print every problem (default: first {MAX_PRINTED})"
    )
    stats.add_argument("--json", action="store_true", help="print the summary as JSON")
    stats.set_defaults(func=run_stats)

    parser.set_defaults(func=lambda _args: _no_action(parser))


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _report(problems: list[str], limit: int | None, where: str) -> None:
    for line in problems[:limit]:
        report_problem(line)
    if limit is not None and len(problems) > limit:
        report_problem(f"... and {len(problems) - limit} more, {where}")


def _prepare_out(out: Path, overwrite: bool) -> None:
    from odia_ocr.data import MANIFEST_NAME
    from odia_ocr.data.merge import DROPPED_NAME
    from odia_ocr.data.writer import IMAGES_DIR

    if out.exists() and not out.is_dir():
        raise CliError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not overwrite:
            raise CliError(f"{out}: folder is not empty; choose a new --out folder or pass --overwrite")
        # Only what a merge writes is removed, never other files a user keeps there.
        shutil.rmtree(out / IMAGES_DIR, ignore_errors=True)
        for name in (MANIFEST_NAME, DROPPED_NAME):
            (out / name).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)


def run_merge(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from odia_ocr.data import format_summary, merge_datasets, summarize
    from odia_ocr.data.merge import DROPPED_NAME
    from odia_ocr.data.splits import check_fractions

    try:
        check_fractions(args.val, args.test)
    except ValueError as err:
        raise CliError(str(err)) from None
    specs = [parse_source(s, args.image_col, args.text_col) for s in args.sources]
    datasets = [spec.open() for spec in specs]  # every source opens before anything is written
    if not any(len(ds) for ds in datasets):
        for ds in datasets:
            _report([str(p) for p in ds.problems], MAX_PRINTED, "not shown")
        raise CliError("no usable samples in any source")
    out = Path(args.out)
    _prepare_out(out, args.overwrite)
    with tqdm(total=sum(len(ds) for ds in datasets), unit="line", desc="merge", disable=None, file=sys.stderr) as bar:
        result = merge_datasets(
            datasets,
            out,
            val=args.val,
            test=args.test,
            seed=args.seed,
            keep_splits=args.keep_splits,
            progress=lambda _s: bar.update(),
        )
    _report([str(d.problem) for d in result.dropped], MAX_PRINTED, f"all are listed in {out / DROPPED_NAME}")
    summary = summarize(result.samples, [d.problem for d in result.dropped])
    print(format_summary(summary, problems_title="dropped"))
    print(f"\nwrote {len(result.samples)} samples to {out} ({len(result.dropped)} dropped: {out / DROPPED_NAME})")
    if not result.samples:
        raise CliError("no sample survived the merge")
    return 0


def _image_problems(ds: LineDataset) -> list[Problem]:
    from odia_ocr.data import ImageError, Problem

    problems = []
    for sample in ds:
        try:
            sample.load()
        except ImageError as err:
            problems.append(Problem.from_image_error(sample.image_name, err))
    return problems


def run_stats(args: argparse.Namespace) -> int:
    from odia_ocr.data import format_summary, summarize

    spec = parse_source(args.source, args.image_col, args.text_col)
    if args.split:
        spec.split = args.split
    ds = spec.open()
    problems = ds.problems + (_image_problems(ds) if args.check_images else [])
    summary = summarize(ds, problems)
    _report([str(p) for p in problems], None if args.all_problems else MAX_PRINTED, "not shown (--all-problems)")
    if args.json:
        print(json.dumps({"dataset": spec.path, **summary.to_dict()}, ensure_ascii=False, indent=2))
    else:
        print(format_summary(summary))
    if not len(ds):
        raise CliError(f"{spec.path}: no usable samples")
    return 0
