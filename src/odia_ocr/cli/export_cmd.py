"""`odia-ocr export`: a trained model file -> ONNX (fp32 and, optionally, INT8)."""

from __future__ import annotations

import argparse
from pathlib import Path

from odia_ocr.cli.common import CliError

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="model file or checkpoint (.safetensors) written by `odia-ocr train`")
    parser.add_argument("--out", required=True, help="output .onnx path")
    parser.add_argument("--int8", action="store_true",
                        help="also write OUT with .int8.onnx suffix: INT8 weights, 7 bits wide so that CPUs without "
                             "VNNI do not saturate (check CER with eval)")
    parser.add_argument("--calibration", metavar="DATASET",
                        help="with --int8: line images (any dataset `data` reads; the first 64 are used) to calibrate "
                             "static INT8 convolutions, about 1.4x faster than the dynamic INT8 used without it")
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
        kind = quantize_int8(args.out, q, _calibration_lines(args.calibration) if args.calibration else None)
        print(f"wrote {q} ({kind})")
    return 0


def _calibration_lines(path: str, count: int = 64) -> list:
    """Up to ``count`` readable line images of a dataset; unreadable ones are reported and skipped."""
    from odia_ocr.cli.common import report_problem
    from odia_ocr.data import open_dataset
    from odia_ocr.data.images import ImageError, to_array

    try:
        dataset = open_dataset(path)
    except (OSError, ValueError, KeyError) as err:
        raise CliError(f"cannot open calibration dataset {path}: {err}") from None
    lines = []
    for i in range(len(dataset)):
        if len(lines) == count:
            break
        sample = dataset[i]
        try:
            lines.append(to_array(sample.load()))
        except (ImageError, OSError) as err:
            report_problem(f"{sample.id}: {err}")
    if not lines:
        raise CliError(f"{path}: no readable line images for calibration")
    return lines
