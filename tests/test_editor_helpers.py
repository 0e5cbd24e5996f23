"""Helpers for the editor tests: tiny sites written into tmp_path."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from blogkit.cli import main

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


SITE_YML = "title: test\ntimezone: Asia/Tokyo\npermalink: /:year/:month/:day/:title/\nauthor: 編集部\ntime: 2025-12-01 00:00:00 +0900\n"


def post(title: str = "普通の記事", date: str = "2025-10-01 10:00:00 +0900", body: str = "本文です。\n",
         extra: str = "", categories: str = '["業界分析"]', tags: str = '["AI"]') -> str:
    return (f'---\nlayout: post\ntitle: "{title}"\ndate: {date}\ncategories: {categories}\ntags: {tags}\n'
            f'{extra}---\n\n{body}')
