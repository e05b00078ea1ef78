"""open_dataset on every supported format: texts canonical, bad items reported and counted, never fatal."""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image

from fixtures_data import WORDS, encode, line_image, png_bytes, write_gt_pair, write_manifest_dir
from odia_ocr.data import DatasetError, ImageError, LineDataset, Sample, open_dataset, write_dataset
from odia_ocr.text import canonicalize


def _reasons(ds: LineDataset) -> list[str]:
    return sorted(p.reason for p in ds.problems)


# --- .gt.txt folders -------------------------------------------------------------------------------------------


@pytest.fixture()
def gt_folder(tmp_path: Path) -> Path:
    root = tmp_path / "kraken-lines"
    write_gt_pair(root, "a", png_bytes(1), "ଓଡ଼ିଆ ଭାଷା\n")
    write_gt_pair(root, "b", png_bytes(2), "ସ୍ଵ\u200d |")  # VA, ZWJ and an ASCII danda: canonicalized
    write_gt_pair(root, "c", png_bytes(3), "  \n")  # blank
    write_gt_pair(root, "d", png_bytes(4), "ଓଡ଼ିଆ".encode() + b"\xff\xfe")  # not UTF-8
    write_gt_pair(root, "e", None, "no image here")
    write_gt_pair(root, "f", png_bytes(6), None)  # no label
    (root / "a.bin.png").write_bytes(png_bytes(7))  # kraken's binarized copy of a.png: not a sample
    write_gt_pair(root / "sub", "g", encode(line_image(8), "JPEG"), "କଟକ", suffix=".jpg")
    write_gt_pair(root / "sub", "h", b"", "ପୁରୀ")  # zero-byte image: found only on load
    return root


def test_gt_folder_reads_labelled_images(gt_folder: Path) -> None:
    ds = open_dataset(gt_folder)
    assert [s.id for s in ds] == ["a", "b", "sub/g", "sub/h"]
    assert [s.text for s in ds] == ["ଓଡ଼ିଆ ଭାଷା", "ସ୍ୱ ।", "କଟକ", "ପୁରୀ"]
    assert all(s.text == canonicalize(s.text) for s in ds)
    assert {s.source for s in ds} == {"kraken-lines"}
    assert ds[2].image == gt_folder / "sub" / "g.jpg"
    assert ds[-1].id == "sub/h" and len(ds) == 4
    assert ds[0].load().size == (40, 12)


def test_gt_folder_reports_every_problem_once(gt_folder: Path) -> None:
    ds = open_dataset(gt_folder)
    assert _reasons(ds) == ["empty text", "image without label", "label not UTF-8", "no image for label"]
    lines = {p.reason: str(p) for p in ds.problems}
    assert lines["empty text"] == f"{gt_folder / 'c.gt.txt'}: empty text"
    assert lines["label not UTF-8"].startswith(f"{gt_folder / 'd.gt.txt'}: label not UTF-8 (byte 0xff at offset")
    assert "f.png" in lines["image without label"]
    assert all("\n" not in line for line in lines.values())


def test_gt_folder_bad_image_fails_on_load_naming_the_file(gt_folder: Path) -> None:
    ds = open_dataset(gt_folder, source="mine")
    with pytest.raises(ImageError, match=r"sub/h\.png: empty file"):
        ds[3].load()
    assert ds[3].source == "mine"


def test_gt_folder_split_subfolders(tmp_path: Path) -> None:
    for i, split in enumerate(["train", "train", "validation", "test"]):
        write_gt_pair(tmp_path / split, f"l{i}", png_bytes(i), WORDS[i])
    ds = open_dataset(tmp_path)
    assert [s.split for s in ds] == ["test", "train", "train", "val"]
    assert [s.text for s in open_dataset(tmp_path, split="val")] == [WORDS[2]]
    assert len(open_dataset(tmp_path, split="dev")) == 1  # dev = val


# --- standard format and JSONL / CSV manifests -----------------------------------------------------------------


def _standard(root: Path) -> Path:
    rows = [
        {"id": "s1", "image": "images/s1.png", "text": "କଟକ", "source": "synth", "split": "train", "font": "Noto"},
        {"id": "s2", "image": "images/s2.png", "text": "ପୁରୀ", "source": "synth", "split": "test", "level": "clean"},
        {"id": "s3", "image": "images/s3.png", "text": "ଗଞ୍ଜାମ", "source": "scan", "split": "val"},
        {"id": "s4", "image": "images/gone.png", "text": "ଚାଁଦ", "source": "scan", "split": "test"},
        {"id": "s5", "image": "images/s5.png", "text": "", "source": "scan", "split": "test"},
    ]
    return write_manifest_dir(root, rows, {f"images/s{i}.png": png_bytes(i) for i in (1, 2, 3, 5)})


