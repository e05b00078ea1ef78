"""Loading weights from files: damaged or mismatched files are one-line errors; averaging models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from odia_ocr.recognizer.model import CRNN, CRNNConfig  # noqa: E402
from odia_ocr.recognizer.modelfile import ModelFormatError, ModelMeta  # noqa: E402
from odia_ocr.text import default_charset  # noqa: E402
from odia_ocr.training.average import average_models, reestimate_batchnorm  # noqa: E402
from odia_ocr.training.checkpoint import load_model_weights, save_model_file  # noqa: E402


def _model_file(path: Path, seed: int, hidden: int = 16) -> Path:
    cs = default_charset()
    cfg = CRNNConfig(num_classes=cs.num_classes, channels=(4, 8, 8, 8, 16, 16), rnn_hidden=hidden, rnn_layers=1)
    torch.manual_seed(seed)
    model = CRNN(cfg)
    meta = ModelMeta(charset=list(cs.chars), architecture=cfg.to_dict(), input_height=32,
                     training_data={"note": f"seed {seed}"}, metrics={"val_cer": 0.5})
    save_model_file(path, model, meta)
    return path


def test_damaged_file_is_a_model_format_error_naming_it(tmp_path: Path) -> None:
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"not a safetensors file")
    with pytest.raises(ModelFormatError, match=r"junk\.safetensors: not a readable safetensors file"):
        load_model_weights(junk)


def test_cli_init_and_export_with_bad_files_are_one_line_errors(
    tmp_path: Path, tiny_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from odia_ocr.cli.main import main

    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"\x00" * 64)
    assert main(["export", str(junk), "--out", str(tmp_path / "m.onnx")]) != 0
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "junk.safetensors" in err and "Traceback" not in err

    wide = _model_file(tmp_path / "wide.safetensors", 0, hidden=24)  # a BiLSTM the config below does not have
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps({
        "font_dirs": [], "heldout_families": [], "corpora": [str(tiny_corpus)], "wordlists": [],
        "channels": [4, 8, 8, 8, 16, 16], "rnn_hidden": 16, "rnn_layers": 1, "max_steps": 1, "val_size": 4,
        "batch_size": 2, "threads": 1, "num_workers": 0,
    }), encoding="utf-8")
    run = ["train", "--config", str(config), "--out", str(tmp_path / "run"), "--no-progress", "--init", str(wide)]
    assert main(run) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "wide.safetensors: weights do not fit the configured architecture" in err[0]


def test_average_is_the_mean_of_the_weights(tmp_path: Path) -> None:
    a, b = _model_file(tmp_path / "a.safetensors", 1), _model_file(tmp_path / "b.safetensors", 2)
    model, meta = average_models([a, b])
    wa, wb = load_model_weights(a)[0], load_model_weights(b)[0]
    state = model.state_dict()
    for name, value in wa.items():
        if value.is_floating_point():
            assert torch.allclose(state[name], (value + wb[name]) / 2, atol=1e-6), name
    assert not torch.equal(wa["project.weight"], wb["project.weight"])  # the two really differ
    assert meta.training_data["averaged_from"] == [str(a), str(b)]
    assert meta.metrics == {}  # the first model's metrics describe another network


def test_average_refuses_another_architecture(tmp_path: Path) -> None:
    a, c = _model_file(tmp_path / "a.safetensors", 1), _model_file(tmp_path / "c.safetensors", 1, hidden=24)
    with pytest.raises(ValueError, match=r"c\.safetensors: architecture or character set differs"):
        average_models([a, c])


def test_batchnorm_is_measured_again_on_the_batches(tmp_path: Path) -> None:
    model, _ = average_models([_model_file(tmp_path / "a.safetensors", 1), _model_file(tmp_path / "b.safetensors", 2)])
    first_bn = next(m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d))
    momentum = first_bn.momentum
    images = torch.rand(6, 1, 32, 80)
    captured: list[torch.Tensor] = []
    handle = first_bn.register_forward_hook(lambda mod, inp, out: captured.append(inp[0].detach()))
    assert reestimate_batchnorm(model, [images[:3], images[3:]]) == 2
    handle.remove()
    # cumulative average of the two batches' per-channel means
    expected = torch.stack([x.mean(dim=(0, 2, 3)) for x in captured]).mean(0)
    assert torch.allclose(first_bn.running_mean, expected, atol=1e-5)
    assert first_bn.momentum == momentum and not model.training
