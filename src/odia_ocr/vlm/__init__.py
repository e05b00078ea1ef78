"""Fine-tuning and running Qwen2.5-VL with LoRA for Odia (the GPU path).

The modules here import torch, transformers and peft only inside functions
that need them, so ``import odia_ocr.vlm`` is cheap; the config is plain Python.
"""

from odia_ocr.vlm.config import VLMConfig, apply_overrides, load_config

__all__ = ["VLMConfig", "apply_overrides", "load_config"]
