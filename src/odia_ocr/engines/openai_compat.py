"""Engine for a VLM behind an OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp server, ...).

Each image goes as a base64 PNG data URL in one chat completion, with the
same prompt and pixel bounds as `odia-ocr vlm train` uses, so a merged
model served by vLLM reads as it did in training. Greedy decoding is asked
for (temperature 0); a repetition loop in the answer is cut back to one copy.
Confidence is the mean token probability when the server returns logprobs,
else 0 (so confidence filters never trust an unscored answer).
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from PIL import Image

from odia_ocr.engines.base import LineResult
from odia_ocr.text import canonicalize
from odia_ocr.vlm.config import InferenceSettings
from odia_ocr.vlm.geometry import fit_image
from odia_ocr.vlm.repetition import LoopGuard, trim_loop

__all__ = ["EndpointError", "OpenAICompatibleEngine"]

#: Qwen2.5-VL's patch size × merge size: image sides are sent as multiples of it.
_QWEN_FACTOR = 28
_RETRY_STATUS = {429, 500, 502, 503, 504}


class EndpointError(OSError):
    """The endpoint failed or answered something unusable; ``str()`` is one line (an I/O failure, like a
    missing file, so callers that report OSErrors per input handle it)."""


class OpenAICompatibleEngine:
    """Recognizer that sends each image to ``{endpoint}/chat/completions``.

    Options: ``endpoint`` (base URL ending in /v1; default env
    ODIA_OCR_VLM_ENDPOINT or http://127.0.0.1:8000/v1), ``model`` (served
    model name; default: the first one /models lists), ``api_key`` (default
    env OPENAI_API_KEY), ``prompt``, ``system_prompt``, ``min_pixels``,
    ``max_pixels`` (as in training), ``max_tokens``, ``timeout`` (seconds),
    ``concurrency`` (requests in flight), ``retries``.
    """

    name = "openai"

    def __init__(self, endpoint: str | None = None, model: str | None = None, api_key: str | None = None,
                 prompt: str | None = None, system_prompt: str | None = None, min_pixels: int | None = None,
                 max_pixels: int | None = None, max_tokens: int | None = None, timeout: float = 120.0,
                 concurrency: int = 4, retries: int = 2, **_: object) -> None:
        defaults = InferenceSettings()
        self.endpoint = (endpoint or os.environ.get("ODIA_OCR_VLM_ENDPOINT") or "http://127.0.0.1:8000/v1").rstrip("/")
        self.api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        self.settings = InferenceSettings(
            prompt=prompt or defaults.prompt,
            system_prompt=system_prompt,
            min_pixels=min_pixels or defaults.min_pixels,
            max_pixels=max_pixels or defaults.max_pixels,
            max_new_tokens=max_tokens or defaults.max_new_tokens,
        )
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
        self.retries = max(0, retries)
        # Characters, not tokens: an Odia akshara is 1-4 characters, so spans are longer than in the token guard.
        self._guard = LoopGuard(max_period=64, min_repeats=4, min_span=32)
        self.model = model or self._first_model()

    def _request(self, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        url = f"{self.endpoint}{path}"
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        for attempt in range(self.retries + 1):
            req = urllib.request.Request(url, data=data, headers=headers, method="GET" if data is None else "POST")
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    return json.loads(resp.read().decode("utf-8"))
            except urllib.error.HTTPError as err:
                if err.code in _RETRY_STATUS and attempt < self.retries:
                    time.sleep(0.5 * 2**attempt)
                    continue
                detail = err.read().decode("utf-8", "replace").strip().splitlines()
                raise EndpointError(f"{url}: HTTP {err.code} {(detail[0] if detail else err.reason)[:200]}") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
                if attempt < self.retries:
                    time.sleep(0.5 * 2**attempt)
                    continue
                reason = getattr(err, "reason", err)
                raise EndpointError(f"{url}: cannot reach the endpoint ({reason})") from None
            except json.JSONDecodeError:
                raise EndpointError(f"{url}: the answer is not JSON") from None
        raise EndpointError(f"{url}: no answer")  # not reached

    def _first_model(self) -> str:
        models = self._request("/models").get("data") or []
        if not models:
            raise EndpointError(f"{self.endpoint}/models: the server lists no model; pass model=NAME")
        return str(models[0]["id"])

    def _data_url(self, image: np.ndarray) -> str:
        s = self.settings
        fitted = fit_image(Image.fromarray(np.ascontiguousarray(image)), _QWEN_FACTOR, s.min_pixels, s.max_pixels,
                           s.max_aspect)
        buf = io.BytesIO()
        fitted.image.save(buf, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")

    def _payload(self, image: np.ndarray) -> dict[str, Any]:
        messages: list[dict[str, Any]] = []
        if self.settings.system_prompt:
            messages.append({"role": "system", "content": self.settings.system_prompt})
        messages.append({"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": self._data_url(image)}},
            {"type": "text", "text": self.settings.prompt},
        ]})
        return {"model": self.model, "messages": messages, "max_tokens": self.settings.max_new_tokens,
                "temperature": 0.0, "logprobs": True}

    def _read_one(self, image: np.ndarray) -> LineResult:
        answer = self._request("/chat/completions", self._payload(image))
        try:
            choice = answer["choices"][0]
            text = choice["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            raise EndpointError(f"{self.endpoint}/chat/completions: no choices[0].message.content in the answer") \
                from None
        loop = self._guard.find(text)
        text = "".join(trim_loop(text, loop))  # type: ignore[arg-type]
        logprobs = [t.get("logprob") for t in ((choice.get("logprobs") or {}).get("content") or [])]
        logprobs = [lp for lp in logprobs if isinstance(lp, int | float)]
        confidence = math.exp(sum(logprobs) / len(logprobs)) if logprobs else 0.0
        if loop is not None or choice.get("finish_reason") == "length":
            confidence *= 0.5
        return LineResult(canonicalize(text), min(1.0, max(0.0, confidence)))

    def recognize(self, images: Sequence[np.ndarray]) -> list[LineResult]:
        if self.concurrency == 1 or len(images) < 2:
            return [self._read_one(im) for im in images]
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            return list(pool.map(self._read_one, images))
