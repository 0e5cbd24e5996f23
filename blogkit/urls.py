"""Permalinks, URL escaping and the URL filters of Jekyll 4.3.1 — pure functions.

Input: permalink templates and placeholder values (dates, slugs, categories), page paths,
URLs, ``baseurl``/``url`` config values.
Output: ``page.url`` strings (percent-encoded), destination-relative file paths, ``page.id``
and the ``relative_url``/``absolute_url`` results (spec §5, §7, §9.1, §11).
"""
from __future__ import annotations

from functools import lru_cache

import posixpath
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import unquote_to_bytes

from blogkit.dates import ruby_strftime
from blogkit.fastpaths import relative_from_parts
from blogkit.slugify import ruby_downcase, slugify

__all__ = [
    "STYLES", "permalink_template", "escape_path", "sanitize_url", "post_url_values",
    "expand_template", "url_to_relpath", "page_url", "document_id", "normalize_uri",
    "relative_url", "absolute_url",
]

STYLES: dict[str, str] = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


def permalink_template(site_permalink: str) -> str:
    """Template for the site ``permalink`` setting: a style name, else the literal text."""
    return STYLES.get(site_permalink, site_permalink)


# --- escaping ---------------------------------------------------------------------------

_UNRESERVED = "A-Za-z0-9\\-._~"
_PLAIN_PATH = re.compile(r"^[a-zA-Z0-9./-]+$")
# Addressable::URI.encode keeps pchar + '/' in the path and also '?' once a query starts;
# '#' always ends up as %23 (Jekyll subs the fragment delimiter, the fragment encoder the rest).
_ESCAPE_PATH_UNSAFE = re.compile(rf"[^{_UNRESERVED}!$&'()*+,;=:@/?]")


def _pct(match: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in match[0].encode("utf-8"))


def escape_path(value: str) -> str:
    """``Jekyll::URL.escape_path``: percent-encode a placeholder value (§7.1)."""
    if not value or _PLAIN_PATH.match(value):
        return value
    return _ESCAPE_PATH_UNSAFE.sub(_pct, value)


def sanitize_url(url: str) -> str:
    """Leading '/', '..' -> '/', drop './', squeeze '/' — exactly Jekyll's (lossy) rule."""
    out = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", out)


# --- post placeholders ------------------------------------------------------------------

def _dedup(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def post_url_values(date: datetime, slug: str, categories: Sequence[str], basename: str,
                    output_ext: str, path_under_posts: str) -> dict[str, str]:
    """Every §5.2 placeholder for a post. ``date`` must already be in the site zone,
    ``basename`` is the file name without extension (date included), ``slug`` the
    front-matter ``slug`` or the filename slug, ``path_under_posts`` the ``:path`` value."""
    fmt = {
        "year": "%Y", "month": "%m", "day": "%d", "hour": "%H", "minute": "%M",
        "second": "%S", "i_day": "%-d", "i_month": "%-m", "short_month": "%b",
        "long_month": "%B", "short_year": "%y", "w_year": "%G", "week": "%V",
        "w_day": "%u", "short_day": "%a", "long_day": "%A", "y_day": "%j",
    }
    values = {name: ruby_strftime(date, spec) for name, spec in fmt.items()}
    values.update({
        "collection": "posts",
        "path": path_under_posts,
        "name": slugify(basename),
        "title": slugify(slug, "pretty", cased=True),
        "slug": slugify(slug),
        # not slugified: only downcased, deduplicated after downcasing (§5.3)
        "categories": "/".join(_dedup([ruby_downcase(str(c)) for c in categories])),
        "slugified_categories": "/".join(_dedup([slugify(str(c)) for c in categories])),
        "output_ext": output_ext,
    })
    return values


_PLACEHOLDER = re.compile(r":([a-z_]+)")


def expand_template(template: str, values: Mapping[str, str]) -> str:
    """Substitute ``:name`` placeholders (each value escaped first), then sanitise (§5.4)."""
    def repl(match: re.Match[str]) -> str:
        name = match[1]
        # '/:month_:day': the greedy name 'month_' is retried without its '_'
        pool = [name, name[:-1]] if name.endswith("_") else [name]
        winner = next((key for key in pool if key in values), None)
        if winner is None:
            raise ValueError(
                f"unknown permalink placeholder ':{' or :'.join(pool)}' in {template!r} "
                f"(known: {', '.join(':' + k for k in sorted(values))})")
        replacement = escape_path(values[winner] or "")
        return match[0].replace(":" + winner, replacement, 1)
    return sanitize_url(_PLACEHOLDER.sub(repl, template))


# --- destination paths ------------------------------------------------------------------

_DRIVE = re.compile(r"^[A-Za-z]:")  # (compiled: this runs for every generated page)
_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)


MAX_NAME_BYTES = 255


