"""VLM pieces that need no model: config, image geometry, loop detection, label filters, model card."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PIL import Image

from odia_ocr.vlm.card import render_model_card
from odia_ocr.vlm.config import InferenceSettings, VLMConfig, apply_overrides, field_type
from odia_ocr.vlm.geometry import fit_image, target_size
from odia_ocr.vlm.label import agreement, parse_engine_spec
from odia_ocr.vlm.repetition import LoopGuard, find_tail_loop, trim_loop


def test_defaults_reproduce_the_issue_recipe() -> None:
    cfg = VLMConfig()
    assert cfg.base_model == "Qwen/Qwen2.5-VL-3B-Instruct"
    assert (cfg.lora_r, cfg.lora_alpha, cfg.lora_target_modules) == (32, 64, ["q_proj", "v_proj"])
    assert (cfg.learning_rate, cfg.lr_scheduler, cfg.warmup_steps) == (1e-4, "cosine", 50)
    assert (cfg.batch_size, cfg.grad_accum, cfg.max_steps, cfg.save_every, cfg.max_seq_length) == (1, 4, 500, 50, 512)
    assert cfg.precision == "auto"  # bf16 where supported; fp16 overflows this model family
    # The image budget leaves room for prompt and answer inside max_seq_length.
    assert cfg.max_pixels // 28**2 < cfg.max_seq_length - 100


def test_inference_settings_follow_the_config() -> None:
    assert VLMConfig().inference() == InferenceSettings()
    cfg = apply_overrides(VLMConfig(), {"prompt": "x", "max_pixels": 28 * 28 * 8})
    assert cfg.inference().prompt == "x" and cfg.inference().max_pixels == 28 * 28 * 8


@pytest.mark.parametrize(
    ("key", "value"),
    [("precision", "fp8"), ("quantization", "2bit"), ("min_pixels", 10**9), ("max_aspect", 500.0), ("grad_accum", 0)],
)
def test_bad_config_values_are_refused(key: str, value: object) -> None:
    with pytest.raises(ValueError, match=key):
        apply_overrides(VLMConfig(), {key: value})


def test_unknown_config_key_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        VLMConfig.from_dict({"lora_rank": 8})


def test_field_types_for_cli_flags() -> None:
    assert field_type("lora_target_modules") == (str, True, False)
    assert field_type("val_data") == (str, False, True)
    assert field_type("gradient_checkpointing") == (bool, False, False)
    assert field_type("learning_rate") == (float, False, False)


@pytest.mark.parametrize("size", [(20, 4000), (4000, 20), (3000, 3000), (1, 1), (57, 29), (10, 1999)])
def test_target_size_is_whole_tokens_within_bounds(size: tuple[int, int]) -> None:
    h, w = target_size(*size, factor=28, min_pixels=28 * 28 * 4, max_pixels=28 * 28 * 64)
    assert h % 28 == 0 and w % 28 == 0
    assert 28 * 28 * 4 <= h * w <= 28 * 28 * 64


def test_fit_image_pads_extreme_aspect_ratios() -> None:
    fitted = fit_image(Image.new("L", (5000, 10), 0), 28, 28 * 28, 28 * 28 * 16, max_aspect=100)
    assert fitted.padded and fitted.image.mode == "RGB"
    w, h = fitted.image.size
    assert fitted.tokens == (w // 28) * (h // 28) <= 16
    assert max(w, h) / min(w, h) <= 200  # the Qwen processor refuses more


def test_find_tail_loop() -> None:
    text = "ଓଡ଼ିଆ ଭାଷା " + "ଭାଷା " * 10
    loop = find_tail_loop(text, max_period=32, min_repeats=4, min_span=16)
    assert loop is not None and loop.period == len("ଭାଷା ")
    assert "".join(trim_loop(text, loop)) == "ଓଡ଼ିଆ ଭାଷା"  # the run starts at the earliest phase: " ଭାଷା"
    assert LoopGuard().find(list(range(40))) is None
    assert LoopGuard().find([7] * 16) is not None
    assert LoopGuard().find([7] * 15) is None  # below min_span
    assert LoopGuard().find([1, 2] * 3) is None  # a short real repetition is not a loop


def test_engine_spec_and_agreement() -> None:
    assert parse_engine_spec("vlm:model=runs/x/best,batch_size=4") == ("vlm", {"model": "runs/x/best", "batch_size": 4})
    assert parse_engine_spec("compact") == ("compact", {})
    with pytest.raises(ValueError):
        parse_engine_spec("vlm:model")
    assert agreement("ଓଡ଼ିଆ", "ଓଡ଼ିଆ") == 1.0
    assert math.isclose(agreement("abcd", "abcx"), 0.75)
    assert agreement("ab", "xyzxyzxyz") == 0.0


def test_model_card_holds_only_measured_numbers() -> None:
    meta = {"kind": "adapter", "base_model": "Qwen/Qwen2.5-VL-3B-Instruct", "inference": InferenceSettings().to_dict(),
            "metrics": {}, "training": {"step": 50, "config": VLMConfig().to_dict()}}
    card = render_model_card(meta, "me/odia-lora")
    assert "Not evaluated" in card and "%" not in card.split("## Use")[0].split("## Evaluation")[1]
    report = {"dataset": "data/test", "samples": 37, "cer": 0.01234, "wer": 0.05, "aer": 0.02, "mean_cer": 0.02,
              "median_cer": 0.0, "catastrophic_rate": 0.027, "loop_rate": 0.0, "empty_rate": 0.0,
              "catastrophic_cer": 0.5}
    card = render_model_card(meta, "me/odia-lora", report)
    assert "| CER (corpus) | 1.23% |" in card and "| Samples scored | 37 |" in card
    assert "| Catastrophic failures | 2.70% |" in card and "base_model: Qwen/Qwen2.5-VL-3B-Instruct" in card


def test_every_config_field_is_a_train_flag(tmp_path: Path) -> None:
    from odia_ocr.cli.main import build_parser
    from odia_ocr.cli.vlm_cmd import _build_config

    argv = ["vlm", "train", "--data", "d", "--out-dir", str(tmp_path), "--lora-r", "8", "--lora-target-modules",
            "q_proj", "k_proj", "--gradient-checkpointing", "--learning-rate", "2e-4", "--val-data", "v"]
    cfg = _build_config(build_parser().parse_args(argv))
    assert (cfg.data, cfg.out_dir, cfg.lora_r, cfg.lora_target_modules) == ("d", str(tmp_path), 8, ["q_proj", "k_proj"])
    assert cfg.gradient_checkpointing and cfg.learning_rate == 2e-4 and cfg.val_data == "v"
    assert cfg.lora_alpha == 64  # untouched values keep the defaults


def test_vlm_help_lists_the_subcommands_and_flags(capsys: pytest.CaptureFixture[str]) -> None:
    from odia_ocr.cli.main import main

    with pytest.raises(SystemExit) as exit_:
        main(["vlm", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert all(cmd in out for cmd in ("train", "eval", "predict", "merge", "push", "label"))
    with pytest.raises(SystemExit):
        main(["vlm", "train", "--help"])
    out = capsys.readouterr().out
    assert "--lora-r" in out and "--max-pixels" in out and "--resume" in out and "[32]" in out


def test_vlm_modules_import_without_torch() -> None:
    import subprocess
    import sys

    code = ("import sys, odia_ocr.cli.vlm_cmd, odia_ocr.engines.openai_compat, odia_ocr.vlm, odia_ocr.vlm.label; "
            "print('torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_resume_needs_only_the_run_folder(tmp_path: Path) -> None:
    import json

    from odia_ocr.cli.main import build_parser
    from odia_ocr.cli.vlm_cmd import _build_config

    stored = apply_overrides(VLMConfig(), {"data": "d", "out_dir": str(tmp_path), "lora_r": 8, "max_steps": 100})
    (tmp_path / "vlm_config.json").write_text(json.dumps(stored.to_dict()), encoding="utf-8")
    args = build_parser().parse_args(["vlm", "train", "--out-dir", str(tmp_path), "--resume", "--max-steps", "200"])
    cfg = _build_config(args)
    assert (cfg.data, cfg.lora_r, cfg.max_steps) == ("d", 8, 200)


def test_push_uploads_when_a_token_is_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub

    from odia_ocr.vlm.modeling import write_model_meta
    from odia_ocr.vlm.push import push_model

    calls: list[tuple[str, dict[str, object]]] = []

    class FakeApi:
        def __init__(self, token: str) -> None:
            calls.append(("init", {"token": token}))

        def create_repo(self, repo_id: str, **kw: object) -> None:
            calls.append(("create_repo", {"repo_id": repo_id, **kw}))

        def upload_folder(self, **kw: object) -> object:
            calls.append(("upload_folder", kw))
            return type("Info", (), {"commit_url": "https://hf.co/me/x/commit/1"})()

    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    model = tmp_path / "best"
    model.mkdir()
    (model / "adapter_model.safetensors").write_bytes(b"weights")
    write_model_meta(model, "adapter", "base/model", InferenceSettings(), {"cer": 0.1, "samples": 3})
    result = push_model(model, "me/x", token="hf_test")
    assert result.uploaded and result.url == "https://hf.co/me/x/commit/1"
    assert [c[0] for c in calls] == ["init", "create_repo", "upload_folder"]
    assert calls[1][1]["private"] is True
    assert Path(str(calls[2][1]["folder_path"])) == result.folder and (result.folder / "README.md").is_file()
    assert "| CER (corpus) | 10.00% |" in (result.folder / "README.md").read_text(encoding="utf-8")
