"""`odia-ocr export`: a trained model file -> ONNX (fp32 and, optionally, dynamic INT8)."""

from __future__ import annotations

import argparse
from pathlib import Path

from odia_ocr.cli.common import CliError

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="model file or checkpoint (.safetensors) written by `odia-ocr train`")
    parser.add_argument("--out", required=True, help="output .onnx path")
    parser.add_argument("--int8", action="store_true",
                        help="also write OUT with .int8.onnx suffix: dynamic INT8 weights (check CER with eval)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        import torch  # noqa: F401
    except ImportError:
        raise CliError("export needs PyTorch: pip install 'odia-ocr[train]'") from None
    from odia_ocr.recognizer.export import export_onnx, quantize_int8
    from odia_ocr.recognizer.modelfile import ModelFormatError

    src = Path(args.model)
    if not src.exists():
        raise CliError(f"{src}: file not found")
    try:
        export_onnx(src, args.out)
    except (ModelFormatError, ValueError) as err:
        raise CliError(str(err)) from None
    print(f"wrote {args.out}")
    if args.int8:
        q = str(Path(args.out).with_suffix(".int8.onnx"))
        quantize_int8(args.out, q)
        print(f"wrote {q}")
    return 0
