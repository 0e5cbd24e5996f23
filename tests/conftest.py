"""Fixtures shared by the tests."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from sitekit import write_files


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site({"_config.yml": "...", "_posts/2024-01-01-a.md": "..."}) -> site directory."""
    counter = iter(range(1000))

    def make(files: dict[str, str | bytes], name: str | None = None) -> Path:
        root = tmp_path / (name or f"site{next(counter)}")
        root.mkdir(parents=True, exist_ok=True)
        return write_files(root, files)

    return make




@pytest.fixture(autouse=True)
def _no_search_deferral_left_behind():  # type: ignore[no-untyped-def]
    """A preview server sets blogkit.search.pagefind_run.DEFERRAL while it runs; a test that
    starts one and fails before stopping it must not make later builds defer their index."""
    yield
    from blogkit.search import pagefind_run
    pagefind_run.DEFERRAL = None
