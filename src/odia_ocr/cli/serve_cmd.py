"""`odia-ocr serve`: OCR over HTTP with a web page, the model loaded once for all requests.

Binds to 127.0.0.1 unless told otherwise: the server has no authentication,
so exposing it is a deliberate choice (``--host 0.0.0.0``).
"""

from __future__ import annotations

import argparse
from typing import Any

from odia_ocr.cli.common import ENGINE_HELP, CliError, add_builtin_model_options, builtin_model_options

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--engine", default="default", help=ENGINE_HELP)
    parser.add_argument("--model", help="model file for the engine (default: the bundled model)")
    add_builtin_model_options(parser)
    parser.add_argument("--detector", default="rapidocr", help="page line detector: rapidocr (default) or classical")
    parser.add_argument("--dpi", type=float, default=300, help="PDF rasterization resolution (default 300)")
    parser.add_argument("--max-upload-mb", type=float, default=50.0, help="refuse larger uploads (default 50)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from odia_ocr.serve.app import create_app
    except ModuleNotFoundError as err:
        raise CliError(f"serve needs the [serve] extra ({err.name} missing): pip install 'odia-ocr[serve]'") from None
    from odia_ocr.api import Reader
    from odia_ocr.engines.registry import UnknownEngineError
    from odia_ocr.pages.reader import ReadOptions
    from odia_ocr.recognizer.modelfile import ModelFormatError
    from odia_ocr.serve.ocr import OcrService

    if not 0 < args.port < 65536:
        raise CliError(f"--port {args.port}: expected 1-65535")
    options: dict[str, Any] = builtin_model_options(args)
    try:
        reader = Reader(args.engine, args.model, **options)
        service = OcrService(reader, ReadOptions(detector=args.detector, dpi=args.dpi))
    except (UnknownEngineError, ModelFormatError, FileNotFoundError, ValueError) as err:
        raise CliError(str(err)) from None
    app = create_app(service, max_upload_mb=args.max_upload_mb)
    print(f"odia-ocr serve: http://{args.host}:{args.port}/ (engine {service.engine_name}; Ctrl-C stops)", flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    except OSError as err:  # e.g. the port is taken
        raise CliError(f"cannot listen on {args.host}:{args.port} ({err.strerror or err})") from None
    return 0
