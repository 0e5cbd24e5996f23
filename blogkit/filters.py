"""Jekyll 4.3.1's Liquid filters as Jinja-callable functions.

Input: a ``FilterContext`` (baseurl, url, site zone, the Markdown stage's markdownify and
smartify). Output: ``make_filters(ctx)`` -> ``{jekyll_name: callable}``, each taking the
filter input first (spec §10.1). The ``*_exp`` filters take Liquid expression strings, read
by the small safe evaluator in this module (no ``eval``).
"""
from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import cmp_to_key
from typing import Any
from urllib.parse import quote_plus

from markupsafe import Markup

from blogkit import dates
from blogkit.slugify import slugify as _slugify
from blogkit.urls import _UNRESERVED, _normalize_component, absolute_url, relative_url

__all__ = ["FilterContext", "make_filters", "ruby_to_s", "ruby_inspect", "prop"]


@dataclass(frozen=True)
class FilterContext:
    baseurl: str
    url: str
    zone: tzinfo
    markdownify: Callable[[str], str]
    smartify: Callable[[str], str]


# --- Ruby-ish value helpers --------------------------------------------------------------

_MISSING = object()


def prop(item: Any, key: str | int, default: Any = None) -> Any:
    """Read ``key`` from a mapping, a sequence (int key), or an object attribute."""
    if isinstance(item, Mapping):
        return item.get(key, default)
    if isinstance(key, int):
        if isinstance(item, (list, tuple)) and -len(item) <= key < len(item):
            return item[key]
        return default
    if isinstance(key, str) and key and not key.startswith("_") and not isinstance(item, (str, bytes)):
        try:
            return getattr(item, key, default)
        except Exception:  # noqa: BLE001 - a property raising is "no such key" in Liquid
            return default
    return default


def ruby_to_s(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, datetime):
        return dates.ruby_strftime(value, "%Y-%m-%d %H:%M:%S %z")
    if isinstance(value, (list, tuple)):
        return "".join(ruby_to_s(v) for v in value)  # what Liquid prints for an array
    return str(value)


