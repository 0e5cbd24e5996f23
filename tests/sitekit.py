"""Test helpers: write a small site from a dict of files, run the CLI, list outputs.

(Not named conftest: tests/browser has its own conftest, and both would import as `conftest`.)
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from blogkit.errors import ProblemLog

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "BLOGKIT_CACHE": "0", **(env or {})}
    return subprocess.run([sys.executable, "-m", "blogkit", *args], capture_output=True, text=True,
                          cwd=cwd, env=full_env, timeout=300)


def output_files(dest: Path) -> set[str]:
    return {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()}


def build_files(root: Path, files: dict[str, str | bytes]) -> tuple[Path, ProblemLog]:
    """Write ``files`` under ``root``, build in-process into ``root/_out``; (dest, problems)."""
    from blogkit.config import load_config
    from blogkit.errors import ProblemLog
    from blogkit.site import build

    write_files(root, files)
    config, _ = load_config(root, destination=root / "_out")
    log = ProblemLog()
    build(config, log=log)
    return root / "_out", log
