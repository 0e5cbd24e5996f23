from __future__ import annotations
from dataclasses import dataclass
from typing import Any, Callable
from datetime import tzinfo
from .urls import relative_url, absolute_url
from .dates import xmlschema
@dataclass(frozen=True)
class FilterContext:
    baseurl: str; url: str; zone: tzinfo
    markdownify: Callable[[str], str]; smartify: Callable[[str], str]
def make_filters(ctx: FilterContext) -> dict[str, Callable[..., Any]]:
    return {"relative_url": lambda p: relative_url(p, ctx.baseurl), "absolute_url": lambda p: absolute_url(p, ctx.url, ctx.baseurl),
            "date_to_xmlschema": lambda d: xmlschema(d) if d else ""}
