"""`odia-ocr read FILE...`: text of line images, pages and documents (the model is loaded once).

Line images are batched together; pages and documents (PDF, multi-page TIFF)
go through the page reader one page at a time, so a long PDF never sits in
memory whole. Output is plain text, JSON, hOCR, ALTO or a searchable PDF.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from odia_ocr.cli.common import (
    ENGINE_HELP,
    CliError,
    add_builtin_model_options,
    builtin_model_options,
    positive_int,
    report_problem,
)
from odia_ocr.pages.export import FORMATS, TEXT_FORMATS

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="images (PNG, JPEG, TIFF, WebP) or PDFs; '-' reads a list of paths from stdin")
    parser.add_argument("--engine", default="default", help=ENGINE_HELP)
    parser.add_argument("--model", help="model file for the engine (default: the bundled model)")
    parser.add_argument("--format", choices=list(FORMATS), default="txt",
                        help="txt (default), json (document/page/block/line/word with boxes), hocr, alto, or pdf "
                             "(searchable: image + invisible text; needs --out)")
    parser.add_argument("--json", action="store_true",
                        help='shorthand for --format json: one JSON object per file, at least {"file","text",'
                             '"confidence"}; a file that cannot be read gets {"file","text":null,'
                             '"confidence":null,"error"}')
    parser.add_argument("--out", metavar="PATH",
                        help="write here instead of stdout: a file for one input, else a folder (one file each)")
    parser.add_argument("--layout", choices=("auto", "line", "page"), default="auto",
                        help="line: each image is one text line; page: find lines first; auto (default): images at "
                             "most 160 px tall or 4x wider than tall are lines, other images and PDFs are pages")
    parser.add_argument("--detector", default="rapidocr", help="page line detector: rapidocr (default) or classical")
    parser.add_argument("--dpi", type=float, default=300, help="PDF rasterization resolution (default 300)")
    parser.add_argument("--text-layer", action="store_true", help="use a PDF page's own text layer when it has one")
    parser.add_argument("--no-table-rows", action="store_true",
                        help="read narrow columns of numbers (contents, indexes) as columns of their own, not as the "
                             "cells of rows read across")
    parser.add_argument("--no-insets", action="store_true",
                        help="join lines set across a column gutter (an inset's captions) with the text beside them, "
                             "instead of reading them after the columns")
    parser.add_argument("--no-despeckle", action="store_true",
                        help="let the page line detector see specks of dust and noise, and read its boxes over "
                             "clumps of them (by default specks are painted over for it and boxes without "
                             "letter-sized ink dropped; the recognizer always reads the page as it is)")
    parser.add_argument("--batch-size", type=positive_int, default=32,
                        help="line images recognized per batch (default 32)")
    add_builtin_model_options(parser)
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


def _is_line_image(path: str) -> bool:
    """Heuristic of --layout auto: a short, wide image is a text line (reads the header only)."""
    from PIL import Image

    from odia_ocr.pages.sources import is_line_shape, is_pdf

    try:
        if is_pdf(path):
            return False
        with Image.open(path) as img:
            w, h = img.size
            if getattr(img, "n_frames", 1) > 1:
                return False
    except Exception:
        return True
    return is_line_shape(w, h)


class _Output:
    """Where results go: stdout, one file, or one file per input in a folder."""

    def __init__(self, out: str | None, fmt: str, many: bool) -> None:
        self.fmt, self.many = fmt, many
        self.path = Path(out) if out else None
        self.is_dir = bool(self.path) and (many or self.path.is_dir() or not self.path.suffix)
        if fmt == "pdf" and self.path is None:
            raise CliError("--format pdf writes a file: give --out FILE.pdf (or a folder)")
        if self.is_dir and self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)

    def target(self, name: str) -> Path | None:
        if self.path is None:
            return None
        return self.path / (Path(name).stem + FORMATS[self.fmt]) if self.is_dir else self.path

    def write(self, name: str, content: str | bytes) -> None:
        target = self.target(name)
        if target is None:
            if self.many and self.fmt == "txt":
                print(f"==> {name} <==")
            print(content if isinstance(content, str) else content.decode(), flush=True)
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content if content.endswith("\n") else content + "\n", encoding="utf-8")


def _line_json(name: str, text: str, confidence: float) -> str:
    return json.dumps({"file": name, "text": text, "confidence": round(confidence, 4)}, ensure_ascii=False)


def _error_json(name: str, message: str) -> str:
    """The JSON object of an input that could not be read: stdout keeps one object per input, in input order.

    ``text`` and ``confidence`` are null, so a consumer that zips its inputs
    with the output lines stays aligned and cannot mistake the file for an
    empty one; ``error`` is the one-line problem also printed on stderr,
    without the file name it already carries in ``file``.
    """
    prefix = f"{name}: "
    error = message[len(prefix):] if message.startswith(prefix) else message
    return json.dumps({"file": name, "text": None, "confidence": None, "error": error}, ensure_ascii=False)


def run(args: argparse.Namespace) -> int:
    from odia_ocr.api import Reader
    from odia_ocr.engines.registry import UnknownEngineError
    from odia_ocr.recognizer.modelfile import ModelFormatError

    fmt = "json" if args.json else args.format
    options: dict[str, Any] = {"batch_size": args.batch_size, **builtin_model_options(args)}
    if args.lm:
        options["lm"] = args.lm
    try:
        reader = Reader(args.engine, args.model, **options)
    except (UnknownEngineError, ModelFormatError, FileNotFoundError, ValueError) as err:
        raise CliError(str(err)) from None
    many = len(args.files) > 1 or args.files == ["-"]
    output = _Output(args.out, fmt, many)
    job = _ReadJob(reader, args, fmt, output)
    for path in _paths(args.files):
        line = args.layout == "line" or (args.layout == "auto" and fmt in ("txt", "json") and _is_line_image(path))
        if line:
            job.add_line(path)
        else:
            job.flush_lines()
            job.read_document(path)
    job.flush_lines()
    if job.failed:
        report_problem(f"{job.failed} of {job.failed + job.done} file(s) could not be read")
    return 1 if job.failed else 0


class _ReadJob:
    """Reads inputs in order, batching consecutive line images, and counts successes and failures."""

    def __init__(self, reader: Any, args: argparse.Namespace, fmt: str, output: _Output) -> None:
        self.reader, self.args, self.fmt, self.output = reader, args, fmt, output
        self.pending: list[str] = []
        self.failed = self.done = 0
        self._page_reader: Any = None

    def fail(self, path: str, message: str) -> None:
        """Report an input that could not be read, count it, and, for JSON on stdout, give it its object."""
        report_problem(message)
        self.failed += 1
        if self.fmt == "json" and self.output.path is None:
            print(_error_json(path, message), flush=True)

    def add_line(self, path: str) -> None:
        self.pending.append(path)
        if len(self.pending) >= max(1, self.args.batch_size):
            self.flush_lines()

    def flush_lines(self) -> None:
        from odia_ocr.data.images import ImageError, load_image, to_array

        loaded: list[tuple[str, Any]] = []  # (path, array or the one-line problem), in input order
        for path in self.pending:
            try:
                loaded.append((path, to_array(load_image(path))))
            except ImageError as err:
                loaded.append((path, str(err)))
        self.pending = []
        arrays = [a for _, a in loaded if not isinstance(a, str)]
        results = iter(self.reader.engine.recognize(arrays) if arrays else [])
        for name, item in loaded:
            if isinstance(item, str):
                self.fail(name, item)
                continue
            res = next(results)
            self.done += 1
            content = _line_json(name, res.text, res.confidence) if self.fmt == "json" else res.text
            self.output.write(name, content)

    def page_reader(self) -> Any:
        if self._page_reader is None:
            from odia_ocr.pages.layout import LayoutOptions
            from odia_ocr.pages.reader import PageReader, ReadOptions

            try:
                opts = ReadOptions(detector=self.args.detector, dpi=self.args.dpi,
                                   use_text_layer=self.args.text_layer,
                                   detect_despeckled=not self.args.no_despeckle,
                                   layout=LayoutOptions(table_rows=not self.args.no_table_rows,
                                                        insets=not self.args.no_insets))
            except ValueError as err:
                raise CliError(str(err)) from None
            self._page_reader = PageReader(self.reader.engine, options=opts)
        return self._page_reader

    def read_document(self, path: str) -> None:
        from tqdm import tqdm

        from odia_ocr.pages.export import SearchablePdf, document_record
        from odia_ocr.pages.results import Document
        from odia_ocr.pages.sources import DocumentError, count_pages

        reader = self.page_reader()
        total = count_pages(path) if Path(path).is_file() else None
        bar = tqdm(total=total, unit="page", desc=Path(path).name, disable=not total or total < 2, file=sys.stderr)
        doc = Document(path, [], getattr(reader.recognizer, "name", ""))
        pdf = SearchablePdf() if self.fmt == "pdf" else None
        try:
            for page, image in reader.iter_document_images(path):
                doc.pages.append(page)
                if pdf is not None:
                    pdf.add_page(page, image)
                if page.skipped:
                    report_problem(f"{path}: page {page.index + 1}: skipped ({page.skipped})")
                bar.update(1)
        except DocumentError as err:
            self.fail(path, str(err))
            return
        finally:
            bar.close()
        self.done += 1
        if self.fmt == "pdf":
            self.output.write(path, pdf.to_bytes())  # type: ignore[union-attr]
        elif self.fmt == "json":
            obj = document_record(doc, path)
            self.output.write(path, json.dumps(obj, ensure_ascii=False) if self.output.path is None
                              else TEXT_FORMATS["json"](doc))
        else:
            self.output.write(path, TEXT_FORMATS[self.fmt](doc))
