"""What every benchmark script shares: a description of the machine, and writing results as Markdown + JSON.

Figures are only comparable with the machine (and its load) they were measured
on, so every result file starts with both.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["engine_spec", "folder_name", "machine_info", "machine_line", "repo_root", "write_results"]

_FLAGS = ("avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_tile")


def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


def _cpu() -> tuple[str, list[str]]:
    model, flags = platform.processor() or "unknown", []
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and model in ("", "unknown", platform.machine()):
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                have = set(line.split(":", 1)[1].split())
                flags = [f for f in _FLAGS if f in have]
    except OSError:
        pass
    return model, flags


def _tesseract_version() -> str | None:
    if not shutil.which("tesseract"):
        return None
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).splitlines()[0].strip() if (out.stdout or out.stderr) else None


def machine_info() -> dict[str, Any]:
    """CPU model, cores, SIMD flags, load average and software versions of this run."""
    model, flags = _cpu()
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "cpu_flags": flags,
        "load_average_at_start": load,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "tesseract": _tesseract_version(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def machine_line(info: dict[str, Any]) -> str:
    """One line for the top of a result: where and when it was measured."""
    load = ", ".join(str(x) for x in info["load_average_at_start"]) or "unknown"
    return (f"Machine: {info['cpu']}, {info['cores']} cores ({' '.join(info['cpu_flags']) or 'no AVX flags'}), "
            f"load average at start {load}; Python {info['python']}; {info['tesseract'] or 'no tesseract'}; "
            f"{info['date']}.")


def write_results(out_dir: str | Path, name: str, markdown: str, data: dict[str, Any]) -> tuple[Path, Path]:
    """Write ``name``.md and ``name``.json under ``out_dir``; returns both paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    md, js = out / f"{name}.md", out / f"{name}.json"
    md.write_text(markdown.rstrip() + "\n", encoding="utf-8")
    js.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return md, js


def engine_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """``NAME`` or ``NAME@KEY=VALUE[@KEY=VALUE...]``: an engine with options (values parse as JSON when they can)."""
    name, *pairs = spec.split("@")
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--engines {spec!r}: expected NAME@KEY=VALUE")
        try:
            options[key] = json.loads(value)
        except json.JSONDecodeError:
            options[key] = value
    return name, options


def folder_name(spec: str) -> str:
    """Where an engine spec's report goes: ``default@recheck_below=0.95`` → ``default_recheck_below_0.95``."""
    return re.sub(r"[^\w.-]+", "_", spec)
