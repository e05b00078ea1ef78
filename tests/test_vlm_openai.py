"""The OpenAI-compatible engine against a small fake chat-completions server on loopback."""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import numpy as np
import pytest
from PIL import Image

from odia_ocr.cli.main import main
from odia_ocr.engines.openai_compat import EndpointError, OpenAICompatibleEngine
from odia_ocr.engines.registry import create_engine

# The fake model "reads" an image by its top-left pixel's red value.
ANSWERS = {10: "ଓଡ଼ିଆ", 20: "ଭାଷା " * 30, 30: "ଯ଼ ଵ"}


class FakeServer(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, Any]]] = []  # what the test inspects
    fail_next = 0

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, code: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/v1/models":
            self._reply(200, {"object": "list", "data": [{"id": "odia-vlm", "object": "model"}]})
        else:
            self._reply(404, {"error": "not found"})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"body": body, "auth": self.headers.get("Authorization")})
        if type(self).fail_next:
            type(self).fail_next -= 1
            self._reply(503, {"error": "busy"})
            return
        if body.get("model") != "odia-vlm":
            self._reply(404, {"error": f"model {body.get('model')} does not exist"})
            return
        parts = body["messages"][-1]["content"]
        url = next(p["image_url"]["url"] for p in parts if p["type"] == "image_url")
        header, b64 = url.split(",", 1)
        assert header == "data:image/png;base64"
        img = Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB")
        text = ANSWERS.get(img.getpixel((0, 0))[0], "")
        logprobs = {"content": [{"token": c, "logprob": -0.01} for c in text]}
        self._reply(200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                       "logprobs": logprobs, "finish_reason": "stop"}]})


@pytest.fixture()
def server() -> Iterator[str]:
    FakeServer.requests = []
    FakeServer.fail_next = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeServer)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _image(red: int, size: tuple[int, int] = (300, 40)) -> np.ndarray:
    arr = np.full((size[1], size[0], 3), 255, dtype=np.uint8)
    arr[:8, :8] = (red, 0, 0)
    return arr


def test_reads_canonical_text_with_confidence(server: str) -> None:
    engine = create_engine("openai", endpoint=server, api_key="secret", prompt="Read it.")
    assert isinstance(engine, OpenAICompatibleEngine) and engine.model == "odia-vlm"  # from /models
    results = engine.recognize([_image(10), _image(30), _image(99)])
    assert [r.text for r in results] == ["ଓଡ଼ିଆ", "ୟ ୱ", ""]  # canonicalized: ଯ଼ -> ୟ, ଵ -> ୱ
    assert results[0].confidence == pytest.approx(np.exp(-0.01)) and results[2].confidence == 0.0
    req = FakeServer.requests[0]
    assert req["auth"] == "Bearer secret"
    assert req["body"]["temperature"] == 0.0 and req["body"]["messages"][-1]["content"][1]["text"] == "Read it."


def test_the_image_is_sent_at_training_geometry(server: str) -> None:
    engine = OpenAICompatibleEngine(endpoint=server, min_pixels=28 * 28, max_pixels=28 * 28 * 16)
    engine.recognize([_image(10, (4000, 30))])
    url = FakeServer.requests[0]["body"]["messages"][-1]["content"][0]["image_url"]["url"]
    img = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert img.width % 28 == 0 and img.height % 28 == 0 and img.width * img.height <= 28 * 28 * 16


def test_a_looping_answer_is_cut_and_distrusted(server: str) -> None:
    (result,) = OpenAICompatibleEngine(endpoint=server).recognize([_image(20)])
    assert result.text == "ଭାଷା"
    assert result.confidence <= 0.5


def test_retries_a_busy_server_then_fails_in_one_line(server: str) -> None:
    engine = OpenAICompatibleEngine(endpoint=server, retries=1)
    FakeServer.fail_next = 1
    assert engine.recognize([_image(10)])[0].text == "ଓଡ଼ିଆ"
    FakeServer.fail_next = 2  # both attempts
    with pytest.raises(EndpointError, match="HTTP 503") as err:
        engine.recognize([_image(10)])
    assert "\n" not in str(err.value)
    with pytest.raises(EndpointError, match="does not exist"):
        OpenAICompatibleEngine(endpoint=server, model="other").recognize([_image(10)])


def test_unreachable_endpoint_is_a_one_line_cli_error(capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    Image.fromarray(_image(10)).save(tmp_path / "x.png")
    argv = ["vlm", "label", str(tmp_path / "x.png"), "--out", str(tmp_path / "ds"),
            "--engine", "openai:endpoint=http://127.0.0.1:9/v1,retries=0,timeout=2"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("odia-ocr: error:") and "cannot reach" in err and len(err.splitlines()) == 1


def test_label_with_the_served_model(server: str, tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    for red in (10, 30):
        Image.fromarray(_image(red)).save(tmp_path / f"img{red}.png")
    argv = ["vlm", "label", str(tmp_path), "--out", str(tmp_path / "ds"), "--engine", f"openai:endpoint={server}",
            "--min-confidence", "0.9"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kept"] == 2
    rows = [json.loads(line) for line in (tmp_path / "ds" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["text"] for r in rows) == ["ଓଡ଼ିଆ", "ୟ ୱ"]
    assert all(r["source"] == "pseudo:openai" and r["confidence"] > 0.9 for r in rows)
