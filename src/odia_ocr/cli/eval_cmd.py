"""`odia-ocr eval`: measure an engine on a dataset and report CER, WER and akshara error rate."""

from __future__ import annotations

import argparse
from itertools import islice

from odia_ocr.cli.common import (
    ENGINE_HELP,
    CliError,
    add_builtin_model_options,
    builtin_model_options,
    positive_int,
    report_problem,
)

__all__ = ["register", "run"]


def _keys(value: str) -> list[str]:
    keys = [k.strip() for k in value.split(",") if k.strip()]
    if not keys:
        raise argparse.ArgumentTypeError("expected comma-separated metadata keys, e.g. font,level")
    return keys


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", default="default",
                        help=ENGINE_HELP)
    parser.add_argument("--data", required=True, metavar="PATH",
                        help="dataset: a standard-format folder (manifest.jsonl), or what `odia-ocr data` accepts")
    parser.add_argument("--model", metavar="PATH", help="model for the engine (default: the engine's own)")
    parser.add_argument("--split", help="only this split (e.g. test); default: the whole dataset")
    parser.add_argument("--image-col", default="image", help="column holding the image (default: image)")
    parser.add_argument("--text-col", default="text", help="column holding the reference text (default: text)")
    parser.add_argument("--group-by", type=_keys, metavar="KEYS",
                        help="comma-separated keys to break results down by, e.g. font,level "
                             "(default: source, font and level where the data has them)")
    parser.add_argument("--page", action="store_true",
                        help="images are whole pages: the engine reads pages, whitespace is collapsed for scoring")
    parser.add_argument("--limit", type=positive_int, metavar="N", help="evaluate only the first N samples")
    parser.add_argument("--out", metavar="DIR", help="write report.md, report.json and predictions.jsonl here")
    parser.add_argument("--batch-size", type=positive_int, default=16, metavar="N",
                        help="line images per engine call (default 16)")
    add_builtin_model_options(parser)
    parser.add_argument("--worst", type=int, default=20, metavar="N",
                        help="worst samples shown in the report (default 20)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from odia_ocr.data import open_dataset
    from odia_ocr.engines.registry import UnknownEngineError, create_engine
    from odia_ocr.evaluation import BadSample, build_report, evaluate, render_markdown, write_report

    try:
        dataset = open_dataset(args.data, image_col=args.image_col, text_col=args.text_col, split=args.split)
    except (OSError, ValueError, KeyError) as err:
        raise CliError(f"cannot open dataset {args.data}: {err}") from None
    # Items the reader already left out (missing image file, empty label...) count as bad samples too.
    left_out = [BadSample(p.item, p.reason + (f" ({p.detail})" if p.detail else ""))
                for p in getattr(dataset, "problems", ())]
    for b in left_out:
        report_problem(f"{b.id}: {b.error}")
    options: dict[str, object] = {"batch_size": args.batch_size}
    if args.model:
        options["model"] = args.model
    options.update(builtin_model_options(args))
    try:
        engine = create_engine(args.engine, **options)
    except UnknownEngineError as err:
        raise CliError(str(err)) from None
    except (ImportError, OSError, RuntimeError, ValueError) as err:
        raise CliError(f"cannot start engine {args.engine!r}: {err}") from None
    if args.page and not hasattr(engine, "recognize_page"):
        raise CliError(f"engine {args.engine!r} cannot read whole pages; drop --page or pick another engine")

    samples = islice(dataset, args.limit) if args.limit else dataset
    total = min(len(dataset), args.limit or len(dataset))
    with tqdm(total=total, unit="page" if args.page else "line", disable=None, leave=False) as bar:
        result = evaluate(engine, samples, page_mode=args.page, batch_size=args.batch_size,
                          on_problem=report_problem, on_progress=lambda n: bar.update(n - bar.n))
    result.bad[:0] = left_out
    if not result.results:
        raise CliError(f"nothing could be evaluated ({len(result.bad)} bad samples)")
    info = {"data": str(args.data), "split": args.split, "model": args.model}
    report = build_report(result, args.group_by, worst=args.worst, info=info)
    # The terminal gets the summary; worst samples and the list of bad ones go to --out (bad ones also to stderr).
    brief = {**report, "worst": [], "confusions": report["confusions"][:10],
             "bad_samples": {"count": len(result.bad), "items": []}}
    print(render_markdown(brief), end="")
    if result.bad:
        report_problem(f"{len(result.bad)} of {len(result.bad) + len(result.results)} sample(s) could not be evaluated")
    if args.out:
        print(f"report written to {write_report(result, report, args.out)}/report.md")
    return 0
