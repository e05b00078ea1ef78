"""A trained CRNN made to read taller input (e.g. 48 instead of 32 pixels), as a starting point for training.

At the model's 32-pixel height a benchmark line of median height 63 pixels
loses half its resolution before the network sees it, and the second reading
(:mod:`odia_ocr.recognizer.recheck`) gains by making glyphs only 14% larger:
glyph size at the input limits the model. A taller model keeps more of each
glyph, but training one from scratch costs many CPU hours. The network's
layers, all but one, do not depend on the input height: the convolutions and
pools slide over any height, and the LSTMs and head see one vector a frame.
Only the projection from the last feature map (``channels[-1] × height/16``
rows, channel-major) to the LSTM's input has a size that follows the height.

:func:`heighten` copies every other weight unchanged and builds the taller
projection from the old one: each new feature row takes the old weights of
the rows it lies between (linear interpolation over the rows' relative
positions), scaled so that a feature map constant along its height projects
as before. This does not preserve the model's outputs exactly (the
convolutions now see glyphs 1.5 times larger), so it is a starting point for
training, not a model to ship as is.
"""

from __future__ import annotations

from dataclasses import replace

import torch

from odia_ocr.recognizer.model import CRNN

__all__ = ["heighten", "row_weights"]

#: The encoder halves the height four times; input heights must be multiples of this.
HEIGHT_STEP = 16


def row_weights(old_rows: int, new_rows: int) -> torch.Tensor:
    """(new_rows, old_rows) matrix: how much of each old row's projection weights each new row takes.

    Rows are placed at their centres over the height (row ``i`` of ``n`` at
    ``(i + 0.5) / n``) and interpolated linearly between the two nearest old
    rows (the nearest one alone at the ends). Each column then sums to
    ``new_rows / old_rows`` before scaling and every row to 1; the matrix is
    scaled by ``old_rows / new_rows`` so that a feature map constant along its
    height, which feeds the old projection ``old_rows`` equal rows, gives the
    same projection through the new one.
    """
    if old_rows < 1 or new_rows < 1:
        raise ValueError(f"row counts must be positive (got {old_rows} and {new_rows})")
    old_pos = (torch.arange(old_rows, dtype=torch.float64) + 0.5) / old_rows
    m = torch.zeros(new_rows, old_rows, dtype=torch.float64)
    for i in range(new_rows):
        p = (i + 0.5) / new_rows
        j = int(torch.searchsorted(old_pos, torch.tensor(p, dtype=torch.float64)))
        if j == 0:
            m[i, 0] = 1.0
        elif j == old_rows:
            m[i, -1] = 1.0
        else:
            t = float((p - old_pos[j - 1]) / (old_pos[j] - old_pos[j - 1]))
            m[i, j - 1], m[i, j] = 1.0 - t, t
    return (m * old_rows / new_rows).to(torch.float32)


@torch.no_grad()
def heighten(model: CRNN, height: int) -> CRNN:
    """A copy of ``model`` for input ``height`` pixels high (a multiple of 16), every weight carried over."""
    cfg = model.cfg
    if height < HEIGHT_STEP or height % HEIGHT_STEP:
        raise ValueError(f"input height must be a positive multiple of {HEIGHT_STEP} (got {height})")
    tall = CRNN(replace(cfg, input_height=height))
    state = tall.state_dict()
    for name, old in model.state_dict().items():
        if name != "project.weight":
            state[name].copy_(old)
    old_rows, new_rows = cfg.input_height // HEIGHT_STEP, height // HEIGHT_STEP
    w = model.project.weight  # (out, channels * old_rows), channel-major
    out, c = w.shape[0], cfg.channels[-1]
    mixed = torch.einsum("ocr,nr->ocn", w.reshape(out, c, old_rows), row_weights(old_rows, new_rows))
    state["project.weight"].copy_(mixed.reshape(out, c * new_rows))
    tall.load_state_dict(state)
    return tall
