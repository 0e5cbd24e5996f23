"""The Jinja environment for one build: loader, Jekyll filters, autoescaping."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from ..config import SiteConfig
from ..filters import FilterContext, make_filters
from .loader import THEME_DIR, LayoutLoader
from .fragments import Fragments
from .tracking import STATIC_PREFIX, record
from .views import static_entry

THEME_CSS = THEME_DIR.parent / "static" / "assets" / "blogkit.css"
from .i18n import date_for_lang, ui_text


@jinja2.pass_context
def static_file(context: Any, path: str) -> Any:
    """``site.static_files``' entry for ``path``, or None — a dependency on that one file only.
    (The theme's favicon test read the whole list on every page, so adding any image to the site
    re-rendered all of them.)"""
    record(STATIC_PREFIX + path)
    return static_entry(context.get("site"), path)


# Compiled-template folders kept (one per blogkit version and config in use): enough for a
# site served with and without a baseurl across a few upgrades, and the cache stays bounded.
KEEP_COMPILED = 8


def _prune_siblings(folder: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently used folders beside ``folder``."""
    others = sorted((p for p in folder.parent.iterdir() if p.is_dir() and not p.is_symlink()),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[keep:]:
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)


@dataclass
class Renderer:
    env: jinja2.Environment
    loader: LayoutLoader


def make_env(config: SiteConfig, markdownify: Callable[[str], str], smartify: Callable[[str], str],
             zone: Any, bytecode_dir: Path | None = None) -> Renderer:
    """``bytecode_dir``: where compiled templates are kept between builds (compiling the theme
    is ~35 ms of every command-line build; Jinja checks each entry against its source and its
    own version, so a stale one is compiled again)."""
    loader = LayoutLoader([*config.templates_dirs, THEME_DIR])
    bytecode = None
    if bytecode_dir is not None:
        try:
            bytecode_dir.mkdir(parents=True, exist_ok=True)
            os.utime(bytecode_dir)
            _prune_siblings(bytecode_dir, KEEP_COMPILED)
            bytecode = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
        except OSError:
            bytecode = None  # an unusable cache only costs speed
    env = jinja2.Environment(
        loader=loader,
        bytecode_cache=bytecode,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "xhtml"], default_for_string=True,
                                            default=True),
        undefined=jinja2.ChainableUndefined,  # `page.author.name` on a missing author prints nothing, as Liquid does
        trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.loopcontrols"],
    )
    ctx = FilterContext(baseurl=str(config.get("baseurl") or ""), url=str(config.get("url") or ""), zone=zone,
                        markdownify=markdownify, smartify=smartify)
    env.filters.update(make_filters(ctx))
    lang = str(config.get("lang") or "en")
    env.filters["local_date"] = lambda value, fmt="long": date_for_lang(value, lang, fmt, zone)
    env.globals["t"] = lambda key: ui_text(lang, key)
    env.globals["once"] = Fragments()  # (a fresh one per build: render/fragments.py)
    env.globals["raw"] = Markup
    env.globals["static_file"] = static_file
    # A Jekyll site gets no extra files, so the theme's CSS is inlined there instead of linked.
    env.globals["theme_css"] = lambda: Markup(THEME_CSS.read_text(encoding="utf-8"))
    from .seo import feed_links, seo  # jekyll-seo-tag and feed autodiscovery for the theme's head
    shared: dict[str, str | None] = {}  # the site's title and description, formatted once a build
    env.globals.update(feed_links=feed_links,
                       seo=lambda page, site, paginator=None, show_title=True:
                       seo(page, site, paginator, show_title, env.filters, shared))
    return Renderer(env, loader)
