"""Conventions shared by all sub-commands: one-line errors and per-file problem reports."""

from __future__ import annotations

import argparse
import sys

__all__ = [
    "CliError",
    "add_builtin_model_options",
    "builtin_model_options",
    "confidence_threshold",
    "positive_int",
    "report_problem",
]


class CliError(Exception):
    """A failure of the whole command; printed as one line, exit status 2."""


#: --engine help shared by read, eval and serve: the names users choose between, and what each is for.
ENGINE_HELP = (
    "recognizer engine: default (the larger bundled model with beam search, the Odia LM and word list), "
    "compact (the smaller bundled model, greedy: fastest), tesseract, tesseract-script, vlm, openai"
)


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


def add_builtin_model_options(parser: argparse.ArgumentParser) -> None:
    """The built-in model's reading options (--decoder, --recheck, --deskew, --lexicon), the same for read, eval
    and serve."""
    parser.add_argument("--decoder", choices=["greedy", "beam", "lm"], default=None,
                        help="CTC decoding of the built-in model: lm (the default engine's: beam search with the "
                             "bundled character LM), beam (no LM) or greedy (fastest; the `compact` engine's)")
    parser.add_argument("--recheck", type=confidence_threshold, metavar="TAU",
                        help="built-in model: read a line again with its top and bottom margins trimmed when its "
                             "confidence is below TAU and keep the more confident reading (default engine: 0.9, "
                             "`compact`: off; 0 turns it off; see the README)")
    parser.add_argument("--deskew", action=argparse.BooleanOptionalAction, default=None,
                        help="built-in model: level slanted lines before reading them (default: on for the "
                             "default engine, off for `compact`)")
    words = parser.add_mutually_exclusive_group()
    words.add_argument("--lexicon", metavar="FILE",
                       help="built-in model with beam search: give words of this list (one per line, .txt or .gz) "
                            "a bonus (default engine: the bundled Odia word list)")
    words.add_argument("--no-lexicon", action="store_true", help="built-in model: beam search without a word list")


def builtin_model_options(args: argparse.Namespace) -> dict[str, object]:
    """Engine options for what :func:`add_builtin_model_options` parsed: only those given on the command line."""
    options: dict[str, object] = {}
    if args.decoder:
        options["decoder"] = args.decoder
    if args.recheck is not None:
        options["recheck_below"] = args.recheck
    if args.deskew is not None:
        options["deskew"] = args.deskew
    if args.lexicon:
        options["lexicon"] = args.lexicon
    elif args.no_lexicon:
        options["lexicon"] = False
    return options
