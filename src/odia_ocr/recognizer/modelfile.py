"""Self-describing model files: safetensors weights + JSON metadata, never pickle.

The metadata travels inside the file (safetensors header for PyTorch weights,
ONNX ``metadata_props`` for exported models), so a model can never be decoded
with the wrong charset. Loading checks the format version first.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from odia_ocr.text import CANONICALIZATION_ID, Charset

__all__ = ["FORMAT_VERSION", "LENGTHS_INPUT", "META_KEY", "ModelFormatError", "ModelMeta", "atomic_write_bytes"]

#: Bump when a reader of the previous version could not use a new file.
FORMAT_VERSION = 1
META_KEY = "odia_ocr"
#: Optional ONNX model input: frames per line (int32, one per batch row), so the BiLSTM stops at each line's end.
LENGTHS_INPUT = "lengths"


class ModelFormatError(ValueError):
    """A model file this version of odia-ocr cannot use; the message says why."""


@dataclass
class ModelMeta:
    """Everything inference needs besides the weights, plus provenance."""

    charset: list[str]
    architecture: dict[str, Any]
    input_height: int
    canonicalization: str = CANONICALIZATION_ID
    format_version: int = FORMAT_VERSION
    config: dict[str, Any] = field(default_factory=dict)
    training_data: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, source: str = "model") -> ModelMeta:
        try:
            d = json.loads(text)
        except json.JSONDecodeError as err:
            raise ModelFormatError(f"{source}: metadata is not valid JSON ({err.msg})") from None
        version = d.get("format_version")
        if not isinstance(version, int):
            raise ModelFormatError(f"{source}: no format_version in metadata: not an odia-ocr model")
        if version > FORMAT_VERSION:
            raise ModelFormatError(
                f"{source}: model format version {version} is newer than this odia-ocr supports "
                f"({FORMAT_VERSION}); upgrade odia-ocr to use it"
            )
        if d.get("canonicalization") != CANONICALIZATION_ID:
            raise ModelFormatError(f"{source}: unknown text canonicalization {d.get('canonicalization')!r}")
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        return cls(**known)

    @property
    def charset_obj(self) -> Charset:
        return Charset(tuple(self.charset))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` so that ``path`` holds either the old or the new content, never a torn file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; model files are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
