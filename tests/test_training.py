"""Training: exact resume after a kill, atomic checkpoints, model files, ONNX export parity."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

torch = pytest.importorskip("torch")

from safetensors.torch import load_file  # noqa: E402

from odia_ocr.recognizer.modelfile import FORMAT_VERSION, ModelFormatError, ModelMeta  # noqa: E402
from odia_ocr.training.config import TrainConfig, apply_overrides  # noqa: E402


def tiny_config(out: Path, corpus: Path, steps: int = 12) -> TrainConfig:
    return TrainConfig(
        out_dir=str(out), seed=3, font_dirs=[], heldout_families=[], corpora=[str(corpus)], wordlists=[],
        min_chars=3, max_chars=10, font_sizes=(16, 22), channels=(4, 8, 8, 8, 16, 16), rnn_hidden=16,
        rnn_layers=1, dropout=0.1, batch_size=4, max_steps=steps, warmup_steps=2, val_every=4, val_size=8,
        ckpt_every=1, threads=1, num_workers=0, patience=0,
    )


def _final_weights(out: Path) -> dict[str, np.ndarray]:
    return {k: v.numpy() for k, v in load_file(out / "last.safetensors").items() if k.startswith("model.")}


def test_resume_after_kill_matches_uninterrupted_run(tmp_path: Path, tiny_corpus: Path) -> None:
    from odia_ocr.training.loop import train

    steps = 14
    a = tmp_path / "a"
    train(tiny_config(a, tiny_corpus, steps), progress=False)

    # Run B in a subprocess and SIGKILL it mid-run, then resume in-process.
    b = tmp_path / "b"
    cfg_b = tiny_config(b, tiny_corpus, steps)
    cfg_path = tmp_path / "b.json"
    cfg_path.write_text(json.dumps(cfg_b.to_dict()))
    proc = subprocess.Popen(
        [sys.executable, "-m", "odia_ocr", "train", "--config", str(cfg_path), "--no-progress"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    killed_at = None
    while time.time() < deadline and proc.poll() is None:
        log = b / "log.jsonl"
        if (b / "last.safetensors").exists() and log.exists() and log.stat().st_size > 0:
            killed_at = json.loads(log.read_text().splitlines()[-1])["step"]
            if killed_at >= 4:
                proc.send_signal(signal.SIGKILL)
                break
        time.sleep(0.05)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    state = train(cfg_b, resume=True, progress=False)
    assert state.step == steps
    wa, wb = _final_weights(a), _final_weights(b)
    assert wa.keys() == wb.keys()
    for k in wa:
        np.testing.assert_array_equal(wa[k], wb[k], err_msg=k)
    # Validation curves agree too (the resumed run re-validates only from its checkpoint on).
    va = [json.loads(x) for x in (a / "log.jsonl").read_text().splitlines() if "val_cer" in x]
    vb = [json.loads(x) for x in (b / "log.jsonl").read_text().splitlines() if "val_cer" in x]
    assert {v["step"]: v["val_cer"] for v in va} == {v["step"]: v["val_cer"] for v in vb}


def test_bucketed_batches_regroup_the_same_lines_by_width(tiny_corpus: Path) -> None:
    from odia_ocr.text import default_charset
    from odia_ocr.training.batches import BatchMaker, BucketedBatches
    from odia_ocr.training.loop import build_synthesizers

    cfg = tiny_config(Path("unused"), tiny_corpus)
    syn, _, _ = build_synthesizers(cfg)
    maker = BatchMaker(syn, default_charset(), 5, 4, 32, 1200, (3, 10), num_batches=10)
    groups = BucketedBatches(maker, 4)
    assert len(groups) == 3  # the last group holds the two batches left
    plain = [maker[b] for b in range(4)]
    bucketed = groups[0]
    assert sorted(t for b in bucketed for t in b.texts) == sorted(t for b in plain for t in b.texts)
    assert all(len(b.texts) == 4 for b in bucketed) and len(groups[2]) == 2
    area = sum(b.images.shape[0] * b.images.shape[-1] for b in bucketed)
    assert area < sum(b.images.shape[0] * b.images.shape[-1] for b in plain)
    assert [b.texts for b in groups[0]] == [b.texts for b in bucketed]  # a pure function of the index
    single = BucketedBatches(maker, 1)[2][0]  # group 1 is each batch exactly as BatchMaker renders it
    assert single.texts == maker[2].texts and np.array_equal(single.images.numpy(), maker[2].images.numpy())
    with pytest.raises(ValueError, match="bucket_batches must be at least 1"):
        apply_overrides(TrainConfig(), ["bucket_batches=0"])


def test_resume_mid_group_of_bucketed_batches_matches_uninterrupted_run(
    tmp_path: Path, tiny_corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from odia_ocr.training import loop

    steps = 12
    a, b = tmp_path / "a", tmp_path / "b"
    cfg_a, cfg_b = tiny_config(a, tiny_corpus, steps), tiny_config(b, tiny_corpus, steps)
    cfg_a.bucket_batches = cfg_b.bucket_batches = 3
    loop.train(cfg_a, progress=False)

    real_validate = loop.validate

    def validate_then_stop(*args: object) -> dict[str, float]:  # SIGTERM after step 8's validation: 8 = 2 * 3 + 2
        signal.raise_signal(signal.SIGTERM)
        return real_validate(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(loop, "validate", validate_then_stop)
    cfg_b.val_every = 8
    with pytest.raises(SystemExit):  # as `odia-ocr train` exits after a signal, its checkpoint saved
        loop.train(cfg_b, progress=False)
    assert json.loads((b / "config.json").read_text())["bucket_batches"] == 3
    monkeypatch.setattr(loop, "validate", real_validate)
    cfg_b.val_every = cfg_a.val_every
    assert loop.train(cfg_b, resume=True, progress=False).step == steps
    assert "at step 8" in capsys.readouterr().out
    wa, wb = _final_weights(a), _final_weights(b)
    for k in wa:
        np.testing.assert_array_equal(wa[k], wb[k], err_msg=k)


def test_resume_trims_log_entries_past_the_checkpoint(tmp_path: Path, tiny_corpus: Path) -> None:
    from odia_ocr.training.loop import train

    out = tmp_path / "run"
    train(tiny_config(out, tiny_corpus, 6), progress=False)
    log = out / "log.jsonl"
    # A killed run can log steps its last checkpoint does not hold; the resumed run logs them again.
    log.write_text(log.read_text() + json.dumps({"step": 7, "val_cer": 0.5}) + "\n")
    train(tiny_config(out, tiny_corpus, 8), resume=True, progress=False)
    steps = [json.loads(x)["step"] for x in log.read_text().splitlines() if "val_cer" in x]
    assert steps == [4, 6, 8]


def test_sigterm_saves_checkpoint_at_step_boundary(tmp_path: Path, tiny_corpus: Path) -> None:
    from safetensors import safe_open

    out = tmp_path / "run"
    cfg = tiny_config(out, tiny_corpus, 10_000)
    cfg.ckpt_every, cfg.num_workers = 10_000, 1  # only the signal handler can write a checkpoint
    cfg_path = tmp_path / "c.json"
    cfg_path.write_text(json.dumps(cfg.to_dict()))
    proc = subprocess.Popen([sys.executable, "-m", "odia_ocr", "train", "--config", str(cfg_path), "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (out / "log.jsonl").exists():
        time.sleep(0.1)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    err, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    with safe_open(str(out / "last.safetensors"), framework="pt") as f:
        step = json.loads(f.metadata()["trainer_state"])["trainer"]["step"]
    assert step > 0 and f"stopped by signal at step {step}" in err


def test_best_model_file_and_metadata(tmp_path: Path, tiny_corpus: Path) -> None:
    from odia_ocr.training.checkpoint import load_model_weights
    from odia_ocr.training.loop import train

    out = tmp_path / "run"
    state = train(tiny_config(out, tiny_corpus, 8), progress=False)
    weights, meta = load_model_weights(out / "best.safetensors")
    assert meta.format_version == FORMAT_VERSION
    assert meta.input_height == 32 and meta.architecture["name"] == "crnn"
    assert meta.metrics["step"] == state.best_step and "val_cer" in meta.metrics
    _, last = load_model_weights(out / "last.safetensors")  # describes its own weights, not the best file's
    assert last.metrics["step"] == state.step == 8 and "val_cer" in last.metrics
    assert meta.config["max_steps"] == 8 and meta.training_data["train_sentences"] >= 1
    assert meta.training_data["trained_on"] == "the CPU (1 thread)"
    assert "ଅ" in meta.charset
    assert not any(k.startswith("optim.") for k in weights)


def test_newer_format_version_fails_clearly() -> None:
    meta = ModelMeta(charset=["a"], architecture={}, input_height=32)
    d = json.loads(meta.to_json())
    d["format_version"] = FORMAT_VERSION + 1
    with pytest.raises(ModelFormatError, match="newer than this odia-ocr supports"):
        ModelMeta.from_json(json.dumps(d), "m.onnx")


def test_overrides_parse_and_reject_unknown_keys() -> None:
    cfg = apply_overrides(TrainConfig(), ["max_steps=10", "lr=5e-4", "bf16=false", "corpora=[\"x.txt\"]"])
    assert (cfg.max_steps, cfg.lr, cfg.bf16, cfg.corpora) == (10, 5e-4, False, ["x.txt"])
    with pytest.raises(ValueError, match="unknown config key"):
        apply_overrides(TrainConfig(), ["nope=1"])
    with pytest.raises(ValueError, match="strength_weights must be 4"):
        apply_overrides(TrainConfig(), ["strength_weights=[1,2]"])
    with pytest.raises(ValueError, match="p_word_spacing must be a probability"):
        apply_overrides(TrainConfig(), ["p_word_spacing=1.5"])
    with pytest.raises(ValueError, match="font_sampling must be one of"):
        apply_overrides(TrainConfig(), ["font_sampling=weight"])
    with pytest.raises(ValueError, match="p_figure_spacing must be a probability"):
        apply_overrides(TrainConfig(), ["p_figure_spacing=1.5"])


def test_atomic_write_keeps_old_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from odia_ocr.recognizer import modelfile

    target = tmp_path / "ckpt.safetensors"
    modelfile.atomic_write_bytes(target, b"old")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        modelfile.atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]  # no temp file left behind


def test_export_onnx_parity_and_read_cli(tmp_path: Path, tiny_corpus: Path) -> None:
    from odia_ocr.cli.main import main
    from odia_ocr.engines.compact import CompactEngine
    from odia_ocr.recognizer.model import CRNN, CRNNConfig, output_lengths
    from odia_ocr.recognizer.preprocess import pad_batch, prepare_line
    from odia_ocr.training.checkpoint import load_model_weights
    from odia_ocr.training.loop import train

    out = tmp_path / "run"
    train(tiny_config(out, tiny_corpus, 4), progress=False)
    onnx_path = tmp_path / "m.onnx"
    assert main(["export", str(out / "best.safetensors"), "--out", str(onnx_path), "--int8"]) == 0
    weights, meta = load_model_weights(out / "best.safetensors")
    model = CRNN(CRNNConfig.from_dict(meta.architecture))
    model.load_state_dict(weights)
    model.eval()
    rng = np.random.default_rng(0)
    imgs = [(rng.random((24, w)) * 255).astype(np.uint8) for w in (60, 150, 333)]
    batch, widths = pad_batch([prepare_line(i, 32) for i in imgs])
    with torch.no_grad():
        ref = model(torch.from_numpy(batch)).numpy()
    engine = CompactEngine(onnx_path)
    full = np.full(len(imgs), batch.shape[3] // 4, np.int32)  # every row as long as the batch: no masking
    got = engine._session.run(None, {"images": batch, "lengths": full})[0]
    np.testing.assert_allclose(got, ref, rtol=1e-3, atol=1e-4)
    # With each line's own frame count the BiLSTM stops at the line's end, as torch's packed sequences do.
    own = (widths // 4).astype(np.int32)
    masked = engine._session.run(None, {"images": batch, "lengths": own})[0]
    with torch.no_grad():
        f = model.encoder(torch.from_numpy(batch))
        n, c, h, w = f.shape
        f = torch.relu(model.project(f.permute(0, 3, 1, 2).reshape(n, w, c * h)))
        packed = torch.nn.utils.rnn.pack_padded_sequence(f, torch.from_numpy(own).long(), batch_first=True,
                                                         enforce_sorted=False)
        seq, _ = torch.nn.utils.rnn.pad_packed_sequence(model.rnn(packed)[0], batch_first=True)
        packed_ref = model.head(seq).numpy()
    for j, k in enumerate(own):
        np.testing.assert_allclose(masked[j, :k], packed_ref[j, :k], rtol=1e-3, atol=1e-4)
    assert not np.allclose(masked[0, : own[0]], got[0, : own[0]], atol=1e-4)  # the shortest line did change
    assert output_lengths(torch.from_numpy(widths)).tolist() == [w // 4 for w in widths]
    # The INT8 model loads with the same metadata and gives the same shape.
    q = CompactEngine(onnx_path.with_suffix(".int8.onnx"))
    assert q.meta.charset == meta.charset
    assert len(q.recognize(imgs)) == 3
    # Static INT8: calibrated on a line dataset; convolutions become integer ops, outputs stay close.
    cal = tmp_path / "cal"
    cal.mkdir()
    for k, im in enumerate(imgs):
        Image.fromarray(im).save(cal / f"l{k}.png")
        (cal / f"l{k}.gt.txt").write_text("କ", encoding="utf-8")
    static_path = tmp_path / "s.onnx"
    assert main(["export", str(out / "best.safetensors"), "--out", str(static_path), "--int8",
                 "--calibration", str(cal)]) == 0
    import onnx

    ops = {n.op_type for n in onnx.load(str(static_path.with_suffix(".int8.onnx"))).graph.node}
    assert "QuantizeLinear" in ops and "DynamicQuantizeLSTM" in ops
    s8 = CompactEngine(static_path.with_suffix(".int8.onnx"))
    got8 = s8._session.run(None, {"images": batch, "lengths": full})[0]
    assert s8.meta.charset == meta.charset and got8.shape == ref.shape
    assert np.abs(got8 - ref).max() < 0.25 * np.abs(ref).max()


def test_letterpress_share_must_be_a_probability() -> None:
    with pytest.raises(ValueError, match="p_letterpress must be a probability"):
        apply_overrides(TrainConfig(), ["p_letterpress=-0.1"])
    assert apply_overrides(TrainConfig(), ["p_letterpress=0.3"]).p_letterpress == 0.3


def test_time_budget_advances_the_cosine() -> None:
    from odia_ocr.training.loop import lr_lambda

    cfg = TrainConfig(max_steps=1000, warmup_steps=0, min_lr_ratio=0.0, max_seconds=100.0)
    spent = [0.0]
    f = lr_lambda(cfg, lambda: spent[0])
    assert f(0) == pytest.approx(1.0)
    spent[0] = 50.0  # half the time gone at step 10: the cosine is halfway, not 1% along
    assert f(10) == pytest.approx(0.5)
    spent[0] = 1.0  # steps ahead of the clock: the steps lead
    assert f(500) == pytest.approx(0.5)
    spent[0] = 500.0
    assert f(20) == pytest.approx(0.0)
    assert lr_lambda(TrainConfig(max_steps=1000, warmup_steps=0, min_lr_ratio=0.0), lambda: 1e9)(10) > 0.99
    with pytest.raises(ValueError, match="max_seconds"):
        apply_overrides(TrainConfig(), ["max_seconds=-1"])


def test_rate_warms_up_again_where_optimizer_moments_restarted() -> None:
    from odia_ocr.training.loop import lr_lambda

    cfg = TrainConfig(max_steps=1000, warmup_steps=10, min_lr_ratio=0.0)
    plain, rewarmed = lr_lambda(cfg), lr_lambda(cfg, rewarm_from=lambda: 500)
    assert rewarmed(499) == plain(499)  # before the restart: the schedule as it was
    assert rewarmed(500) == pytest.approx(plain(500) / 10)
    assert rewarmed(504) == pytest.approx(plain(504) / 2)
    assert rewarmed(510) == plain(510)  # warm again: the same cosine
    assert lr_lambda(cfg, rewarm_from=lambda: -1)(500) == plain(500)


def test_time_budget_stops_the_run_validated_and_saved(tmp_path: Path, tiny_corpus: Path) -> None:
    from odia_ocr.training.checkpoint import TrainerState, load_model_weights
    from odia_ocr.training.loop import train

    cfg = tiny_config(tmp_path / "run", tiny_corpus, steps=1000)
    cfg.max_seconds = 1e-6  # spent by the first step
    cfg.val_every = 500
    state = train(cfg, progress=False)
    assert state.step == 1
    assert state.train_seconds >= cfg.max_seconds
    _, meta = load_model_weights(tmp_path / "run" / "best.safetensors")
    assert meta.metrics["step"] == 1  # validated on the way out although val_every is 500
    _, last = load_model_weights(tmp_path / "run" / "last.safetensors")
    assert last.metrics["step"] == 1
    assert TrainerState().train_seconds == 0.0


def test_validation_fonts_replace_training_fonts_in_validation_only(tmp_path: Path, tiny_corpus: Path) -> None:
    """The tuning scripts' --fonts: validation renders in the given fonts; training keeps its own."""
    from odia_ocr.training.loop import build_synthesizers

    cfg = tiny_config(tmp_path / "o", tiny_corpus)
    train_syn, val_syn, _ = build_synthesizers(cfg)
    assert len({f.family for f in train_syn.fonts}) > 1 and val_syn.fonts == train_syn.fonts
    unseen = [train_syn.fonts[-1]]
    train2, val2, summary = build_synthesizers(cfg, unseen)
    assert val2.fonts == unseen and train2.fonts == train_syn.fonts
    assert summary["fonts"] == sorted({f.name for f in train_syn.fonts})  # the model card names training fonts
    assert {val2.sample([1, 2, i]).font for i in range(4)} == {unseen[0].name}
