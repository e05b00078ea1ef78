"""Generation: only new tokens are decoded, end-of-turn stops, loops are cut, batching changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import torch

from odia_ocr.vlm.collator import ChatEncoder
from odia_ocr.vlm.config import InferenceSettings
from odia_ocr.vlm.generate import generate_texts
from odia_ocr.vlm.modeling import load_base_model, load_processor
from vlm_fixtures import TINY_MAX_PIXELS, TINY_MIN_PIXELS, one_torch_thread, pattern_image, tiny_base_dir

SETTINGS = InferenceSettings(prompt="Odia text:", min_pixels=TINY_MIN_PIXELS, max_pixels=TINY_MAX_PIXELS,
                             max_new_tokens=48)


@pytest.fixture(scope="module", autouse=True)
def _one_thread() -> Iterator[None]:
    with one_torch_thread():
        yield


@pytest.fixture(scope="module")
def setup() -> tuple[Any, ChatEncoder]:
    base = tiny_base_dir()
    model = load_base_model(base, "fp32", torch.device("cpu"))
    return model, ChatEncoder(load_processor(Path(base), SETTINGS), SETTINGS)


@contextmanager
def forced_tokens(model: Any, script: list[int]) -> Iterator[None]:
    """Make the model emit ``script`` (cycling) whatever the input: a stand-in for a trained or looping model."""
    calls = {"n": 0}

    def hook(module: Any, inputs: Any, output: torch.Tensor) -> torch.Tensor:
        logits = torch.full_like(output, -20.0)
        logits[:, -1, script[calls["n"] % len(script)]] = 20.0
        calls["n"] += 1
        return logits

    handle = model.lm_head.register_forward_hook(hook)
    try:
        yield
    finally:
        handle.remove()


def test_only_new_tokens_are_decoded_and_end_of_turn_stops(setup: tuple[Any, ChatEncoder]) -> None:
    model, enc = setup
    answer = enc.tokenizer("ଓଡ଼ିଆ", add_special_tokens=False).input_ids
    with forced_tokens(model, [*answer, enc.end_ids[0]]):
        (g,) = generate_texts(model, enc, [pattern_image(1)])
    assert g.text == "ଓଡ଼ିଆ" and g.finished and not g.looped
    assert g.tokens == len(answer) + 1
    assert g.confidence > 0.99  # the forced tokens have probability ~1


def test_a_repetition_loop_is_stopped_early_and_cut(setup: tuple[Any, ChatEncoder]) -> None:
    model, enc = setup
    unit = enc.tokenizer(" ଭାଷା", add_special_tokens=False).input_ids
    with forced_tokens(model, unit):
        (g,) = generate_texts(model, enc, [pattern_image(2)])
    assert g.looped and not g.finished
    assert g.tokens < SETTINGS.max_new_tokens  # the guard stopped it, not max_new_tokens
    assert g.text == "ଭାଷା"  # one copy of the unit (canonical: no leading space)
    assert g.confidence <= 0.5


def test_batching_and_left_padding_change_nothing(setup: tuple[Any, ChatEncoder]) -> None:
    model, enc = setup
    images = [pattern_image(i, size) for i, size in enumerate([(56, 56), (112, 28), (28, 112), (90, 60)])]
    one_by_one = [generate_texts(model, enc, [im])[0] for im in images]
    batched = generate_texts(model, enc, images, batch_size=4)
    assert [g.text for g in batched] == [g.text for g in one_by_one]
    assert [g.tokens for g in batched] == [g.tokens for g in one_by_one]
    for a, b in zip(batched, one_by_one, strict=True):
        assert abs(a.confidence - b.confidence) < 1e-4
