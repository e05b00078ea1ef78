"""The built-in compact recognizer, run with ONNX Runtime (no torch needed).

Lines are sorted by width and cut into batches where the least padding is
wasted (odia_ocr.recognizer.batching), then each batch is preprocessed
exactly as in training, run through the network and CTC-decoded in one of a
few worker threads, and the results are returned in the caller's order. ONNX
Runtime releases the GIL, so while one batch is in the network another is
being prepared or decoded: on 2 cores, two workers with one ONNX thread each
read 5–14% more lines/s than one batch at a time on two threads
(benchmarks/speed_recognizer.py, same run; more on CPUs with VNNI).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import NamedTuple, TypeVar

import numpy as np

from odia_ocr.engines.base import LineResult
from odia_ocr.recognizer.batching import plan_batches
from odia_ocr.recognizer.beam import BeamConfig
from odia_ocr.recognizer.decode import Decoded, greedy_decode
from odia_ocr.recognizer.deskew import deskew_line
from odia_ocr.recognizer.lexicon import Lexicon
from odia_ocr.recognizer.longlines import MAX_PIECE_WIDTH, join_pieces, split_line
from odia_ocr.recognizer.modelfile import LENGTHS_INPUT, META_KEY, ModelFormatError, ModelMeta
from odia_ocr.recognizer.preprocess import frame_counts, pad_batch, prepare_line, prepared_width
from odia_ocr.recognizer.recheck import TRIM, trim_margins

__all__ = ["DECODERS", "CompactEngine", "DefaultEngine", "default_lm_path", "default_model_path", "read_onnx_meta"]

_T = TypeVar("_T")
_A = TypeVar("_A")


class _Batch(NamedTuple):
    logits: np.ndarray  # (N, frames, classes)
    frames: np.ndarray  # valid frames per line
    inked: list[bool]  # False where the prepared line is blank (no contrast at all)


DEFAULT_MODEL_NAME = "odia-crnn.onnx"
#: The `default` engine's model: wider and slower than v7, better on degraded lines (README, model card).
WIDE_MODEL_NAME = "odia-crnn-wide.onnx"
DEFAULT_LM_NAME = "odia-char5.lm.json.gz"
DEFAULT_LEXICON_NAME = "odia-words.txt.gz"

#: greedy: best path; beam: prefix beam search; lm: beam search with a character LM (the bundled one by default).
DECODERS = ("greedy", "beam", "lm")


def default_model_path(name: str = DEFAULT_MODEL_NAME) -> Path:
    """A file in the package's models folder: by default the `compact` engine's model."""
    return Path(str(resources.files("odia_ocr") / "models" / name))


def default_lm_path() -> Path:
    """The character 5-gram LM bundled inside the package (scripts/build_lm.py)."""
    return default_model_path(DEFAULT_LM_NAME)


def default_lexicon_path() -> Path:
    """The Odia word list bundled inside the package (scripts/build_lexicon.py)."""
    return default_model_path(DEFAULT_LEXICON_NAME)


def read_onnx_meta(path: str | Path) -> ModelMeta:
    """Metadata of an exported model, checked for format version and canonicalization."""
    import onnxruntime as ort

    try:
        so = ort.SessionOptions()
        so.log_severity_level = 3
        sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
    except Exception as err:
        raise ModelFormatError(f"{path}: not a loadable ONNX model ({str(err).splitlines()[0][:200]})") from None
    return _meta_of(sess, path)


def _meta_of(sess: object, path: str | Path) -> ModelMeta:
    props = sess.get_modelmeta().custom_metadata_map  # type: ignore[attr-defined]
    if META_KEY not in props:
        raise ModelFormatError(f"{path}: ONNX file has no odia-ocr metadata; export it with `odia-ocr export`")
    return ModelMeta.from_json(props[META_KEY], str(path))


class CompactEngine:
    """Recognizer backed by an exported CRNN (.onnx with embedded metadata); greedy decoding unless asked."""

    name = "compact"
    default_decoder = "greedy"
    default_deskew = False
    #: Whether beam search adds the bundled word list's bonus when no ``lexicon`` is given.
    default_lexicon = False
    #: Confidence below which a line is read a second time with trimmed margins when ``recheck_below`` is None.
    default_recheck = 0.0
    #: File in odia_ocr/models read when no model is given; each engine can bundle its own.
    bundled_model = DEFAULT_MODEL_NAME

    def __init__(self, model: str | os.PathLike[str] | None = None, batch_size: int = 16, threads: int = 0,
                 decoder: str | None = None, lm: str | os.PathLike[str] | None = None, beam_width: int = 8,
                 lm_weight: float = BeamConfig.lm_weight, workers: int = 0,
                 recheck_below: float | None = None, deskew: bool | None = None,
                 lexicon: str | os.PathLike[str] | bool | None = None) -> None:
        """``decoder='lm'`` uses ``lm`` (a corpus .txt or a saved .lm.json.gz), or the bundled LM without one.

        Giving ``lm`` with any decoder implies beam search with that LM.
        ``batch_size`` is the most lines per network run (16 was about as fast
        as 12 or 24 on 2 cores, and faster than 32); the batches are planned
        by :func:`~odia_ocr.recognizer.batching.plan_batches`.
        ``threads`` is the CPU threads to use in all (0: every core);
        ``workers`` how many batches are in flight at once (0: 2 when there
        are 2 threads or more), each running the network on
        ``threads // workers`` threads.
        ``recheck_below``: a line (or piece of a long line) read with less
        confidence is read a second time with its top and bottom margins
        trimmed (:mod:`~odia_ocr.recognizer.recheck`), and the more confident
        reading is kept; 0 turns this off, None takes the engine's default
        (0.9 for ``default``, chosen on validation lines; off for ``compact``,
        whose job is speed).
        ``deskew``: level slanted lines before reading them
        (:func:`~odia_ocr.recognizer.deskew.deskew_line`); None takes the
        engine's default (on for ``default``, off for ``compact``, whose
        job is speed: it costs about 0.5 ms per line on one core).
        ``lexicon``: a word list (.txt or .gz, one word per line) whose words
        get a bonus in beam search (:mod:`~odia_ocr.recognizer.lexicon`);
        True the bundled one, False none, None the engine's default (the
        bundled one for ``default``; none for ``compact``). It needs beam search.
        """
        import onnxruntime as ort

        from odia_ocr.recognizer.lm import CharNgramLM

        decoder = decoder or self.default_decoder
        if decoder not in DECODERS:
            raise ValueError(f"unknown decoder {decoder!r}; choose from {', '.join(DECODERS)}")
        if decoder == "lm" and lm is None:
            lm = default_lm_path()
        if lm is not None and not Path(lm).is_file():
            raise FileNotFoundError(f"{lm}: language model / corpus file not found")
        self.decoder = "beam" if lm is not None else decoder
        self.lm = None
        if lm is not None:
            self.lm = CharNgramLM.load(lm) if str(lm).endswith(".gz") else CharNgramLM.from_files([lm])
        self.beam_cfg = BeamConfig(beam=beam_width, lm_weight=lm_weight if lm is not None else 0.0)
        self.lexicon = self._load_lexicon(self.default_lexicon if lexicon is None else lexicon)

        path = Path(model) if model else default_model_path(self.bundled_model)
        if not path.exists():
            raise FileNotFoundError(f"{path}: model file not found")
        so = ort.SessionOptions()
        so.log_severity_level = 3
        threads = threads or (os.cpu_count() or 1)
        self.workers = max(1, workers or min(2, threads))
        so.intra_op_num_threads = max(1, threads // self.workers)
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            self._session = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        except Exception as err:
            raise ModelFormatError(f"{path}: not a loadable ONNX model ({str(err).splitlines()[0][:200]})") from None
        self.meta = _meta_of(self._session, path)
        # Models exported since the BiLSTM was given sequence lengths take them as a second input.
        self._takes_lengths = any(i.name == LENGTHS_INPUT for i in self._session.get_inputs())
        self.charset = self.meta.charset_obj
        self.height = self.meta.input_height
        self.batch_size = max(1, batch_size)
        self.max_piece_width = MAX_PIECE_WIDTH
        self.recheck_below = self.default_recheck if recheck_below is None else recheck_below
        self.recheck_trim = TRIM  # share of the height the second view cuts from the top and from the bottom
        self.deskew = self.default_deskew if deskew is None else deskew
        self.model_path = path

    def _batches(self, images: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Indices of ``images`` in batches of similar width (little padding), enough to keep every worker busy."""
        widths = [prepared_width(im.shape, self.height) for im in images]
        return plan_batches(widths, self.batch_size, min_batches=self.workers)

    def _run_batch(self, images: Sequence[np.ndarray]) -> _Batch:
        """Prepare one batch of lines and run the network on it."""
        prepared = [prepare_line(im, self.height) for im in images]
        batch, widths = pad_batch(prepared)
        frames = frame_counts(widths)
        feeds = {"images": batch}
        if self._takes_lengths:
            feeds[LENGTHS_INPUT] = frames
        return _Batch(self._session.run(None, feeds)[0], frames, [bool(p.any()) for p in prepared])

    def _in_workers(self, fn: Callable[[_A], _T], items: Sequence[_A]) -> list[_T]:
        """``fn`` on every item, in the worker threads when there are several, in order."""
        if self.workers > 1 and len(items) > 1:
            with ThreadPoolExecutor(self.workers) as pool:
                return list(pool.map(fn, items))
        return [fn(item) for item in items]

    def _map_batches(self, images: Sequence[np.ndarray], job: Callable[[_Batch], list[_T]]) -> list[_T]:
        """``job`` on every batch, in worker threads; one result per image, in the caller's order."""
        batches = self._batches(images)

        def run(idx: np.ndarray) -> list[_T]:
            return job(self._run_batch([images[i] for i in idx]))

        out: list[_T | None] = [None] * len(images)
        results = self._in_workers(run, batches)
        for idx, res in zip(batches, results, strict=True):
            for i, r in zip(idx, res, strict=True):
                out[i] = r
        return out  # type: ignore[return-value]

    def _levelled(self, images: Sequence[np.ndarray]) -> Sequence[np.ndarray]:
        """The lines deskewed when the engine deskews (in the worker threads), else as given.

        Done before long lines are cut into pieces: levelling makes a line
        lower, so wider once scaled, and it must be cut by its levelled width.
        """
        return self._in_workers(deskew_line, images) if self.deskew else images

    def logits(self, images: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Per-line (frames, classes) logits, for decoders other than greedy."""
        images = self._levelled(images)
        return self._map_batches(images, lambda b: [b.logits[j, :n] for j, n in enumerate(b.frames)])

    def _load_lexicon(self, lexicon: str | os.PathLike[str] | bool) -> Lexicon | None:
        if lexicon is False or self.decoder != "beam":
            return None
        path = default_lexicon_path() if lexicon is True else Path(lexicon)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: word list not found")
        return Lexicon.load(path)

    def _decode(self, b: _Batch) -> list[Decoded]:
        # A line without contrast has no ink to read; the network, never trained on one, would guess.
        if self.decoder != "beam":
            decoded = greedy_decode(b.logits, b.frames, self.charset)
        else:
            from odia_ocr.recognizer.beam import beam_decode

            cfg = self.beam_cfg
            decoded = [beam_decode(b.logits[j, :n], self.charset, self.lm, cfg, self.lexicon) if inked
                       else Decoded("", 1.0) for j, (n, inked) in enumerate(zip(b.frames, b.inked, strict=True))]
        return [d if inked else Decoded("", 1.0) for d, inked in zip(decoded, b.inked, strict=True)]

    def _recheck(self, images: Sequence[np.ndarray], decoded: list[Decoded]) -> list[Decoded]:
        """Read doubtful lines again with trimmed margins; keep whichever reading is more confident."""
        doubtful = [i for i, d in enumerate(decoded) if d.confidence < self.recheck_below]
        if not doubtful:
            return decoded
        again = self._map_batches([trim_margins(images[i], self.recheck_trim) for i in doubtful], self._decode)
        out = list(decoded)
        for i, d in zip(doubtful, again, strict=True):
            if d.confidence > out[i].confidence:
                out[i] = d
        return out

    def recognize(self, images: Sequence[np.ndarray]) -> list[LineResult]:
        # Lines too wide for one network run are read in pieces cut at gaps, then joined.
        images = self._levelled(images)
        pieces = [split_line(im, self.height, self.max_piece_width) for im in images]
        crops = [im[:, p.start : p.end] for im, ps in zip(images, pieces, strict=True) for p in ps]
        decoded = iter(self._recheck(crops, self._map_batches(crops, self._decode)))
        out = []
        for ps in pieces:
            parts = [next(decoded) for _ in ps]
            text = join_pieces([d.text for d in parts], ps)
            out.append(LineResult(text, min(d.confidence for d in parts)))
        return out


class DefaultEngine(CompactEngine):
    """The larger model with beam search, the bundled character LM and word list: what `odia-ocr read` uses.

    ``compact`` keeps the smaller v7 model for speed; ``default`` reads with
    ``odia-crnn-wide.onnx`` (crnn-xl-long4, 5.60M parameters), which reads every
    level of the line benchmark better than v7 (README, Synthetic lines).

    On the synthetic benchmark the LM lowers CER at every degradation level;
    ``decoder="greedy"`` trades that for several times the decoding speed.
    Slanted lines are levelled first (``deskew``), which on validation lines
    lowered CER at the light, medium and strong levels and left clean lines
    alone (measurements in docs/recognizer-log.md).
    """

    name = "default"
    bundled_model = WIDE_MODEL_NAME
    default_decoder = "lm"
    default_deskew = True
    default_lexicon = True
    default_recheck = 0.9
