"""Dates the way Jekyll 4.3.1 (Ruby ``Time``) reads and prints them — pure functions.

Input: front-matter date values (YAML scalars or raw strings), filename dates, a site zone.
Output: aware ``datetime`` objects in the site zone, and the strings Jekyll's date filters
and URL placeholders print (spec §1.1, §3, §10.1).
"""
from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from functools import lru_cache
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "site_zone", "parse_date", "filename_date", "xmlschema", "rfc822",
    "date_to_string", "date_to_long_string", "ruby_strftime", "ruby_time_parse",
]

_ACCEPTED = (
    "accepted formats: 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS] [+HHMM|+HH:MM|Z]', "
    "'YYYY-MM-DDTHH:MM:SS[Z|+HH:MM]', 'YYYY/MM/DD HH:MM', 'Mar 5 2024', '5 March 2024 10:00'"
)


def site_zone(name: str | None) -> tzinfo:
    """The site zone: an IANA name, or (None/empty) the process local zone.

    Jekyll sets ``TZ`` from ``timezone``; without it Ruby uses the C library's local zone,
    which honours ``TZ`` first and ``/etc/localtime`` second.
    """
    if name:
        try:
            return ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {name!r} (use an IANA name such as 'Asia/Tokyo')") from exc
    env = os.environ.get("TZ")
    if env:
        key = env[1:] if env.startswith(":") else env
        try:
            return ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError):
            # POSIX TZ strings such as 'JST-9' are not IANA keys; fall through like libc
            # would for an unreadable zone file.
            pass
    localtime = Path("/etc/localtime")
    try:
        target = os.path.realpath(localtime)
        marker = "/zoneinfo/"
        if marker in target:
            return ZoneInfo(target.split(marker, 1)[1])
        with localtime.open("rb") as fh:
            return ZoneInfo.from_file(fh, key="localtime")
    except (OSError, ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _localize(naive: datetime, zone: tzinfo) -> datetime:
    """Wall time in ``zone``; gap times move forward and ambiguous ones take the first
    occurrence, as Ruby's ``Time.local`` does (fold=0 then normalise through UTC)."""
    return naive.replace(tzinfo=zone).astimezone(timezone.utc).astimezone(zone)


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}

_TIME = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<frac>\d+))?)?"
_OFFSET = r"(?P<off>Z|z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2})?"
_NAMED = r"(?:\s*\(?[A-Za-z]{2,5}\)?)?"  # 'JST' & co: ignored, as Ruby's are unreliable
_ISO = re.compile(
    r"^(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
    rf"(?:(?:[Tt]|\s+){_TIME})?\s*{_OFFSET}{_NAMED}$"
)
_WORDY = re.compile(
    r"^(?:[A-Za-z]{3,9},?\s+)?"  # optional weekday
    r"(?:(?P<mon1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon2>[A-Za-z]{3,9})\.?,?)"
    rf"\s+(?P<y>\d{{4}})(?:\s+{_TIME})?\s*{_OFFSET}{_NAMED}$"
)


def _offset(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text in ("Z", "z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _parse_text(text: str, zone: tzinfo, convert: bool = True) -> datetime:
    s = text.strip()
    match = _ISO.match(s)
    if match:
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    else:
        match = _WORDY.match(s)
        if not match:
            raise ValueError(f"invalid date {text!r}; {_ACCEPTED}")
        mon = (match["mon1"] or match["mon2"]).lower()[:3]
        if mon not in _MONTHS:
            raise ValueError(f"invalid date {text!r}: unknown month; {_ACCEPTED}")
        year, month, day = int(match["y"]), _MONTHS[mon], int(match["d1"] or match["d2"])
    frac = match["frac"] or "0"
    try:
        naive = datetime(
            year, month, day, int(match["H"] or 0), int(match["M"] or 0), int(match["S"] or 0),
            int(frac[:6].ljust(6, "0")),
        )
    except ValueError as exc:
        raise ValueError(f"invalid date {text!r}: {exc}; {_ACCEPTED}") from exc
    fixed = _offset(match["off"])
    if fixed is None:
        return _localize(naive, zone)
    aware = naive.replace(tzinfo=fixed)
    return aware.astimezone(zone) if convert else aware


def ruby_time_parse(text: str, zone: tzinfo) -> datetime:
    """Ruby ``Time.parse``: like ``parse_date`` on a string, but an explicit offset is
    kept instead of converted (Liquid's ``date`` filter prints ``+0900`` for
    ``"2024-03-01 09:05:00 +0900"`` even on a UTC site — verified with jekyll build)."""
    return _parse_text(text, zone, convert=False)


def parse_date(value: object, zone: tzinfo) -> datetime:
    """A front-matter date as an aware datetime converted to ``zone``.

    A *naive* ``datetime`` is taken as wall time in ``zone``. PyYAML turns
    ``2024-03-09T23:30:00Z`` into a naive UTC datetime, so callers holding YAML values with
    an offset must pass the original scalar text instead (or an aware datetime).
    """
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            return _localize(value, zone)
        return value.astimezone(zone)
    if isinstance(value, date):
        return _localize(datetime.combine(value, time()), zone)
    if isinstance(value, str):
        return _parse_text(value, zone)
    raise ValueError(f"invalid date {value!r} (a {type(value).__name__}); {_ACCEPTED}")


_FILENAME_DATE = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})$")


