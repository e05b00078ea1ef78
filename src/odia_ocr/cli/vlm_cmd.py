"""`odia-ocr vlm train|eval|predict|merge|push|label`: the Qwen2.5-VL LoRA workflow.

Every field of :class:`odia_ocr.vlm.VLMConfig` is a ``--flag`` of ``train``
(one source of truth for options); heavy imports happen inside each command.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import fields
from typing import Any

from odia_ocr.cli.common import CliError, positive_int, report_problem
from odia_ocr.vlm.config import VLMConfig, field_type

__all__ = ["register"]


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@contextlib.contextmanager
def _one_line_errors() -> Iterator[None]:
    """Turn the expected failures of the VLM stack into one-line CLI errors."""
    try:
        yield
    except ImportError as err:
        raise CliError(f"this command needs the [vlm] extra: pip install 'odia-ocr[vlm]' ({err})") from None
    except (ValueError, OSError) as err:  # OSError: missing files, endpoint failures
        raise CliError(str(err).splitlines()[0] if str(err) else type(err).__name__) from None


def _config_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("training config (each overrides --config; defaults in brackets)")
    defaults = VLMConfig()
    for f in fields(VLMConfig):
        kind, is_list, _ = field_type(f.name)
        flag = "--" + f.name.replace("_", "-")
        default = getattr(defaults, f.name)
        help_ = f"[{' '.join(default) if is_list else default}]"
        if kind is bool:
            group.add_argument(flag, dest=f"cfg_{f.name}", action=argparse.BooleanOptionalAction, default=None,
                               help=help_)
        else:
            group.add_argument(flag, dest=f"cfg_{f.name}", type=kind, nargs="+" if is_list else None, default=None,
                               metavar=f.name.upper(), help=help_)


def _add_model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", required=True, help="adapter folder (e.g. RUN/best), merged folder or Hub id")
    p.add_argument("--base-model", help="base model for an adapter (default: the one it was trained on)")
    p.add_argument("--device", help="torch device (default: cuda if available, else cpu)")
    p.add_argument("--precision", default="auto", choices=("auto", "bf16", "fp16", "fp32"))
    p.add_argument("--quantization", default="none", choices=("none", "4bit", "8bit"), help="load quantized (CUDA)")
    p.add_argument("--batch-size", type=positive_int, default=8, help="images per generate call (default 8)")


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="vlm_command", metavar="SUBCOMMAND")
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])

    p = sub.add_parser("train", help="fine-tune a LoRA adapter (exact resume, CER-selected best/)",
                       description="Fine-tune Qwen2.5-VL with LoRA. Writes OUT_DIR/best/, checkpoints/ and log.jsonl.")
    p.add_argument("--config", help="JSON or TOML file with config values")
    p.add_argument("--resume", action="store_true", help="continue the run in --out-dir from its last checkpoint")
    _config_flags(p)
    p.set_defaults(func=run_train)

    p = sub.add_parser("eval", help="CER, WER and catastrophic-failure rate with real generation")
    _add_model_options(p)
    p.add_argument("--data", required=True, help="dataset path (any format the data layer reads)")
    p.add_argument("--split", help="only this split (train/val/test)")
    p.add_argument("--limit", type=int, help="score only the first N samples")
    p.add_argument("--catastrophic-cer", type=float, default=0.5, help="per-sample CER counted as catastrophic")
    p.add_argument("--report", help="write the report (JSON) here; `vlm push --report` puts it in the model card")
    p.add_argument("--predictions", help="write per-sample predictions (JSON lines) here")
    p.set_defaults(func=run_eval)

    p = sub.add_parser("predict", help="read images with a fine-tuned model")
    _add_model_options(p)
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--json", action="store_true", help='one JSON object per image: {"file","text","confidence"}')
    p.set_defaults(func=run_predict)

    p = sub.add_parser("merge", help="fold an adapter into its base model for serving")
    p.add_argument("--model", required=True, help="adapter folder (e.g. RUN/best)")
    p.add_argument("--out", required=True, help="folder to write the merged model to")
    p.add_argument("--base-model", help="base model (default: the one the adapter was trained on)")
    p.add_argument("--precision", default="bf16", choices=("bf16", "fp16", "fp32"), help="weights dtype (bf16)")
    p.add_argument("--device", default="cpu", help="device to merge on (default cpu)")
    p.set_defaults(func=run_merge)

    p = sub.add_parser("push", help="upload adapter or merged model with a measured model card (or write it locally)")
    p.add_argument("--model", required=True, help="adapter, best/ or merged folder")
    p.add_argument("--repo-id", required=True, help="Hub repository, e.g. your-name/odia-qwen2.5-vl-3b-lora")
    p.add_argument("--out", help="where to build the upload folder (default: MODEL-hub next to the model)")
    p.add_argument("--report", help="evaluation report from `vlm eval --report` for the card")
    p.add_argument("--token", help="Hub token (default: HF_TOKEN or a stored `hf auth login`)")
    p.add_argument("--public", action="store_true", help="create the repository public (default private)")
    p.set_defaults(func=run_push)

    p = sub.add_parser("label", help="pseudo-label unlabeled images into a dataset (distillation)")
    p.add_argument("inputs", nargs="+", metavar="PATH", help="image files or folders of images")
    p.add_argument("--out", required=True, help="new dataset folder (manifest.jsonl + images/)")
    p.add_argument("--engine", action="append", required=True, metavar="NAME[:KEY=VALUE,...]",
                   help="engine and its options, e.g. vlm:model=runs/vlm/best; repeat for agreement checks "
                        "(the first engine gives the label)")
    p.add_argument("--min-confidence", type=float, default=0.9, help="keep labels at least this confident (0.9)")
    p.add_argument("--min-agreement", type=float, default=0.95,
                   help="with several engines: keep when every other engine agrees to 1-CER >= this (0.95)")
    p.add_argument("--split", default="train", help="split written into the manifest (train)")
    p.add_argument("--batch-size", type=positive_int, default=16)
    p.set_defaults(func=run_label)


def _build_config(args: argparse.Namespace) -> VLMConfig:
    from pathlib import Path

    from odia_ocr.vlm.config import apply_overrides, load_config

    overrides = {k[4:]: v for k, v in vars(args).items() if k.startswith("cfg_") and v is not None}
    if args.config:
        cfg = load_config(args.config)
    else:
        cfg = VLMConfig()
        stored = Path(overrides.get("out_dir", cfg.out_dir)) / "vlm_config.json"
        if args.resume and stored.is_file():
            cfg = VLMConfig.from_dict(json.loads(stored.read_text(encoding="utf-8")))
    return apply_overrides(cfg, overrides)


def run_train(args: argparse.Namespace) -> int:
    with _one_line_errors():
        cfg = _build_config(args)
        from odia_ocr.vlm.train import train

        progress = train(cfg, resume=args.resume, echo=_err)
    best = f"{cfg.out_dir}/best" if progress.best_step >= 0 else "none (no evaluated checkpoint)"
    cer = f"{progress.best_cer:.4f}" if progress.best_cer is not None else "n/a"
    print(json.dumps({"steps": progress.step, "best": best, "best_step": progress.best_step, "best_cer": cer,
                      "skipped": progress.skipped, "downscaled": progress.downscaled}, ensure_ascii=False))
    return 0


def _engine(args: argparse.Namespace) -> Any:
    from odia_ocr.engines.vlm import VLMEngine

    return VLMEngine(model=args.model, base_model=args.base_model, device=args.device, batch_size=args.batch_size,
                     precision=args.precision, quantization=args.quantization)


def run_eval(args: argparse.Namespace) -> int:
    with _one_line_errors():
        from odia_ocr.recognizer.modelfile import atomic_write_bytes
        from odia_ocr.vlm.data import open_samples
        from odia_ocr.vlm.evaluate import evaluate_model

        samples = open_samples(args.data, args.split)
        if args.limit is not None:
            samples = [samples[i] for i in range(min(args.limit, len(samples)))]
        if not samples:
            raise CliError(f"{args.data}: no samples" + (f" in split {args.split!r}" if args.split else ""))
        engine = _engine(args)
        report = evaluate_model(engine.loaded.model, engine.encoder, samples, args.batch_size,
                                args.catastrophic_cer, on_problem=report_problem)
    summary = {"model": str(args.model), "dataset": str(args.data), "split": args.split,
               "date": dt.date.today().isoformat(), **report.summary()}
    if args.report:
        atomic_write_bytes(args.report, json.dumps(summary, indent=2, ensure_ascii=False).encode("utf-8"))
    if args.predictions:
        lines = [json.dumps(vars(r), ensure_ascii=False) for r in report.per_sample]
        atomic_write_bytes(args.predictions, "".join(x + "\n" for x in lines).encode("utf-8"))
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def run_predict(args: argparse.Namespace) -> int:
    from odia_ocr.data.images import ImageError, load_image, to_array

    with _one_line_errors():
        engine = _engine(args)
    failed = 0
    for k in range(0, len(args.images), max(1, args.batch_size)):
        names, arrays = [], []
        for path in args.images[k : k + args.batch_size]:
            try:
                arrays.append(to_array(load_image(path)))
                names.append(path)
            except ImageError as err:
                report_problem(str(err))
                failed += 1
        if not arrays:
            continue
        for name, res in zip(names, engine.recognize(arrays), strict=True):
            if args.json:
                print(json.dumps({"file": name, "text": res.text, "confidence": round(res.confidence, 4)},
                                 ensure_ascii=False))
            elif len(args.images) > 1:
                print(f"==> {name} <==\n{res.text}")
            else:
                print(res.text)
        sys.stdout.flush()
    if failed:
        report_problem(f"{failed} of {len(args.images)} image(s) could not be read")
    return 1 if failed else 0


def run_merge(args: argparse.Namespace) -> int:
    with _one_line_errors():
        from odia_ocr.vlm.merge import merge_adapter

        out = merge_adapter(args.model, args.out, base_model=args.base_model, precision=args.precision,
                            device=args.device)
    print(f"merged model written to {out}")
    return 0


def _read_report(path: str | None) -> dict[str, Any] | None:
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)  # type: ignore[no-any-return]
    except (OSError, json.JSONDecodeError) as err:
        raise CliError(f"{path}: cannot read the evaluation report ({err})") from None


def run_push(args: argparse.Namespace) -> int:
    report = _read_report(args.report)
    with _one_line_errors():
        from odia_ocr.vlm.push import push_model

        result = push_model(args.model, args.repo_id, out=args.out, token=args.token, private=not args.public,
                            report=report)
    if result.uploaded:
        print(f"uploaded {result.folder} to {args.repo_id} ({result.url})")
    else:
        print(f"no Hugging Face token (HF_TOKEN or `hf auth login`): nothing uploaded; wrote {result.folder} "
              f"locally. Upload it later with: hf upload {args.repo_id} {result.folder}")
    return 0


def _engines(specs: list[str]) -> list[tuple[str, Any]]:
    from odia_ocr.engines.registry import UnknownEngineError, create_engine
    from odia_ocr.vlm.label import parse_engine_spec

    built: list[tuple[str, Any]] = []
    for spec in specs:
        name, options = parse_engine_spec(spec)
        try:
            built.append((name if name not in dict(built) else f"{name}#{len(built)}", create_engine(name, **options)))
        except (UnknownEngineError, TypeError) as err:
            raise CliError(f"engine {spec!r}: {err}") from None
    return built


def run_label(args: argparse.Namespace) -> int:
    from pathlib import Path

    with _one_line_errors():
        from odia_ocr.vlm.label import find_images, label_images

        paths = find_images(args.inputs)
        if not paths:
            raise CliError("no images found in " + ", ".join(args.inputs))
        engines = _engines(args.engine)
        problem: Callable[[str], None] = report_problem
        report = label_images(paths, engines, Path(args.out), args.min_confidence, args.min_agreement, args.split,
                              args.batch_size, on_problem=problem)
    print(json.dumps(report.to_dict(), ensure_ascii=False))
    return 1 if report.unreadable else 0
