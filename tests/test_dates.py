"""dates: spec §3.2/§3.3/§10.1 tables and strftime outputs taken from `jekyll build` 4.3.1."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from blogkit.dates import (date_to_long_string, date_to_string, filename_date, parse_date,
                           rfc822, ruby_strftime, site_zone, xmlschema)

UTC = ZoneInfo("UTC")
NY = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(("zone", "text", "expected"), [
    (UTC, "2025-11-03 08:00:00 +0900", "2025-11-02T23:00:00+00:00"),
    (NY, "2024-03-11 02:30:00 +0000", "2024-03-10T22:30:00-04:00"),
    (NY, "2024-05-05 09:00:00 +0900", "2024-05-04T20:00:00-04:00"),
    (TOKYO, "2024-01-31 20:00:00 +0000", "2024-02-01T05:00:00+09:00"),
    (TOKYO, "2024-03-09T23:30:00Z", "2024-03-10T08:30:00+09:00"),
    (UTC, "2025-09-29 04:37:36 +0000", "2025-09-29T04:37:36+00:00"),
    (UTC, "2024-01-07 10:00:00 +09:00", "2024-01-07T01:00:00+00:00"),
    (UTC, "2024-03-09T23:30:00+09:00", "2024-03-09T14:30:00+00:00"),
    (UTC, "2024-02-09 10:00", "2024-02-09T10:00:00+00:00"),
    (TOKYO, "2024-02-09 10:00", "2024-02-09T10:00:00+09:00"),
    (UTC, "2024-03-08", "2024-03-08T00:00:00+00:00"),
    # ground truth from jekyll build (date_to_xmlschema on strings, TZ=UTC)
    (UTC, "2024/01/07 10:00", "2024-01-07T10:00:00+00:00"),
    (UTC, "Mar 5 2024", "2024-03-05T00:00:00+00:00"),
    (UTC, "5 Mar 2024 10:00", "2024-03-05T10:00:00+00:00"),
    (UTC, "March 5, 2024", "2024-03-05T00:00:00+00:00"),
    (UTC, "2024-01-07 10:00:00 JST", "2024-01-07T10:00:00+00:00"),  # named zone ignored
    (UTC, "2024-1-7", "2024-01-07T00:00:00+00:00"),
    (UTC, "2024-01-07T10:00", "2024-01-07T10:00:00+00:00"),
    (UTC, "2024-01-07 10:00:00.5 +05:30", "2024-01-07T04:30:00+00:00"),
    (UTC, "Thu, 07 Mar 2024 10:00:00 +0000", "2024-03-07T10:00:00+00:00"),
])
def test_parse_date_strings(zone, text: str, expected: str) -> None:
    assert xmlschema(parse_date(text, zone)) == expected


def test_filename_date_is_local_midnight_dst_correct() -> None:
    # DST starts later that day: midnight is still EST
    assert xmlschema(filename_date("2024-03-10", NY)) == "2024-03-10T00:00:00-05:00"
    assert filename_date("2024-3-7", UTC) == datetime(2024, 3, 7, tzinfo=UTC)
    with pytest.raises(ValueError):
        filename_date("2024-13-01", UTC)


def test_yaml_values() -> None:
    assert xmlschema(parse_date(date(2024, 3, 8), TOKYO)) == "2024-03-08T00:00:00+09:00"
    # naive datetime = wall time in the zone
    assert xmlschema(parse_date(datetime(2024, 2, 9, 10, 0), NY)) == "2024-02-09T10:00:00-05:00"
    aware = datetime(2024, 3, 9, 23, 30, tzinfo=timezone.utc)
    assert xmlschema(parse_date(aware, TOKYO)) == "2024-03-10T08:30:00+09:00"


def test_gap_time_moves_forward_like_ruby() -> None:
    # 02:30 does not exist in New York on 2024-03-10; Ruby's Time.local gives 03:30 EDT
    assert xmlschema(parse_date("2024-03-10 02:30", NY)) == "2024-03-10T03:30:00-04:00"


@pytest.mark.parametrize("bad", ["not a date", "2024-02-30", "", 2024, None, "Foo 5 2024"])
def test_parse_date_rejects(bad: object) -> None:
    with pytest.raises(ValueError, match="accepted formats"):
        parse_date(bad, UTC)


def test_site_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert site_zone("Asia/Tokyo") == TOKYO
    with pytest.raises(ValueError, match="Mars/Olympus"):
        site_zone("Mars/Olympus")
    monkeypatch.setenv("TZ", "America/New_York")
    assert site_zone(None) == NY
    monkeypatch.setenv("TZ", ":Asia/Tokyo")
    assert site_zone("") == TOKYO
    monkeypatch.delenv("TZ")
    assert site_zone(None).utcoffset(datetime(2024, 1, 1)) is not None


def test_filters_table_10_1() -> None:
    dt = parse_date("2024-03-01 09:05:00 +0900", UTC)
    assert xmlschema(dt) == "2024-03-01T00:05:00+00:00"
    assert rfc822(dt) == "Fri, 01 Mar 2024 00:05:00 +0000"
    assert date_to_string(dt) == "01 Mar 2024"
    assert date_to_string(dt, "ordinal", "US") == "Mar 1st, 2024"
    assert date_to_long_string(dt) == "01 March 2024"
    assert date_to_long_string(dt, "ordinal") == "1st March 2024"
    # jekyll build
    assert date_to_string(parse_date("2024-03-11", UTC), "ordinal") == "11th Mar 2024"
    assert date_to_long_string(parse_date("2024-03-22", UTC), "ordinal", "US") == "March 22nd, 2024"
    assert rfc822(parse_date("2024-03-08", TOKYO)) == "Fri, 08 Mar 2024 00:00:00 +0900"


def test_ruby_strftime_matches_jekyll_build() -> None:
    dt = parse_date("2024-03-01 09:05:00", UTC)
    fmt = ("%-d|%e|%P|%p|%:z|%s|%j|%U|%W|%-m|%I|%l|%k|%^a|%10A|%-H|%C|%y|%G|%V|%u|%w|%L|%N|"
           "%3N|%F|%D|%T|%R|%r|%c|%x|%X|%h|%n|%t|%%|%Q|%+|%v|%-I|%_m|%05d|%^B|%#b|%-y")
    expected = ("1| 1|am|AM|+00:00|1709283900|061|08|09|3|09| 9| 9|FRI|    Friday|9|20|24|2024|"
                "09|5|5|000|000000000|000|2024-03-01|03/01/24|09:05:00|09:05|09:05:00 AM|"
                "Fri Mar  1 09:05:00 2024|03/01/24|09:05:00|Mar|\n|\t|%|%Q|%+| 1-MAR-2024|9| 3|"
                "00001|MARCH|MAR|24")
    assert ruby_strftime(dt, fmt) == expected


def test_ruby_strftime_offsets_and_weeks() -> None:
    dt = parse_date("2024-01-31 20:00:00 +0000", TOKYO)
    assert ruby_strftime(dt, "%Y/%-m/%-d %z %:z %::z %Z") == "2024/2/1 +0900 +09:00 +09:00:00 JST"
    # 2021-01-03 is a Sunday: ISO week 53 of 2020, %U week 1, %W week 0
    sunday = datetime(2021, 1, 3, tzinfo=UTC)
    assert ruby_strftime(sunday, "%V %G %U %W %a %u %w") == "53 2020 01 00 Sun 7 0"


def test_strftime_memo_keys_on_the_wall_clock_not_the_instant() -> None:
    """ruby_strftime is memoised; aware datetimes of one instant in two zones are equal in
    Python, and must still format as their own wall-clock time."""
    from datetime import datetime, timedelta, timezone

    from blogkit.dates import ruby_strftime

    utc = datetime(2025, 1, 1, 0, 0, tzinfo=timezone.utc)
    tokyo = utc.astimezone(timezone(timedelta(hours=9)))
    assert utc == tokyo
    assert ruby_strftime(utc, "%Y-%m-%d %H:%M %z") == "2025-01-01 00:00 +0000"
    assert ruby_strftime(tokyo, "%Y-%m-%d %H:%M %z") == "2025-01-01 09:00 +0900"
    assert ruby_strftime(utc, "%H:%M") == "00:00"   # and the first one is not overwritten
