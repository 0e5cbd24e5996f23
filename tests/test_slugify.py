"""slugify: every example of spec §4.2 plus edge cases checked with `jekyll build` 4.3.1."""
from __future__ import annotations

import pytest

from blogkit.slugify import slugify

CONFIG = "The _config.yml file?"
JA = "生成AI 入門：基礎編！"


@pytest.mark.parametrize(("text", "mode", "expected"), [
    (JA, "none", "生成ai 入門：基礎編！"),
    (JA, "raw", "生成ai-入門：基礎編！"),
    (CONFIG, "default", "the-config-yml-file"),
    (JA, "default", "生成ai-入門-基礎編"),
    (CONFIG, "pretty", "the-_config.yml-file"),
    (JA, "pretty", "生成ai-入門-基礎編"),
    (CONFIG, "ascii", "the-config-yml-file"),
    (JA, "ascii", "ai"),
    ("Élan café ñandú Ærø", "latin", "elan-cafe-nandu-aero"),
    ("Élan café ñandú", "default", "élan-café-ñandú"),
    ("  --Hello--  World--  ", "default", "hello-world"),
    ("ＡＩ", "default", "ａｉ"),
    ("a b", "bogus", "a b"),              # unknown mode = none
    ("A B", None, "a-b"),                 # None = default
    # jekyll build ground truth
    ("--a--", "raw", "-a-"),              # only one hyphen trimmed at each end
    ("Élan café ñandú Ærø 生成", "latin", "elan-cafe-nandu-aero"),  # CJK -> '?' -> dropped
    ("ＡＩ Ünï", "default", "ａｉ-ünï"),
    ("Straße İ ǅ", "default", "straße-i̇-ǆ"),  # Unicode-aware downcase like Ruby
])
def test_modes(text: str, mode: str | None, expected: str) -> None:
    assert slugify(text, mode) == expected


def test_cased_keeps_case_for_title_placeholder() -> None:
    assert slugify("Hello-World", "pretty", cased=True) == "Hello-World"
    assert slugify("c++ & rust!", "pretty", cased=True) == "c++-&-rust!"
    assert slugify("english title", "pretty", cased=True) == "english-title"
    assert slugify("生成AIと日本企業", "pretty", cased=True) == "生成AIと日本企業"
    assert slugify("Custom Slug Here", "pretty", cased=True) == "Custom-Slug-Here"


def test_none_and_empty() -> None:
    assert slugify(None) == ""
    assert slugify("!!!") == ""
    assert slugify("-") == ""


def test_underscore_and_number_categories() -> None:
    # '_' is punctuation (Pc), not a letter: replaced in default mode, kept in pretty
    assert slugify("a_b") == "a-b"
    assert slugify("a_b", "pretty") == "a_b"
    # only decimal digits are kept: Roman numeral Ⅻ (Nl) and ² (No) are dropped
    assert slugify("x²Ⅻ9") == "x-9"


def test_latin_table_and_ruby_downcase() -> None:
    # ground truth: ruby -rjekyll -e 'Jekyll::Utils.slugify(...)'
    assert slugify("Łódź Þór ß œ Ĳ ×", "latin") == "lodz-thor-ss-oe-ij-x"
    assert slugify("ΟΔΟΣ") == "οδοσ"  # Ruby has no final-sigma rule
