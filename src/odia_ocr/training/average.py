"""Weight averaging of models fine-tuned from one model (a "model soup"), and BatchNorm re-estimation.

Runs continued from the same model tend to stay in one basin of the loss, where
the mean of their weights can read better than each of them. The mean of
BatchNorm running statistics is not the statistics of the averaged network, so
:func:`reestimate_batchnorm` measures them again on training-like batches.
Whether an average is better is a question for validation lines
(``scripts/compare_checkpoints.py``), never for the benchmark.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import torch

from odia_ocr.recognizer.model import CRNN
from odia_ocr.recognizer.modelfile import ModelMeta
from odia_ocr.training.checkpoint import load_model, load_model_weights

__all__ = ["average_models", "reestimate_batchnorm"]


def average_models(paths: Sequence[str | Path]) -> tuple[CRNN, ModelMeta]:
    """The model whose floating-point weights are the mean of ``paths``' (checkpoints or model files).

    Integer tensors (BatchNorm batch counters) come from the first file, and so
    does the metadata, with the ingredients recorded under
    ``training_data["averaged_from"]`` and the first file's metrics dropped
    (they describe another network). Files of another architecture or
    character set raise ``ValueError`` naming the file.
    """
    if not paths:
        raise ValueError("no models to average")
    model, meta = load_model(paths[0])
    first = model.state_dict()
    sums = {k: v.double() if v.is_floating_point() else v for k, v in first.items()}
    for path in paths[1:]:
        weights, other = load_model_weights(path)
        if other.architecture != meta.architecture or other.charset != meta.charset:
            raise ValueError(f"{path}: architecture or character set differs from {paths[0]}")
        if weights.keys() != sums.keys():
            raise ValueError(f"{path}: weight names differ from {paths[0]}")
        for k, v in weights.items():
            if v.is_floating_point():
                sums[k] = sums[k] + v.double()
    mean = {k: (v / len(paths)).float() if v.is_floating_point() else v for k, v in sums.items()}
    model.load_state_dict(mean)
    data = {**meta.training_data, "averaged_from": [str(p) for p in paths]}
    return model, replace(meta, training_data=data, metrics={})


@torch.no_grad()
def reestimate_batchnorm(model: torch.nn.Module, batches: Iterable[torch.Tensor]) -> int:
    """Replace every BatchNorm layer's running statistics by their cumulative average over ``batches``.

    ``batches`` are image tensors as the model takes them. Returns how many
    batches were seen; the model is left in eval mode.
    """
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    momenta = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative moving average over all batches
    model.train()
    seen = 0
    for images in batches:
        model(images)
        seen += 1
    for m, momentum in zip(norms, momenta, strict=True):
        m.momentum = momentum
    model.eval()
    return seen
