"""Training and generation inputs for Qwen2.5-VL: chat-template prompts, masked labels, whole image tokens.

A training sample is ``prompt (with image tokens) + answer + end-of-turn``.
The loss falls on the answer and the end-of-turn token only, so the model
learns to read and then stop. Its length is measured before anything is
built: an image that would not fit is downscaled, and a sample that still
does not fit is skipped and counted. Nothing is ever truncated, so image
tokens and image features always match.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from PIL import Image

from odia_ocr.text import canonicalize
from odia_ocr.vlm.config import InferenceSettings
from odia_ocr.vlm.geometry import FittedImage, fit_image

__all__ = ["IGNORE_INDEX", "ChatEncoder", "Example", "Skipped", "pad_batch"]

#: Label value the loss ignores (prompt, image and padding positions).
IGNORE_INDEX = -100
_PROBE = "\u2063probe\u2063"  # an answer text no template can contain


@dataclass
class Example:
    """One encoded sample: 1-D token tensors plus its image's patches."""

    input_ids: torch.Tensor
    pixel_values: torch.Tensor
    image_grid_thw: torch.Tensor  # (1, 3)
    mm_token_type_ids: torch.Tensor | None  # 1 on image tokens; only for transformers versions that use it
    labels: torch.Tensor | None = None  # None for a generation prompt
    image_tokens: int = 0
    downscaled: bool = False
    sample_id: str = ""


@dataclass(frozen=True)
class Skipped:
    """A training sample left out, with a short reason for counting and a one-line detail."""

    sample_id: str
    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.sample_id}: {self.reason} ({self.detail})"


