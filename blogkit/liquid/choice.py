"""Which engine renders a site's layouts, answered without importing python-liquid (a blogkit
site never needs it: its import was a third of the start of every command on such a site)."""
from __future__ import annotations

from pathlib import Path

from ..config import SiteConfig


def template_engine(config: SiteConfig) -> str:
    """What renders layouts: Liquid for a Jekyll site that has ``_layouts/``, else the Jinja theme."""
    return "liquid" if config.kind == "jekyll" and layouts_dir(config).is_dir() else "jinja"


def layouts_dir(config: SiteConfig) -> Path:
    return config.source / str(config.get("layouts_dir") or "_layouts")
