"""A contact sheet of an engine's worst benchmark lines, with how much of the error they hold.

    python scripts/worst_lines.py bench-out/synth-engines/default --level strong --worst 9 --out docs/strong-worst.png

Reads ``predictions.jsonl`` of a ``benchmarks/run_engines.py`` engine folder
and the images of its benchmark set, sorts the lines of one degradation level
by CER, and stacks the worst ones (each at twice its size, captioned with its
id, character errors and length). Prints the share of the level's character
errors that these lines hold, and what CER the level would have without them:
how far a target on this level depends on lines a reader may not be able to
read at all.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("engine_dir", type=Path, help="a run_engines.py engine folder (holds predictions.jsonl)")
    ap.add_argument("--data", type=Path, default=ROOT / "bench-out" / "synth-bench", help="the benchmark set")
    ap.add_argument("--level", default="strong")
    ap.add_argument("--worst", type=int, default=9)
    ap.add_argument("--out", type=Path, help="PNG to write")
    args = ap.parse_args()

    preds = [json.loads(line) for line in (args.engine_dir / "predictions.jsonl").read_text("utf-8").splitlines()]
    level = [p for p in preds if p["meta"].get("level") == args.level]
    if not level:
        raise SystemExit(f"{args.engine_dir}: no lines at level {args.level!r}")
    errors, chars = sum(p["char_edits"] for p in level), sum(p["chars"] for p in level)
    worst = sorted(level, key=lambda p: -p["cer"])[: args.worst]
    held = sum(p["char_edits"] for p in worst)
    rest_chars = chars - sum(p["chars"] for p in worst)
    print(f"{args.level}: {len(level)} lines, {errors} character errors in {chars} characters ({errors / chars:.2%})")
    print(f"the {len(worst)} worst lines hold {held} errors ({held / errors:.0%}); "
          f"without them the level reads at {(errors - held) / rest_chars:.2%}")
    for p in worst:
        print(f"  {p['id']}: {p['char_edits']} errors in {p['chars']} characters, confidence {p['confidence']:.2f}")
    if args.out:
        rows = [json.loads(line) for line in (args.data / "manifest.jsonl").read_text("utf-8").splitlines()]
        manifest = {row["id"]: row for row in rows}
        missing = [p["id"] for p in worst if p["id"] not in manifest]
        if missing:
            raise SystemExit(f"{args.data}: line {missing[0]} of {args.engine_dir} is not in this set; "
                             "pass the set it was read from with --data")
        tiles = []
        for p in worst:
            im = Image.open(args.data / manifest[p["id"]]["image"]).convert("L")
            im = im.resize((im.width * 2, im.height * 2), Image.NEAREST)
            tile = Image.new("L", (im.width, im.height + 18), 255)
            tile.paste(im, (0, 18))
            ImageDraw.Draw(tile).text((2, 2), f"{p['id']}: {p['char_edits']}/{p['chars']} errors", fill=0)
            tiles.append(tile)
        sheet = Image.new("L", (max(t.width for t in tiles), sum(t.height + 6 for t in tiles)), 160)
        y = 0
        for t in tiles:
            sheet.paste(t, (0, y))
            y += t.height + 6
        args.out.parent.mkdir(parents=True, exist_ok=True)
        sheet.save(args.out, optimize=True)
        print(f"contact sheet: {args.out}")


if __name__ == "__main__":
    main()