def _inspect_str(text: str) -> str:
    escapes = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x1b": "\\e", "#": "#"}
    out = []
    for ch in text:
        if ch in escapes:
            out.append(escapes[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def ruby_inspect(value: Any) -> str:
    """Ruby ``#inspect`` (Ruby 3.3 hash style ``{"a"=>1}``)."""
    if value is None:
        return "nil"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return _inspect_str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(ruby_inspect(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{ruby_inspect(k)}=>{ruby_inspect(v)}" for k, v in value.items()) + "}"
    if isinstance(value, datetime):
        return ruby_to_s(value)
    return str(value)


def _as_liquid(value: Any) -> Any:
    """Plain JSON-able data, like Jekyll's ``as_liquid`` before ``to_json``."""
    if isinstance(value, Mapping):
        return {ruby_to_s(k) if not isinstance(k, str) else k: _as_liquid(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_as_liquid(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime, date)):
        return ruby_to_s(value) if isinstance(value, datetime) else value.isoformat()
    to_liquid = getattr(value, "to_liquid", None)
    if callable(to_liquid):
        return _as_liquid(to_liquid())
    if hasattr(value, "__dataclass_fields__"):
        return {k: _as_liquid(getattr(value, k)) for k in value.__dataclass_fields__}
    return str(value)


_INT_LIKE = re.compile(r"^\s*-?\d+\s*$")
_FLOAT_LIKE = re.compile(r"^\s*-?(?:\d+\.?\d*|\.\d+)\s*$")


def _sort_value(value: Any) -> Any:
    """Jekyll's parse_sort_input: numeric-looking values become numbers."""
    if isinstance(value, bool) or value is None:
        return value
    text = ruby_to_s(value)
    if _INT_LIKE.match(text):
        return int(text)
    if _FLOAT_LIKE.match(text):
        return float(text)
    return value


def _item_property(item: Any, name: Any) -> Any:
    value: Any = item
    for key in str(name).split("."):
        value = prop(value, key)
        if value is None:
            break
    return _sort_value(value)


def _values(items: Any) -> list[Any]:
    if items is None:
        return []
    if isinstance(items, Mapping):
        return list(items.values())
    return list(items)


def _matches(value: Any, target: Any) -> bool:
    """compare_property_vs_target: string equality on to_s; arrays match any element."""
    if target is None:
        return value is None
    wanted = ruby_to_s(target)
    if isinstance(value, str):
        return value == wanted
    elements = value if isinstance(value, (list, tuple)) else ([] if value is None else [value])
    return any(ruby_to_s(e) == wanted for e in elements)


def _ruby_cmp(a: Any, b: Any) -> int:
    try:
        if isinstance(a, bool) != isinstance(b, bool):
            raise TypeError
        return (a > b) - (a < b)
    except TypeError:
        sa, sb = ruby_to_s(a), ruby_to_s(b)
        return (sa > sb) - (sa < sb)


def _to_i(value: Any) -> int:
    if value is True:
        return 1
    if value is False or value is None:
        return 0
    if isinstance(value, (int, float)):
        return int(value)
    m = re.match(r"^\s*([-+]?\d+)", str(value).replace("_", ""))
    return int(m[1]) if m else 0


# --- text helpers ------------------------------------------------------------------------

_CJK_RANGES = (
    (0x1100, 0x11FF), (0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5), (0x3005, 0x3005),
    (0x3007, 0x3007), (0x3021, 0x3029), (0x302E, 0x302F), (0x3038, 0x303B), (0x3041, 0x3096),
    (0x309D, 0x309F), (0x30A1, 0x30FA), (0x30FD, 0x30FF), (0x3131, 0x318E), (0x31F0, 0x31FF),
    (0x3200, 0x321E), (0x3260, 0x327E), (0x32D0, 0x32FE), (0x3300, 0x3357), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF), (0xA960, 0xA97C), (0xAC00, 0xD7A3), (0xD7B0, 0xD7FB), (0xF900, 0xFAD9),
    (0xFF66, 0xFF6F), (0xFF71, 0xFF9D), (0xFFA0, 0xFFDC), (0x1B000, 0x1B16F), (0x1F200, 0x1F200),
    (0x20000, 0x3134F),
)  # \p{Han} \p{Katakana} \p{Hiragana} \p{Hangul}; 'ー' and '・' are Common, not CJK


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def number_of_words(text: Any, mode: str | None = None) -> int:
    s = ruby_to_s(text)
    if mode in ("cjk", "auto"):
        cjk = sum(1 for ch in s if _is_cjk(ch))
        if mode == "auto" and cjk == 0:
            return len(s.split())
        runs, in_run = 0, False
        for ch in s:
            other = not _is_cjk(ch) and not ch.isspace()
            runs += other and not in_run
            in_run = other
        return cjk + runs
    return len(s.split())


_STRIP_BLOCKS = re.compile(r"<script.*?</script>|<!--.*?-->|<style.*?</style>", re.S | re.I)
_STRIP_TAGS = re.compile(r"<.*?>", re.S)


def strip_html(text: Any) -> str:
    return _STRIP_TAGS.sub("", _STRIP_BLOCKS.sub("", ruby_to_s(text)))


def normalize_whitespace(text: Any) -> str:
    """Jekyll's: Ruby's ``\\s`` is ASCII whitespace only, so a full-width space (U+3000) stays."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", ruby_to_s(text)).strip(" \t\r\n\f\v\0")


def xml_escape(text: Any) -> Markup:
    s = ruby_to_s(text)
    for raw, ent in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&apos;")):
        s = s.replace(raw, ent)
    return Markup(s)


def jsonify(value: Any) -> Markup:
    text = json.dumps(_as_liquid(value), ensure_ascii=False, separators=(",", ":"))
    # safe inside <script> and HTML attributes; still the same JSON value
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(ch, esc)
    return Markup(text)


def array_to_sentence_string(items: Any, connector: str = "and") -> str:
    words = [ruby_to_s(v) for v in _values(items)]
    if len(words) <= 1:
        return words[0] if words else ""
    if len(words) == 2:
        return f"{words[0]} {connector} {words[1]}"
    return f"{', '.join(words[:-1])}, {connector} {words[-1]}"


# --- Liquid expressions for where_exp / find_exp / group_by_exp --------------------------
# A tiny parser for the subset Jekyll feeds to Liquid here: literals, dotted/bracket
# lookups, comparisons, contains, and/or, and (group_by_exp only) a filter chain.

_TOKEN = re.compile(r"""\s*(?:(?P<str>'[^']*'|"[^"]*")|(?P<num>-?\d+(?:\.\d+)?)(?![\w])"""
                    r"|(?P<op>==|!=|<>|<=|>=|<|>)|(?P<word>[A-Za-z_][\w-]*\??)|(?P<punct>[.\[\]|:,]))")
_LITERALS: dict[str, Any] = {"true": True, "false": False, "nil": None, "null": None}
_EMPTY, _BLANK = object(), object()


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read Liquid expression {text!r} at {text[pos:]!r}")
        kind = m.lastgroup or ""
        tokens.append((kind, m[kind]))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, text: str, filters: Mapping[str, Callable[..., Any]]):
        self.text, self.tokens, self.i, self.filters = text, _tokenize(text), 0, filters

    def peek(self, value: str | None = None) -> tuple[str, str] | None:
        tok = self.tokens[self.i] if self.i < len(self.tokens) else None
        return tok if tok and (value is None or tok[1] == value) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek(value)
        if tok is None:
            raise ValueError(f"unexpected end or token in Liquid expression {self.text!r}")
        self.i += 1
        return tok

    def done(self) -> None:
        if self.i != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.i][1]!r} in Liquid expression {self.text!r}")

    def expr(self) -> Callable[[Mapping[str, Any]], Any]:
        kind, value = self.take()
        if kind == "str":
            return lambda scope: value[1:-1]
        if kind == "num":
            number = float(value) if "." in value else int(value)
            return lambda scope: number
        if kind != "word":
            raise ValueError(f"unexpected {value!r} in Liquid expression {self.text!r}")
        if value in _LITERALS:
            literal = _LITERALS[value]
            return lambda scope: literal
        if value in ("empty", "blank"):
            marker = _EMPTY if value == "empty" else _BLANK
            return lambda scope: marker
        path: list[Callable[[Mapping[str, Any]], Any]] = []
        while self.peek(".") or self.peek("["):
            if self.take()[1] == ".":
                key = self.take()[1]
                path.append(lambda scope, k=key: k)
            else:
                path.append(self.expr())
                self.take("]")
        root = value

        def lookup(scope: Mapping[str, Any]) -> Any:
            current = scope.get(root)
            for key_fn in path:
                current = _lookup(current, key_fn(scope))
            return current
        return lookup

    def comparison(self) -> Callable[[Mapping[str, Any]], bool]:
        left = self.expr()
        tok = self.peek()
        if tok and (tok[0] == "op" or tok[1] == "contains"):
            self.i += 1
            right, op = self.expr(), tok[1]
            return lambda scope: _compare(left(scope), op, right(scope))
        return lambda scope: _truthy(left(scope))

    def condition(self) -> Callable[[Mapping[str, Any]], bool]:
        first = self.comparison()
        tok = self.peek()
        if tok and tok[1] in ("and", "or"):
            self.i += 1
            rest = self.condition()  # Liquid evaluates and/or right to left
            if tok[1] == "and":
                return lambda scope: first(scope) and rest(scope)
            return lambda scope: first(scope) or rest(scope)
        return first

    def variable(self) -> Callable[[Mapping[str, Any]], Any]:
        value = self.expr()
        chain: list[tuple[str, list[Callable[[Mapping[str, Any]], Any]]]] = []
        while self.peek("|"):
            self.take("|")
            name = self.take()[1]
            if name not in self.filters:
                raise ValueError(f"unknown filter {name!r} in Liquid expression {self.text!r}")
            args = []
            if self.peek(":"):
                self.take(":")
                args.append(self.expr())
                while self.peek(","):
                    self.take(",")
                    args.append(self.expr())
            chain.append((name, args))

        def render(scope: Mapping[str, Any]) -> Any:
            current = value(scope)
            for name, args in chain:
                current = self.filters[name](current, *[a(scope) for a in args])
            return current
        return render