@lru_cache(maxsize=1 << 14)  # (pure, and the path immutable: every build plans the same archive pages)
def url_to_relpath(url: str, output_ext: str) -> PurePosixPath:
    """Destination-relative file for ``url`` (§5.4 step 4); refuses escaping paths."""
    try:
        decoded = unquote_to_bytes(url).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"URL {url!r} does not decode to UTF-8") from exc
    if "\x00" in decoded or "\\" in decoded:
        raise ValueError(f"URL {url!r} contains a NUL byte or backslash")
    parts = [p for p in decoded.split("/") if p not in ("", ".")]
    for i, part in enumerate(parts):
        if part == "..":
            raise ValueError(f"URL {url!r} would leave the destination ('..' segment)")
        if i == 0 and _DRIVE.match(part):
            raise ValueError(f"URL {url!r} looks like a drive path")
        if _WINDOWS_DEVICES.match(part.rstrip(" .")):
            raise ValueError(f"URL {url!r} contains the Windows device name {part!r}")
        if len(part.encode("utf-8")) > MAX_NAME_BYTES - 16:
            # file systems stop at 255 bytes a name; leave room for the output extension
            raise ValueError(f"a part of URL {url[:80]!r}... is {len(part.encode('utf-8'))} bytes long, "
                             f"more than a file name can hold ({MAX_NAME_BYTES - 16})")
    if decoded.endswith("/") or not parts:
        # Jekyll joins "index" and then appends the output extension
        parts.append("index" + output_ext)
    elif output_ext and not parts[-1].endswith(output_ext):
        parts[-1] += output_ext
    return relative_from_parts(parts)


_HTML_EXTS = (".html", ".xhtml", ".htm")


def page_url(rel_path: str, output_ext: str, site_permalink: str) -> str:
    """URL of a non-post page at source-relative ``rel_path`` (§5.6), no page permalink."""
    directory, name = posixpath.split(rel_path)
    basename = re.sub(r"\.*$", "", posixpath.splitext(name)[0])
    if output_ext not in _HTML_EXTS:
        template = "/:path/:basename:output_ext"
    elif basename == "index":
        template = "/:path/"
    else:
        template = "/:path/:basename"
        if site_permalink == "pretty":
            template += "/"
        elif site_permalink in ("date", "ordinal", "none"):
            template += ":output_ext"
        else:
            if site_permalink.endswith("/"):
                template += "/"
            if site_permalink.endswith(":output_ext"):
                template += ":output_ext"
    # pages expand from a plain hash: each key replaced everywhere, in this order
    for key, value in (("path", directory), ("basename", basename), ("output_ext", output_ext)):
        template = template.replace(":" + key, escape_path(value))
    return sanitize_url(template)


def _ruby_dirname(path: str) -> str:
    stripped = path.rstrip("/")
    if not stripped:
        return "/" if path.startswith("/") else "."
    head = stripped.rsplit("/", 1)[0] if "/" in stripped else "."
    return head.rstrip("/") or ("/" if stripped.startswith("/") else head)


def document_id(url: str, raw_slug: str) -> str:
    """``page.id`` = File.join(File.dirname(url), slug), slug raw (not escaped: §11 shows
    ``/2024/01/15/My Custom Slug``). The feed ``<id>`` is ``absolute_url`` of this value,
    whose normalisation percent-encodes it (``My%20Custom%20Slug``)."""
    return re.sub(r"/{2,}", "/", _ruby_dirname(url) + "/" + raw_slug)


# --- Addressable-style normalisation -----------------------------------------------------

_URIREGEX = re.compile(r"^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?$", re.S)
_PCHAR_KEEP = f"{_UNRESERVED}!$&'()*+,;=:@"
_DEFAULT_PORTS = {"http": "80", "https": "443", "ftp": "21", "tftp": "69"}


