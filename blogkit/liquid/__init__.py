"""Liquid templates for Jekyll sites (python-liquid plus Jekyll's tags and filters).

``make_engine(...)`` gives the build's ``LiquidEngine`` (None for a blogkit site);
``template_engine(config)`` says which engine renders layouts: "liquid" or "jinja".
"""
from __future__ import annotations

from .engine import LiquidEngine, close_open_blocks, has_liquid, make_engine, template_engine

__all__ = ["LiquidEngine", "close_open_blocks", "has_liquid", "make_engine", "template_engine"]
