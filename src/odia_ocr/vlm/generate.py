"""Reading images with the VLM: batched greedy generation with a loop guard, decoding only the new tokens.

Prompts come from the chat template (the same :class:`ChatEncoder` as in
training), padded on the left so that every row's new tokens start at the
same column. Generation of a row stops at the end-of-turn token, at
``max_new_tokens``, or as soon as its tail is a repetition loop; a loop is
cut back to one copy and flagged. Confidence is the mean probability of the
kept tokens (end-of-turn included), halved for a loop or a row that never
ended, so that confidence filters reject such outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from PIL import Image

from odia_ocr.text import canonicalize
from odia_ocr.vlm.collator import ChatEncoder, pad_batch
from odia_ocr.vlm.repetition import LoopGuard, trim_loop

__all__ = ["Generation", "generate_texts"]


@dataclass(frozen=True)
class Generation:
    text: str  # canonical
    confidence: float  # in [0, 1]
    looped: bool  # a repetition loop was cut off
    finished: bool  # ended with the end-of-turn token (not at max_new_tokens or by the loop guard)
    tokens: int  # new tokens generated


def _loop_criterion(guard: LoopGuard, prompt_length: int) -> Any:
    from transformers import StoppingCriteria

    class LoopStop(StoppingCriteria):
        def __call__(self, input_ids: torch.Tensor, scores: Any, **kwargs: Any) -> torch.Tensor:
            rows = input_ids[:, prompt_length:].tolist()
            return torch.tensor([guard.find(r) is not None for r in rows], dtype=torch.bool, device=input_ids.device)

    return LoopStop()


def _generation_config(encoder: ChatEncoder) -> Any:
    from transformers import GenerationConfig

    s = encoder.settings
    # A fresh config: the base model's own (sampling, its repetition penalty) must not leak in.
    return GenerationConfig(
        max_new_tokens=s.max_new_tokens, do_sample=False, num_beams=1, use_cache=True,
        repetition_penalty=s.repetition_penalty, eos_token_id=encoder.stop_token_ids,
        pad_token_id=encoder.pad_token_id, return_dict_in_generate=True, output_logits=True,
    )


def _finish_row(ids: list[int], logprobs: list[float], encoder: ChatEncoder, guard: LoopGuard) -> Generation:
    stops = set(encoder.stop_token_ids)
    # generate() pads a row that has stopped (end-of-turn or loop guard) with the pad token.
    end = next((i for i, t in enumerate(ids) if t in stops or t == encoder.pad_token_id), None)
    finished = end is not None and ids[end] in stops
    body = ids if end is None else ids[:end]
    loop = guard.find(body)
    kept = list(trim_loop(body, loop))
    scored = logprobs[: len(kept) + (1 if finished and loop is None else 0)]
    confidence = float(torch.tensor(scored).mean().exp()) if scored else 0.0
    if loop is not None or not finished:
        confidence *= 0.5
    text = canonicalize(encoder.tokenizer.decode(kept, skip_special_tokens=True))
    generated = len(ids) if end is None else end + 1 if finished else end  # padding is not generated
    return Generation(text, min(1.0, max(0.0, confidence)), loop is not None, finished and loop is None, generated)


@torch.no_grad()
def generate_texts(model: Any, encoder: ChatEncoder, images: Sequence[Image.Image], batch_size: int = 8,
                   device: torch.device | None = None) -> list[Generation]:
    """Read each image; results in the input order."""
    if not images:
        return []
    s = encoder.settings
    guard = LoopGuard(s.loop_max_period, s.loop_min_repeats, s.loop_min_span)
    device = device or next(model.parameters()).device
    fitted = [encoder.fit(img) for img in images]
    order = sorted(range(len(images)), key=lambda i: fitted[i].tokens)  # similar lengths pad little
    config = _generation_config(encoder)
    results: list[Generation | None] = [None] * len(images)
    was_training = model.training
    model.eval()
    try:
        for k in range(0, len(order), max(1, batch_size)):
            idx = order[k : k + batch_size]
            batch = pad_batch([encoder.encode_prompt(fitted[i]) for i in idx], encoder.pad_token_id, side="left")
            batch = {key: v.to(device) for key, v in batch.items()}
            prompt_length = batch["input_ids"].shape[1]
            out = model.generate(**batch, generation_config=config,
                                 stopping_criteria=[_loop_criterion(guard, prompt_length)])
            new = out.sequences[:, prompt_length:]
            logp = torch.stack(out.logits, dim=1).float().log_softmax(-1)
            chosen = logp.gather(-1, new[:, : logp.shape[1], None])[..., 0]
            for row, i in enumerate(idx):
                results[i] = _finish_row(new[row].tolist(), chosen[row].tolist(), encoder, guard)
    finally:
        model.train(was_training)
    return [r for r in results if r is not None]
