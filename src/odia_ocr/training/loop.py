"""`odia-ocr train`: the training loop with exact resume, validation and early stopping.

The loop keeps three files in the run folder:
``last.safetensors`` (everything needed to resume, written atomically every
``ckpt_every`` steps and on Ctrl-C/SIGTERM), ``best.safetensors`` (the model
file with the lowest validation CER) and ``log.jsonl`` (the curve).
"""

from __future__ import annotations

import json
import math
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader
from tqdm import tqdm

from odia_ocr.metrics import score_corpus
from odia_ocr.recognizer.decode import greedy_decode
from odia_ocr.recognizer.model import CRNN, CRNNConfig, output_lengths
from odia_ocr.recognizer.modelfile import ModelMeta, atomic_write_bytes
from odia_ocr.synth.corpus import TextSampler, load_corpus_lines, rare_akshara_words, read_wordlist, split_of
from odia_ocr.synth.fonts import FontSpec, discover_fonts, split_fonts
from odia_ocr.synth.lines import LineSynthesizer
from odia_ocr.text import Charset, default_charset
from odia_ocr.training.batches import Batch, BatchMaker, BucketedBatches, LineSource, width_sorted_batches
from odia_ocr.training.checkpoint import (
    TrainerState,
    load_checkpoint,
    load_into,
    load_model_weights,
    save_checkpoint,
    save_model_file,
)
from odia_ocr.training.config import TrainConfig
from odia_ocr.training.device import (
    bf16_fallback_reason,
    bf16_supported,
    describe_device,
    device_label,
    resolve_device,
)

__all__ = ["build_synthesizers", "lr_lambda", "train"]


def _trim_log(path: Path, step: int) -> None:
    """Drop log entries past ``step``, the resumed checkpoint.

    A killed run may have logged steps after its last checkpoint; the resumed run logs those steps
    again, so without trimming the curve would hold two entries for one step.
    """
    if not path.exists():
        return
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if line.strip() and json.loads(line).get("step", 0) <= step]
    if len(kept) != len(lines):
        atomic_write_bytes(path, "".join(kept).encode("utf-8"))


