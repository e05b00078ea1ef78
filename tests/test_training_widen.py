"""Widening a trained CRNN keeps its outputs, and the new units are there to learn."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from odia_ocr.recognizer.model import CRNN, CRNNConfig  # noqa: E402
from odia_ocr.training.widen import widen  # noqa: E402


def _trained_like(rnn_layers: int) -> CRNN:
    torch.manual_seed(5)
    model = CRNN(CRNNConfig(num_classes=11, channels=(4, 8, 8, 8, 16, 16), rnn_hidden=12, rnn_layers=rnn_layers))
    for m in model.modules():  # BatchNorm statistics as after training, not the 0/1 defaults
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    return model.eval()


@pytest.mark.parametrize("rnn_layers", [1, 2])
def test_widened_model_computes_the_same_logits(rnn_layers: int) -> None:
    narrow = _trained_like(rnn_layers)
    wide = widen(narrow, (4, 8, 12, 12, 24, 24), rnn_hidden=20).eval()
    assert wide.cfg.channels == (4, 8, 12, 12, 24, 24) and wide.cfg.rnn_hidden == 20
    assert sum(p.numel() for p in wide.parameters()) > sum(p.numel() for p in narrow.parameters())
    x = torch.rand(3, 1, 32, 96)
    assert torch.allclose(wide(x), narrow(x), atol=1e-5)


def test_new_units_are_initialized_and_learn() -> None:
    """As with any zero-initialized branch, the zero connections learn first, then the new units behind them."""
    wide = widen(_trained_like(2), (4, 8, 12, 12, 24, 24), rnn_hidden=20)
    conv = wide.encoder[8]  # third convolution: 8 -> 12 channels
    assert isinstance(conv, torch.nn.Conv2d) and conv.weight[8:].abs().sum() > 0
    wide.train()
    x = torch.rand(2, 1, 32, 64)
    wide(x).square().sum().backward()
    new_units = torch.cat([torch.arange(12, 20), torch.arange(32, 40)])  # forward and backward directions
    head_from_new = wide.head.weight.grad[:, new_units]
    assert head_from_new.abs().sum() > 0
    opt = torch.optim.SGD(wide.parameters(), lr=0.1)
    opt.step()
    opt.zero_grad()
    wide(x).square().sum().backward()
    assert conv.weight.grad[8:].abs().sum() > 0


def test_widening_refuses_to_narrow() -> None:
    with pytest.raises(ValueError, match="must not be narrower"):
        widen(_trained_like(1), (4, 8, 8, 8, 8, 8), rnn_hidden=12)
    with pytest.raises(ValueError, match="must not be smaller"):
        widen(_trained_like(1), (4, 8, 8, 8, 16, 16), rnn_hidden=8)
