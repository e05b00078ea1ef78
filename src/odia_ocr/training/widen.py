"""Function-preserving widening of a trained CRNN: more channels and LSTM units, the same outputs.

Training a wider recognizer from scratch on a CPU costs many hours; starting it
from the trained narrow model keeps what that model learned. Every old weight is
copied to the same place in the wider network, new units get the wider model's
own random initialization, and the connections from new units into old ones
start at zero, so the widened network computes exactly what the narrow one did
(in eval mode) and training then puts the new units to use.
"""

from __future__ import annotations

import torch

from odia_ocr.recognizer.model import CRNN, CRNNConfig

__all__ = ["widen"]


def _prefix(n: int) -> torch.Tensor:
    return torch.arange(n)


def _blocks(n_old: int, n_new: int, blocks: int) -> torch.Tensor:
    """Old index b*n_old + j -> b*n_new + j: LSTM gate blocks (i, f, g, o) or the two directions."""
    return torch.cat([b * n_new + torch.arange(n_old) for b in range(blocks)])


def _maps(name: str, old: torch.Tensor, h_old: int, h_new: int) -> list[torch.Tensor]:
    """Where each index of ``old`` goes in the wider tensor, for dims 0 and 1 (further dims are kernels)."""
    if name.startswith("rnn."):
        rows = _blocks(h_old, h_new, 4)
        if name.startswith("rnn.bias"):
            return [rows]
        if name.startswith("rnn.weight_hh"):
            return [rows, _prefix(h_old)]
        layer = int(name.split("_l")[1].split("_")[0])
        # layer 0 reads the projection (plain prefix); later layers read [forward | backward] outputs
        return [rows, _prefix(old.shape[1]) if layer == 0 else _blocks(h_old, h_new, 2)]
    if name.startswith("head.weight"):
        return [_prefix(old.shape[0]), _blocks(h_old, h_new, 2)]
    # convolutions, BatchNorm, the projection and the head's bias: old channels first, in order.
    # (The projection's inputs are channel-major, channel * feat_h + row, so old ones form a prefix too.)
    return [_prefix(n) for n in old.shape[:2]]


@torch.no_grad()
def widen(model: CRNN, channels: tuple[int, ...], rnn_hidden: int, seed: int = 0) -> CRNN:
    """A copy of ``model`` with ``channels`` and ``rnn_hidden`` (each at least the old size), same outputs."""
    cfg = model.cfg
    if len(channels) != len(cfg.channels) or any(n < o for n, o in zip(channels, cfg.channels, strict=True)):
        raise ValueError(f"channels {list(channels)} must not be narrower than {list(cfg.channels)}")
    if rnn_hidden < cfg.rnn_hidden:
        raise ValueError(f"rnn_hidden {rnn_hidden} must not be smaller than {cfg.rnn_hidden}")
    torch.manual_seed(seed)
    wide = CRNN(CRNNConfig(**{**cfg.to_dict(), "channels": tuple(channels), "rnn_hidden": rnn_hidden}))
    new_state = wide.state_dict()
    for name, old in model.state_dict().items():
        new = new_state[name]
        if old.dim() == 0:  # BatchNorm's batch counter
            new.copy_(old)
            continue
        maps = _maps(name, old, cfg.rnn_hidden, rnn_hidden)
        if old.dim() >= 2:
            # new inputs feed old outputs through zeros, so old units compute what they did
            new[maps[0]] = 0.0
        index = tuple(torch.meshgrid(*maps, indexing="ij"))
        new[index] = old
    wide.load_state_dict(new_state)
    return wide
