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


