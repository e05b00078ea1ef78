"""`odia-ocr vlm merge`: fold a LoRA adapter into its base model, for serving (vLLM, plain transformers).

The merged folder is a complete model (safetensors weights, config,
processor, chat template) plus ``odia_vlm.json`` carrying the adapter's
inference settings and metrics. It is written under a temporary name and
renamed into place when whole.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from odia_ocr.vlm.modeling import load_for_inference, read_model_meta, write_model_meta
from odia_ocr.vlm.state import commit_folder

__all__ = ["merge_adapter"]


def merge_adapter(adapter: str | Path, out: str | Path, base_model: str | None = None, precision: str = "bf16",
                  device: str | None = "cpu") -> Path:
    """Write ``adapter`` merged into its base model to ``out``; returns ``out``.

    Merging happens in ``precision`` (bf16 by default: the dtype the 3B model
    is served in) and never on quantized weights.
    """
    adapter, out = Path(adapter), Path(out)
    if not (adapter / "adapter_config.json").is_file():
        raise FileNotFoundError(f"{adapter}: no adapter_config.json; not a LoRA adapter folder")
    loaded = load_for_inference(adapter, base_model=base_model, device=device, precision=precision)
    merged = loaded.model.merge_and_unload()
    tmp = out.with_name(f".tmp-{out.name}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    merged.save_pretrained(str(tmp), safe_serialization=True)
    loaded.processor.save_pretrained(str(tmp))
    meta = read_model_meta(adapter) or {}
    training = dict(meta.get("training", {}), merged_from=str(adapter), merge_precision=precision)
    write_model_meta(tmp, "merged", loaded.meta["base_model"], loaded.settings, meta.get("metrics"), training)
    adapter_cfg = json.loads((adapter / "adapter_config.json").read_text(encoding="utf-8"))
    (tmp / "lora_config.json").write_text(json.dumps(adapter_cfg, indent=2), encoding="utf-8")  # provenance
    out.parent.mkdir(parents=True, exist_ok=True)
    commit_folder(tmp, out)
    return out
