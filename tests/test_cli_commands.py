"""The command table: every command is reachable by name and alias, and a build does not pay for
the preview server's or the editor's modules (they load when their command runs)."""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import click
import pytest

from blogkit import cli

ROOT = Path(__file__).resolve().parents[1]


def test_lazy_table_matches_the_feature_modules() -> None:
    declared: dict[str, str] = {}
    for module_name in sorted(set(cli.LAZY_COMMANDS.values())):
        for command in importlib.import_module(module_name).COMMANDS:
            declared[command.name] = module_name
    assert declared == cli.LAZY_COMMANDS


@pytest.mark.parametrize("name, expected", [("serve", "serve"), ("s", "serve"), ("server", "serve"),
                                            ("new", "new"), ("check", "check"), ("import", "import"),
                                            ("publish", "publish"), ("b", "build"), ("inspect", "inspect")])
def test_every_command_and_alias_resolves(name: str, expected: str) -> None:
    ctx = click.Context(cli.main)
    command = cli.main.get_command(ctx, name)
    assert command is not None and command.name == expected
    assert expected in cli.main.list_commands(ctx)


@pytest.mark.parametrize("kind", ["blogkit", "jekyll"])
def test_a_build_does_not_import_the_server_or_editor(tmp_path: Path, kind: str) -> None:
    # ... nor, on a blogkit site, python-liquid (70 ms of every start): only a Jekyll site uses it
    if kind == "blogkit":
        (tmp_path / "site.yml").write_text("title: t\n", encoding="utf-8")
        posts = tmp_path / "content" / "_posts"
    else:
        (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
        posts = tmp_path / "_posts"
    posts.mkdir(parents=True)
    (posts / "2025-01-02-a.md").write_text("---\ntitle: A\n---\n{{ page.title }} x\n", encoding="utf-8")
    code = ("import sys; from blogkit.cli import main\n"
            "try:\n    main(['build', '-q', '-s', sys.argv[1]])\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print(sorted(m for m in sys.modules if m.startswith(('blogkit.server', 'blogkit.editor'))))\n"
            "print('liquid' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={"PYTHONPATH": str(ROOT), "BLOGKIT_CACHE": "0"})
    assert out.stdout.strip().splitlines()[-2:] == ["[]", str(kind == "jekyll")]
    page = next((tmp_path / "_site").rglob("a*.html")).read_text(encoding="utf-8")
    assert ("A x" in page) == (kind == "jekyll") and ("{{ page.title }} x" in page) == (kind == "blogkit")