def filename_date(text: str, zone: tzinfo) -> datetime:
    """The date part of a post filename (``2024-3-7``) at 00:00 local time in ``zone``."""
    match = _FILENAME_DATE.match(text)
    if not match:
        raise ValueError(f"invalid filename date {text!r} (expected YYYY-MM-DD)")
    year = int(match[1])
    if len(match[1]) == 2:
        # Ruby's Date._parse completes two-digit years into 1969..2068
        year += 2000 if year < 69 else 1900
    try:
        return _localize(datetime(year, int(match[2]), int(match[3])), zone)
    except ValueError as exc:
        raise ValueError(f"invalid filename date {text!r}: {exc}") from exc


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=timezone.utc)


def _offset_text(dt: datetime, colon: bool) -> str:
    off = _aware(dt).utcoffset() or timedelta(0)
    total = int(off.total_seconds())
    sign = "-" if total < 0 else "+"
    hours, rest = divmod(abs(total), 3600)
    return f"{sign}{hours:02d}{':' if colon else ''}{rest // 60:02d}"


def xmlschema(dt: datetime) -> str:
    """Ruby ``Time#xmlschema`` of a local (non-UTC-flagged) time: always ``±HH:MM``."""
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + _offset_text(dt, colon=True)


def rfc822(dt: datetime) -> str:
    return ruby_strftime(dt, "%a, %d %b %Y %H:%M:%S ") + _offset_text(dt, colon=False)


def _ordinal(day: int) -> str:
    if 11 <= day <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def _stringify(dt: datetime, month: str, kind: str | None, style: str | None) -> str:
    if kind == "ordinal":
        if style == "US":
            return ruby_strftime(dt, f"{month} {_ordinal(dt.day)}, %Y")
        return ruby_strftime(dt, f"{_ordinal(dt.day)} {month} %Y")
    return ruby_strftime(dt, f"%d {month} %Y")


def date_to_string(dt: datetime, kind: str | None = None, style: str | None = None) -> str:
    return _stringify(dt, "%b", kind, style)


def date_to_long_string(dt: datetime, kind: str | None = None, style: str | None = None) -> str:
    return _stringify(dt, "%B", kind, style)


# --- Ruby strftime ---------------------------------------------------------------------

_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]
_DIRECTIVE = re.compile(r"%([-_0^#]*)(\d*)(:{0,3})([a-zA-Z%])")


def _week_number(dt: datetime, first_weekday: int) -> int:
    """%U (first_weekday=6, Sunday) / %W (0, Monday): weeks before the first such day are 0."""
    yday = dt.timetuple().tm_yday - 1
    wday = (dt.weekday() - first_weekday) % 7
    return (yday + 7 - wday) // 7


def _hour12(d: datetime) -> int:
    return d.hour % 12 or 12


