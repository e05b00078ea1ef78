"""`odia-ocr vlm train`: LoRA fine-tuning of Qwen2.5-VL with exact resume and a CER-selected best adapter.

The run folder holds ``checkpoints/step-NNNNNN/`` (adapter, processor,
``odia_vlm.json`` and the full trainer state), ``last.json`` (the newest
complete checkpoint), ``best/`` (the checkpoint with the lowest validation
CER from real generation), ``vlm_config.json`` and ``log.jsonl``.
accelerate runs it on one or several GPUs (``accelerate launch -m odia_ocr vlm train ...``).
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import torch
from torch.utils.data import DataLoader

from odia_ocr.vlm.collator import ChatEncoder, Example, Skipped, pad_batch
from odia_ocr.vlm.config import RESUMABLE_CHANGES, VLMConfig
from odia_ocr.vlm.data import SampleLike, StreamItem, TrainStream, holdout_split, open_samples
from odia_ocr.vlm.evaluate import EvalReport, evaluate_model
from odia_ocr.vlm.modeling import (
    attach_lora,
    load_base_model,
    load_processor,
    pick_device,
    resolve_precision,
    write_model_meta,
)
from odia_ocr.vlm.state import (
    TrainProgress,
    capture_rng,
    commit_folder,
    find_last_checkpoint,
    load_trainer_state,
    restore_rng,
    save_trainer_state,
    write_last_pointer,
)

__all__ = ["StepInfo", "lr_lambda", "train"]

_MAX_WARNINGS_PER_REASON = 5


def lr_lambda(cfg: VLMConfig) -> Callable[[int], float]:
    """Linear warm-up over ``warmup_steps``, then cosine or linear decay to 0 at ``max_steps`` (or constant)."""

    def f(step: int) -> float:
        if step < cfg.warmup_steps:
            return (step + 1) / (cfg.warmup_steps + 1)
        if cfg.lr_scheduler == "constant":
            return 1.0
        t = min(1.0, (step - cfg.warmup_steps) / max(1, cfg.max_steps - cfg.warmup_steps))
        return 0.5 * (1 + math.cos(math.pi * t)) if cfg.lr_scheduler == "cosine" else 1.0 - t

    return f


class StepInfo(dict):  # type: ignore[type-arg]
    """What one optimizer step reports (step, loss, lr, grad_norm, ...); written to log.jsonl."""


class _StopRequest:
    """SIGTERM or a first Ctrl-C asks the loop to stop after the current step, with a checkpoint;
    a second Ctrl-C stops at once (the last periodic checkpoint is still there)."""

    def __init__(self) -> None:
        self.requested = False
        self._old: dict[int, Any] = {}

    def _handle(self, signum: int, frame: object) -> None:
        if self.requested and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.requested = True

    def install(self, enabled: bool) -> None:
        if enabled and threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                self._old[sig] = signal.signal(sig, self._handle)

    def uninstall(self) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)
        self._old.clear()


class _Log:
    """log.jsonl of the run plus console lines, from the main process only."""

    def __init__(self, path: Path, enabled: bool, echo: Callable[[str], None]) -> None:
        self.enabled = enabled
        self.echo = echo
        self._file = path.open("a", encoding="utf-8") if enabled else None
        self._warned: dict[str, int] = {}

    def record(self, entry: dict[str, Any]) -> None:
        if self._file:
            self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._file.flush()

    def say(self, line: str) -> None:
        if self.enabled:
            self.echo(line)

    def warn(self, reason: str, line: str) -> None:
        n = self._warned[reason] = self._warned.get(reason, 0) + 1
        if n <= _MAX_WARNINGS_PER_REASON:
            self.say(f"warning: {line}")
        elif n == _MAX_WARNINGS_PER_REASON + 1:
            self.say(f"warning: more samples {reason}; counting them silently (see the summary)")

    def close(self) -> None:
        if self._file:
            self._file.close()


def _validation_samples(cfg: VLMConfig, train_samples: Any) -> tuple[list[int], list[SampleLike]]:
    """(training indices, validation samples): the first ``val_size`` of ``val_data``, else a seeded hold-out."""
    if cfg.val_data:
        val = open_samples(cfg.val_data, cfg.val_split)
        return list(range(len(train_samples))), [val[i] for i in range(min(len(val), cfg.val_size))]
    train_idx, val_idx = holdout_split(len(train_samples), cfg.val_size, cfg.seed)
    return train_idx, [train_samples[i] for i in val_idx]


def _check_resume(cfg: VLMConfig, stored: dict[str, Any], folder: Path) -> None:
    old = VLMConfig.from_dict(stored)
    changed = [k for k in cfg.differences(old) if k not in RESUMABLE_CHANGES]
    if changed:
        raise ValueError(f"cannot resume {folder} with a different {', '.join(changed)}: "
                         "the run would not continue as it started (use a new out_dir)")


def _as_is(item: StreamItem) -> StreamItem:
    return item


def train(
    cfg: VLMConfig,
    resume: bool = False,
    on_step: Callable[[StepInfo], None] | None = None,
    echo: Callable[[str], None] = print,
) -> TrainProgress:
    """Train (or resume) a LoRA adapter as configured; returns the final progress.

    ``on_step`` is called after every optimizer step (and any checkpoint it
    triggers) with the step's numbers.
    """
    from accelerate import Accelerator
    from accelerate.utils import gather_object

    if not cfg.data:
        raise ValueError("no training data: set data (--data) to a dataset path")
    accelerator = Accelerator(cpu=not torch.cuda.is_available())
    main = accelerator.is_main_process
    device = pick_device(str(accelerator.device))
    precision = resolve_precision(cfg.precision, device)
    if cfg.quantization != "none" and device.type != "cuda":
        raise ValueError(f"quantization {cfg.quantization} (QLoRA) needs a CUDA GPU and bitsandbytes, not {device}")
    out = Path(cfg.out_dir)
    last = find_last_checkpoint(out) if resume else None
    if not resume and find_last_checkpoint(out) is not None:
        raise FileExistsError(f"{out} already holds checkpoints: resume it (--resume) or choose a new out_dir")
    if last is not None:
        _check_resume(cfg, json.loads((last / "vlm_config.json").read_text(encoding="utf-8")), last)
    settings = cfg.inference()

    torch.manual_seed(cfg.seed)  # LoRA initialization
    processor = load_processor(cfg.base_model, settings)
    encoder = ChatEncoder(processor, settings, cfg.max_seq_length)
    model = load_base_model(cfg.base_model, precision, device, cfg.quantization, cfg.attn_implementation)
    if cfg.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
        model.config.use_cache = False
    model = attach_lora(model, cfg)
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW([p for _, p in named], lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda(cfg))
    scaler = torch.amp.GradScaler(device.type, enabled=precision == "fp16")

    samples = open_samples(cfg.data, cfg.data_split)
    train_idx, val_samples = _validation_samples(cfg, samples)
    rank, world = accelerator.process_index, accelerator.num_processes
    stream = TrainStream(samples, train_idx, encoder, cfg.seed, rank, world)
    progress = TrainProgress(positions=[0] * world)
    out.mkdir(parents=True, exist_ok=True)
    log = _Log(out / "log.jsonl", main, echo)
    if last is not None:
        progress, rng, _ = load_trainer_state(last, named, optimizer, scheduler, scaler)
        if len(progress.positions) != world:
            raise ValueError(f"{last} was written by {len(progress.positions)} processes, this run has {world}")
        restore_rng(rng[rank] if rank < len(rng) else rng[0])
        log.say(f"resumed from {last} at step {progress.step}")
    if main:
        (out / "vlm_config.json").write_text(json.dumps(cfg.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
    log.say(f"training {sum(p.numel() for _, p in named):,} LoRA parameters on {device} in {precision}; "
            f"{len(train_idx)} training and {len(val_samples)} validation samples")

    model = accelerator.prepare_model(model, device_placement=cfg.quantization == "none")
    loader = DataLoader(stream, batch_size=None, sampler=range(progress.positions[rank], len(stream)),
                        num_workers=cfg.num_workers, collate_fn=_as_is,
                        prefetch_factor=4 if cfg.num_workers else None,
                        generator=torch.Generator().manual_seed(cfg.seed))  # keeps the global RNG untouched
    items: Iterator[StreamItem] = iter(loader)
    position = progress.positions[rank]

    def next_batch() -> tuple[dict[str, torch.Tensor], int]:
        nonlocal position
        examples: list[Example] = []
        while len(examples) < cfg.batch_size:
            item = next(items)
            position = item.position + 1
            if isinstance(item.result, Skipped):
                progress.skipped[item.result.reason] = progress.skipped.get(item.result.reason, 0) + 1
                log.warn(item.result.reason, f"skipped {item.result}")
                continue
            if item.result.downscaled:
                progress.downscaled += 1
                log.warn("downscaled", f"{item.result.sample_id}: image downscaled to {item.result.image_tokens} "
                         f"tokens to fit max_seq_length {cfg.max_seq_length}")
            examples.append(item.result)
        batch = pad_batch(examples, encoder.pad_token_id, side="right")
        return {k: v.to(device) for k, v in batch.items()}, len(examples)

    def checkpoint(rng_states: list[Any], report: EvalReport | None) -> None:
        folder = out / "checkpoints" / f"step-{progress.step:06d}"
        tmp = folder.with_name(f".tmp-{folder.name}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        metrics = report.summary() if report else {}
        training = {"step": progress.step, "data": cfg.data, "val_data": cfg.val_data or f"{cfg.data} (held out)",
                    "samples_seen": progress.samples_seen, "skipped": progress.skipped,
                    "downscaled": progress.downscaled, "precision": precision, "config": cfg.to_dict()}
        accelerator.unwrap_model(model).save_pretrained(str(tmp), safe_serialization=True)
        processor.save_pretrained(str(tmp))
        write_model_meta(tmp, "adapter", cfg.base_model, settings, metrics, training)
        (tmp / "vlm_config.json").write_text(json.dumps(cfg.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
        save_trainer_state(tmp, named, optimizer, scheduler, scaler, progress, rng_states, cfg.to_dict())
        commit_folder(tmp, folder)
        write_last_pointer(out, folder, progress.step)
        if report is not None and progress.best_step == progress.step:
            best_tmp = out / ".tmp-best"
            shutil.rmtree(best_tmp, ignore_errors=True)
            shutil.copytree(folder, best_tmp, ignore=shutil.ignore_patterns("trainer_state.safetensors"))
            commit_folder(best_tmp, out / "best")
            log.say(f"step {progress.step}: new best validation CER {report.cer:.4f}")
        kept = sorted((out / "checkpoints").glob("step-*"))
        for old in kept[: max(0, len(kept) - cfg.keep_checkpoints)]:
            shutil.rmtree(old, ignore_errors=True)

    def save(evaluate: bool) -> None:
        rng_states = gather_object([capture_rng()]) if world > 1 else [capture_rng()]
        positions = gather_object([position]) if world > 1 else [position]
        progress.positions = [int(p) for p in positions]
        report = None
        if main:
            if evaluate and val_samples:
                with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
                    report = evaluate_model(accelerator.unwrap_model(model), encoder, val_samples,
                                            cfg.eval_batch_size, cfg.catastrophic_cer,
                                            on_problem=lambda m: log.warn("unreadable image", m))
                if progress.best_cer is None or report.cer < progress.best_cer:
                    progress.best_cer, progress.best_step = report.cer, progress.step
                log.record({"step": progress.step, "eval": report.summary()})
                log.say(f"step {progress.step}: validation CER {report.cer:.4f}, catastrophic "
                        f"{report.catastrophic_rate:.1%}, loops {report.loop_rate:.1%} ({report.seconds:.1f} s)")
            checkpoint(rng_states, report)
        accelerator.wait_for_everyone()

    stop = _StopRequest()
    stop.install(enabled=main and world == 1)
    trainable = [p for _, p in named]
    model.train()
    t0, window_samples = time.perf_counter(), 0
    try:
        while progress.step < cfg.max_steps:
            loss_sum, n_samples = 0.0, 0
            for micro in range(cfg.grad_accum):
                batch, n = next_batch()
                sync = micro == cfg.grad_accum - 1
                with contextlib.nullcontext() if sync or world == 1 else accelerator.no_sync(model):
                    loss = model(**batch).loss
                    accelerator.backward(scaler.scale(loss / cfg.grad_accum))
                loss_sum += float(loss.detach())
                n_samples += n
            scaler.unscale_(optimizer)
            grad_norm = float(torch.nn.utils.clip_grad_norm_(trainable, cfg.max_grad_norm))
            scale_before = scaler.get_scale() if scaler.is_enabled() else 1.0
            scaler.step(optimizer)
            scaler.update()
            optimizer.zero_grad(set_to_none=True)
            if scaler.is_enabled() and scaler.get_scale() < scale_before:
                progress.overflow_steps += 1  # inf/nan gradients: the optimizer skipped this step
            else:
                scheduler.step()
            progress.step += 1
            progress.samples_seen += n_samples * world
            window_samples += n_samples * world
            info = StepInfo(step=progress.step, loss=round(loss_sum / cfg.grad_accum, 6),
                            lr=scheduler.get_last_lr()[0], grad_norm=round(grad_norm, 6))
            if progress.step % cfg.log_every == 0 or progress.step == cfg.max_steps:
                elapsed = time.perf_counter() - t0
                info["samples_per_s"] = round(window_samples / max(elapsed, 1e-9), 3)
                t0, window_samples = time.perf_counter(), 0
                log.say(f"step {progress.step}/{cfg.max_steps} loss {info['loss']:.4f} lr {info['lr']:.2e} "
                        f"grad-norm {grad_norm:.3f}")
            log.record(dict(info))
            saved = progress.step % cfg.save_every == 0 or progress.step == cfg.max_steps
            if saved:
                save(evaluate=True)
            if on_step:
                on_step(info)
            if stop.requested:
                if not saved:
                    log.say(f"stopping: saving step {progress.step} (not evaluated); resume with --resume")
                    save(evaluate=False)
                raise KeyboardInterrupt
    finally:
        stop.uninstall()
        if progress.skipped or progress.downscaled:
            log.say(f"data: {progress.downscaled} image(s) downscaled to fit; skipped: "
                    + (", ".join(f"{n} {r}" for r, n in sorted(progress.skipped.items())) or "none"))
        log.close()
    return progress
