"""`odia-ocr read FILE...`: print the text of each image (the model is loaded once)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from odia_ocr.cli.common import CliError, report_problem

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="image files; '-' reads a list of paths from stdin")
    parser.add_argument("--engine", default="default", help="recognizer engine (default: the bundled compact model)")
    parser.add_argument("--model", help="model file for the engine (default: the bundled model)")
    parser.add_argument("--json", action="store_true", help='one JSON object per file: {"file","text","confidence"}')
    parser.add_argument("--batch-size", type=int, default=32, help="images recognized per batch (default 32)")
    parser.add_argument("--decoder", choices=["greedy", "beam"], default="greedy",
                        help="CTC decoding of the compact model (default greedy)")
    parser.add_argument("--lm", metavar="FILE",
                        help="character n-gram LM for beam search: an Odia text corpus (.txt) or a saved .lm.json.gz")
    parser.set_defaults(func=run)


def _paths(files: list[str]) -> Iterator[str]:
    for f in files:
        if f == "-":
            for line in sys.stdin:
                if line.strip():
                    yield line.strip()
        else:
            yield f


def _chunks(items: Iterator[str], n: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for it in items:
        chunk.append(it)
        if len(chunk) == n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(args: argparse.Namespace) -> int:
    from odia_ocr.api import Reader
    from odia_ocr.data.images import ImageError, load_image, to_array
    from odia_ocr.engines.registry import UnknownEngineError
    from odia_ocr.recognizer.modelfile import ModelFormatError

    options: dict[str, object] = {"batch_size": args.batch_size}
    if args.decoder != "greedy" or args.lm:
        options.update(decoder=args.decoder, lm=args.lm)
    try:
        reader = Reader(args.engine, args.model, **options)
    except (UnknownEngineError, ModelFormatError, FileNotFoundError) as err:
        raise CliError(str(err)) from None
    failed = done = 0
    many = len(args.files) > 1 or args.files == ["-"]
    for chunk in _chunks(_paths(args.files), max(1, args.batch_size)):
        names, arrays = [], []
        for path in chunk:
            try:
                arrays.append(to_array(load_image(path)))
                names.append(path)
            except ImageError as err:
                report_problem(str(err))
                failed += 1
        if not arrays:
            continue
        for name, res in zip(names, reader.engine.recognize(arrays), strict=True):
            done += 1
            if args.json:
                print(json.dumps({"file": name, "text": res.text, "confidence": round(res.confidence, 4)},
                                 ensure_ascii=False))
            elif many:
                print(f"==> {name} <==\n{res.text}")
            else:
                print(res.text)
        sys.stdout.flush()
    if failed:
        report_problem(f"{failed} of {failed + done} file(s) could not be read")
    return 1 if failed else 0
