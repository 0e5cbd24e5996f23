"""Liquid templates for Jekyll sites (python-liquid plus Jekyll's tags and filters).

``make_engine(...)`` gives the build's ``LiquidEngine`` (None for a blogkit site);
``template_engine(config)`` says which engine renders layouts: "liquid" or "jinja".
python-liquid is imported only when a Jekyll site needs it (``engine``), never for a blogkit site.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .choice import template_engine

if TYPE_CHECKING:
    from ..config import SiteConfig
    from ..content.model import SiteModel
    from ..errors import ProblemLog
    from .engine import LiquidEngine

__all__ = ["LiquidEngine", "close_open_blocks", "has_liquid", "make_engine", "template_engine"]


def make_engine(config: "SiteConfig", model: "SiteModel", markdownify: Callable[[str], str],
                smartify: Callable[[str], str], zone: Any, log: "ProblemLog") -> "LiquidEngine | None":
    """The Liquid engine for a Jekyll site; None for a blogkit site (Jinja, unchanged)."""
    if config.kind != "jekyll":
        return None
    from . import engine
    return engine.make_engine(config, model, markdownify, smartify, zone, log)


def __getattr__(name: str) -> Any:
    if name in ("LiquidEngine", "close_open_blocks", "has_liquid"):
        from . import engine
        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
