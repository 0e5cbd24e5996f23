"""Dates and the theme's interface words in the site's language (``site.lang``)."""
from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from ..dates import parse_date

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]

UI: dict[str, dict[str, str]] = {
    "en": {"skip": "Skip to content", "home": "Home", "tags": "Tags", "categories": "Categories",
           "min_read": "{n} min read", "newer": "Newer", "older": "Older", "page": "Page {n} of {total}",
           "toc": "Contents", "related": "Related posts", "previous": "Previous post", "next": "Next post",
           "posts_in": "Posts in {name}", "tagged": "Posts tagged {name}", "archive": "Archive",
           "search": "Search", "feed": "Feed", "not_found": "Page not found", "all_tags": "Categories and tags",
           "pagination": "Pagination", "posts": "Posts", "published": "Published", "updated": "Updated",
           "menu": "Site menu", "post_nav": "More posts", "count": "{n} posts"},
    "ja": {"skip": "本文へスキップ", "home": "ホーム", "tags": "タグ", "categories": "カテゴリー",
           "min_read": "約{n}分で読めます", "newer": "新しい記事", "older": "過去の記事", "page": "{n} / {total} ページ",
           "toc": "目次", "related": "関連記事", "previous": "前の記事", "next": "次の記事",
           "posts_in": "カテゴリー「{name}」の記事", "tagged": "タグ「{name}」の記事", "archive": "アーカイブ",
           "search": "検索", "feed": "フィード", "not_found": "ページが見つかりません", "all_tags": "カテゴリーとタグ",
           "pagination": "ページ送り", "posts": "記事", "published": "公開日", "updated": "更新日",
           "menu": "サイトメニュー", "post_nav": "前後の記事", "count": "{n}件の記事"},
}


def ui_text(lang: str, key: str) -> str:
    table = UI.get(lang.split("-")[0].lower(), UI["en"])
    return table.get(key, UI["en"].get(key, key))


def date_for_lang(value: Any, lang: str, fmt: str, zone: tzinfo) -> str:
    """A date as ``lang`` writes it. ``fmt``: 'long'/'day' (`2025年9月29日`, `29 September 2025`),
    'month' (`2025年9月`, `September 2025`), 'year' (`2025年`, `2025`) for date archives, 'iso'."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        try:
            value = parse_date(value, zone)
        except ValueError:
            return str(value)
    if fmt == "iso":
        return value.strftime("%Y-%m-%d")
    ja = lang.lower().startswith("ja")
    if fmt == "year":
        return f"{value.year}年" if ja else str(value.year)
    if fmt == "month":
        return f"{value.year}年{value.month}月" if ja else f"{_MONTHS[value.month - 1]} {value.year}"
    if ja:
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
