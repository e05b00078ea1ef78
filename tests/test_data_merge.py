"""`odia-ocr data merge` and `stats`: drop bad and duplicate samples with reasons, split deterministically."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fixtures_data import WORDS, encode, line_image, png_bytes, read_jsonl, write_gt_pair, write_manifest_dir
from odia_ocr.cli.main import main
from odia_ocr.data import Sample, assign_splits, merge_datasets, open_dataset
from odia_ocr.data.dataset import LineDataset
from odia_ocr.data.splits import split_for_key


def _three_sources(root: Path) -> list[str]:
    """A .gt.txt folder, a Parquet file and an HF folder whose columns are all named differently.

    Planted: an empty label, a non-UTF-8 label, a zero-byte and a truncated image, a CMYK and a 16-bit image
    (both fine), an exact duplicate across sources, a re-encoded duplicate (same pixels, BMP), a same-image
    conflicting label, and the same text on two different images (must share a split).
    """
    gt = root / "gt"
    for i in range(12):
        write_gt_pair(gt, f"line{i:02d}", png_bytes(i), f"{WORDS[i % len(WORDS)]} {i}")
    write_gt_pair(gt, "empty", png_bytes(100), " ")
    write_gt_pair(gt, "latin1", png_bytes(101), b"caf\xe9")
    write_gt_pair(gt, "zero", b"", "ଶୂନ")
    write_gt_pair(gt, "trunc", png_bytes(102, (200, 50))[:60], "ଅଧା")
    write_gt_pair(gt, "cmyk", encode(line_image(103, mode="CMYK"), "TIFF"), "ସିଏମୱାଇକେ")
    write_gt_pair(gt, "deep", encode(line_image(104, mode="I;16")), "ଷୋହଳ")

    table = pa.table(
        {
            "img": [png_bytes(200 + i) for i in range(6)]
            + [png_bytes(0), encode(line_image(1), "BMP"), png_bytes(2), png_bytes(210)],
            "label": [f"ପାର୍କେଟ {i}" for i in range(6)] + [f"{WORDS[0]} 0", f"{WORDS[1]} 1", "ଅନ୍ୟ", f"{WORDS[3]} 3"],
        }
    )
    pq.write_table(table, root / "scans.parquet")

    datasets = pytest.importorskip("datasets")
    features = datasets.Features({"image": datasets.Image(), "transcription": datasets.Value("string")})
    hf = datasets.Dataset.from_dict(
        {
            "image": [{"bytes": png_bytes(300 + i), "path": None} for i in range(5)],
            "transcription": [f"ହଗିଂଫେସ {i}" for i in range(4)] + ["ନାମ é"],
        },
        features=features,
    )
    hf.save_to_disk(str(root / "hub-copy"))
    return [
        str(gt),
        f"{root / 'scans.parquet'}::image_col=img,text_col=label,source=scans",
        f"{root / 'hub-copy'}::text_col=transcription",
    ]


@pytest.fixture()
def sources(tmp_path: Path) -> list[str]:
    return _three_sources(tmp_path / "in")


def test_merge_cli_end_to_end(tmp_path: Path, sources: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "merged"
    assert main(["data", "merge", *sources, "--out", str(out), "--val", "0.2", "--test", "0.2"]) == 0
    stdout, stderr = capsys.readouterr()

    rows = read_jsonl(out / "manifest.jsonl")
    assert Counter(r["source"] for r in rows) == {"gt": 14, "scans": 7, "hub-copy": 5}
    assert {r["split"] for r in rows} <= {"train", "val", "test"} and len({r["split"] for r in rows}) == 3
    assert len({r["id"] for r in rows}) == len(rows)
    assert all((out / r["image"]).is_file() and r["image"].startswith("images/") for r in rows)
    by_orig = {(r["source"], r["orig_id"]): r for r in rows}
    assert by_orig[("gt", "line05")]["text"] == f"{WORDS[5]} 5"
    assert ("scans", "scans-000006") not in by_orig  # the exact copy of gt/line00

    dropped = read_jsonl(out / "dropped.jsonl")
    assert Counter(d["reason"] for d in dropped) == Counter(
        {
            "duplicate": 2,  # exact bytes of line00; BMP re-encode of line01 (same pixels)
            "same image, other text": 1,  # line02's image labelled "ଅନ୍ୟ"
            "empty text": 1,
            "label not UTF-8": 1,
            "bad image": 2,  # zero-byte and truncated
        }
    )
    dup = next(d for d in dropped if d["reason"] == "duplicate" and d["id"] == "scans-000006")
    assert dup["kept"] == by_orig[("gt", "line00")]["id"] and dup["source"] == "scans"
    assert any(d["item"].endswith("zero.png") and "0 bytes" in d["detail"] for d in dropped)

    # The same text on two images (gt line03 and the last Parquet row) lands in one split.
    same_text = [r["split"] for r in rows if r["text"] == f"{WORDS[3]} 3"]
    assert len(same_text) == 2 and len(set(same_text)) == 1

    # Summary: table per source/split, coverage with the unknown 'é', dropped reasons; problems on stderr.
    assert "hub-copy" in stdout and "scans" in stdout and "TOTAL" in stdout
    assert "U+00E9" in stdout and "charset coverage" in stdout
    assert "dropped: 7" in stdout and "same image, other text" in stdout
    assert "zero.png: bad image (empty file (0 bytes))" in stderr


def test_merge_is_deterministic_and_seeded(tmp_path: Path, sources: list[str]) -> None:
    outs = [tmp_path / "a", tmp_path / "b", tmp_path / "c"]
    for out, seed in zip(outs, ["0", "0", "7"], strict=True):
        assert (
            main(["data", "merge", *sources, "--out", str(out), "--seed", seed, "--val", "0.3", "--test", "0.3"]) == 0
        )
    a, b, c = ((o / "manifest.jsonl").read_bytes() for o in outs)
    assert a == b and (outs[0] / "dropped.jsonl").read_bytes() == (outs[1] / "dropped.jsonl").read_bytes()
    assert sorted(p.read_bytes() for p in (outs[0] / "images").iterdir()) == sorted(
        p.read_bytes() for p in (outs[1] / "images").iterdir()
    )
    split = lambda m: [json.loads(line)["split"] for line in m.decode().splitlines()]  # noqa: E731
    assert split(a) != split(c)  # another seed, another split


def test_merged_output_reads_back_with_splits(tmp_path: Path, sources: list[str]) -> None:
    out = tmp_path / "m"
    assert main(["data", "merge", *sources, "--out", str(out), "--val", "0.2", "--test", "0.2"]) == 0
    full = open_dataset(out)
    parts = {sp: {s.id for s in open_dataset(out, split=sp)} for sp in ("train", "val", "test")}
    assert sum(map(len, parts.values())) == len(full) == 26
    assert not (parts["train"] & parts["test"] or parts["train"] & parts["val"] or parts["val"] & parts["test"])
    assert full.problems == []
    assert all(s.load().mode in ("L", "RGB") for s in full)


def test_merge_api_first_source_wins_and_keeps_given_splits(tmp_path: Path) -> None:
    a = LineDataset("a", [Sample("x", "କଟକ", "a", png_bytes(1), split="test"), Sample("y", "ପୁରୀ", "a", png_bytes(2))])
    b = LineDataset("b", [Sample("z", "ଅନ୍ୟ", "b", png_bytes(1)), Sample("w", "ପୁରୀ", "b", png_bytes(3), split="val")])
    result = merge_datasets([a, b], tmp_path / "o", val=0.0, test=0.0, keep_splits=True)
    assert [(s.id, s.text, s.split, s.meta["orig_id"]) for s in result.samples] == [
        ("a-000001", "କଟକ", "test", "x"),
        ("a-000002", "ପୁରୀ", "val", "y"),  # grouped with b's val sample of the same text
        ("b-000001", "ପୁରୀ", "val", "w"),
    ]
    assert [(d.source, d.id, d.reason, d.kept) for d in result.dropped] == [
        ("b", "z", "same image, other text", "a-000001")
    ]
    no_keep = merge_datasets([a, b], tmp_path / "o2", val=0.0, test=0.0)
    assert {s.split for s in no_keep.samples} == {"train"}


def test_assign_splits_fractions_groups_and_stability() -> None:
    texts = [f"line {i % 3000}" for i in range(6000)]  # every text twice
    splits = assign_splits(texts, val=0.1, test=0.2, seed=3)
    counts = Counter(splits)
    assert 0.17 < counts["test"] / 6000 < 0.23 and 0.07 < counts["val"] / 6000 < 0.13
    groups: dict[str, set[str]] = {}
    for t, s in zip(texts, splits, strict=True):
        groups.setdefault(t, set()).add(s)
    assert all(len(v) == 1 for v in groups.values())
    # A group's split depends on its text only, not on the other samples or their order.
    assert assign_splits(texts[::-1][:10], 0.1, 0.2, 3) == [split_for_key(t, 0.1, 0.2, 3) for t in texts[::-1][:10]]
    with pytest.raises(ValueError, match="sum to less than 1"):
        assign_splits(texts, 0.6, 0.5)


def test_stats_cli_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        {"id": "1", "image": "images/1.png", "text": "କଟକ", "source": "synth", "split": "train"},
        {"id": "2", "image": "images/2.png", "text": "ପୁରୀ ₹5", "source": "synth", "split": "test"},
        {"id": "3", "image": "images/3.png", "text": "Ω ନାମ", "source": "scan", "split": "test"},
        {"id": "4", "image": "images/4.png", "text": "", "source": "scan"},
    ]
    images = {f"images/{i}.png": png_bytes(i) for i in (1, 2, 4)} | {"images/3.png": b"broken"}
    root = write_manifest_dir(tmp_path / "std", rows, images)
    assert main(["data", "stats", str(root)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == ["source", "split", "samples", "chars"]
    assert ["scan", "test", "1", "5"] in [line.split() for line in lines]
    assert ["TOTAL", "3", "15"] in [line.split() for line in lines]
    assert "U+03A9" in out and "problems: 1" in out and "empty text" in out
    assert "manifest.jsonl:4 (images/4.png): empty text" in err

    assert main(["data", "stats", str(root), "--json", "--check-images", "--split", "test"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["samples"] == 2 and report["problems"] == {"bad image": 1}
    assert report["not_in_charset"] == {"U+03A9": 1}
    assert "3.png: bad image (not a readable image)" in err


def test_cli_errors_are_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "stats", str(tmp_path / "nowhere")]) == 2
    assert main(["data", "merge", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    write_gt_pair(tmp_path / "only-bad", "a", png_bytes(1), "")
    assert main(["data", "merge", str(tmp_path / "only-bad"), "--out", str(tmp_path / "o")]) == 2
    assert main(["data", "merge", f"{tmp_path / 'only-bad'}::colour=red", "--out", str(tmp_path / "o")]) == 2
    assert (
        main(
            ["data", "merge", str(tmp_path / "only-bad"), "--out", str(tmp_path / "o"), "--val", "0.9", "--test", "0.2"]
        )
        == 2
    )
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("odia-ocr: error:")]
    assert len(errors) == 5
    assert "no such file or folder" in errors[0] and "no usable samples in any source" in errors[2]
    assert "bad source option 'colour=red'" in errors[3]
    assert not (tmp_path / "o").exists()  # nothing written when the job cannot be done


def test_merge_refuses_a_non_empty_out_dir_unless_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_gt_pair(tmp_path / "src", "a", png_bytes(1), "କ")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert main(["data", "merge", str(tmp_path / "src"), "--out", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["data", "merge", str(tmp_path / "src"), "--out", str(out), "--overwrite"]) == 0
    assert (out / "notes.txt").read_text() == "mine" and len(read_jsonl(out / "manifest.jsonl")) == 1
