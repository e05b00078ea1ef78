"""The VLM engine: Qwen2.5-VL (base, LoRA adapter or merged) reads each image in one generation.

torch, transformers and peft are imported only when the engine is built.
Prompt and pixel bounds come from the model folder's ``odia_vlm.json``, so
the engine asks exactly as training did. Confidence is the mean probability
of the generated tokens, halved for a cut-off repetition loop.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from PIL import Image

from odia_ocr.engines.base import LineResult

__all__ = ["VLMEngine"]


class VLMEngine:
    """Recognizer backed by Qwen2.5-VL.

    Options: ``model`` (adapter, merged or base model folder, or a Hub id;
    default: the base model, zero-shot), ``base_model`` (overrides the base
    an adapter names, e.g. a local copy), ``device`` (default: cuda if
    present), ``batch_size`` (images per generate call), ``precision``
    (auto/bf16/fp16/fp32), ``quantization`` (none/4bit/8bit, CUDA only),
    ``max_new_tokens`` (overrides the model's), ``threads`` (CPU threads).
    """

    name = "vlm"

    def __init__(self, model: str | os.PathLike[str] | None = None, base_model: str | None = None,
                 device: str | None = None, batch_size: int = 8, precision: str = "auto", quantization: str = "none",
                 max_new_tokens: int | None = None, threads: int = 0, **_: object) -> None:
        try:
            import torch

            from odia_ocr.vlm.collator import ChatEncoder
            from odia_ocr.vlm.modeling import load_for_inference
        except ImportError as err:
            raise ImportError(f"the vlm engine needs the [vlm] extra: pip install 'odia-ocr[vlm]' ({err})") from None
        if threads:
            torch.set_num_threads(threads)
        try:
            self.loaded = load_for_inference(os.fspath(model) if model else None, base_model=base_model,
                                              device=device, precision=precision, quantization=quantization)
        except FileNotFoundError:
            raise
        except OSError as err:  # transformers: neither a local folder nor a reachable Hub model
            name = model or base_model or "the base model"
            raise FileNotFoundError(f"{name}: cannot load the model ({str(err).splitlines()[0]})") from None
        if max_new_tokens:
            self.loaded.settings.max_new_tokens = max_new_tokens
        self.encoder = ChatEncoder(self.loaded.processor, self.loaded.settings)
        self.meta = self.loaded.meta  # the folder's odia_vlm.json: base model, inference settings, metrics
        self.batch_size = max(1, batch_size)
        self.model_path = model

    def recognize(self, images: Sequence[np.ndarray]) -> list[LineResult]:
        from odia_ocr.vlm.generate import generate_texts

        pil = [Image.fromarray(np.ascontiguousarray(a)) for a in images]
        gens = generate_texts(self.loaded.model, self.encoder, pil, self.batch_size, self.loaded.device)
        return [LineResult(g.text, g.confidence) for g in gens]
