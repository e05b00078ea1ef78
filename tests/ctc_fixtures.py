"""Hand-made CTC frames for decoder tests: a four-letter charset and logits with chosen probabilities."""

from __future__ import annotations

import numpy as np

from odia_ocr.text import Charset

CS = Charset(tuple("କଖଗ "))
K, KH, G, SPACE, BLANK = 1, 2, 3, 4, 0


def frames(*rows: dict[int, float]) -> np.ndarray:
    """Logits whose softmax puts the given probabilities on class indices (rest shared by the others)."""
    out = np.full((len(rows), CS.num_classes), 1e-6)
    for t, row in enumerate(rows):
        for c, p in row.items():
            out[t, c] = p
    return np.log(out / out.sum(1, keepdims=True))
