"""The HTTP interface: a FastAPI app over :class:`~odia_ocr.serve.ocr.OcrService`.

Endpoints:

- ``GET /``: a web page to upload an image or PDF and see its text;
- ``GET /health``: liveness plus what is loaded (engine, model, decoder);
- ``POST /v1/ocr``: multipart field ``file`` (image or PDF), query ``format``
  (txt, json, hocr, alto, pdf; default json) and ``layout`` (auto, line, page).

Every error is JSON ``{"error": "<one line naming the upload and the problem>"}``
with a 4xx status, never a traceback.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from odia_ocr import __version__
from odia_ocr.serve.ocr import InputError, OcrService

__all__ = ["DEFAULT_MAX_UPLOAD_MB", "create_app"]

DEFAULT_MAX_UPLOAD_MB = 50.0


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def create_app(service: OcrService, max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB) -> FastAPI:
    """An app serving ``service``; uploads over ``max_upload_mb`` are refused with 413."""
    app = FastAPI(title="odia-ocr", version=__version__, summary="Offline OCR for Odia (Oriya script)")
    limit = int(max_upload_mb * 1024 * 1024)
    page = files("odia_ocr.serve").joinpath("static/index.html").read_text(encoding="utf-8")

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("body", "query"))
        return _error(422, f"{where or 'request'}: {first.get('msg', 'invalid request')}")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> str:
        return page

    @app.get("/health")
    async def health() -> dict[str, object]:
        return {"status": "ok", "version": __version__, **service.describe()}

    @app.post("/v1/ocr")
    async def ocr(
        file: UploadFile = File(..., description="an image (PNG, JPEG, TIFF, WebP, ...) or a PDF"),  # noqa: B008
        format: str = Query("json", description="txt, json, hocr, alto or pdf"),
        layout: str = Query("auto", description="auto, line (one text line) or page (find lines first)"),
    ) -> Response:
        name = file.filename or "upload"
        data = await file.read(limit + 1)
        if len(data) > limit:
            return _error(413, f"{name}: upload larger than {max_upload_mb:g} MB")
        try:
            result = await run_in_threadpool(service.ocr, data, name, layout, format)
        except InputError as err:
            return _error(400, str(err))
        headers = {"X-Pages": str(result.pages), "X-Skipped-Pages": str(result.skipped_pages)}
        return Response(result.content, media_type=result.media_type, headers=headers)

    return app
