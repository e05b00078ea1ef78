"""`odia-ocr serve`: the HTTP routes over the real bundled model (lines) and a fixed engine (pages)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from odia_ocr.api import Reader
from odia_ocr.cli.main import main
from odia_ocr.metrics import score_pair
from odia_ocr.pages.reader import ReadOptions
from odia_ocr.serve.app import create_app
from odia_ocr.serve.ocr import OcrService
from test_pages_support import FixedRecognizer, clean_page, page_synthesizer

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "odia_ocr" / "samples"
TEXT = "ଓଡ଼ିଆ ଲେଖା 12"


@pytest.fixture(scope="module")
def bundled() -> TestClient:
    return TestClient(create_app(OcrService(Reader("default"))))


@pytest.fixture(scope="module")
def fixed() -> TestClient:
    service = OcrService(Reader(FixedRecognizer(TEXT)), ReadOptions(detector="classical", check_upside_down=False))
    return TestClient(create_app(service, max_upload_mb=0.5))


@pytest.fixture(scope="module")
def page_png() -> bytes:
    buf = io.BytesIO()
    Image.fromarray(clean_page(page_synthesizer(), 1).image).save(buf, format="PNG")
    return buf.getvalue()


def _post(client: TestClient, data: bytes, name: str = "x.png", **params: str):
    return client.post("/v1/ocr", params=params, files={"file": (name, data, "application/octet-stream")})


def test_health_says_what_is_loaded(bundled) -> None:
    h = bundled.get("/health").json()
    assert h["status"] == "ok" and h["engine"] == "default" and h["decoder"] == "lm"
    assert h["model"].endswith(".onnx")


def test_web_page_posts_to_the_api(bundled) -> None:
    r = bundled.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'type="file"' in r.text and "v1/ocr" in r.text


def test_line_image_is_read_by_the_bundled_model(bundled) -> None:
    gt = (SAMPLES / "line-01.gt.txt").read_text(encoding="utf-8").strip()
    r = _post(bundled, (SAMPLES / "line-01.png").read_bytes(), "line-01.png")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["file"] == "line-01.png" and 0 < body["confidence"] <= 1
    assert score_pair(gt, body["text"]).cer <= 0.05
    txt = _post(bundled, (SAMPLES / "line-01.png").read_bytes(), format="txt")
    assert txt.headers["content-type"].startswith("text/plain") and txt.text.strip() == body["text"]


def test_a_tight_line_read_as_a_page_is_found_upright(bundled) -> None:
    """A line with no margin used to be turned sideways and missed by the detector."""
    gt = (SAMPLES / "line-01.gt.txt").read_text(encoding="utf-8").strip()
    r = _post(bundled, (SAMPLES / "line-01.png").read_bytes(), layout="page")
    assert r.status_code == 200, r.text
    page = r.json()["pages"][0]
    assert (page["width"], page["height"]) == Image.open(SAMPLES / "line-01.png").size
    assert score_pair(gt, r.json()["text"]).cer <= 0.05


def test_page_formats(fixed, page_png) -> None:
    js = _post(fixed, page_png, "page.png")
    assert js.status_code == 200 and js.headers["x-pages"] == "1"
    doc = js.json()
    assert doc["file"] == "page.png" and TEXT in doc["text"] and len(doc["pages"]) == 1
    hocr = _post(fixed, page_png, format="hocr")
    assert any(el.get("class") == "ocr_line" for el in ET.fromstring(hocr.content).iter())
    alto = _post(fixed, page_png, format="alto")
    assert alto.headers["content-type"].startswith("application/xml") and b"<alto" in alto.content
    pdf = _post(fixed, page_png, format="pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("data", "params", "status", "needle"),
    [
        (b"not an image at all", {}, 400, "bad.png: "),
        (b"", {}, 400, "bad.png: empty upload"),
        (b"x", {"format": "docx"}, 400, "format 'docx'"),
        (b"x", {"layout": "sideways"}, 400, "layout 'sideways'"),
        (b"%PDF-1.4 broken", {}, 400, "bad.png: "),
        (b"0" * 600_000, {}, 413, "larger than 0.5 MB"),
    ],
)
def test_bad_requests_get_one_line_json_errors(fixed, data, params, status, needle) -> None:
    r = _post(fixed, data, "bad.png", **params)
    assert r.status_code == status
    message = r.json()["error"]
    assert needle in message and "\n" not in message and "Traceback" not in message


def test_missing_file_field(fixed) -> None:
    r = fixed.post("/v1/ocr")
    assert r.status_code == 422 and r.json()["error"] == "file: Field required"


def test_line_image_asked_for_hocr_as_a_line_is_refused(fixed) -> None:
    r = _post(fixed, (SAMPLES / "line-01.png").read_bytes(), "l.png", layout="line", format="hocr")
    assert r.status_code == 400 and "needs page layout" in r.json()["error"]


def test_serve_command_rejects_a_bad_port(capsys) -> None:
    assert main(["serve", "--port", "70000"]) == 2
    assert "--port 70000" in capsys.readouterr().err
