"""blogkit/fastpaths.py builds paths from their parts without pathlib's parsing: each must be
the object pathlib makes of the same string (or parts), in every way a caller can see."""
from __future__ import annotations

import pickle
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blogkit.fastpaths import _DIRECT, absolute, relative, relative_from_parts

_TEXT = st.text(st.sampled_from(list("ab./ 本")), max_size=14)


def _same(made: PurePosixPath, expected: PurePosixPath) -> None:
    assert type(made) is type(expected)
    assert made == expected and hash(made) == hash(expected)
    assert str(made) == str(expected) and made.parts == expected.parts
    assert (made.name, made.suffix, made.stem, made.parent) == (expected.name, expected.suffix, expected.stem,
                                                                  expected.parent)
    assert made / "x.html" == expected / "x.html" and made.as_posix() == expected.as_posix()
    assert made.is_absolute() == expected.is_absolute()
    assert pickle.loads(pickle.dumps(made)) == expected


@settings(max_examples=400)
@given(_TEXT)
def test_relative_is_purepath_of_the_text(text: str) -> None:
    _same(relative(text), PurePosixPath(text))


@settings(max_examples=400)
@given(st.lists(_TEXT, max_size=5))
def test_relative_from_parts_is_purepath_of_the_parts(parts: list[str]) -> None:
    _same(relative_from_parts(list(parts)), PurePosixPath(*parts))


@settings(max_examples=400)
@given(_TEXT)
def test_absolute_is_path_of_the_text(text: str) -> None:
    _same(absolute("/" + text), Path("/" + text))
    made, expected = absolute("/" + text), Path("/" + text)
    assert made.exists() == expected.exists()  # (a concrete path: the file-system side works too)


def test_plain_paths_are_not_parsed_on_311(monkeypatch: pytest.MonkeyPatch) -> None:
    """(Otherwise the speed-up is silently gone.)"""
    if not _DIRECT:
        pytest.skip("pathlib's internals differ on this Python: the constructor is used")

    def parsed(cls: type, args: tuple[str, ...]) -> None:
        raise AssertionError(f"parsed {args}")
    monkeypatch.setattr(PurePosixPath, "_parse_args", classmethod(parsed))
    assert str(relative("生成ai/2021/a.html")) == "生成ai/2021/a.html"
    assert str(relative_from_parts(["t", "ai", "index.html"])) == "t/ai/index.html"
    assert str(absolute("/srv/site/_posts/a.md")) == "/srv/site/_posts/a.md"