class ChatEncoder:
    """Encodes (image, text) pairs with a Qwen2.5-VL processor and its chat template."""

    def __init__(self, processor: Any, settings: InferenceSettings, max_seq_length: int | None = None) -> None:
        self.processor = processor
        self.tokenizer = processor.tokenizer
        self.settings = settings
        self.max_seq_length = max_seq_length
        ip = processor.image_processor
        self.factor = int(ip.patch_size) * int(ip.merge_size)
        self.image_token_id = int(self.tokenizer.convert_tokens_to_ids(processor.image_token))
        self.pad_token_id = int(self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None
                                else self.tokenizer.eos_token_id)
        self.prompt_text = self._render(None)
        full = self._render(_PROBE)
        if not full.startswith(self.prompt_text + _PROBE):
            raise ValueError("the chat template does not put the answer right after the generation prompt")
        end_marker = full[len(self.prompt_text) + len(_PROBE):].strip()
        self.end_ids: list[int] = self.tokenizer(end_marker, add_special_tokens=False).input_ids if end_marker else []
        if not self.end_ids:
            raise ValueError("the chat template closes the answer with no end-of-turn token")
        # The prompt holds one image placeholder, which the processor expands to the image's tokens.
        self.prompt_overhead = len(self.tokenizer(self.prompt_text, add_special_tokens=False).input_ids) - 1

    def _render(self, answer: str | None) -> str:
        messages: list[dict[str, Any]] = []
        if self.settings.system_prompt is not None:
            messages.append({"role": "system", "content": self.settings.system_prompt})
        user = [{"type": "image"}, {"type": "text", "text": self.settings.prompt}]
        messages.append({"role": "user", "content": user})
        if answer is None:
            return self.processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        messages.append({"role": "assistant", "content": answer})
        return self.processor.apply_chat_template(messages, add_generation_prompt=False, tokenize=False)

    @property
    def stop_token_ids(self) -> list[int]:
        """Tokens that end generation: the template's end-of-turn token and the tokenizer's EOS."""
        ids = [self.end_ids[-1]]
        if self.tokenizer.eos_token_id is not None and self.tokenizer.eos_token_id not in ids:
            ids.append(int(self.tokenizer.eos_token_id))
        return ids

    def fit(self, img: Image.Image, max_tokens: int | None = None) -> FittedImage:
        """``img`` resized to the pixel bounds (and to at most ``max_tokens`` image tokens)."""
        s = self.settings
        max_pixels = s.max_pixels if max_tokens is None else min(s.max_pixels, max_tokens * self.factor**2)
        return fit_image(img, self.factor, s.min_pixels, max_pixels, s.max_aspect)

    def answer_ids(self, text: str) -> list[int]:
        """Token ids of the canonical answer followed by the end-of-turn token."""
        return list(self.tokenizer(canonicalize(text), add_special_tokens=False).input_ids) + self.end_ids

    def encode_prompt(self, fitted: FittedImage, sample_id: str = "") -> Example:
        """The generation prompt for one fitted image (no labels)."""
        enc = self.processor(text=[self.prompt_text], images=[fitted.image], return_tensors="pt")
        ids = enc["input_ids"][0]
        n_image = int((ids == self.image_token_id).sum())
        merge = int(self.processor.image_processor.merge_size)
        expected = int(enc["image_grid_thw"][0].prod()) // (merge * merge)
        if n_image != fitted.tokens or expected != fitted.tokens or len(ids) != self.prompt_overhead + fitted.tokens:
            raise RuntimeError(
                f"{sample_id or 'image'}: processor made {n_image} image tokens for {expected} features, "
                f"expected {fitted.tokens}; its min/max pixels must match the encoder's"
            )
        mm = enc.get("mm_token_type_ids")
        return Example(
            input_ids=ids,
            pixel_values=enc["pixel_values"],
            image_grid_thw=enc["image_grid_thw"],
            mm_token_type_ids=None if mm is None else mm[0],
            image_tokens=fitted.tokens,
            sample_id=sample_id,
        )

    def encode_training(self, img: Image.Image, text: str, sample_id: str = "") -> Example | Skipped:
        """Prompt + answer with the prompt masked in the labels; downscaled or skipped when too long."""
        answer = self.answer_ids(text)
        fitted = self.fit(img)
        downscaled = False
        if self.max_seq_length is not None:
            budget = self.max_seq_length - self.prompt_overhead - len(answer)
            least = max(1, math.ceil(self.settings.min_pixels / self.factor**2))
            if budget < least:
                return Skipped(sample_id, "label too long",
                               f"{len(answer)} answer tokens leave {budget} of max_seq_length "
                               f"{self.max_seq_length} for the image; it needs at least {least}")
            if fitted.tokens > budget:
                fitted = self.fit(img, max_tokens=budget)
                downscaled = True
                if fitted.tokens > budget:
                    return Skipped(sample_id, "image too large",
                                   f"{fitted.tokens} image tokens even at min_pixels, {budget} allowed")
        prompt = self.encode_prompt(fitted, sample_id)
        answer_t = torch.tensor(answer, dtype=prompt.input_ids.dtype)
        prompt.labels = torch.cat([torch.full_like(prompt.input_ids, IGNORE_INDEX), answer_t])
        prompt.input_ids = torch.cat([prompt.input_ids, answer_t])
        if prompt.mm_token_type_ids is not None:
            prompt.mm_token_type_ids = torch.cat([prompt.mm_token_type_ids, torch.zeros_like(answer_t)])
        prompt.downscaled = downscaled
        if self.max_seq_length is not None and len(prompt.input_ids) > self.max_seq_length:
            raise RuntimeError(f"{sample_id}: built {len(prompt.input_ids)} tokens, over {self.max_seq_length}")
        return prompt


def pad_batch(examples: Sequence[Example], pad_token_id: int, side: str = "right") -> dict[str, torch.Tensor]:
    """Model inputs for a batch: padded ids, attention mask, labels, and all images' patches.

    Training pads on the right; generation pads on the left so every
    prompt ends where the new tokens begin.
    """
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    n, length = len(examples), max(len(e.input_ids) for e in examples)
    input_ids = torch.full((n, length), pad_token_id, dtype=torch.long)
    attention = torch.zeros((n, length), dtype=torch.long)
    with_labels = all(e.labels is not None for e in examples)
    with_mm = all(e.mm_token_type_ids is not None for e in examples)
    labels = torch.full((n, length), IGNORE_INDEX, dtype=torch.long)
    mm = torch.zeros((n, length), dtype=torch.long)
    for i, e in enumerate(examples):
        k = len(e.input_ids)
        sl = slice(length - k, length) if side == "left" else slice(0, k)
        input_ids[i, sl] = e.input_ids
        attention[i, sl] = 1
        if with_labels:
            labels[i, sl] = e.labels  # type: ignore[assignment]
        if with_mm:
            mm[i, sl] = e.mm_token_type_ids  # type: ignore[assignment]
    batch = {
        "input_ids": input_ids,
        "attention_mask": attention,
        "pixel_values": torch.cat([e.pixel_values for e in examples]),
        "image_grid_thw": torch.cat([e.image_grid_thw for e in examples]),
    }
    if with_labels:
        batch["labels"] = labels
    if with_mm:
        batch["mm_token_type_ids"] = mm
    return batch
