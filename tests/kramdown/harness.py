"""Differential harness: the case corpus through real Jekyll/kramdown and through blogkit.

Input: ``cases/*.md`` (one file per feature area; each case starts with a ``=== name`` line).
Output: per case, both HTMLs normalised as spec §12.11 says (cosmetic differences removed).
Jekyll output is cached in ``.cache/<sha1 of case text>.html`` (not in git), so only new or
changed cases cost a ``jekyll build``; all of them are built in one throwaway site.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).parent
CASES = HERE / "cases"
CACHE = HERE / ".cache"
EXPECTED = HERE / "expected_to_match.txt"
EXACT = HERE / "expected_exact.txt"  # cases whose HTML must be kramdown's byte for byte
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


@dataclass(frozen=True, slots=True)
class Case:
    area: str
    name: str
    text: str

    @property
    def key(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()[:16]

    @property
    def ident(self) -> str:
        return f"{self.area}/{self.name}"


SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def seed_cases(directory: Path = SEEDS) -> list[Case]:
    """The real posts, front matter removed, as area ``seeds`` (when the folder exists)."""
    out = []
    for path in sorted(directory.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1].lstrip("\n") if text.startswith("---") else text
        out.append(Case("seeds", path.stem[:3], body))
    return out


def load_cases(directory: Path = CASES) -> list[Case]:
    cases: list[Case] = seed_cases()
    for path in sorted(directory.glob("*.md")):
        name, buf = None, []
        for line in path.read_text(encoding="utf-8").split("\n") + ["=== <end>"]:
            if line.startswith("=== "):
                if name is not None:
                    cases.append(Case(path.stem, name, "\n".join(buf).strip("\n") + "\n"))
                name, buf = line[4:].strip(), []
            else:
                buf.append(line)
    return cases


def read_expected(path: Path = EXPECTED) -> set[str]:
    if not path.exists():
        return set()
    return {ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()}


def jekyll_available() -> bool:
    return shutil.which("jekyll") is not None


def kramdown_html(cases: list[Case]) -> dict[str, str]:
    """key -> HTML from a real ``jekyll build`` (cached on disk)."""
    CACHE.mkdir(exist_ok=True)
    missing = {c.key: c for c in cases if not (CACHE / f"{c.key}.html").exists()}
    if missing:
        with tempfile.TemporaryDirectory() as tmp:
            src, dest = Path(tmp) / "src", Path(tmp) / "dest"
            src.mkdir()
            (src / "_config.yml").write_text("title: cases\n", encoding="utf-8")
            for key, case in missing.items():
                # render_with_liquid: false keeps `{{`/`{%` in cases away from Liquid.
                (src / f"c{key}.md").write_text(
                    "---\nlayout: null\nrender_with_liquid: false\n---\n" + case.text,
                    encoding="utf-8")
            subprocess.run(["jekyll", "build", "-q", "-s", str(src), "-d", str(dest)],
                           check=True, capture_output=True)
            for key in missing:
                shutil.copy(dest / f"c{key}.html", CACHE / f"{key}.html")
    return {c.key: (CACHE / f"{c.key}.html").read_text(encoding="utf-8") for c in cases}


class _Canon(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pre_hl = 0  # depth inside <pre class="highlight">: spans there are cosmetic
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        if tag == "pre":
            self.pre += 1
            if "highlight" in cls.split() or self.pre_hl:
                self.pre_hl += 1
        if self.pre_hl and tag == "span":
            return
        attr = "".join(f' {k}="{v or ""}"' for k, v in sorted(attrs))
        self.out.append(f"<{tag}{attr}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or (self.pre_hl and tag == "span"):
            return
        if tag == "pre":
            self.pre -= 1
            if self.pre_hl:
                self.pre_hl -= 1
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.pre:
            if not data.strip():
                return
            data = re.sub(r"[ \t]*\n[ \t\n]*", "\n", data)
        self.out.append(data)

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")


_BLOCK = re.compile(r"</?(?:p|li|dd|dt|td|th|div|ul|ol|dl|table|thead|tbody|tfoot|tr|"
                    r"h\d|blockquote|pre|hr|figure|details|summary|section)\b")


def normalise(html: str) -> str:
    p = _Canon()
    p.feed(html)
    p.close()
    out = p.out
    for i, item in enumerate(out):
        if item.startswith("<"):
            continue
        # Whitespace at the edges of block content is cosmetic (\n counts, indentation).
        if i == 0 or _BLOCK.match(out[i - 1]):
            item = item.lstrip(" \t\n")
        if i + 1 == len(out) or _BLOCK.match(out[i + 1]) or out[i + 1] == "<br>":
            item = item.rstrip(" \t\n")
        out[i] = item
    return "".join(out)


def pretty(canon: str) -> str:
    """One tag per line, for readable diffs."""
    return re.sub(r"(<(?!/?(?:em|strong|a|code|sup|span|del|abbr|kbd|br|img|input)\b))",
                  r"\n\1", canon).strip()


def compare(cases: list[Case], exact: bool = False) -> list[tuple[Case, bool, str, str]]:
    """(case, equal, kramdown's, blogkit's): normalised HTML, or the raw bytes with ``exact``."""
    from blogkit.markdown import make_markdown

    md = make_markdown()
    ref = kramdown_html(cases)
    results = []
    for c in cases:
        want, got = ref[c.key], md.render(c.text).html
        if not exact:
            want, got = normalise(want), normalise(got)
        results.append((c, want == got, want, got))
    return results
