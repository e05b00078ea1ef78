"""Carry a training run across sessions in git: save its state into checkpoints/, or restore it from there.

    python scripts/carry_checkpoint.py save runs/crnn-xl-long2      # end of a session: then commit checkpoints/
    python scripts/carry_checkpoint.py restore runs/crnn-xl-long2   # start of the next: then train ... --resume

Why: runs/ is ignored by git, and a session may begin on a fresh checkout. crnn-xl-long's 8 hours of training and
crnn-xl-strong's weights it started from were lost that way (docs/recognizer-log.md, 2026-12-07). ``save`` writes

- ``checkpoints/NAME-carry.safetensors``: last.safetensors compacted (float16 weights, trainer state, schedule and
  RNG; no optimizer moments): resumable, 11 MB instead of 67 MB;
- ``checkpoints/NAME-best-fp16.safetensors``: best.safetensors' weights in float16, the file the release rule judges;
- ``checkpoints/NAME-log.jsonl``: the run's log, its curve.

``save --no-best`` leaves the best-so-far model out (and removes an older carried copy of it): for a run whose
release rule judges the end of its schedule, it is not needed, and each carry then adds 11 MB to git history, not 22.

``restore`` copies them back as last.safetensors, best.safetensors and log.jsonl. It refuses to replace a run that
is further along than the carried state. NAME is the run folder's name.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import torch

from odia_ocr.recognizer.modelfile import ModelFormatError
from odia_ocr.training.checkpoint import cast_model_file, compact_checkpoint, read_trainer_state

CHECKPOINTS = Path(__file__).resolve().parents[1] / "checkpoints"


def carried(run: Path, into: Path) -> dict[str, tuple[Path, Path]]:
    """The run's files and where their carried copies live: {role: (run file, carried file)}."""
    name = run.name
    return {
        "last": (run / "last.safetensors", into / f"{name}-carry.safetensors"),
        "best": (run / "best.safetensors", into / f"{name}-best-fp16.safetensors"),
        "log": (run / "log.jsonl", into / f"{name}-log.jsonl"),
    }


def save_run(run: Path, into: Path, with_best: bool = True) -> str:
    files = carried(run, into)
    last, carry = files["last"]
    if not last.exists():
        raise FileNotFoundError(f"{last}: no checkpoint to carry")
    state = compact_checkpoint(last, carry)
    best, best_copy = files["best"]
    if not with_best:
        best_copy.unlink(missing_ok=True)  # a stale best would come back on restore as if it were current
    elif best.exists():
        cast_model_file(best, best_copy, torch.float16)
    log, log_copy = files["log"]
    if log.exists():
        shutil.copyfile(log, log_copy)
    return (f"carried {run} at step {state.step} ({state.train_seconds:.0f} s trained, best validation "
            f"{state.best_cer:.2%} at step {state.best_step}) into {into}")


def restore_run(run: Path, into: Path, force: bool) -> str:
    files = carried(run, into)
    last, carry = files["last"]
    if not carry.exists():
        raise FileNotFoundError(f"{carry}: nothing carried for {run.name}")
    carried_state = read_trainer_state(carry)
    if last.exists() and not force:
        here = read_trainer_state(last)
        if here.step >= carried_state.step:
            raise FileExistsError(f"{last}: already at step {here.step}, the carried state is at step "
                                  f"{carried_state.step}; nothing restored (--force replaces it)")
    run.mkdir(parents=True, exist_ok=True)
    for in_run, in_git in files.values():
        if in_git.exists():
            shutil.copyfile(in_git, in_run)
    return f"restored {run} at step {carried_state.step}; continue with odia-ocr train --config ... --resume"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["save", "restore"])
    ap.add_argument("run", help="the run's folder (the config's out_dir)")
    ap.add_argument("--into", default=str(CHECKPOINTS), help="where carried files live (default checkpoints/)")
    ap.add_argument("--force", action="store_true", help="restore even over a run that is further along")
    ap.add_argument("--no-best", action="store_true",
                    help="save without the best-so-far model (for runs judged at the end of their schedule)")
    args = ap.parse_args()
    run, into = Path(args.run), Path(args.into)
    try:
        msg = save_run(run, into, not args.no_best) if args.action == "save" else restore_run(run, into, args.force)
    except (OSError, ModelFormatError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(msg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
