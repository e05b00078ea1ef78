"""Engine names -> engine classes, imported only when asked for.

Lazy import keeps `odia-ocr read` free of torch/transformers unless the user
picks an engine that needs them. Every engine class is constructed as
``Engine(**options)`` with keyword options (``model``, ``batch_size``, ...).
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from odia_ocr.engines.base import Recognizer

__all__ = ["ENGINES", "UnknownEngineError", "create_engine"]

#: name -> "module:Class"
ENGINES: dict[str, str] = {
    "default": "odia_ocr.engines.compact:DefaultEngine",
    "compact": "odia_ocr.engines.compact:CompactEngine",
    "tesseract": "odia_ocr.engines.tesseract:TesseractEngine",
    "tesseract-script": "odia_ocr.engines.tesseract:TesseractScriptEngine",
    "vlm": "odia_ocr.engines.vlm:VLMEngine",
    "openai": "odia_ocr.engines.openai_compat:OpenAICompatibleEngine",
}


class UnknownEngineError(ValueError):
    pass


def create_engine(name: str, **options: Any) -> Recognizer:
    """Build the engine called ``name``; options are passed to its constructor."""
    target = ENGINES.get(name)
    if target is None:
        raise UnknownEngineError(f"unknown engine {name!r}; choose from {', '.join(sorted(ENGINES))}")
    module_name, cls_name = target.split(":")
    cls = getattr(importlib.import_module(module_name), cls_name)
    params = inspect.signature(cls.__init__).parameters
    if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
        unknown = sorted(set(options) - set(params))
        if unknown:
            raise ValueError(f"engine {name!r} has no option {', '.join(map(repr, unknown))}")
    return cls(**options)
