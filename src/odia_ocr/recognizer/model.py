"""The compact line recognizer network (PyTorch; used for training and export only).

A CRNN: a VGG-style convolutional encoder that turns a line of height H into a
sequence at 1/4 of its width, a bidirectional LSTM for context, and a linear
CTC head. Small enough to train on a CPU and run at hundreds of lines/s.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

__all__ = ["CRNN", "CRNNConfig", "build_model"]


@dataclass(frozen=True)
class CRNNConfig:
    """Architecture hyperparameters; stored in every model file."""

    num_classes: int
    input_height: int = 32
    channels: tuple[int, ...] = (32, 64, 96, 96, 160, 160)
    rnn_hidden: int = 160
    rnn_layers: int = 2
    dropout: float = 0.1
    name: str = "crnn"

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["channels"] = list(self.channels)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> CRNNConfig:
        d = dict(d)
        d["channels"] = tuple(d["channels"])  # type: ignore[arg-type]
        return cls(**d)  # type: ignore[arg-type]


def _block(cin: int, cout: int) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class CRNN(nn.Module):
    """(N, 1, H, W) float images -> (N, W/4, classes) logits."""

    def __init__(self, cfg: CRNNConfig) -> None:
        super().__init__()
        self.cfg = cfg
        c = cfg.channels
        # Pools: 2x2, 2x2 (width /4), then height-only pools so frames stay 4 px apart.
        layers: list[nn.Module] = [*_block(1, c[0]), nn.MaxPool2d(2, 2)]
        layers += [*_block(c[0], c[1]), nn.MaxPool2d(2, 2)]
        layers += [*_block(c[1], c[2]), *_block(c[2], c[3]), nn.MaxPool2d((2, 1), (2, 1))]
        layers += [*_block(c[3], c[4]), *_block(c[4], c[5]), nn.MaxPool2d((2, 1), (2, 1))]
        self.encoder = nn.Sequential(*layers)
        feat_h = cfg.input_height // 16
        self.project = nn.Linear(c[5] * feat_h, cfg.rnn_hidden * 2)
        self.dropout = nn.Dropout(cfg.dropout)
        self.rnn = nn.LSTM(
            cfg.rnn_hidden * 2, cfg.rnn_hidden, num_layers=cfg.rnn_layers, bidirectional=True, batch_first=True,
            dropout=cfg.dropout if cfg.rnn_layers > 1 else 0.0,
        )
        self.head = nn.Linear(cfg.rnn_hidden * 2, cfg.num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.encoder(x)  # N, C, H/16, W/4
        n, c, h, w = f.shape
        f = f.permute(0, 3, 1, 2).reshape(n, w, c * h)
        f = self.dropout(torch.relu(self.project(f)))
        f, _ = self.rnn(f)
        return self.head(self.dropout(f))


def build_model(cfg: CRNNConfig) -> CRNN:
    return CRNN(cfg)


def output_lengths(widths: torch.Tensor) -> torch.Tensor:
    """Frames produced for inputs of the given pixel widths (two width-halving pools)."""
    return torch.div(torch.div(widths, 2, rounding_mode="floor"), 2, rounding_mode="floor")
