"""CTC prefix beam search with optional character-LM shallow fusion.

Only characters the network itself finds plausible at a frame (probability
above ``prune``) are explored, so the language model can choose between
readings of an ambiguous glyph but cannot rewrite a clearly printed one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from odia_ocr.recognizer.decode import Decoded, log_softmax
from odia_ocr.recognizer.lm import CharNgramLM
from odia_ocr.text import Charset, canonicalize

__all__ = ["BeamConfig", "beam_decode"]

_NEG = -1e30


def _lse(a: float, b: float) -> float:
    if a < b:
        a, b = b, a
    return a if b <= _NEG else a + math.log1p(math.exp(b - a))


@dataclass(frozen=True)
class BeamConfig:
    beam: int = 8
    prune: float = 1e-3  # characters below this frame probability are never considered
    lm_weight: float = 0.3
    insertion_bonus: float = 0.5


def beam_decode(logits: np.ndarray, charset: Charset, lm: CharNgramLM | None = None,
                cfg: BeamConfig = BeamConfig()) -> Decoded:
    """Decode one line's (frames, classes) logits."""
    logp = log_softmax(logits.astype(np.float32))
    log_prune = math.log(cfg.prune)
    # prefix -> (log p ending in blank, log p ending in non-blank, lm score, last char index)
    beams: dict[tuple[int, ...], tuple[float, float, float]] = {(): (0.0, _NEG, 0.0)}
    chars = charset.chars
    for t in range(logp.shape[0]):
        row = logp[t]
        cand = np.nonzero(row > log_prune)[0]
        nxt: dict[tuple[int, ...], list[float]] = {}

        def add(prefix: tuple[int, ...], pb: float, pnb: float, lm_score: float,
                nxt: dict[tuple[int, ...], list[float]] = nxt) -> None:
            cur = nxt.get(prefix)
            if cur is None:
                nxt[prefix] = [pb, pnb, lm_score]
            else:
                cur[0], cur[1] = _lse(cur[0], pb), _lse(cur[1], pnb)

        for prefix, (pb, pnb, lms) in beams.items():
            total = _lse(pb, pnb)
            for c in cand:
                lp = float(row[c])
                if c == 0:
                    add(prefix, total + lp, _NEG, lms)
                    continue
                last = prefix[-1] if prefix else -1
                new = (*prefix, int(c))
                extra = 0.0
                if lm is not None:
                    extra = cfg.lm_weight * lm.logprob(charset.decode(prefix), chars[c - 1]) + cfg.insertion_bonus
                if c == last:
                    add(prefix, _NEG, pnb + lp, lms)  # repeat collapses into the same character
                    add(new, _NEG, pb + lp + extra, lms + extra)  # a blank separated a real double
                else:
                    add(new, _NEG, total + lp + extra, lms + extra)
        ranked = sorted(nxt.items(), key=lambda kv: _lse(kv[1][0], kv[1][1]), reverse=True)[: cfg.beam]
        beams = {k: (v[0], v[1], v[2]) for k, v in ranked}
    best, (pb, pnb, lms) = max(beams.items(), key=lambda kv: _lse(kv[1][0], kv[1][1]))
    acoustic = _lse(pb, pnb) - lms
    conf = math.exp(acoustic / max(1, len(best))) if best else 1.0
    return Decoded(canonicalize(charset.decode(best)), min(1.0, conf))
