"""`odia-ocr train`: train or resume the compact recognizer from a config file plus overrides."""

from __future__ import annotations

import argparse

from odia_ocr.cli.common import CliError

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="a .toml or .json training config (defaults: the shipped recipe)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config value, e.g. --set max_steps=5000 --set lr=5e-4 (repeatable)")
    parser.add_argument("--out", help="run folder (overrides out_dir)")
    parser.add_argument("--resume", action="store_true", help="continue from OUT/last.safetensors when it exists")
    parser.add_argument("--init", help="start from the weights of this model file or checkpoint (fine-tuning)")
    parser.add_argument("--data", action="append", default=[], metavar="PATH",
                        help="real dataset(s) to mix in (any format `odia-ocr data` reads); see --set dataset_ratio")
    parser.add_argument("--device", help="auto (a CUDA GPU when there is one, else the CPU), cpu, cuda or cuda:N")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (for logs)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        import torch  # noqa: F401
    except ImportError:
        raise CliError("training needs PyTorch: pip install 'odia-ocr[train]'") from None
    from odia_ocr.recognizer.modelfile import ModelFormatError
    from odia_ocr.training.config import apply_overrides, load_config
    from odia_ocr.training.device import resolve_device
    from odia_ocr.training.loop import train
    from odia_ocr.training.sources import open_line_sources

    try:
        cfg = apply_overrides(load_config(args.config), args.set)
        if args.device:
            cfg = apply_overrides(cfg, [f"device={args.device}"])
        resolve_device(cfg.device)  # a missing GPU is one line here, before any data is rendered
    except (OSError, ValueError) as err:
        raise CliError(str(err)) from None
    if args.out:
        cfg.out_dir = args.out
    if args.data:
        cfg.datasets = list(args.data)
        if cfg.dataset_ratio == 0:
            cfg.dataset_ratio = 0.5
    sources = open_line_sources(cfg.datasets)
    try:
        state = train(cfg, resume=args.resume, init=args.init, progress=not args.no_progress, sources=sources)
    except (FileNotFoundError, ModelFormatError) as err:  # a missing or unusable --init / checkpoint file
        raise CliError(str(err)) from None
    print(f"done: step {state.step}, best validation CER {state.best_cer:.4f} at step {state.best_step}; "
          f"model file {cfg.out_dir}/best.safetensors")
    return 0
