"""Reading config files (JSON or TOML) with errors that name the file.

Both `odia-ocr train` and `odia-ocr vlm train` take a config file; a typo in one
should print one line naming the file and the problem, not a bare parser message.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["ConfigFileError", "load_config_file"]

T = TypeVar("T")


class ConfigFileError(ValueError):
    """A config file that cannot be read, parsed or applied; the message starts with its path."""


def load_config_file(path: str | Path, build: Callable[[dict[str, Any]], T]) -> T:
    """Parse ``path`` (``.toml``, otherwise JSON) and pass the table to ``build``.

    Every failure (missing file, syntax error, unknown key, bad value) is re-raised as
    :class:`ConfigFileError` with the path in front of the problem.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigFileError(f"{p}: no such config file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigFileError(f"{p}: cannot read config file ({err})") from None
    try:
        data = tomllib.loads(text) if p.suffix == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as err:
        kind = "TOML" if p.suffix == ".toml" else "JSON"
        raise ConfigFileError(f"{p}: invalid {kind}: {err}") from None
    if not isinstance(data, dict):
        raise ConfigFileError(f"{p}: expected a table of settings, got {type(data).__name__}")
    try:
        return build(data)
    except (TypeError, ValueError) as err:
        raise ConfigFileError(f"{p}: {err}") from None
