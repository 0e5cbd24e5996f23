"""The module graph stays layered (style guide: errors -> config -> content -> markdown ->
render -> site -> server/cli). A module may import only the packages listed for it; this walks
blogkit/ with `ast`, so a new import that crosses a layer fails here, not in review."""
from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "blogkit"

# top-level blogkit module or package -> what it may import from blogkit
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "dates": set(),
    "slugify": set(),
    "digests": set(),
    "fswalk": set(),
    "fastpaths": set(),
    "urls": {"dates", "slugify", "fastpaths"},
    "markdown": set(),                       # markdown-it-py + Pygments only
    "config": {"errors"},
    "content": {"errors", "config", "dates", "digests", "fastpaths", "fswalk", "urls", "slugify"},
    "filters": {"dates", "urls", "slugify"},
    "cache": set(),
    "parallel": {"markdown"},
    "progress": set(),
    "heap": set(),
    "output": {"errors", "fswalk"},
    "generators": {"config", "content", "dates", "errors", "fastpaths", "filters", "markdown", "render", "site", "slugify",
                   "urls", "search", "cache"},
    "search": {"config", "content", "errors", "filters", "site", "urls", "render"},
    "liquid": {"config", "content", "dates", "errors", "filters", "markdown", "urls", "render", "site"},
    # render: workers stage their own files (output.Stager), creating files being kernel-bound
    "render": {"cache", "config", "content", "dates", "digests", "errors", "filters", "generators", "heap", "liquid", "markdown", "slugify", "output",
               "parallel", "progress", "site", "urls"},
    "unchanged": {"cache", "config", "fswalk"},
    "site": {"cache", "config", "content", "dates", "errors", "heap", "liquid", "output", "parallel", "progress", "render",
             "urls", "unchanged"},
    "inspect": {"config", "dates", "errors", "markdown", "site"},
    "editor": {"config", "content", "dates", "errors", "markdown", "render", "site", "slugify", "urls"},
    "server": {"config", "errors", "site", "progress", "cli", "search"},  # search: background re-indexing
    "cli": {"config", "errors", "progress", "site", "inspect", "server", "editor"},
}
ROOT_FILES = {"__init__", "__main__", "__version__"}


def blogkit_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel_parts = path.relative_to(PKG).parts
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = list(rel_parts[:-1])[: len(rel_parts) - node.level]
                target = [*base, *(node.module.split(".") if node.module else [])]
                if not target and node.names:
                    target = [node.names[0].name]
                if target:
                    found.add(target[0])
            elif node.module and node.module.split(".")[0] == "blogkit":
                parts = node.module.split(".")
                if len(parts) > 1:
                    found.add(parts[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "blogkit" and len(parts) > 1:
                    found.add(parts[1])
    return found


def test_layers_are_respected() -> None:
    wrong = []
    for path in sorted(PKG.rglob("*.py")):
        top = path.relative_to(PKG).parts[0].removesuffix(".py")
        if top in ROOT_FILES:
            continue
        assert top in ALLOWED, f"{top} is a new module: add it to ALLOWED with what it may import"
        for dep in blogkit_imports(path) - {top} - ROOT_FILES:
            if dep not in ALLOWED[top]:
                wrong.append(f"{path.relative_to(PKG)} imports {dep}")
    assert not wrong, "\n".join(wrong)


def test_the_foundations_import_nothing_of_blogkit() -> None:
    for name in ("errors.py", "dates.py", "slugify.py", "digests.py", "fswalk.py"):
        assert blogkit_imports(PKG / name) <= {name.removesuffix(".py")}, name
    for path in (PKG / "markdown").glob("*.py"):
        assert blogkit_imports(path) <= {"markdown"}, path.name
