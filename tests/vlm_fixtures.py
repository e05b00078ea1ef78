"""A tiny Qwen2.5-VL built offline for the VLM tests, plus small image datasets in the standard format.

The model has the real architecture and processor classes with toy sizes:
a byte-level BPE trained here with Qwen's special tokens, Qwen's chat
template, a 2-layer language model of width 32 and a 1-block vision tower.
Nothing is downloaded; it is built once per test session.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

QWEN_SPECIAL_TOKENS = [
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>",
    "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>",
    "<|image_pad|>", "<|video_pad|>",
]

# Qwen2.5-VL-Instruct's chat template (images and text; video parts left out).
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
    "{% endif %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}<|im_end|>\n"
    "{% else %}{% for content in message['content'] %}"
    "{% if content['type'] == 'image' or 'image' in content or 'image_url' in content %}"
    "<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif 'text' in content %}{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

TOKENIZER_CORPUS = [
    "system user assistant You are a helpful assistant.",
    "Read the Odia text in this image. Reply with the text only, exactly as written.",
    "ଓଡ଼ିଆ ଭାଷା ଏକ ପ୍ରାଚୀନ ଭାଷା । ରାଷ୍ଟ୍ରର ଶ୍ରୀ ମନ୍ତ୍ରୀ କ୍ଷମା ମାଗିଲେ । ଚାଁଦ ଆକାଶରେ ହସୁଛି । ସେ ବଡ଼ ଘରେ ରହନ୍ତି ।",
    "କଖଗଘଙ ଚଛଜଝଞ ଟଠଡଢଣ ତଥଦଧନ ପଫବଭମ ଯରଲଳୱ ଶଷସହ ୟ ୦୧୨୩୪୫୬୭୮୯ ଅଆଇଈଉଊଋଏଐଓଔ ାିୀୁୂୃେୈୋୌଂଃଁ଼୍",
]

#: Pixel bounds used with the tiny model: 1 to 16 image tokens.
TINY_MIN_PIXELS = 28 * 28
TINY_MAX_PIXELS = 28 * 28 * 16


def build_tokenizer() -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import Qwen2Tokenizer

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=QWEN_SPECIAL_TOKENS, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    bpe.train_from_iterator(TOKENIZER_CORPUS * 4, trainer)
    model = json.loads(bpe.to_str())["model"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in model["merges"]]
    return Qwen2Tokenizer(vocab=model["vocab"], merges=merges, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                          additional_special_tokens=QWEN_SPECIAL_TOKENS[1:])


def build_processor(tokenizer: Any) -> Any:
    from transformers import Qwen2_5_VLProcessor
    from transformers.models.qwen2_vl.image_processing_qwen2_vl import Qwen2VLImageProcessor
    from transformers.models.qwen2_vl.video_processing_qwen2_vl import Qwen2VLVideoProcessor

    images = Qwen2VLImageProcessor(min_pixels=TINY_MIN_PIXELS, max_pixels=TINY_MAX_PIXELS)
    return Qwen2_5_VLProcessor(image_processor=images, tokenizer=tokenizer, video_processor=Qwen2VLVideoProcessor(),
                               chat_template=CHAT_TEMPLATE)


def build_model(tokenizer: Any, seed: int = 0) -> Any:
    import torch
    from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration

    def tid(token: str) -> int:
        return int(tokenizer.convert_tokens_to_ids(token))

    config = Qwen2_5_VLConfig(
        text_config={
            "vocab_size": len(tokenizer), "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
            "num_attention_heads": 2, "num_key_value_heads": 1, "max_position_embeddings": 2048,
            "initializer_range": 0.2,  # wide enough that frozen lm_head logits can become confident
            "rope_parameters": {"rope_type": "default", "mrope_section": [2, 3, 3], "rope_theta": 10000.0},
            "bos_token_id": tid("<|endoftext|>"), "eos_token_id": tid("<|im_end|>"),
            "pad_token_id": tid("<|endoftext|>"),
        },
        vision_config={
            "depth": 1, "hidden_size": 32, "intermediate_size": 64, "num_heads": 2, "out_hidden_size": 32,
            "patch_size": 14, "spatial_merge_size": 2, "temporal_patch_size": 2, "window_size": 56,
            "fullatt_block_indexes": [0],
        },
        image_token_id=tid("<|image_pad|>"), video_token_id=tid("<|video_pad|>"),
        vision_start_token_id=tid("<|vision_start|>"), vision_end_token_id=tid("<|vision_end|>"),
    )
    torch.manual_seed(seed)
    return Qwen2_5_VLForConditionalGeneration(config)


def save_tiny_base(folder: Path) -> Path:
    """Write a complete model folder (weights, config, tokenizer, processor, chat template)."""
    tokenizer = build_tokenizer()
    build_model(tokenizer).save_pretrained(str(folder))
    build_processor(tokenizer).save_pretrained(str(folder))
    return folder


@contextlib.contextmanager
def one_torch_thread() -> Iterator[None]:
    """Run torch on one thread, then restore the count.

    The toy model gains nothing from a second thread. When the machine is busy,
    OpenMP threads spin while they wait for each other, and a test becomes ten
    times slower.
    """
    import torch

    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(old)


@functools.cache
def tiny_base_dir() -> Path:
    """One tiny model folder per test session, removed at exit (test modules wrap it in a fixture)."""
    folder = Path(tempfile.mkdtemp(prefix="tiny-qwen2.5-vl-"))
    atexit.register(shutil.rmtree, folder, True)
    return save_tiny_base(folder)


def pattern_image(index: int, size: tuple[int, int] = (56, 56)) -> Image.Image:
    """A distinct, simple picture per index (colour blocks), so a tiny model can tell them apart."""
    rng = np.random.default_rng(index)
    w, h = size
    arr = np.empty((h, w, 3), dtype=np.uint8)
    arr[:] = rng.integers(0, 256, size=3)
    arr[: h // 2, : w // 2] = rng.integers(0, 256, size=3)
    arr[h // 2 :, w // 2 :] = 255 - arr[0, 0]
    return Image.fromarray(arr)


def write_dataset(folder: Path, rows: list[tuple[str, Image.Image | bytes, str, str]]) -> Path:
    """A dataset in the standard format: manifest.jsonl + images/ (rows: id, image, text, split)."""
    (folder / "images").mkdir(parents=True, exist_ok=True)
    with (folder / "manifest.jsonl").open("w", encoding="utf-8") as f:
        for sid, image, text, split in rows:
            rel = f"images/{sid}.png"
            if isinstance(image, bytes):
                (folder / rel).write_bytes(image)
            else:
                image.save(folder / rel)
            f.write(json.dumps({"id": sid, "image": rel, "text": text, "source": "test", "split": split},
                               ensure_ascii=False) + "\n")
    return folder


def tiny_overrides(base: Path, data: Path, out: Path, **more: Any) -> dict[str, Any]:
    """VLMConfig values for fast CPU runs on the tiny model."""
    values: dict[str, Any] = {
        "base_model": str(base), "data": str(data), "out_dir": str(out), "precision": "fp32",
        "min_pixels": TINY_MIN_PIXELS, "max_pixels": TINY_MAX_PIXELS, "max_seq_length": 96, "max_new_tokens": 24,
        "num_workers": 0, "log_every": 1, "lora_r": 8, "lora_alpha": 16, "warmup_steps": 0,
    }
    values.update(more)
    return values
