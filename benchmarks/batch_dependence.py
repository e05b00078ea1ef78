"""Does a line read the same alone as beside other lines? CER and changed lines per batching, in one run.

    python benchmarks/batch_dependence.py [--data bench-out/synth-bench] [--engines compact,default]

Reads every line of the set three ways with each engine:

- **alone**: one line per network run, as ``odia-ocr read LINE.png`` reads a single file;
- **eval batches**: batches of 16 in the set's order, as ``odia-ocr eval`` and ``benchmarks/run_engines.py`` do;
- **all at once**: the whole set in one ``recognize`` call, which sorts lines by width into batches
  for its worker threads, as ``odia-ocr read *.png`` does.

and counts the lines whose text differs from their reading alone. Two things make a reading depend on
its batch-mates: the bundled files quantize the LSTM's inputs with one range per batch (dynamic INT8),
and in a batch the convolutions see, after a short line's end, the network's response to the padding
rather than zeros. Neither changes how well a model reads, only which of its near-ties it breaks; this
benchmark measures how often that shows.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench_io import engine_spec, machine_info, machine_line, repo_root, write_results
from odia_ocr.data import open_dataset
from odia_ocr.data.images import to_array
from odia_ocr.engines.registry import create_engine
from odia_ocr.metrics import score_corpus

MODES = ("alone", "eval batches", "all at once")


def readings(spec: str, images: list) -> dict[str, list[str]]:
    """The texts of ``images`` read by engine ``spec`` in each of :data:`MODES`."""
    name, options = engine_spec(spec)
    alone = create_engine(name, **{**options, "batch_size": 1, "workers": 1})
    batched = create_engine(name, **options)
    out = {"alone": [alone.recognize([im])[0].text for im in images]}
    out["eval batches"] = [r.text for k in range(0, len(images), 16) for r in batched.recognize(images[k : k + 16])]
    out["all at once"] = [r.text for r in batched.recognize(images)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(repo_root() / "bench-out" / "synth-bench"))
    ap.add_argument("--engines", default="compact,default", help="comma-separated, NAME[@KEY=VALUE...] each")
    ap.add_argument("--out", default=str(repo_root() / "bench-out"))
    args = ap.parse_args()
    info = machine_info()
    ds = open_dataset(args.data)
    samples = [ds[i] for i in range(len(ds))]
    images, refs = [to_array(s.load()) for s in samples], [s.text for s in samples]
    rows, data = [], {"machine": info, "data": args.data, "lines": len(refs), "engines": {}}
    for spec in args.engines.split(","):
        texts = readings(spec, images)
        result = {}
        for mode in MODES:
            changed = sum(a != b for a, b in zip(texts[mode], texts["alone"], strict=True))
            result[mode] = {"cer": score_corpus(refs, texts[mode])[0].cer, "lines_changed_from_alone": changed}
            rows.append(f"| {spec} | {mode} | {result[mode]['cer'] * 100:.2f}% | {changed} |")
            print(rows[-1], flush=True)
        data["engines"][spec] = result
    md = "\n".join([
        "# Batch dependence: the same lines read alone and in batches", "", machine_line(info), "",
        f"{len(refs)} lines of `{Path(args.data).name}`.", "",
        "| engine | batching | CER | lines read differently than alone |", "|:---|:---|---:|---:|", *rows,
    ])
    md_path, _ = write_results(args.out, "batch_dependence", md, data)
    print(f"results: {md_path}")


if __name__ == "__main__":
    main()