def _normalize_component(text: str, keep: str, leave_encoded: str = "") -> str:
    """Decode valid %XX (except ``leave_encoded``), NFKC, re-encode what ``keep`` lacks."""
    raw = bytearray()
    i = 0
    data = text.encode("utf-8")
    while i < len(data):
        chunk = data[i:i + 3]
        if (chunk[:1] == b"%" and len(chunk) == 3
                and re.fullmatch(rb"%[0-9A-Fa-f]{2}", chunk)):
            byte = int(chunk[1:], 16)
            if chr(byte) in leave_encoded:
                raw += chunk.upper()
            else:
                raw.append(byte)
            i += 3
        else:
            raw.append(data[i])
            i += 1
    try:
        decoded = unicodedata.normalize("NFKC", raw.decode("utf-8"))
    except UnicodeDecodeError:
        decoded = raw.decode("latin-1")  # undecodable bytes: re-encode them one by one
        return re.sub(rf"[^{keep}]", lambda m: f"%{ord(m[0]):02X}", decoded)
    if leave_encoded:
        # a kept '%2B' survives; any other '%' is a literal percent sign
        kept = "|".join(f"{ord(c):02X}" for c in leave_encoded)
        allowed = re.compile(rf"[^{keep}%]|%(?!{kept})")
    else:
        allowed = re.compile(rf"[^{keep}]")
    return allowed.sub(_pct, decoded)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4."""
    out: list[str] = []
    inp = path
    while inp:
        if inp.startswith("../"):
            inp = inp[3:]
        elif inp.startswith("./"):
            inp = inp[2:]
        elif inp.startswith("/./"):
            inp = inp[2:]
        elif inp == "/.":
            inp = "/"
        elif inp.startswith("/../"):
            inp = inp[3:]
            if out:
                out.pop()
        elif inp == "/..":
            inp = "/"
            if out:
                out.pop()
        elif inp in (".", ".."):
            inp = ""
        else:
            m = re.match(r"^/?[^/]*", inp)
            assert m is not None
            out.append(m[0])
            inp = inp[len(m[0]):]
    return "".join(out)


def _normalize_host(host: str) -> str:
    host = host.lower()
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return _normalize_component(host, _UNRESERVED + "!$&'()*+,;=:\\[\\]")


# Already-normal URLs (the common case: every post URL in a sitemap or feed) are returned as
# they are: lowercase http(s) host without port, no query/fragment, uppercase %XX that encode
# no unreserved character, no dot segments, and NFKC-stable text once decoded.
_FAST_OK = re.compile(r"(?:https?://[a-z0-9.\-]+(?=/))?(?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-F]{2})*)+")
_FAST_UNRESERVED_PCT = re.compile(r"%(?:2[DE]|3[0-9]|[46][1-9A-F]|[57][0-9A]|5F|7E)")
_FAST_DOTS = re.compile(r"/\.\.?(?:/|$)")


def _already_normal(text: str) -> bool:
    if not _FAST_OK.fullmatch(text) or _FAST_UNRESERVED_PCT.search(text) or _FAST_DOTS.search(text):
        return False
    if "%" not in text:
        return True
    try:
        decoded = unquote_to_bytes(text).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return unicodedata.is_normalized("NFKC", decoded)


@lru_cache(maxsize=1 << 16)  # (pure; templates ask for the same post URLs on every archive page)
def normalize_uri(text: str) -> str:
    """``Addressable::URI.parse(text).normalize.to_s`` for the parts Jekyll's filters use."""
    if _already_normal(text):
        return text
    return _normalize_uri(text)


@lru_cache(maxsize=1 << 16)
def _normalize_uri(text: str) -> str:
    m = _URIREGEX.match(text)
    assert m is not None  # every string matches the RFC 3986 appendix B regex
    scheme, authority, path, query, fragment = m[2], m[4], m[5], m[7], m[9]
    scheme = scheme.lower() if scheme else None
    out = f"{scheme}:" if scheme else ""
    if authority is not None:
        userinfo, _, hostport = authority.rpartition("@")
        host, port = hostport, ""
        pm = re.match(r"^(.*?):(\d*)$", hostport)
        if pm and not hostport.endswith("]"):
            host, port = pm[1], pm[2]
        if port == _DEFAULT_PORTS.get(scheme or "") or port == "":
            port = ""
        out += "//" + (userinfo + "@" if userinfo else "") + _normalize_host(host)
        out += f":{port}" if port else ""
    if not scheme and re.match(r"^[^/:]*:", path):
        path = path.replace(":", "%2F", 1)  # Addressable's guard for 'a:b' relative paths
    path = "/".join(_normalize_component(seg, _PCHAR_KEEP) for seg in path.strip().split("/"))
    path = _remove_dot_segments(path)
    if not path and scheme in ("http", "https", "ftp", "tftp"):
        path = "/"
    out += path
    if query is not None:
        pairs = [_normalize_component(p, f"{_UNRESERVED}!$'()*+,=:@/?", "+")
                 for p in query.split("&")]
        joined = "&".join(pairs)
        if joined:
            out += "?" + joined
    if fragment is not None:
        out += "#" + _normalize_component(fragment, _PCHAR_KEEP + "/?")
    return out


def _is_absolute(text: str) -> bool:
    m = _URIREGEX.match(text)
    return bool(m and m[2])


def _as_text(path: object) -> str:
    if path is None:
        return ""
    url = getattr(path, "url", None)
    if isinstance(url, str) and not isinstance(path, str):
        return url
    return str(path)


def _leading_slash(text: str) -> str:
    return text if not text or text.startswith("/") else "/" + text


def relative_url(path: object, baseurl: str | None) -> str:
    """§7.2: baseurl (trailing '/' chopped) + path, normalised; absolute URIs unchanged.
    ``None`` gives "" (Jekyll returns nil, which prints as nothing)."""
    if path is None:
        return ""
    text = _as_text(path)
    if _is_absolute(text):
        return text
    base = (baseurl or "")
    base = base[:-1] if base.endswith("/") else base
    return normalize_uri(_leading_slash(base) + _leading_slash(text))


def absolute_url(path: object, url: str | None, baseurl: str | None) -> str:
    """§7.3: ``url`` concatenated verbatim (double-slash BUG kept) + relative_url, normalised."""
    if path is None:
        return ""
    text = _as_text(path)
    if _is_absolute(text):
        return text
    if not url:
        return relative_url(text, baseurl)
    return normalize_uri(str(url) + relative_url(text, baseurl))
