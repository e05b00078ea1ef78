"""CTC prefix beam search with optional character-LM shallow fusion and a word-list bonus.

Only characters the network itself finds plausible at a frame (probability
above ``prune``) are explored, so the language model and the word list can
choose between readings of an ambiguous glyph but cannot rewrite a clearly
printed one.
It also makes the search free where nothing is ambiguous: a line with one
plausible class per frame has one path, which is decoded directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from odia_ocr.recognizer.decode import Decoded, log_softmax
from odia_ocr.recognizer.lexicon import Lexicon
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
    # Characters below this frame probability are never considered. 0.01 (was 0.001) chosen for crnn-xl-fam with
    # scripts/tune_decoder.py --prunes 0.001,0.003,0.01,0.03 (800 validation lines, configs/crnn-xl-fam.toml, first
    # reading): seed 77 CER 2.24% at 0.001 and at 0.01, seed 78 2.57 / 2.56%; 0.03 rewrites 3x as many lines. The
    # engine as it ships (second reading included): 1.93 -> 1.91% and 2.02 -> 1.99%, each within its paired 95%
    # interval of no change, and the search takes a third less time (1.70 -> 1.14 s for 800 lines, best of 4).
    prune: float = 1e-2
    # 0.15 chosen with scripts/tune_decoder.py for model v4 on 600 validation lines (seed 77, configs/crnn-v4.toml):
    # CER 3.57% at 0.15, 3.65% at 0.1 and at 0.2, 3.84% at 0.3 (greedy 4.12%). For v3 it was 0.2 (two sets of
    # 1200 lines: 3.24% / 3.56% at 0.2 against 3.40% / 3.78% at 0.3).
    lm_weight: float = 0.15
    # Every character costs LM log-probability; the bonus offsets that, or the LM favours dropping
    # characters. 2.0 was chosen on 600 validation lines (CER 4.54% at 0.5, 4.01% at 2.0, flat up to 3.0)
    # and confirmed for v3 (3.24% at 2.0, 3.35% at 3.0).
    insertion_bonus: float = 2.0
    # Added when a word the decoder completes (at a space or the line's end) is in the lexicon. 2.0 chosen with
    # scripts/tune_decoder.py --config configs/crnn-v7.toml --lm-weights 0.15 --word-bonuses ... for model v7 on
    # 600 validation lines: seed 77 CER 3.29% without, 3.21% at 1.0, 3.18% at 2.0, 3.28% at 4.0; confirmed on
    # seed 78: 3.49% without, 3.17% at 1.5, 3.12% at 2.0, 3.15% at 3.0.
    word_bonus: float = 2.0
    # At most this many of a frame's plausible classes, the most probable, are explored. It bounds the work per
    # frame where the network is unsure of everything (an input unlike any it was trained on: 75 plausible classes
    # a frame on a blank line, where a line of the benchmark has 2 to 4 on average). Chosen on 800 validation
    # lines (scripts/tune_decoder.py --max-candidates 0,4,8,16,24, crnn-xl-fig, seed 77): 24 reads all of them
    # as no limit does, 16 changes 3; benchmarks/beam_worst_case.py measures what it saves.
    max_candidates: int = 24


def beam_decode(logits: np.ndarray, charset: Charset, lm: CharNgramLM | None = None,
                cfg: BeamConfig = BeamConfig(), lexicon: Lexicon | None = None) -> Decoded:
    """Decode one line's (frames, classes) logits; ``lexicon`` adds ``cfg.word_bonus`` per known word."""
    logp = log_softmax(logits.astype(np.float32))
    log_prune = math.log(cfg.prune)
    plausible = logp > log_prune
    if logp.shape[0] == 0 or int(plausible.sum(axis=1).max()) <= 1:
        return _single_path(logp, charset)
    _keep_most_probable(plausible, logp, cfg.max_candidates)
    # The plausible classes of every frame, found for the whole line at once.
    frames, classes = np.nonzero(plausible)
    bounds = np.searchsorted(frames, np.arange(logp.shape[0] + 1)).tolist()
    classes_l, values_l = classes.tolist(), logp[frames, classes].tolist()
    # prefix -> (log p ending in blank, log p ending in non-blank, lm score, log p of the prefix = lse of the two)
    beams: dict[tuple[int, ...], tuple[float, float, float, float]] = {(): (0.0, _NEG, 0.0, 0.0)}
    # The LM reads only the last order-1 characters: keep that tail per prefix, not the whole text.
    keep = lm.order - 1 if lm is not None else 0
    tails: dict[tuple[int, ...], str] = {(): ""}
    # The word being read at the end of each prefix (empty after a space); kept only for a lexicon.
    words: dict[tuple[int, ...], str] = {(): ""}
    chars = charset.chars
    space = chars.index(" ") + 1 if lexicon is not None and " " in chars else -1
    lm_cache: dict[tuple[str, int], float] = {}
    lse = _lse
    for t in range(logp.shape[0]):
        lo, hi = bounds[t], bounds[t + 1]
        cand = list(zip(classes_l[lo:hi], values_l[lo:hi], strict=True))
        if hi - lo == 1 and cand[0][0] == 0:
            # Only a blank is plausible: every beam takes it, and their order cannot change.
            lp = cand[0][1]
            beams = {k: (total + lp, _NEG, lms, total + lp) for k, (_, _, lms, total) in beams.items()}
            continue
        # prefix -> [log p ending in blank, log p ending in non-blank, lm score]; adding _NEG changes nothing
        nxt: dict[tuple[int, ...], list[float]] = {}
        for prefix, (pb, pnb, lms, total) in beams.items():
            last = prefix[-1] if prefix else -1
            tail, word = tails[prefix], words.get(prefix, "")
            for c, lp in cand:
                if c == 0:
                    cur = nxt.get(prefix)
                    if cur is None:
                        nxt[prefix] = [total + lp, _NEG, lms]
                    else:
                        cur[0] = lse(cur[0], total + lp)
                    continue
                new = (*prefix, c)
                if new not in tails:
                    tails[new] = (tail + chars[c - 1])[-keep:] if keep else ""
                    if lexicon is not None:
                        words[new] = "" if c == space else word + chars[c - 1]
                extra = 0.0
                if lm is not None:
                    key = (tail, c)
                    extra = lm_cache.get(key)  # type: ignore[assignment]
                    if extra is None:
                        extra = cfg.lm_weight * lm.logprob(tail, chars[c - 1]) + cfg.insertion_bonus
                        lm_cache[key] = extra
                if c == space and word and word in lexicon:  # type: ignore[operator]
                    extra += cfg.word_bonus
                if c == last:
                    # the repeat collapses into the same character ...
                    cur = nxt.get(prefix)
                    if cur is None:
                        nxt[prefix] = [_NEG, pnb + lp, lms]
                    else:
                        cur[1] = lse(cur[1], pnb + lp)
                    score = pb + lp + extra  # ... or a blank separated a real double
                else:
                    score = total + lp + extra
                cur = nxt.get(new)
                if cur is None:
                    nxt[new] = [_NEG, score, lms + extra]
                else:
                    cur[1] = lse(cur[1], score)
        scored = [(lse(v[0], v[1]), k, v) for k, v in nxt.items()]
        scored.sort(key=itemgetter(0), reverse=True)  # stable: ties keep the order they were reached in
        beams = {k: (v[0], v[1], v[2], score) for score, k, v in scored[: cfg.beam]}
        tails = {k: tails[k] for k in beams}
        if lexicon is not None:
            words = {k: words[k] for k in beams}

    def final(prefix: tuple[int, ...]) -> float:  # the last word ends with the line
        return cfg.word_bonus if lexicon is not None and words[prefix] and words[prefix] in lexicon else 0.0

    best, (_, _, lms, total) = max(beams.items(), key=lambda kv: kv[1][3] + final(kv[0]))
    acoustic = total - lms
    conf = math.exp(acoustic / max(1, len(best))) if best else 1.0
    return Decoded(canonicalize(charset.decode(best)), min(1.0, conf))


def _keep_most_probable(plausible: np.ndarray, logp: np.ndarray, k: int) -> None:
    """Limit each row of ``plausible`` to its ``k`` most probable classes (ties at the k-th kept), in place."""
    crowded = np.nonzero(plausible.sum(axis=1) > k)[0]
    if len(crowded):
        rows = logp[crowded]
        kth = np.partition(rows, -k, axis=1)[:, -k, None]
        plausible[crowded] &= rows >= kth


def _single_path(logp: np.ndarray, charset: Charset) -> Decoded:
    """What the search returns when each frame has one plausible class: that path, collapsed.

    The confidence is computed as the search computes it (acoustic log-probability
    per emitted character), so both routes give the same result for the same line.
    """
    best = charset.ctc_collapse(logp.argmax(axis=1).tolist())
    acoustic = float(logp.max(axis=1).sum())
    conf = math.exp(acoustic / max(1, len(best))) if best else 1.0
    return Decoded(canonicalize(charset.decode(best)), min(1.0, conf))
