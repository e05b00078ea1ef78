"""Export a trained recognizer to ONNX (and INT8) for torch-free inference.

The model's metadata JSON is embedded in the ONNX file's ``metadata_props``
under the key ``odia_ocr``, so the exported file is as self-describing as the
safetensors one.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from odia_ocr.recognizer.modelfile import LENGTHS_INPUT, META_KEY, ModelMeta, atomic_write_bytes

__all__ = ["add_sequence_lengths", "embed_metadata", "export_onnx", "quantize_int8"]

_LSTM_OPS = {"LSTM", "DynamicQuantizeLSTM"}
_SEQUENCE_LENS = 4  # position of sequence_lens among the inputs of ONNX LSTM and DynamicQuantizeLSTM


def embed_metadata(onnx_path: str | Path, meta: ModelMeta) -> None:
    """Store ``meta`` in the ONNX file's metadata (replacing any previous copy)."""
    import onnx

    model = onnx.load(str(onnx_path))
    for prop in list(model.metadata_props):
        if prop.key == META_KEY:
            model.metadata_props.remove(prop)
    model.metadata_props.add(key=META_KEY, value=meta.to_json())
    atomic_write_bytes(onnx_path, model.SerializeToString())


def add_sequence_lengths(onnx_path: str | Path) -> bool:
    """Give every LSTM of the model the per-line frame counts as ``sequence_lens``; False if none to wire.

    torch exports the BiLSTM without sequence lengths, so in a batch the
    backward direction of a short line starts in the padding after it, and a
    line's text could depend on what else was in its batch. With the lengths
    wired in, each direction runs over the line's own frames only.
    """
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load(str(onnx_path))
    graph = model.graph
    lstms = [n for n in graph.node if n.op_type in _LSTM_OPS]
    if not lstms or any(i.name == LENGTHS_INPUT for i in graph.input):
        return False
    graph.input.append(helper.make_tensor_value_info(LENGTHS_INPUT, TensorProto.INT32, ["batch"]))
    for node in lstms:
        inputs = list(node.input)
        inputs += [""] * max(0, _SEQUENCE_LENS + 1 - len(inputs))
        inputs[_SEQUENCE_LENS] = LENGTHS_INPUT
        del node.input[:]
        node.input.extend(inputs)
    atomic_write_bytes(onnx_path, model.SerializeToString())
    return True


def export_onnx(model_file: str | Path, out: str | Path, opset: int = 17) -> ModelMeta:
    """Write ``out`` (.onnx, fp32) from a `.safetensors` model file or checkpoint."""
    import torch

    from odia_ocr.training.checkpoint import load_model

    model, meta = load_model(model_file)
    dummy = torch.zeros(2, 1, meta.input_height, 200)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp) / "model.onnx"
        with warnings.catch_warnings():
            # The tracer warns about LSTM shape checks and batch sizes; the parity test covers both.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                model, (dummy,), str(tmp_path), input_names=["images"], output_names=["logits"],
                dynamic_axes={"images": {0: "batch", 3: "width"}, "logits": {0: "batch", 1: "frames"}},
                opset_version=opset, dynamo=False,
            )
        add_sequence_lengths(tmp_path)
        embed_metadata(tmp_path, meta)
        atomic_write_bytes(out, tmp_path.read_bytes())
    return meta


def quantize_int8(
    onnx_in: str | Path, onnx_out: str | Path, calibration: Sequence[np.ndarray] | None = None,
    reduce_range: bool = True,
) -> str:
    """INT8 quantization; returns which kind was applied ("int8-dynamic" or "int8-static-conv", "-7bit" added
    with ``reduce_range``).

    ``reduce_range`` quantizes weights to 7 bits. ONNX Runtime multiplies
    unsigned 8-bit activations by signed 8-bit weights; on x86 CPUs without
    VNNI (AVX2 only, as most laptops) the pairwise products are summed into
    16 bits and saturate, so the same model reads worse there than on a CPU
    with VNNI. On such a machine (2026-11-28, `benchmarks/run_engines.py`,
    docs/recognizer-log.md) crnn-xl-fig read strong lines at 6.15% with full-range INT8,
    5.28% with 7-bit weights and 5.11% in fp32.

    Without ``calibration``: dynamic INT8 weights for the LSTM and linear layers;
    convolutions stay fp32. With ``calibration`` (a few dozen grey line images,
    as the model will see them): the convolution stack is also quantized
    statically (per-channel weights, activation ranges measured on those
    lines), so convolution, ReLU and pooling run as INT8 end to end. On the
    shipped model that made batched reading 1.4x faster than dynamic-only at
    the same CER (benchmarks/int8_variants.py); ship_model.py checks CER.
    Metadata is carried over either way.
    """
    import onnx
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_dynamic,
        quantize_static,
    )

    from odia_ocr.engines.compact import read_onnx_meta
    from odia_ocr.recognizer.preprocess import frame_counts, pad_batch, prepare_line

    meta = read_onnx_meta(onnx_in)
    takes_lengths = any(i.name == LENGTHS_INPUT for i in onnx.load(str(onnx_in)).graph.input)
    lines = [prepare_line(im, meta.input_height) for im in calibration or ()]

    class _Lines(CalibrationDataReader):
        def __init__(self, batch: int = 8) -> None:
            self._starts = iter(range(0, len(lines), batch))
            self._batch = batch

        def get_next(self) -> dict[str, np.ndarray] | None:
            k = next(self._starts, None)
            if k is None:
                return None
            images, widths = pad_batch(lines[k : k + self._batch])
            feeds = {"images": images}
            if takes_lengths:
                feeds[LENGTHS_INPUT] = frame_counts(widths)
            return feeds

    with tempfile.TemporaryDirectory() as tmp:
        src, tmp_out = Path(onnx_in), Path(tmp) / "q.onnx"
        kind = "int8-dynamic"
        if lines:
            static = Path(tmp) / "static.onnx"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                quantize_static(
                    str(src), str(static), _Lines(), quant_format=QuantFormat.QDQ,
                    op_types_to_quantize=["Conv", "Relu", "MaxPool"], per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, reduce_range=reduce_range,
                )
            src, kind = static, "int8-static-conv"
        quantize_dynamic(
            str(src), str(tmp_out), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gemm", "LSTM"],
            reduce_range=reduce_range,
        )
        embed_metadata(tmp_out, meta)
        atomic_write_bytes(onnx_out, tmp_out.read_bytes())
    return kind + ("-7bit" if reduce_range else "")