def _lookup(current: Any, key: Any) -> Any:
    if isinstance(current, Mapping) and key in current:
        return current[key]
    if isinstance(key, int) and isinstance(current, (list, tuple)):
        return prop(current, key)
    if key == "size" and isinstance(current, (str, list, tuple, Mapping)):
        return len(current)
    if key in ("first", "last") and isinstance(current, (list, tuple)):
        return (current[0] if key == "first" else current[-1]) if current else None
    return None if isinstance(current, Mapping) else prop(current, key)


def _truthy(value: Any) -> bool:
    return value is not None and value is not False and value is not _EMPTY and value is not _BLANK


def _is_empty(value: Any, blank: bool) -> bool:
    if blank and (value is None or value is False or (isinstance(value, str) and not value.strip())):
        return True
    return isinstance(value, (str, list, tuple, Mapping)) and len(value) == 0


def _equal(a: Any, b: Any) -> bool:
    for x, y in ((a, b), (b, a)):
        if x is _EMPTY or x is _BLANK:
            return _is_empty(y, x is _BLANK)
    if isinstance(a, bool) != isinstance(b, bool):
        return False  # Ruby: true != 1
    return bool(a == b)


def _compare(left: Any, op: str, right: Any) -> bool:
    if op == "==":
        return _equal(left, right)
    if op in ("!=", "<>"):
        return not _equal(left, right)
    if op == "contains":
        if left is None or right is None:
            return False
        if isinstance(left, str):
            return ruby_to_s(right) in left
        if isinstance(left, Mapping):
            return right in left
        if isinstance(left, (list, tuple)):
            return any(_equal(item, right) for item in left)
        return False
    if left is None or right is None:
        return False  # nil has no '<' in Ruby: Liquid gives false
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
    if not numbers and not (isinstance(left, str) and isinstance(right, str)):
        raise ValueError(f"Liquid error: comparison of {ruby_inspect(left)} with {ruby_inspect(right)} failed")
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]