def test_standard_format_is_detected_and_filtered(tmp_path: Path) -> None:
    root = _standard(tmp_path / "std")
    ds = open_dataset(root)
    assert [(s.id, s.text, s.source, s.split) for s in ds] == [
        ("s1", "କଟକ", "synth", "train"),
        ("s2", "ପୁରୀ", "synth", "test"),
        ("s3", "ଗଞ୍ଜାମ", "scan", "val"),
    ]
    assert ds[0].meta == {"font": "Noto"} and ds[1].meta == {"level": "clean"}
    assert ds[0].image == root / "images" / "s1.png"
    assert _reasons(ds) == ["empty text", "missing image"]
    assert "gone.png" in str(next(p for p in ds.problems if p.reason == "missing image"))
    test = open_dataset(root, split="test")
    assert [s.id for s in test] == ["s2"]
    assert _reasons(test) == ["empty text", "missing image"]  # both bad rows were test rows
    assert _reasons(open_dataset(root, split="train")) == []
    assert open_dataset(root, source="other")[0].source == "other"


def test_write_dataset_round_trip_keeps_the_format(tmp_path: Path) -> None:
    src = open_dataset(_standard(tmp_path / "std"))
    extra = Sample("p/1", "ଓଡ଼ିଆ", "bytes-src", png_bytes(9), {"level": "page"}, None)
    bad = Sample("bad", "ଭାଷା", "bytes-src", b"not an image")
    result = write_dataset(tmp_path / "out", [*src, extra, bad])
    assert result.written == 4 and [p.reason for p in result.problems] == ["bad image"]
    rows = [json.loads(line) for line in (tmp_path / "out" / "manifest.jsonl").read_text("utf-8").splitlines()]
    assert rows[0] == {
        "id": "s1",
        "image": "images/s1.png",
        "text": "କଟକ",
        "source": "synth",
        "split": "train",
        "font": "Noto",
    }
    assert rows[3] == {"id": "p/1", "image": "images/p_1.png", "text": "ଓଡ଼ିଆ", "source": "bytes-src", "level": "page"}
    again = open_dataset(tmp_path / "out")
    assert [(s.id, s.text, s.split, s.meta) for s in again] == [(s.id, s.text, s.split, s.meta) for s in [*src, extra]]
    assert np.array_equal(np.asarray(again[3].load()), np.asarray(line_image(9)))


def test_write_dataset_makes_repeated_ids_unique(tmp_path: Path) -> None:
    same = [Sample("x", WORDS[i], "s", png_bytes(i)) for i in range(3)]
    write_dataset(tmp_path, same)
    assert [s.id for s in open_dataset(tmp_path)] == ["x", "x-2", "x-3"]


