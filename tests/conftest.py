"""Shared test fixtures: paths to the shared data, a tiny corpus and a fast font."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
FAST_FONT_FAMILIES = ("noto-sans-oriya-2.000",)  # Debian's Noto Sans Oriya: Odia + Latin


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED


@pytest.fixture()
def tiny_corpus(tmp_path: Path) -> Path:
    p = tmp_path / "corpus.txt"
    p.write_text(
        "ଓଡ଼ିଆ ଭାଷା ଏକ ପ୍ରାଚୀନ ଭାଷା ।\nରାଷ୍ଟ୍ରର ଶ୍ରୀ ମନ୍ତ୍ରୀ କ୍ଷମା ମାଗିଲେ ।\nକୈଳାସ ଓ କୌଶଳ 2024 ମସିହା\n"
        "ଚାଁଦ ଆକାଶରେ ହସୁଛି ।\nସେ ବଡ଼ ଘରେ ରହନ୍ତି ।\n",
        encoding="utf-8",
    )
    return p
