"""CTC decoding of recognizer outputs (numpy only, so inference needs no torch)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from odia_ocr.text import Charset, canonicalize

__all__ = ["Decoded", "greedy_decode", "log_softmax"]


@dataclass(frozen=True)
class Decoded:
    text: str
    confidence: float  # mean max-probability of the emitted characters' frames; 1.0 for empty output


def log_softmax(logits: np.ndarray) -> np.ndarray:
    m = logits.max(axis=-1, keepdims=True)
    z = logits - m
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def greedy_decode(logits: np.ndarray, lengths: np.ndarray, charset: Charset) -> list[Decoded]:
    """Best path per line: argmax per frame, merge repeats, drop blanks.

    logits: (N, T, C); lengths: valid frames per line (padding frames are ignored).
    """
    logp = log_softmax(logits.astype(np.float32))
    best = logp.argmax(-1)
    bestp = np.exp(logp.max(-1))
    out = []
    for i in range(logits.shape[0]):
        n = int(lengths[i])
        path = best[i, :n]
        keep = np.ones(n, bool)
        keep[1:] = path[1:] != path[:-1]
        keep &= path != 0
        idx = path[keep]
        conf = float(bestp[i, :n][keep].mean()) if idx.size else 1.0
        out.append(Decoded(canonicalize(charset.decode(idx.tolist())), conf))
    return out
