"""The `odia-ocr` command: one sub-command per job, each in its own module.

Sub-command modules only register their arguments at start-up and import
their heavy dependencies (torch, transformers, onnxruntime) when run, so
`odia-ocr --help` is instant and `odia-ocr read` never imports torch.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from odia_ocr import __version__
from odia_ocr.cli.common import CliError

__all__ = ["build_parser", "main"]

#: (module under odia_ocr.cli, help line), in the order `--help` lists them.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("read", "read text from images and documents"),
    ("eval", "measure an engine on a dataset (CER, WER, akshara error rate)"),
    ("data", "merge, deduplicate, split and describe datasets"),
    ("synth", "render synthetic Odia lines and pages"),
    ("train", "train the compact recognizer (needs the [train] extra)"),
    ("export", "export a trained model to ONNX (+ INT8)"),
    ("vlm", "fine-tune and run Qwen2.5-VL with LoRA (needs the [vlm] extra)"),
    ("serve", "serve OCR over HTTP (needs the [serve] extra)"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="odia-ocr", description="Offline OCR for Odia (Oriya script).")
    parser.add_argument("--version", action="version", version=f"odia-ocr {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_ in COMMANDS:
        try:
            module = importlib.import_module(f"odia_ocr.cli.{name}_cmd")
        except ModuleNotFoundError as err:
            if err.name and err.name.startswith("odia_ocr.cli."):
                continue  # command not built yet
            raise
        module.register(sub.add_parser(name, help=help_, description=help_))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CliError as err:
        print(f"odia-ocr: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("odia-ocr: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
