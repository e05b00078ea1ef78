"""The built-in compact recognizer, run with ONNX Runtime (no torch needed).

Lines are preprocessed exactly as in training, sorted by width so a batch
wastes little padding, run through the network, CTC-decoded and returned in
the caller's order.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from odia_ocr.engines.base import LineResult
from odia_ocr.recognizer.beam import BeamConfig
from odia_ocr.recognizer.decode import greedy_decode
from odia_ocr.recognizer.modelfile import LENGTHS_INPUT, META_KEY, ModelFormatError, ModelMeta
from odia_ocr.recognizer.preprocess import frame_counts, pad_batch, prepare_line

__all__ = ["DECODERS", "CompactEngine", "DefaultEngine", "default_lm_path", "default_model_path", "read_onnx_meta"]

DEFAULT_MODEL_NAME = "odia-crnn.onnx"
DEFAULT_LM_NAME = "odia-char5.lm.json.gz"

#: greedy: best path; beam: prefix beam search; lm: beam search with a character LM (the bundled one by default).
DECODERS = ("greedy", "beam", "lm")


def default_model_path() -> Path:
    """The model bundled inside the package."""
    return Path(str(resources.files("odia_ocr") / "models" / DEFAULT_MODEL_NAME))


def default_lm_path() -> Path:
    """The character 5-gram LM bundled inside the package (scripts/build_lm.py)."""
    return Path(str(resources.files("odia_ocr") / "models" / DEFAULT_LM_NAME))


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

    def __init__(self, model: str | os.PathLike[str] | None = None, batch_size: int = 32, threads: int = 0,
                 decoder: str | None = None, lm: str | os.PathLike[str] | None = None, beam_width: int = 8,
                 lm_weight: float = BeamConfig.lm_weight, **_: object) -> None:
        """``decoder='lm'`` uses ``lm`` (a corpus .txt or a saved .lm.json.gz), or the bundled LM without one.

        Giving ``lm`` with any decoder implies beam search with that LM.
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

        path = Path(model) if model else default_model_path()
        if not path.exists():
            raise FileNotFoundError(f"{path}: model file not found")
        so = ort.SessionOptions()
        so.log_severity_level = 3
        so.intra_op_num_threads = threads or (os.cpu_count() or 1)
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
        self.model_path = path

    def logits(self, images: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Per-line (frames, classes) logits, for decoders other than greedy."""
        prepared = [prepare_line(im, self.height) for im in images]
        order = np.argsort([p.shape[1] for p in prepared], kind="stable")
        out: list[np.ndarray] = [np.empty(0)] * len(prepared)
        for k in range(0, len(order), self.batch_size):
            idx = order[k : k + self.batch_size]
            batch, widths = pad_batch([prepared[i] for i in idx])
            frames = frame_counts(widths)
            feeds = {"images": batch}
            if self._takes_lengths:
                feeds[LENGTHS_INPUT] = frames
            logits = self._session.run(None, feeds)[0]
            for j, i in enumerate(idx):
                out[i] = logits[j, : frames[j]]
        return out

    def recognize(self, images: Sequence[np.ndarray]) -> list[LineResult]:
        from odia_ocr.recognizer.beam import beam_decode

        results = []
        for lg in self.logits(images):
            if self.decoder == "beam":
                d = beam_decode(lg, self.charset, self.lm, self.beam_cfg)
            else:
                d = greedy_decode(lg[None], np.array([lg.shape[0]]), self.charset)[0]
            results.append(LineResult(d.text, d.confidence))
        return results


class DefaultEngine(CompactEngine):
    """The compact model with beam search and the bundled character LM: what `odia-ocr read` uses.

    On the synthetic benchmark the LM lowers CER at every degradation level;
    ``decoder="greedy"`` trades that for several times the decoding speed.
    """

    name = "default"
    default_decoder = "lm"