def test_jsonl_manifest_with_other_columns_and_bad_lines(tmp_path: Path) -> None:
    (tmp_path / "imgs").mkdir()
    for i in range(3):
        (tmp_path / "imgs" / f"{i}.png").write_bytes(png_bytes(i))
    lines = [
        json.dumps({"img": "imgs/0.png", "label": "ଭାଷା"}, ensure_ascii=False).encode(),
        b"{not json",
        b'{"img": "imgs/1.png", "label": "\xff\xfe"}',
        b"[1, 2]",
        b"",
        json.dumps({"img": "imgs/2.png", "label": "ଯ\u0b3cା", "source": "row-source"}, ensure_ascii=False).encode(),
    ]
    (tmp_path / "lines.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    ds = open_dataset(tmp_path / "lines.jsonl", image_col="img", text_col="label")
    assert [(s.id, s.text, s.source) for s in ds] == [("imgs/0", "ଭାଷା", "lines"), ("imgs/2", "ୟା", "row-source")]
    assert _reasons(ds) == ["invalid JSON", "label not UTF-8", "not a JSON object"]
    assert any(str(p).startswith(f"{tmp_path / 'lines.jsonl'}:2: invalid JSON") for p in ds.problems)
    with pytest.raises(DatasetError, match=r"no image column 'image' \(columns: img, label, source\)"):
        open_dataset(tmp_path / "lines.jsonl")


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_csv_manifest(tmp_path: Path, delimiter: str) -> None:
    (tmp_path / "png").mkdir()
    for i in range(3):
        (tmp_path / "png" / f"{i}.png").write_bytes(png_bytes(i))
    rows = [
        ["file", "transcript", "writer"],
        ["png/0.png", "କଟକ", "A"],
        ["png/1.png", "", "B"],
        ["png/2.png", "1920", "C"],
    ]
    body = "\n".join(delimiter.join(r) for r in rows).encode() + b"\npng/0.png" + delimiter.encode() + b"\xe0\xac\n"
    path = tmp_path / ("m.tsv" if delimiter == "\t" else "m.csv")
    path.write_bytes(body)
    ds = open_dataset(path, image_col="file", text_col="transcript")
    assert [(s.text, s.meta) for s in ds] == [("କଟକ", {"writer": "A"}), ("1920", {"writer": "C"})]
    assert _reasons(ds) == ["empty text", "label not UTF-8"]
    with pytest.raises(DatasetError, match="no text column 'text'"):
        open_dataset(path, image_col="file")


# --- Parquet -----------------------------------------------------------------------------------------------------


def test_parquet_bytes_structs_and_paths(tmp_path: Path) -> None:
    (tmp_path / "p.png").write_bytes(png_bytes(2))
    table = pa.table(
        {
            "img": [
                {"bytes": png_bytes(0), "path": "x.png"},  # as HF writes an Image feature
                {"bytes": None, "path": "p.png"},  # a path, relative to the Parquet file
                {"bytes": b"", "path": None},  # nothing: fails on load
                {"bytes": png_bytes(3), "path": None},
            ],
            "label": [b"\xe0\xac\x95", b"\xe0\xac\x96", b"\xe0\xac\x97", b"\xff"],  # binary text column
            "writer": ["w0", "w1", "w2", "w3"],
            "pixels": [[1], [2], [3], [4]],  # not a scalar: not metadata
        }
    )
    pq.write_table(table, tmp_path / "train-00000-of-00001.parquet", row_group_size=2)
    ds = open_dataset(tmp_path / "train-00000-of-00001.parquet", image_col="img", text_col="label")
    assert [(s.text, s.split, s.meta) for s in ds] == [
        ("କ", "train", {"writer": "w0"}),
        ("ଖ", "train", {"writer": "w1"}),
        ("ଗ", "train", {"writer": "w2"}),
    ]
    assert _reasons(ds) == ["label not UTF-8"]
    assert ds[0].image == png_bytes(0)
    assert ds[1].image == tmp_path / "p.png"
    with pytest.raises(ImageError, match=r"empty"):
        ds[2].load()
    assert np.array_equal(np.asarray(ds[1].load()), np.asarray(line_image(2)))


def test_parquet_random_access_across_row_groups_and_pickling(tmp_path: Path) -> None:
    n = 9
    pq.write_table(
        pa.table({"image": [png_bytes(i) for i in range(n)], "text": [f"{WORDS[i]} {i}" for i in range(n)]}),
        tmp_path / "data.parquet",
        row_group_size=2,
    )
    ds = open_dataset(tmp_path / "data.parquet")
    order = [7, 0, 8, 3, 3, 1, 6]
    for i in order:
        assert ds[i].image == png_bytes(i) and ds[i].text.endswith(str(i))
    copy = pickle.loads(pickle.dumps(ds))  # DataLoader workers get a pickled dataset under spawn
    assert [copy[i].image for i in order] == [png_bytes(i) for i in order]
    assert ds[5].id == "data-000005"


def test_folder_of_parquet_files_takes_splits_from_names(tmp_path: Path) -> None:
    for i, name in enumerate(["train-00000-of-00001", "test-00000-of-00001"]):
        pq.write_table(pa.table({"image": [png_bytes(i)], "text": [WORDS[i]]}), tmp_path / f"{name}.parquet")
    ds = open_dataset(tmp_path)
    assert sorted((s.split, s.text) for s in ds) == [("test", WORDS[1]), ("train", WORDS[0])]
    assert [s.text for s in open_dataset(tmp_path, split="test")] == [WORDS[1]]


def test_parquet_without_the_column_says_which_columns_exist(tmp_path: Path) -> None:
    pq.write_table(pa.table({"jpg": [b""], "text": ["x"]}), tmp_path / "t.parquet")
    with pytest.raises(DatasetError, match=r"t\.parquet: no image column 'image' \(columns: jpg, text\)"):
        open_dataset(tmp_path / "t.parquet")
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 nonsense")
    with pytest.raises(DatasetError, match="not a readable Parquet file"):
        open_dataset(tmp_path / "bad.parquet")


# --- Hugging Face datasets ---------------------------------------------------------------------------------------


def _hf_dataset(n: int, start: int = 0, image_col: str = "image", text_col: str = "transcription"):
    datasets = pytest.importorskip("datasets")
    features = datasets.Features(
        {image_col: datasets.Image(), text_col: datasets.Value("string"), "page": datasets.Value("int32")}
    )
    data = {
        image_col: [{"bytes": png_bytes(start + i), "path": None} for i in range(n)],
        text_col: [WORDS[(start + i) % len(WORDS)] + "\u200c" for i in range(n)],
        "page": list(range(n)),
    }
    return datasets.Dataset.from_dict(data, features=features)


def test_hf_save_to_disk(tmp_path: Path) -> None:
    _hf_dataset(3).save_to_disk(str(tmp_path / "hf"))
    ds = open_dataset(tmp_path / "hf", text_col="transcription")
    assert [s.text for s in ds] == list(WORDS[:3])  # ZWNJ removed by canonicalization
    assert [s.meta for s in ds] == [{"page": 0}, {"page": 1}, {"page": 2}]
    assert ds[2].image == png_bytes(2) and ds[0].source == "hf"
    assert np.array_equal(np.asarray(ds[1].load()), np.asarray(line_image(1)))


def test_hf_dataset_dict_splits(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    dd = datasets.DatasetDict({"train": _hf_dataset(3), "validation": _hf_dataset(2, start=5)})
    dd.save_to_disk(str(tmp_path / "dd"))
    ds = open_dataset(tmp_path / "dd", text_col="transcription")
    assert [s.split for s in ds] == ["train"] * 3 + ["val"] * 2
    val = open_dataset(tmp_path / "dd", text_col="transcription", split="val")
    assert [s.text for s in val] == [WORDS[5], WORDS[6]] and val[1].image == png_bytes(6)
    with pytest.raises(DatasetError, match=r"no split 'test' \(splits: train, validation\)"):
        open_dataset(tmp_path / "dd", text_col="transcription", split="test")


def test_hf_hub_name_goes_through_load_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    datasets = pytest.importorskip("datasets")
    asked = []

    def fake_load_dataset(name: str):
        asked.append(name)
        return datasets.DatasetDict({"test": _hf_dataset(2, image_col="img", text_col="label")})

    monkeypatch.setattr(datasets, "load_dataset", fake_load_dataset)
    ds = open_dataset("hf:someone/odia-lines", image_col="img", text_col="label")
    assert asked == ["someone/odia-lines"]
    assert [(s.text, s.split, s.source) for s in ds] == [
        (WORDS[0], "test", "odia-lines"),
        (WORDS[1], "test", "odia-lines"),
    ]


def test_hf_without_datasets_installed_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sys

    _hf_dataset(1).save_to_disk(str(tmp_path / "hf"))
    monkeypatch.setitem(sys.modules, "datasets", None)  # makes `import datasets` fail
    with pytest.raises(DatasetError, match=r"pip install odia-ocr\[hf\]"):
        open_dataset(tmp_path / "hf")


# --- paths that are not datasets ---------------------------------------------------------------------------------


def test_bad_paths_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file or folder"):
        open_dataset(tmp_path / "missing")
    with pytest.raises(DatasetError, match="write hf:someone/lines"):
        open_dataset("someone/lines")
    with pytest.raises(DatasetError, match="no dataset found"):
        open_dataset(tmp_path)
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(DatasetError, match="unknown dataset format"):
        open_dataset(tmp_path / "x.txt")


def test_odd_images_load_through_a_dataset(tmp_path: Path) -> None:
    cmyk = encode(Image.new("CMYK", (8, 4), (0, 0, 0, 255)), "JPEG")
    sixteen = encode(Image.fromarray(np.full((4, 8), 65535, np.uint16)))
    pal = encode(line_image(1, mode="RGB").convert("P"))
    alpha = encode(Image.new("RGBA", (8, 4), (0, 0, 0, 0)))
    for i, data in enumerate([cmyk, sixteen, pal, alpha]):
        write_gt_pair(tmp_path, f"odd{i}", data, WORDS[i])
    images = [s.load() for s in open_dataset(tmp_path)]
    assert [im.mode for im in images] == ["RGB", "L", "RGB", "RGB"]
    assert np.asarray(images[0]).max() < 40  # black ink stays black
    assert np.asarray(images[1]).min() == 255 and np.asarray(images[3]).min() == 255


def test_dataset_select_and_repr(tmp_path: Path) -> None:
    buf = io.BytesIO()
    pq.write_table(pa.table({"image": [png_bytes(i) for i in range(4)], "text": list(WORDS[:4])}), buf)
    (tmp_path / "t.parquet").write_bytes(buf.getvalue())
    ds = open_dataset(tmp_path / "t.parquet")
    sub = ds.select([3, 1])
    assert [s.text for s in sub] == [WORDS[3], WORDS[1]] and sub[0].image == png_bytes(3)
    assert repr(ds) == "LineDataset('t', 4 samples, 0 problems)"
    assert "bytes" in repr(ds[0]) and len(repr(ds[0])) < 200