def compile_condition(text: str, filters: Mapping[str, Callable[..., Any]]
                      ) -> Callable[[Mapping[str, Any]], bool]:
    """A where_exp/find_exp condition as a function of the variable scope."""
    parser = _Parser(str(text), filters)
    cond = parser.condition()
    parser.done()
    return cond


def compile_variable(text: str, filters: Mapping[str, Callable[..., Any]]
                     ) -> Callable[[Mapping[str, Any]], Any]:
    """A group_by_exp expression (value plus optional ``| filter: args`` chain)."""
    parser = _Parser(str(text), filters)
    var = parser.variable()
    parser.done()
    return var


def make_filters(ctx: FilterContext) -> dict[str, Callable[..., Any]]:
    """All filters, bound to ``ctx``. Names are Jekyll's."""
    zone = ctx.zone

    def to_time(value: Any, keep_offset: bool) -> datetime | None:
        """Liquid::Utils.to_date; None when it cannot be read."""
        if isinstance(value, datetime):
            return dates.parse_date(value, zone)
        if isinstance(value, date):
            return dates.parse_date(value, zone)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return datetime.fromtimestamp(int(value), zone)
        if isinstance(value, str):
            text = value.strip().lower()
            if not text:
                return None
            if text in ("now", "today"):
                return datetime.now(zone)
            if text.isdigit():
                return datetime.fromtimestamp(int(text), zone)
            try:
                return dates.ruby_time_parse(value, zone) if keep_offset else dates.parse_date(value, zone)
            except ValueError:
                return None
        return None

    def jekyll_time(value: Any) -> datetime:
        found = to_time(value, keep_offset=False)
        if found is None:
            raise ValueError(f"Invalid Date: {ruby_inspect(value)} is not a valid datetime.")
        return found.astimezone(zone)

    def date_filter(value: Any, fmt: Any = None) -> Any:
        if not ruby_to_s(fmt):
            return value
        found = to_time(value, keep_offset=True)
        return value if found is None else dates.ruby_strftime(found, ruby_to_s(fmt))

    def _date_fn(fn: Callable[..., str]) -> Callable[..., Any]:
        def apply(value: Any, *args: Any) -> Any:
            # (a date is never empty: do not format it just to find that out)
            if value is None or (not isinstance(value, (datetime, date)) and ruby_to_s(value) == ""):
                return "" if value is None else value
            return fn(jekyll_time(value), *args)
        return apply

    def where(items: Any, name: Any, value: Any) -> Any:
        if not name or isinstance(value, (list, dict)):
            return items
        return [o for o in _values(items) if _matches(_item_property(o, name), value)]

    def find(items: Any, name: Any, value: Any) -> Any:
        if not name or isinstance(value, (list, dict)):
            return items
        return next((o for o in _values(items) if _matches(_item_property(o, name), value)), None)

    def where_exp(items: Any, var: str, expr: str) -> list[Any]:
        cond = compile_condition(expr, filters)
        return [o for o in _values(items) if cond({var: o})]

    def find_exp(items: Any, var: str, expr: str) -> Any:
        cond = compile_condition(expr, filters)
        return next((o for o in _values(items) if cond({var: o})), None)

    def grouped(pairs: Iterable[tuple[Any, Any]]) -> list[dict[str, Any]]:
        groups: dict[Any, list[Any]] = {}
        for key, item in pairs:
            groups.setdefault(key, []).append(item)
        return [{"name": k, "items": v, "size": len(v)} for k, v in groups.items()]

    def group_by(items: Any, name: Any) -> Any:
        return grouped((ruby_to_s(_item_property(o, name)), o) for o in _values(items))

    def group_by_exp(items: Any, var: str, expr: str) -> Any:
        get = compile_variable(expr, filters)
        return grouped((_hashable(get({var: o})), o) for o in _values(items))

    def sort(items: Any, name: Any = None, nils: str = "first") -> list[Any]:
        if items is None:
            raise ValueError("Cannot sort a null object.")
        seq = _values(items)
        if name is None:
            return sorted(seq)
        if nils not in ("first", "last"):
            raise ValueError(f"Invalid nils order: '{nils}' is not a valid nils order. "
                             "It must be 'first' or 'last'.")
        order = -1 if nils == "first" else 1

        def cmp(a: tuple[Any, Any], b: tuple[Any, Any]) -> int:
            if a[0] is not None and b[0] is None:
                return -order
            if a[0] is None and b[0] is not None:
                return order
            return _ruby_cmp(a[0], b[0])
        keyed = [(_item_property(o, name), o) for o in seq]
        return [o for _, o in sorted(keyed, key=cmp_to_key(cmp))]

    def sample(items: Any, num: Any = 1) -> Any:
        seq = _values(items)
        n = _to_i(num)
        if n == 1:
            return random.choice(seq) if seq else None
        return random.sample(seq, min(max(n, 0), len(seq)))

    def pop(items: Any, num: Any = 1) -> Any:
        if not isinstance(items, list):
            return items
        n = max(_to_i(num), 0)
        return items[: len(items) - n] if n else list(items)

    def shift(items: Any, num: Any = 1) -> Any:
        return items[max(_to_i(num), 0):] if isinstance(items, list) else items

    filters: dict[str, Callable[..., Any]] = {
        "relative_url": lambda p: None if p is None else relative_url(p, ctx.baseurl),
        "absolute_url": lambda p: None if p is None else absolute_url(p, ctx.url, ctx.baseurl),
        "date_to_xmlschema": _date_fn(dates.xmlschema),
        "date_to_rfc822": _date_fn(dates.rfc822),
        "date_to_string": _date_fn(dates.date_to_string),
        "date_to_long_string": _date_fn(dates.date_to_long_string),
        "date": date_filter,
        "xml_escape": xml_escape,
        "cgi_escape": lambda s: quote_plus(ruby_to_s(s), safe="~"),
        "uri_escape": lambda s: _normalize_component(ruby_to_s(s), _UNRESERVED + ":/?#\\[\\]@!$&'()*+,;="),
        "slugify": lambda s, mode=None: _slugify(s, mode),
        "markdownify": lambda s: Markup(ctx.markdownify(ruby_to_s(s))),
        "smartify": lambda s: Markup(ctx.smartify(ruby_to_s(s))),
        "jsonify": jsonify,
        "number_of_words": number_of_words,
        "where": where, "where_exp": where_exp, "find": find, "find_exp": find_exp,
        "group_by": group_by, "group_by_exp": group_by_exp, "sort": sort, "sample": sample,
        "array_to_sentence_string": array_to_sentence_string,
        "normalize_whitespace": normalize_whitespace,
        "strip_index": lambda s: s if not ruby_to_s(s) else re.sub(r"/index\.html?$", "/", ruby_to_s(s)),
        "strip_html": strip_html,
        "push": lambda a, v: a + [v] if isinstance(a, list) else a,
        "pop": pop, "shift": shift,
        "unshift": lambda a, v: [v] + a if isinstance(a, list) else a,
        "to_integer": _to_i,
        "inspect": lambda v: xml_escape(ruby_inspect(v)),
    }
    return filters


def _hashable(value: Any) -> Any:
    try:
        hash(value)
        return value
    except TypeError:
        return ruby_to_s(value)

