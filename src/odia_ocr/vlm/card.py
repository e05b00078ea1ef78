"""The model card (README.md) of a pushed VLM, written only from recorded facts and measured numbers.

Every number in the card comes from the folder's ``odia_vlm.json`` (the
training record and the validation metrics of its checkpoint) or from an
evaluation report of `odia-ocr vlm eval`. Nothing is filled in by hand:
without a measurement the card says that the model is not evaluated.
"""

from __future__ import annotations

from typing import Any

__all__ = ["render_model_card"]

_METRIC_ROWS = (
    ("cer", "CER (corpus)", True),
    ("wer", "WER", True),
    ("aer", "Akshara error rate", True),
    ("mean_cer", "Mean per-sample CER", True),
    ("median_cer", "Median per-sample CER", True),
    ("catastrophic_rate", "Catastrophic failures", True),
    ("loop_rate", "Repetition loops", True),
    ("empty_rate", "Empty outputs", True),
    ("samples", "Samples scored", False),
)


def _pct(value: float) -> str:
    return f"{100 * value:.2f}%"


def _metrics_table(metrics: dict[str, Any]) -> list[str]:
    lines = ["| Metric | Value |", "|---|---|"]
    for key, label, is_rate in _METRIC_ROWS:
        if key in metrics and metrics[key] is not None:
            value = metrics[key]
            lines.append(f"| {label} | {_pct(value) if is_rate else value} |")
    return lines


def render_model_card(meta: dict[str, Any], repo_id: str, report: dict[str, Any] | None = None) -> str:
    """Markdown with Hub front matter for the model folder described by ``meta``.

    ``report`` is an evaluation report (``odia-ocr vlm eval --report``); when
    absent, the validation metrics recorded at training time are used.
    """
    kind = meta.get("kind", "adapter")
    base = meta.get("base_model", "unknown")
    training = meta.get("training", {})
    config = training.get("config", {})
    settings = meta.get("inference", {})
    front = [
        "---",
        "language:",
        "- or",
        f"base_model: {base}",
        f"library_name: {'peft' if kind == 'adapter' else 'transformers'}",
        "pipeline_tag: image-text-to-text",
        "license: other  # the base model's license applies",
        "tags:",
        "- ocr",
        "- odia",
        "- qwen2.5-vl",
        "- odia-ocr",
        *(["- lora"] if kind == "adapter" else []),
        "---",
        "",
    ]
    what = "a LoRA adapter for" if kind == "adapter" else "a merged fine-tune of"
    body = [
        f"# {repo_id.split('/')[-1]}",
        "",
        f"Odia (Oriya script) OCR: {what} [{base}](https://huggingface.co/{base}), trained with "
        "odia-ocr (`odia-ocr vlm train`). It reads a line or page image "
        "and answers with its text in canonical Unicode Odia.",
        "",
        "## Evaluation",
        "",
    ]
    if report:
        where = report.get("dataset", "an unnamed dataset")
        split = f" (split `{report['split']}`)" if report.get("split") else ""
        when = f" on {report['date']}" if report.get("date") else ""
        body += [f"Measured with `odia-ocr vlm eval` on `{where}`{split}{when}, greedy decoding with the "
                 "repetition guard:", "", *_metrics_table(report)]
    elif meta.get("metrics"):
        step = training.get("step", "?")
        where = training.get("val_data", "the validation set")
        body += [f"Measured during training at step {step} on `{where}` (real generation, greedy):", "",
                 *_metrics_table(meta["metrics"])]
    else:
        body += ["Not evaluated: no measured numbers are recorded for this model. "
                 "Run `odia-ocr vlm eval --model FOLDER --data DATASET --report eval.json` and push again."]
    threshold = (report or meta.get("metrics") or {}).get("catastrophic_cer")
    if threshold is not None:
        body += ["", f"A sample is a catastrophic failure when it loops, comes back empty, or has CER ≥ "
                 f"{_pct(threshold)}."]
    body += ["", "## Use", "", "```bash", "pip install 'odia-ocr[vlm]'",
             f"odia-ocr read --engine vlm --model {repo_id} line.png" if kind == "merged"
             else "odia-ocr read --engine vlm --model ./this-folder line.png",
             "```", "", f"Prompt: `{settings.get('prompt', '')}`; images are resized to "
             f"{settings.get('min_pixels', '?')}–{settings.get('max_pixels', '?')} pixels.", ""]
    if training:
        body += ["## Training", "", "| Setting | Value |", "|---|---|"]
        rows = [
            ("Steps", training.get("step")),
            ("Training data", training.get("data")),
            ("Samples seen", training.get("samples_seen")),
            ("Images downscaled to fit", training.get("downscaled")),
            ("Samples skipped", ", ".join(f"{n} {r}" for r, n in sorted(training.get("skipped", {}).items()))
             or "0"),
            ("Precision", training.get("precision")),
            ("LoRA", f"r={config.get('lora_r')}, alpha={config.get('lora_alpha')}, "
                     f"targets={', '.join(config.get('lora_target_modules', []))}" if config else None),
            ("Quantization", config.get("quantization")),
            ("Learning rate", f"{config.get('learning_rate')} ({config.get('lr_scheduler')}, "
                              f"{config.get('warmup_steps')} warm-up steps)" if config else None),
            ("Batch", f"{config.get('batch_size')} × {config.get('grad_accum')} accumulation" if config else None),
            ("Max sequence length", config.get("max_seq_length")),
        ]
        body += [f"| {k} | {v} |" for k, v in rows if v not in (None, "")]
        body.append("")
    return "\n".join(front + body)
