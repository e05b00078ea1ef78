"""The collator: chat-template prompts, answer-only labels, and image tokens that are never split."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from PIL import Image

from odia_ocr.vlm.collator import IGNORE_INDEX, ChatEncoder, Example, Skipped, pad_batch
from odia_ocr.vlm.config import InferenceSettings
from odia_ocr.vlm.modeling import load_base_model, load_processor
from vlm_fixtures import TINY_MAX_PIXELS, TINY_MIN_PIXELS, one_torch_thread, pattern_image, tiny_base_dir

SETTINGS = InferenceSettings(prompt="Odia text:", min_pixels=TINY_MIN_PIXELS, max_pixels=TINY_MAX_PIXELS)
MAX_LEN = 64


@pytest.fixture(scope="module", autouse=True)
def _one_thread() -> Iterator[None]:
    with one_torch_thread():
        yield


@pytest.fixture(scope="module")
def tiny_base() -> Path:
    return tiny_base_dir()


@pytest.fixture(scope="module")
def encoder(tiny_base: Path) -> ChatEncoder:
    return ChatEncoder(load_processor(tiny_base, SETTINGS), SETTINGS, max_seq_length=MAX_LEN)


def _check_whole_image(enc: ChatEncoder, ex: Example) -> None:
    ids = ex.input_ids.tolist()
    tok = enc.tokenizer
    start, end = tok.convert_tokens_to_ids("<|vision_start|>"), tok.convert_tokens_to_ids("<|vision_end|>")
    n_image = ids.count(enc.image_token_id)
    assert n_image == ex.image_tokens == int(ex.image_grid_thw.prod()) // 4
    # The image tokens form one unbroken run between vision_start and vision_end.
    i = ids.index(start)
    assert ids[i + 1 : i + 1 + n_image] == [enc.image_token_id] * n_image and ids[i + 1 + n_image] == end
    assert ex.pixel_values.shape[0] == int(ex.image_grid_thw.prod())
    assert len(ids) <= MAX_LEN


def test_prompt_comes_from_the_chat_template(encoder: ChatEncoder) -> None:
    assert encoder.prompt_text.startswith("<|im_start|>system\n")
    assert encoder.prompt_text.endswith("Odia text:<|im_end|>\n<|im_start|>assistant\n")
    assert encoder.tokenizer.convert_ids_to_tokens(encoder.end_ids) == ["<|im_end|>"]
    assert encoder.stop_token_ids[0] == encoder.tokenizer.convert_tokens_to_ids("<|im_end|>")


def test_loss_falls_on_the_answer_and_end_of_turn_only(encoder: ChatEncoder) -> None:
    ex = encoder.encode_training(pattern_image(0), "ଓଡ଼ିଆ ଭାଷା", "s0")
    assert isinstance(ex, Example) and ex.labels is not None
    kept = ex.labels[ex.labels != IGNORE_INDEX].tolist()
    assert encoder.tokenizer.decode(kept) == "ଓଡ଼ିଆ ଭାଷା<|im_end|>"
    n_answer = len(kept)
    assert ex.input_ids[-n_answer:].tolist() == kept  # labels align with the tokens they are
    assert (ex.labels[:-n_answer] == IGNORE_INDEX).all()
    prompt = encoder.tokenizer.decode(ex.input_ids[:-n_answer].tolist())
    assert prompt.endswith("<|im_start|>assistant\n")
    assert ex.mm_token_type_ids is not None and int(ex.mm_token_type_ids.sum()) == ex.image_tokens


@pytest.mark.parametrize(
    "size",
    [(56, 56), (4000, 20), (20, 4000), (3000, 3000), (9000, 12), (12, 9000), (28, 28), (3, 3)],
    ids=["square", "very-wide", "very-tall", "huge", "extreme-wide", "extreme-tall", "one-token", "tiny"],
)
def test_image_tokens_are_never_split(encoder: ChatEncoder, size: tuple[int, int]) -> None:
    img = Image.new("RGB", size, (250, 250, 250))
    ex = encoder.encode_training(img, "କଖ", "s")
    assert isinstance(ex, Example)
    _check_whole_image(encoder, ex)


def test_long_labels_downscale_the_image_then_skip(encoder: ChatEncoder) -> None:
    img = Image.new("RGB", (112, 112), (250, 250, 250))  # 4 x 4 = 16 image tokens, the most allowed
    short = encoder.encode_training(img, "କଖ", "short")
    assert isinstance(short, Example) and not short.downscaled and short.image_tokens == 16
    answer = "ଓଡ଼ିଆ ଭାଷା ଏକ ପ୍ରାଚୀନ ଭାଷା"
    n_answer = len(encoder.answer_ids(answer))
    budget = MAX_LEN - encoder.prompt_overhead - n_answer
    assert 0 < budget < 16, "the test label should leave room for only a few image tokens"
    long = encoder.encode_training(img, answer, "long")
    assert isinstance(long, Example) and long.downscaled and long.image_tokens <= budget
    _check_whole_image(encoder, long)
    assert encoder.tokenizer.decode(long.labels[long.labels != IGNORE_INDEX].tolist()) == answer + "<|im_end|>"
    too_long = encoder.encode_training(img, answer * 4, "too-long")
    assert isinstance(too_long, Skipped) and too_long.reason == "label too long"


def test_padded_batch_of_odd_shapes_runs_through_the_model(encoder: ChatEncoder, tiny_base: Path) -> None:
    images = [Image.new("RGB", s, (200, 200, 200)) for s in [(4000, 20), (20, 4000), (56, 56), (3000, 3000)]]
    texts = ["କଖ", "ଓଡ଼ିଆ ଭାଷା ଏକ ପ୍ରାଚୀନ ଭାଷା", "୧୨୩", "ଭାଷା"]
    examples = [encoder.encode_training(im, t, str(i)) for i, (im, t) in enumerate(zip(images, texts, strict=True))]
    assert all(isinstance(e, Example) for e in examples)
    model = load_base_model(tiny_base, "fp32", torch.device("cpu"))
    for side in ("right", "left"):
        batch = pad_batch(examples, encoder.pad_token_id, side=side)  # type: ignore[arg-type]
        with torch.no_grad():
            out = model(**batch)  # raises "Image features and image tokens do not match" on a split image
        assert torch.isfinite(out.loss)
        assert int(batch["attention_mask"].sum()) == sum(len(e.input_ids) for e in examples)  # type: ignore[union-attr]