def _ignore_signals(worker_id: int) -> None:
    """Render workers leave Ctrl-C/SIGTERM to the main process, which stops them after checkpointing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def model_config(cfg: TrainConfig, charset: Charset) -> CRNNConfig:
    """The network a training config describes, over ``charset``."""
    return CRNNConfig(
        num_classes=charset.num_classes, input_height=cfg.input_height, channels=tuple(cfg.channels),
        rnn_hidden=cfg.rnn_hidden, rnn_layers=cfg.rnn_layers, dropout=cfg.dropout,
    )


def _training_batches(
    cfg: TrainConfig, synth: LineSynthesizer, charset: Charset, sources: list[LineSource], start: int
) -> Iterator[Batch]:
    """The run's batches from step ``start`` on, rendered ahead by ``cfg.num_workers`` processes.

    Workers render whole groups of ``cfg.bucket_batches`` batches; a resume mid-group skips the group's batches
    that the checkpoint already trained on.
    """
    maker = BatchMaker(
        synth, charset, cfg.seed, cfg.batch_size, cfg.input_height, cfg.max_width,
        (cfg.min_chars, cfg.max_chars), sources, cfg.dataset_ratio, cfg.max_steps,
    )
    groups = BucketedBatches(maker, cfg.bucket_batches)
    loader = DataLoader(
        groups, batch_size=None, sampler=range(start // cfg.bucket_batches, len(groups)),
        num_workers=cfg.num_workers, prefetch_factor=4 if cfg.num_workers else None,
        generator=torch.Generator().manual_seed(cfg.seed),
        worker_init_fn=_ignore_signals,
    )
    skip = start % cfg.bucket_batches
    for group in loader:
        yield from group[skip:]
        skip = 0


def lr_lambda(
    cfg: TrainConfig, seconds: Callable[[], float] | None = None, rewarm_from: Callable[[], int] | None = None,
) -> Callable[[int], float]:
    """Linear warm-up, then cosine decay to ``min_lr_ratio`` at ``max_steps``.

    With ``cfg.max_seconds`` set, ``seconds()`` (time spent training so far) also
    advances the cosine, and it ends at whichever budget runs out first.
    ``rewarm_from()``, when 0 or more, is the step at which AdamW's moments started again from zero (a run
    resumed from a compacted checkpoint): the rate warms up again over ``warmup_steps`` from there, because fresh
    moments make the first updates as large as the rate itself for every weight.
    """

    def f(step: int) -> float:
        if step < cfg.warmup_steps:
            return (step + 1) / cfg.warmup_steps
        t = min(1.0, (step - cfg.warmup_steps) / max(1, cfg.max_steps - cfg.warmup_steps))
        if cfg.max_seconds and seconds is not None:
            t = max(t, min(1.0, seconds() / cfg.max_seconds))
        factor = cfg.min_lr_ratio + (1 - cfg.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * t))
        restart = rewarm_from() if rewarm_from is not None else -1
        since = step - restart
        if restart >= 0 and 0 <= since < cfg.warmup_steps:
            factor *= (since + 1) / cfg.warmup_steps
        return factor

    return f


def build_synthesizers(cfg: TrainConfig, val_fonts: Sequence[FontSpec] | None = None,
                       ) -> tuple[LineSynthesizer, LineSynthesizer, dict[str, Any]]:
    """(training synthesizer, validation synthesizer, a summary of the data for the model card).

    Corpus sentences are split by hash: training renders only 'train' sentences,
    validation only 'val' ones; the 'test' split and held-out fonts stay unseen.
    ``val_fonts`` replaces the training fonts in validation only: the tuning
    scripts render validation text in a font no model was trained on with it.
    """
    fonts = discover_fonts(cfg.font_dirs)
    train_fonts, held = split_fonts(fonts, cfg.heldout_families)
    lines = load_corpus_lines(cfg.corpora)
    train_lines = [s for s in lines if split_of(s) == "train"]
    val_lines = [s for s in lines if split_of(s) == "val"]
    words = [w for p in cfg.wordlists for w in read_wordlist(p)]
    train_words = [w for w in words if split_of(w) == "train"]
    sizes = tuple(cfg.font_sizes)
    rare = rare_akshara_words(train_lines, train_words, cfg.rare_akshara_below) if cfg.p_rare_aksharas > 0 else []
    train_syn = LineSynthesizer(  # type: ignore[arg-type]
        train_fonts, TextSampler(train_lines, train_words, rare_words=rare, p_rare=cfg.p_rare_aksharas), sizes,
        style_jitter=cfg.style_jitter,
        p_ink_crop=cfg.p_ink_crop, p_space_jitter=cfg.p_space_jitter,
        strength_weights=cfg.strength_weights or None, p_word_spacing=cfg.p_word_spacing,
        p_letterpress=cfg.p_letterpress, p_figure_spacing=cfg.p_figure_spacing, font_sampling=cfg.font_sampling,
        p_binarize=cfg.p_binarize,
    )
    val_syn = LineSynthesizer(list(val_fonts) if val_fonts else train_fonts,  # type: ignore[arg-type]
                              TextSampler(val_lines or train_lines, words), sizes,
                              font_sampling=cfg.font_sampling)
    summary = {
        "fonts": sorted({f.name for f in train_fonts}),
        "font_licenses": sorted({f"{f.family}: {f.license}" for f in train_fonts}),
        "heldout_fonts": sorted({f.name for f in held}),
        "corpora": [str(p) for p in cfg.corpora],
        "train_sentences": len(train_lines),
        "val_sentences": len(val_lines),
        "wordlists": [str(p) for p in cfg.wordlists],
        "train_words": len(train_words),
        "rare_akshara_words": len(rare),
        "datasets": list(cfg.datasets),
        "dataset_ratio": cfg.dataset_ratio,
        "style_jitter": cfg.style_jitter,
        "font_sampling": cfg.font_sampling,
        "p_ink_crop": cfg.p_ink_crop,
        "p_space_jitter": cfg.p_space_jitter,
        "strength_weights": list(cfg.strength_weights),
        "p_word_spacing": cfg.p_word_spacing,
        "p_letterpress": cfg.p_letterpress,
        "p_figure_spacing": cfg.p_figure_spacing,
        "p_binarize": cfg.p_binarize,
        "p_rare_aksharas": cfg.p_rare_aksharas,
    }
    return train_syn, val_syn, summary


def _validation_batches(cfg: TrainConfig, val_syn: LineSynthesizer, charset: Charset) -> list[Batch]:
    samples = [val_syn.sample([cfg.seed, 1_000_003, i]) for i in range(cfg.val_size)]
    return width_sorted_batches([(s.image, s.text) for s in samples], charset, cfg.input_height, cfg.max_width)


@torch.no_grad()
def validate(model: CRNN, batches: list[Batch], charset: Charset) -> dict[str, float]:
    model.eval()
    device = next(model.parameters()).device
    refs, hyps = [], []
    for b in batches:
        logits = model(b.images.to(device)).float().cpu().numpy()
        lengths = output_lengths(b.widths).numpy()
        hyps += [d.text for d in greedy_decode(logits, lengths, charset)]
        refs += b.texts
    model.train()
    total, _ = score_corpus(refs, hyps)
    return {"val_cer": total.cer, "val_wer": total.wer, "val_aer": total.aer}


def _meta(
    cfg: TrainConfig, model_cfg: CRNNConfig, charset: Charset, data: dict[str, Any], metrics: dict[str, Any]
) -> ModelMeta:
    return ModelMeta(
        charset=list(charset.chars),
        architecture=model_cfg.to_dict(),
        input_height=cfg.input_height,
        config=cfg.to_dict(),
        training_data=data,
        metrics=metrics,
    )


def train(
    cfg: TrainConfig,
    resume: bool = False,
    init: str | None = None,
    progress: bool = True,
    sources: list[LineSource] | None = None,
) -> TrainerState:
    """Train (or resume) a CRNN as configured; returns the final trainer state."""
    torch.manual_seed(cfg.seed)
    np.random.seed(cfg.seed % 2**32)
    threads = cfg.threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    device = resolve_device(cfg.device)
    out = Path(cfg.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    last, best = out / "last.safetensors", out / "best.safetensors"
    charset = default_charset()
    model_cfg = model_config(cfg, charset)
    model = CRNN(model_cfg).to(device)
    if cfg.channels_last:
        model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    state = TrainerState()
    # The schedule reads the time spent from whichever state is current (a resume replaces it).
    schedule = lr_lambda(cfg, lambda: state.train_seconds, lambda: state.rewarm_from)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    train_syn, val_syn, data_summary = build_synthesizers(cfg)
    if resume and last.exists():
        state, _ = load_checkpoint(last, model, optimizer, scheduler)
        tqdm.write(f"resumed from {last} at step {state.step}")
        if state.rewarm_from == state.step:  # a compacted checkpoint: its moments are gone; warm up again from here
            for group, base in zip(optimizer.param_groups, scheduler.base_lrs, strict=True):
                group["lr"] = base * schedule(state.step)
            tqdm.write(f"optimizer moments start from zero: the learning rate warms up again over "
                       f"{cfg.warmup_steps} steps")
        _trim_log(out / "log.jsonl", state.step)
    elif resume:
        tqdm.write(f"no checkpoint at {last}; starting a new run")
    if init and state.step == 0:
        weights, _ = load_model_weights(init)
        load_into(model, weights, init)  # copies CPU tensors into the model's device
        tqdm.write(f"initialized weights from {init}")
    (out / "config.json").write_text(json.dumps(cfg.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")

    val_batches = _validation_batches(cfg, val_syn, charset)
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    model.train()
    log = (out / "log.jsonl").open("a", encoding="utf-8")
    data_summary["trained_on"] = device_label(device, threads)
    meta = _meta(cfg, model_cfg, charset, data_summary, {})

    def checkpoint() -> None:
        save_checkpoint(last, model, optimizer, scheduler, state, meta)

    # Signals only set a flag; the loop stops at the next step boundary, where model, optimizer and
    # data position agree, so the checkpoint written on the way out is exact.
    stop: list[int] = []

    def on_signal(signum: int, frame: object) -> None:
        stop.append(signum)

    old_handlers = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    tqdm.write(describe_device(device, threads))
    use_bf16 = cfg.bf16 and bf16_supported(device)
    if cfg.bf16 and not use_bf16:
        tqdm.write(bf16_fallback_reason(device))
    bar = tqdm(total=cfg.max_steps, initial=state.step, disable=not progress, dynamic_ncols=True, smoothing=0.05)
    t_last, lines_since, loss_ema = time.time(), 0, None
    t_step = time.monotonic()
    batches = _training_batches(cfg, train_syn, charset, sources or [], state.step)
    try:
        while state.step < cfg.max_steps and not stop:
            try:
                batch = next(batches)
            except StopIteration:
                break
            except RuntimeError as err:  # a render worker died (e.g. killed): keep what we have
                tqdm.write(f"data worker failed at step {state.step} ({err}); saving checkpoint")
                checkpoint()
                raise SystemExit(1) from None
            images = batch.images.to(device, non_blocking=True)
            if cfg.channels_last:
                images = images.to(memory_format=torch.channels_last)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_bf16):
                logits = model(images)
            logp = logits.float().log_softmax(-1).transpose(0, 1)
            loss = ctc(logp, batch.targets.to(device), output_lengths(batch.widths).to(device),
                       batch.target_lengths.to(device))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            optimizer.step()
            now_step = time.monotonic()
            state.train_seconds += now_step - t_step
            t_step = now_step
            out_of_time = bool(cfg.max_seconds) and state.train_seconds >= cfg.max_seconds
            scheduler.step()
            state.step += 1
            state.lines_seen += len(batch.texts)
            lines_since += len(batch.texts)
            loss_ema = loss.item() if loss_ema is None else 0.98 * loss_ema + 0.02 * loss.item()
            bar.update(1)
            if state.step % 50 == 0:
                now = time.time()
                lps = lines_since / max(now - t_last, 1e-9)
                t_last, lines_since = now, 0
                bar.set_postfix(loss=f"{loss_ema:.3f}", lines_s=f"{lps:.0f}", lr=f"{scheduler.get_last_lr()[0]:.2e}")
                log.write(json.dumps({"step": state.step, "loss": round(loss_ema, 4), "lines_per_s": round(lps, 1),
                                      "lr": scheduler.get_last_lr()[0], "lines_seen": state.lines_seen}) + "\n")
                log.flush()
            if state.step % cfg.val_every == 0 or state.step == cfg.max_steps or out_of_time:
                m = validate(model, val_batches, charset)
                improved = m["val_cer"] < state.best_cer
                # Every file describes its own weights: the best file and each later checkpoint their latest check.
                meta.metrics = {**m, "step": state.step, "lines_seen": state.lines_seen}
                if improved:
                    state.best_cer, state.best_step, state.bad_validations = m["val_cer"], state.step, 0
                    save_model_file(best, model, meta)
                else:
                    state.bad_validations += 1
                log.write(json.dumps({"step": state.step, **m, "best": improved}) + "\n")
                log.flush()
                tqdm.write(f"step {state.step}: val CER {m['val_cer']:.4f} WER {m['val_wer']:.4f}"
                           f"{' (best)' if improved else ''}")
                if cfg.patience and state.bad_validations >= cfg.patience:
                    tqdm.write(f"early stop: no improvement in {cfg.patience} validations")
                    break
            if state.step % cfg.ckpt_every == 0:
                checkpoint()
            if out_of_time:
                tqdm.write(f"time budget of {cfg.max_seconds:g} s spent at step {state.step}")
                break
    finally:
        for sig, handler in old_handlers.items():
            signal.signal(sig, handler)
        bar.close()
        log.close()
    if stop:
        checkpoint()
        tqdm.write(f"stopped by signal at step {state.step}; checkpoint saved to {last}")
        raise SystemExit(130)
    checkpoint()
    return state
