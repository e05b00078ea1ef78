"""`odia-ocr vlm push`: an adapter or merged model plus its generated model card, to the Hub or to a folder.

The upload folder is always built locally first (model files, README.md
from measured numbers, ``odia_vlm.json``). With a Hub token it is then
uploaded; without one it stays on disk and the caller says so, so the same
folder can be uploaded later by hand.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from odia_ocr.recognizer.modelfile import atomic_write_bytes
from odia_ocr.vlm.card import render_model_card
from odia_ocr.vlm.modeling import META_FILE, read_model_meta
from odia_ocr.vlm.state import STATE_FILE, commit_folder

__all__ = ["PushResult", "build_push_folder", "find_token", "push_model"]

#: Run files that never go into a published folder.
_PRIVATE_FILES = (STATE_FILE, "vlm_config.json", "log.jsonl")


@dataclass(frozen=True)
class PushResult:
    folder: Path
    uploaded: bool
    url: str | None = None


def find_token(token: str | None = None) -> str | None:
    """``token``, else HF_TOKEN or a stored `hf auth login` token, else None."""
    if token:
        return token
    try:
        from huggingface_hub import get_token
    except ImportError:
        return None
    return get_token()


def build_push_folder(model: str | Path, out: str | Path, repo_id: str, report: dict[str, Any] | None = None) -> Path:
    """Copy the model folder to ``out`` with a generated README.md; returns ``out``."""
    model, out = Path(model), Path(out)
    meta = read_model_meta(model)
    if meta is None:
        raise FileNotFoundError(f"{model}: no {META_FILE}; push an odia-ocr VLM folder (best/, a checkpoint or "
                                "a merged folder)")
    if report:
        meta["evaluation"] = report
    tmp = out.with_name(f".tmp-{out.name}")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(model, tmp, ignore=shutil.ignore_patterns(*_PRIVATE_FILES))
    atomic_write_bytes(tmp / META_FILE, json.dumps(meta, indent=2, ensure_ascii=False).encode("utf-8"))
    atomic_write_bytes(tmp / "README.md", render_model_card(meta, repo_id, report).encode("utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    commit_folder(tmp, out)
    return out


def push_model(model: str | Path, repo_id: str, out: str | Path | None = None, token: str | None = None,
               private: bool = True, report: dict[str, Any] | None = None) -> PushResult:
    """Build the upload folder and upload it when a token is available."""
    model = Path(model)
    folder = Path(out) if out else model.with_name(f"{model.name}-hub")
    build_push_folder(model, folder, repo_id, report)
    token = find_token(token)
    if not token:
        return PushResult(folder, uploaded=False)
    from huggingface_hub import HfApi

    api = HfApi(token=token)
    api.create_repo(repo_id, repo_type="model", private=private, exist_ok=True)
    info = api.upload_folder(folder_path=str(folder), repo_id=repo_id, repo_type="model",
                             commit_message="Upload from odia-ocr vlm push")
    return PushResult(folder, uploaded=True, url=str(getattr(info, "commit_url", "") or f"hf.co/{repo_id}"))
