"""`odia-ocr read` and the Python API on a tiny exported model: batching, JSON, stdin, bad input."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def tiny_onnx(tmp_path_factory) -> Path:
    """A randomly initialised CRNN exported with real metadata (no training needed to test plumbing)."""
    from odia_ocr.recognizer.export import export_onnx
    from odia_ocr.recognizer.model import CRNN, CRNNConfig
    from odia_ocr.recognizer.modelfile import ModelMeta
    from odia_ocr.text import default_charset
    from odia_ocr.training.checkpoint import save_model_file

    d = tmp_path_factory.mktemp("model")
    cs = default_charset()
    cfg = CRNNConfig(num_classes=cs.num_classes, channels=(4, 8, 8, 8, 16, 16), rnn_hidden=16, rnn_layers=1)
    torch.manual_seed(0)
    model = CRNN(cfg)
    meta = ModelMeta(charset=list(cs.chars), architecture=cfg.to_dict(), input_height=32)
    save_model_file(d / "m.safetensors", model, meta)
    export_onnx(d / "m.safetensors", d / "m.onnx")
    return d / "m.onnx"


@pytest.fixture()
def images(tmp_path: Path) -> list[Path]:
    rng = np.random.default_rng(1)
    paths = []
    for i in range(3):
        p = tmp_path / f"line{i}.png"
        Image.fromarray((rng.random((30, 120 + 40 * i)) * 255).astype(np.uint8)).save(p)
        paths.append(p)
    return paths


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    from odia_ocr.cli.main import main

    rc = main(args)
    out, err = capsys.readouterr()
    return rc, out, err


def test_read_json_one_object_per_file(tiny_onnx, images, capsys) -> None:
    args = ["read", *map(str, images), "--model", str(tiny_onnx), "--json", "--batch-size", "2"]
    rc, out, err = run_cli(args, capsys)
    assert rc == 0, err
    rows = [json.loads(x) for x in out.splitlines()]
    assert [r["file"] for r in rows] == [str(p) for p in images]
    assert all(isinstance(r["text"], str) and 0 <= r["confidence"] <= 1 for r in rows)


def test_batching_does_not_change_results(tiny_onnx, images, capsys) -> None:
    """Greedy: the BiLSTM sees the padding of shorter lines in a batch, so logits move slightly with batching;
    best-path decoding of them is stable, while beam search + LM over a random model's near-uniform outputs is not."""
    common = ["--model", str(tiny_onnx), "--json", "--decoder", "greedy"]
    _, one, _ = run_cli(["read", *map(str, images), *common, "--batch-size", "1"], capsys)
    _, many, _ = run_cli(["read", *map(str, images), *common, "--batch-size", "8"], capsys)
    assert [json.loads(x)["text"] for x in one.splitlines()] == [json.loads(x)["text"] for x in many.splitlines()]


def test_read_list_from_stdin(tiny_onnx, images, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(map(str, images)) + "\n"))
    rc, out, _ = run_cli(["read", "-", "--model", str(tiny_onnx), "--json"], capsys)
    assert rc == 0 and len(out.splitlines()) == 3


def test_bad_files_are_reported_and_counted(tiny_onnx, images, tmp_path, capsys) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    truncated = tmp_path / "trunc.png"
    truncated.write_bytes(images[0].read_bytes()[:60])
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    missing = tmp_path / "missing.png"
    files = [images[0], empty, truncated, text, missing, images[1]]
    rc, out, err = run_cli(["read", *map(str, files), "--model", str(tiny_onnx), "--json"], capsys)
    assert rc == 1
    rows = [json.loads(x) for x in out.splitlines()]
    assert [r["file"] for r in rows] == list(map(str, files))  # one object per input, in input order
    assert [r["text"] is None for r in rows] == [False, True, True, True, True, False]
    assert all(isinstance(rows[i]["text"], str) and "error" not in rows[i] for i in (0, 5))
    assert rows[4]["error"] == "file not found" and rows[4]["confidence"] is None
    assert all(r["error"] and str(r["file"]) not in r["error"] for r in rows[1:5])
    lines = err.strip().splitlines()
    assert len(lines) == 5  # one per bad file + the count
    for bad in (empty, truncated, text, missing):
        assert any(str(bad) in line for line in lines)
    assert "Traceback" not in err and "4 of 6 file(s) could not be read" in lines[-1]


def test_model_from_newer_format_fails_clearly(tiny_onnx, tmp_path, capsys) -> None:
    from odia_ocr.engines.compact import read_onnx_meta
    from odia_ocr.recognizer.export import embed_metadata

    meta = read_onnx_meta(tiny_onnx)
    meta.format_version = 99
    newer = tmp_path / "newer.onnx"
    newer.write_bytes(tiny_onnx.read_bytes())
    embed_metadata(newer, meta)
    rc, _, err = run_cli(["read", "x.png", "--model", str(newer)], capsys)
    assert rc == 2 and "format version 99 is newer" in err and len(err.strip().splitlines()) == 1


def test_missing_model_and_unknown_engine(capsys) -> None:
    rc, _, err = run_cli(["read", "x.png", "--model", "/nope/m.onnx"], capsys)
    assert rc == 2 and "/nope/m.onnx: model file not found" in err
    rc, _, err = run_cli(["read", "x.png", "--engine", "nope"], capsys)
    assert rc == 2 and "unknown engine 'nope'" in err
    rc, _, err = run_cli(["read", "x.png", "--engine", "tesseract", "--decoder", "lm"], capsys)
    assert rc == 2 and "engine 'tesseract' has no option 'decoder'" in err and len(err.strip().splitlines()) == 1


def test_python_api_accepts_path_bytes_pil_and_array(tiny_onnx, images) -> None:
    from odia_ocr import Reader

    reader = Reader(model=str(tiny_onnx))
    p = images[2]
    by_path = reader.read(p)
    assert reader.read(p.read_bytes()) == by_path
    assert reader.read(Image.open(p)) == by_path
    assert reader.read(np.asarray(Image.open(p))) == by_path
    assert reader.read(str(p)).text == by_path.text
