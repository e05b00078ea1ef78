"""load_image on bad and odd inputs: every failure is a one-line ImageError naming the file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fixtures_data import encode, line_image, png_bytes, png_header_only
from odia_ocr.data import ImageError, Sample, load_image, to_array


def _error(source: object, **kw: object) -> str:
    with pytest.raises(ImageError) as info:
        load_image(source, **kw)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    return message


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    msg = _error(tmp_path / "nope.png")
    assert "nope.png" in msg and "not found" in msg


def test_zero_byte_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.png"
    p.write_bytes(b"")
    msg = _error(p)
    assert "empty.png" in msg and "0 bytes" in msg


def test_unreadable_file(tmp_path: Path) -> None:
    p = tmp_path / "notes.png"
    p.write_text("this is not an image")
    msg = _error(p)
    assert msg == f"{p}: not a readable image"


def test_directory_is_refused(tmp_path: Path) -> None:
    assert "directory" in _error(tmp_path)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_image(tmp_path: Path, fmt: str) -> None:
    data = encode(line_image(1, (200, 60)), fmt)
    p = tmp_path / f"cut.{fmt.lower()}"
    p.write_bytes(data[: len(data) // 2])
    msg = _error(p)
    assert str(p) in msg and "truncated" in msg


def test_bytes_use_the_given_name() -> None:
    assert _error(b"garbage", name="book.parquet row 7").startswith("book.parquet row 7: ")
    assert _error(b"").startswith("<bytes>: empty")


def test_decompression_bomb_header_is_refused_before_decoding() -> None:
    # 100k x 100k pixels claimed in the header; decoding it would need 10 GB.
    msg = _error(png_header_only(100_000, 100_000), name="bomb.png")
    assert msg.startswith("bomb.png: image too large")


def test_pixel_limit_is_a_parameter() -> None:
    big = encode(Image.new("L", (300, 200), 255))  # compresses to a few hundred bytes
    assert "300x200" in _error(big, max_pixels=10_000)
    assert load_image(big, max_pixels=60_000).size == (300, 200)


def test_cmyk_becomes_rgb() -> None:
    cmyk = Image.new("CMYK", (8, 4), (255, 0, 0, 0))  # pure cyan ink
    for fmt in ("TIFF", "JPEG"):
        img = load_image(encode(cmyk, fmt))
        assert img.mode == "RGB"
        r, g, b = np.asarray(img)[2, 4].tolist()
        assert r < 30 and g > 225 and b > 225, (fmt, r, g, b)


def test_16_bit_grey_is_scaled_by_bit_depth() -> None:
    arr = np.array([[0, 65535, 32896, 65535]], dtype=np.uint16)
    img = load_image(encode(Image.fromarray(arr)))
    assert img.mode == "L"
    assert np.asarray(img).tolist() == [[0, 255, 128, 255]]


def test_light_16_bit_page_stays_light() -> None:
    # No contrast stretch: a nearly white page must not turn into black and white noise.
    arr = np.full((4, 4), 60000, dtype=np.uint16)
    arr[0, 0] = 59000
    assert np.asarray(load_image(encode(Image.fromarray(arr)))).min() >= 225


def test_palette_image_keeps_its_colours() -> None:
    rgb = Image.new("RGB", (6, 2), (200, 10, 10))
    rgb.putpixel((0, 0), (10, 10, 200))
    img = load_image(encode(rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=4)))
    assert img.mode == "RGB"
    assert img.getpixel((0, 0)) == (10, 10, 200) and img.getpixel((3, 1)) == (200, 10, 10)


def test_palette_transparency_becomes_white() -> None:
    pal = Image.new("P", (4, 1), 0)
    pal.putpalette([0, 0, 0, 255, 0, 0])
    pal.putpixel((1, 0), 1)
    img = load_image(encode(pal, transparency=0))
    assert img.getpixel((0, 0)) == (255, 255, 255) and img.getpixel((1, 0)) == (255, 0, 0)


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_alpha_is_flattened_onto_white(mode: str) -> None:
    rgba = Image.new("RGBA", (3, 1), (0, 0, 0, 0))  # transparent "black"
    rgba.putpixel((1, 0), (0, 0, 0, 255))  # opaque black ink
    img = load_image(encode(rgba.convert(mode)))
    assert img.mode == "RGB"
    assert img.getpixel((0, 0)) == (255, 255, 255) and img.getpixel((1, 0)) == (0, 0, 0)


def _upright() -> Image.Image:
    """40 wide, 20 high, black only in the top-left quarter: any rotation or flip moves it."""
    img = Image.new("L", (40, 20), 255)
    img.paste(0, (0, 0, 20, 10))
    return img


def _assert_upright(img: Image.Image) -> None:
    a = np.asarray(img.convert("L")).astype(int)
    assert img.size == (40, 20)
    assert a[:10, :20].mean() < 40 and a[10:, :].mean() > 215 and a[:, 20:].mean() > 215


@pytest.mark.parametrize(
    ("orientation", "stored"),
    [
        (6, Image.Transpose.ROTATE_90),  # camera turned: viewer must rotate 90 degrees clockwise
        (3, Image.Transpose.ROTATE_180),
        (8, Image.Transpose.ROTATE_270),
    ],
)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_exif_rotation_is_applied(orientation: int, stored: Image.Transpose, fmt: str) -> None:
    raw = _upright().transpose(stored)
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encode(raw, fmt, exif=exif.tobytes(), **({"quality": 95} if fmt == "JPEG" else {}))
    _assert_upright(load_image(data))


def test_broken_exif_does_not_lose_the_image() -> None:
    data = encode(line_image(3), "JPEG", exif=b"Exif\x00\x00garbage")
    assert load_image(data).size == (40, 12)


def test_plain_image_is_unchanged(tmp_path: Path) -> None:
    p = tmp_path / "ok.png"
    p.write_bytes(png_bytes(5))
    img = load_image(p)
    assert img.mode == "L" and np.array_equal(np.asarray(img), np.asarray(line_image(5)))


def test_sample_load_names_its_file(tmp_path: Path) -> None:
    p = tmp_path / "line.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n broken")
    with pytest.raises(ImageError, match=r"line\.png: "):
        Sample("x", "ଓ", "s", p).load()
    with pytest.raises(ImageError, match=r"^books/row-3: empty"):
        Sample("row-3", "ଓ", "books", b"").load()


def test_to_array_shapes_and_dtypes() -> None:
    assert to_array(np.array([[True, False]])).tolist() == [[255, 0]]
    assert to_array(np.array([[0.0, 0.5, 1.0]])).tolist() == [[0, 127, 255]]
    rgba = np.zeros((1, 2, 4), np.uint8)
    rgba[0, 1] = (0, 0, 0, 255)
    assert to_array(rgba).tolist() == [[[255, 255, 255], [0, 0, 0]]]
    assert to_array(np.zeros((2, 2, 1), np.uint8)).shape == (2, 2)
    with pytest.raises(ImageError):
        to_array(np.zeros((2, 2, 2, 2), np.uint8))
