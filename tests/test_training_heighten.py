"""Making a trained CRNN read taller input: every weight carried over, the projection spread over the new rows."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from odia_ocr.recognizer.model import CRNN, CRNNConfig  # noqa: E402
from odia_ocr.training.heighten import heighten, row_weights  # noqa: E402


def _model() -> CRNN:
    torch.manual_seed(3)
    return CRNN(CRNNConfig(num_classes=9, channels=(4, 8, 8, 8, 16, 16), rnn_hidden=10)).eval()


def test_row_weights_interpolate_between_the_nearest_rows() -> None:
    # new rows at 1/6, 1/2, 5/6 of the height; old ones at 1/4 and 3/4
    expected = torch.tensor([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]) * 2 / 3
    assert torch.allclose(row_weights(2, 3), expected)
    assert torch.allclose(row_weights(2, 2), torch.eye(2))
    assert torch.allclose(row_weights(2, 5).sum(0), torch.full((2,), 1.0))


def test_taller_model_keeps_every_other_weight_and_reads_taller_lines() -> None:
    short = _model()
    tall = heighten(short, 48).eval()
    assert tall.cfg.input_height == 48 and tall.project.in_features == 16 * 3
    old, new = short.state_dict(), tall.state_dict()
    assert all(torch.equal(old[k], new[k]) for k in old if k != "project.weight")
    assert tall(torch.rand(2, 1, 48, 64)).shape == (2, 16, 9)


def test_a_feature_map_constant_over_its_height_projects_as_before() -> None:
    short = _model()
    tall = heighten(short, 64)  # 2 feature rows -> 4
    column = torch.randn(5, 16, 1)  # (frames, channels, 1 row), channel-major as the model flattens it
    before = short.project(column.expand(5, 16, 2).reshape(5, 32))
    after = tall.project(column.expand(5, 16, 4).reshape(5, 64))
    assert torch.allclose(before, after, atol=1e-5)


def test_the_same_height_gives_the_same_model() -> None:
    short = _model()
    x = torch.rand(2, 1, 32, 80)
    assert torch.allclose(heighten(short, 32).eval()(x), short(x), atol=1e-6)


def test_heights_the_encoder_cannot_halve_four_times_are_refused() -> None:
    with pytest.raises(ValueError, match="multiple of 16"):
        heighten(_model(), 40)