# One entry per conversion, each computed only when asked for: building every field for every
# directive (isocalendar, timestamp, week numbers...) made date-heavy archive pages slow.
_FIELDS: dict[str, Callable[[datetime], tuple[str | int, str, int]]] = {
    "Y": lambda d: (d.year, "0", 4 if d.year >= 0 else 5), "C": lambda d: (d.year // 100, "0", 2),
    "y": lambda d: (d.year % 100, "0", 2), "m": lambda d: (d.month, "0", 2),
    "B": lambda d: (_MONTH_NAMES[d.month - 1], " ", 0), "b": lambda d: (_MONTH_NAMES[d.month - 1][:3], " ", 0),
    "h": lambda d: (_MONTH_NAMES[d.month - 1][:3], " ", 0), "d": lambda d: (d.day, "0", 2),
    "e": lambda d: (d.day, " ", 2),
    "j": lambda d: (d.timetuple().tm_yday, "0", 3), "H": lambda d: (d.hour, "0", 2),
    "k": lambda d: (d.hour, " ", 2),
    "I": lambda d: (_hour12(d), "0", 2), "l": lambda d: (_hour12(d), " ", 2),
    "P": lambda d: ("am" if d.hour < 12 else "pm", " ", 0),
    "p": lambda d: ("AM" if d.hour < 12 else "PM", " ", 0), "M": lambda d: (d.minute, "0", 2),
    "S": lambda d: (d.second, "0", 2), "L": lambda d: (d.microsecond // 1000, "0", 3),
    "N": lambda d: (f"{d.microsecond:06d}000", " ", 0), "A": lambda d: (_DAYS[d.weekday()], " ", 0),
    "a": lambda d: (_DAYS[d.weekday()][:3], " ", 0), "u": lambda d: (d.isoweekday(), "0", 1),
    "w": lambda d: (d.isoweekday() % 7, "0", 1), "G": lambda d: (d.isocalendar()[0], "0", 4),
    "g": lambda d: (d.isocalendar()[0] % 100, "0", 2),
    "V": lambda d: (d.isocalendar()[1], "0", 2), "U": lambda d: (_week_number(d, 6), "0", 2),
    "W": lambda d: (_week_number(d, 0), "0", 2), "s": lambda d: (int(d.timestamp()), "0", 1),
    "Z": lambda d: (_zone_name(d), " ", 0), "n": lambda d: ("\n", " ", 0), "t": lambda d: ("\t", " ", 0),
    "%": lambda d: ("%", " ", 0),
}


def _field(dt: datetime, conv: str, colons: str) -> tuple[str | int, str, int] | None:
    """(value, default pad char, default width) for one conversion; None if unknown."""
    d = _aware(dt)
    if conv == "z":
        off = int((d.utcoffset() or timedelta(0)).total_seconds())
        sign = "-" if off < 0 else "+"
        h, rest = divmod(abs(off), 3600)
        m, s = divmod(rest, 60)
        text = {"": f"{sign}{h:02d}{m:02d}", ":": f"{sign}{h:02d}:{m:02d}",
                "::": f"{sign}{h:02d}:{m:02d}:{s:02d}"}.get(colons)
        return None if text is None else (text, " ", 0)
    if colons:
        return None
    make = _FIELDS.get(conv)
    return None if make is None else make(d)


def _zone_name(d: datetime) -> str:
    # Ruby times parsed with a numeric offset carry no zone name; %Z prints "" for them
    if isinstance(d.tzinfo, timezone) and d.utcoffset() != timedelta(0):
        return ""
    return d.tzname() or ""


_COMPOSITE = {"c": "%a %b %e %H:%M:%S %Y", "D": "%m/%d/%y", "x": "%m/%d/%y", "F": "%Y-%m-%d",
              "T": "%H:%M:%S", "X": "%H:%M:%S", "R": "%H:%M", "r": "%I:%M:%S %p",
              "v": "%e-%^b-%4Y"}


def _one(dt: datetime, flags: str, width_text: str, colons: str, conv: str) -> str | None:
    if conv in _COMPOSITE and not colons:
        text = ruby_strftime(dt, _COMPOSITE[conv])
        pad, width = " ", 0
    else:
        found = _field(dt, conv, colons)
        if found is None:
            return None
        value, pad, width = found
        if conv == "N" and width_text:
            # %3N = milliseconds: digits are truncated, not padded
            return str(value)[: int(width_text)]
        text = str(value)
    if "^" in flags:
        text = text.upper()
    elif "#" in flags:
        # Ruby's '#' flag: upcase, except that %p (already upper) is downcased
        text = text.lower() if conv == "p" else text.upper()
    if "-" in flags:
        return text
    if "_" in flags:
        pad = " "
    elif "0" in flags:
        pad = "0"
    if width_text:
        width = int(width_text)
    negative = text.startswith("-") and pad == "0"
    body = text[1:] if negative else text
    body = body.rjust(width - (1 if negative else 0), pad)
    return ("-" if negative else "") + body


def ruby_strftime(dt: datetime, fmt: str) -> str:
    """Ruby ``Time#strftime`` (flags ``-_0^#``, widths, ``%:z``), English names only.
    Unknown directives are printed verbatim, as Ruby does."""
    # Memoised: an archive page formats the date of every post it lists. Offset and zone name
    # are part of the key because aware datetimes compare (and hash) by instant alone.
    zone = (dt.utcoffset(), dt.tzname()) if isinstance(dt, datetime) else None
    return _strftime(dt, zone, fmt)


@lru_cache(maxsize=1 << 16)
def _strftime(dt: datetime, zone: Any, fmt: str) -> str:
    def repl(match: re.Match[str]) -> str:
        out = _one(dt, match[1], match[2], match[3], match[4])
        return match[0] if out is None else out
    return _DIRECTIVE.sub(repl, fmt)
