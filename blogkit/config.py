"""Site configuration: YAML files in, a frozen ``SiteConfig`` out.

Two kinds of site share one engine:

* a **Jekyll site** has ``_config.yml`` at its root and keeps ``_posts``, pages and static files
  there; it gets exactly the outputs Jekyll would write for its ``plugins:`` list;
* a **blogkit site** has ``site.yml``; its Jekyll-style source tree lives in ``content/``,
  templates in ``templates/``, static files in ``static/``, and blogkit's extras are on by default.

Keys have Jekyll's names, meanings and defaults (spec §1). Unknown keys are kept for templates
(``site.<key>``); a key that looks like a typo of a known one gets a warning with the suggestion.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from .errors import BlogkitError, Location, Problem, Severity

JEKYLL_CONFIG_NAMES = ("_config.yml", "_config.yaml")
BLOGKIT_CONFIG_NAME = "site.yml"

ALWAYS_EXCLUDED = [".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock",
                   "node_modules", "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/"]

# Jekyll's defaults (lib/jekyll/configuration.rb) for the keys a blog uses.
DEFAULTS: dict[str, Any] = {
    "baseurl": "",
    "url": "",
    "permalink": "date",
    "timezone": None,
    "future": False,
    "show_drafts": None,
    "unpublished": False,
    "limit_posts": 0,
    "excerpt_separator": "\n\n",
    "exclude": [],
    "include": [".htaccess"],
    "keep_files": [".git", ".svn"],
    "markdown_ext": "markdown,mkdown,mkdn,mkd,md",
    "markdown": "kramdown",
    "highlighter": "rouge",
    "kramdown": {"input": "GFM", "auto_ids": True, "smart_quotes": "lsquo,rsquo,ldquo,rdquo",
                 "entity_output": "as_char", "hard_wrap": False, "guess_lang": True,
                 "footnote_nr": 1, "toc_levels": "1..6"},
    "defaults": [],
    "plugins": [],
    "paginate_path": "/page:num",
    "collections": {},
    "collections_dir": "",
    "strict_front_matter": False,
    "lang": None,
    "title": None,
    "description": None,
    "author": None,
    "time": None,
}

# blogkit's own keys (documented in the README).
BLOGKIT_DEFAULTS: dict[str, Any] = {
    "features": {},
    # Reading speed for the computed reading_time: CJK characters and Latin words are counted
    # separately because Japanese has no spaces (one "word" per paragraph otherwise).
    "reading_time": {"cjk_chars_per_minute": 500, "words_per_minute": 200},
}

KNOWN_KEYS = set(DEFAULTS) | set(BLOGKIT_DEFAULTS) | {
    "source", "destination", "name", "email", "paginate", "feed", "jekyll-archives", "sitemap",
    "theme", "twitter", "github_username", "twitter_username", "logo", "social", "encoding",
    "safe", "incremental", "profile", "quiet", "verbose", "liquid", "sass", "webrick",
    "port", "host", "livereload", "data_dir", "layouts_dir", "includes_dir", "plugins_dir",
    "show_dir_listing", "detach", "whitelist", "gems", "image", "date_format", "locale",
    "search", "related_posts", "tag_page_title", "nav", "new_post", "check", "categories_allowed",
}

# Feature switches. A Jekyll site gets a feature only when its plugin is listed (or the feature is
# switched on under `features:`); a blogkit site gets them all unless switched off.
FEATURE_PLUGINS = {
    "feed": "jekyll-feed", "sitemap": "jekyll-sitemap", "archives": "jekyll-archives",
    "paginate": "jekyll-paginate", "seo": "jekyll-seo-tag",
}
EXTRA_FEATURES = ("tag_feeds", "tag_cloud", "related_posts", "theme_assets", "search", "paginate_archives")
# Search needs Pagefind, an optional extra; it stays off unless asked for.
BLOGKIT_DEFAULT_OFF = {"search"}


@dataclass(frozen=True)
class SiteConfig:
    """The merged configuration. ``data`` is what templates see as ``site``."""

    source: Path                 # where site.yml / _config.yml lives
    content_dir: Path            # Jekyll-rules source tree (= source for a Jekyll site)
    destination: Path
    kind: str                    # "blogkit" or "jekyll"
    data: Mapping[str, Any]
    templates_dirs: tuple[Path, ...] = ()
    static_dir: Path | None = None
    config_files: tuple[Path, ...] = ()
    features: frozenset[str] = field(default_factory=frozenset)
    time: datetime | None = None  # site.time when pinned by config; None = now
    # top-level key -> (config file as shown, line) of the file that set it last, for messages
    key_origins: Mapping[str, tuple[str, int]] = field(default_factory=dict)

    def where(self, key: str) -> Location:
        """Where a config key was set: `site.yml:7`; the last config file if no file set it."""
        if key in self.key_origins:
            return Location(*self.key_origins[key])
        return Location(self.config_files[-1].name if self.config_files else "config")

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def has(self, feature: str) -> bool:
        return feature in self.features

    @property
    def markdown_exts(self) -> frozenset[str]:
        return frozenset("." + e.strip().lower() for e in str(self.get("markdown_ext", "")).split(",") if e.strip())

    @property
    def paginate(self) -> int:
        try:
            return max(0, int(self.get("paginate") or 0))
        except (TypeError, ValueError):
            return 0

    @classmethod
    def for_tests(cls, source: Path, **overrides: Any) -> "SiteConfig":
        config, _ = load_config(source, overrides=overrides)
        return config


def deep_merge(base: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """Jekyll's merge: mappings merge key by key, other values replace, a later null never does."""
    out = dict(base)
    for key, value in other.items():
        if value is None and key in out:
            continue
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def parse_config(text: str, path: str) -> dict[str, Any]:
    """Parse one config file's text; raise BlogkitError with the YAML line on bad input."""
    try:
        loaded = yaml.safe_load(text) if text.strip() else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise BlogkitError(f"invalid YAML: {exc.problem or exc}", Location(path, line),
                           "fix the YAML syntax (quote values that contain ': ' or start with a special character)",
                           code="bad-config") from None
    except yaml.YAMLError as exc:
        raise BlogkitError(f"invalid YAML: {exc}", Location(path), code="bad-config") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise BlogkitError("the configuration must be a YAML mapping (key: value lines)", Location(path, 1),
                           code="bad-config")
    return {str(k): v for k, v in loaded.items()}


def _key_lines(text: str) -> dict[str, int]:
    """Line number of each top-level key, for messages about keys."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line and not line[0].isspace() and not line.startswith("#") and ":" in line:
            lines.setdefault(line.split(":", 1)[0].strip().strip("'\""), number)
    return lines


def detect_kind(source: Path, config_files: list[Path] | None) -> str:
    if config_files:
        return "blogkit" if any(p.name == BLOGKIT_CONFIG_NAME for p in config_files) else "jekyll"
    return "blogkit" if (source / BLOGKIT_CONFIG_NAME).is_file() else "jekyll"


def load_config(source: Path, config_files: list[Path] | None = None,
                overrides: Mapping[str, Any] | None = None,
                destination: Path | None = None) -> tuple[SiteConfig, list[Problem]]:
    """Read the site's config files (or the given ones), merge, validate, apply CLI overrides."""
    source = source.resolve()
    problems: list[Problem] = []
    kind = detect_kind(source, config_files)
    if config_files is None:
        names = (BLOGKIT_CONFIG_NAME,) if kind == "blogkit" else JEKYLL_CONFIG_NAMES
        found = [source / n for n in names if (source / n).is_file()][:1]
        if not found and kind == "jekyll" and (source / "_config.toml").is_file():
            problems.append(Problem("_config.toml is not supported; convert it to _config.yml",
                                    Location("_config.toml"), severity=Severity.WARNING, code="config"))
        if not found:
            problems.append(Problem(f"no configuration file found in {source}; using defaults",
                                    severity=Severity.WARNING, code="config"))
        config_files = found
    merged: dict[str, Any] = deep_merge(DEFAULTS, BLOGKIT_DEFAULTS)
    origins: dict[str, tuple[str, int]] = {}
    for path in config_files:
        shown = path.name if path.parent.resolve() == source else str(path)
        if not path.is_file():
            raise BlogkitError(f"configuration file {path} does not exist", Location(shown),
                               "check the --config list (comma-separated paths)", code="bad-config")
        text = path.read_text(encoding="utf-8-sig")
        data = parse_config(text, shown)
        lines = _key_lines(text)
        problems.extend(_typo_warnings(data, lines, shown))
        origins.update({k: (shown, lines[k]) for k, v in data.items() if v is not None and k in lines})
        merged = deep_merge(merged, data)
    for key, value in (overrides or {}).items():
        if value is not None:
            merged[key] = value
    config = _finish(source, kind, merged, list(config_files), destination, origins)
    problems.extend(_validate(merged, config.where))
    return config, problems


def _typo_warnings(data: Mapping[str, Any], lines: Mapping[str, int], shown: str) -> list[Problem]:
    out = []
    for key in data:
        if key in KNOWN_KEYS:
            continue
        close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1, cutoff=0.8)
        if close:
            out.append(Problem(f"unknown key '{key}'", Location(shown, lines.get(key)),
                               f"did you mean '{close[0]}'? (unknown keys are kept for templates)",
                               Severity.WARNING, "config-typo"))
    return out


def _validate(merged: Mapping[str, Any], where: Callable[[str], Location]) -> list[Problem]:
    """Jekyll aborts on these (spec §13), so they are errors here too."""
    out = []
    for key in ("exclude", "include", "plugins", "keep_files", "defaults"):
        if not isinstance(merged.get(key), list):
            out.append(Problem(f"'{key}' must be a list", where(key),
                               f"write it as a YAML list, e.g. {key}: [item]", code="bad-config"))
    limit = merged.get("limit_posts")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        out.append(Problem("'limit_posts' must be a non-negative integer", where("limit_posts"),
                           "use 0 for no limit", code="bad-config"))
    return out


def _features(kind: str, merged: Mapping[str, Any]) -> frozenset[str]:
    switches = merged.get("features") if isinstance(merged.get("features"), Mapping) else {}
    plugins = merged.get("plugins") if isinstance(merged.get("plugins"), list) else []
    on: set[str] = set()
    for feature, plugin in FEATURE_PLUGINS.items():
        if kind == "blogkit" or plugin in plugins:
            on.add(feature)
    if kind == "blogkit":
        on.update(f for f in EXTRA_FEATURES if f not in BLOGKIT_DEFAULT_OFF)
    for name, value in switches.items():
        (on.add if value else on.discard)(str(name))
    # `search: true` or a `search:` mapping of options turns search on (issue: Pagefind).
    search = merged.get("search")
    if search is True or (isinstance(search, Mapping) and search.get("enabled", True)):
        on.add("search")
    return frozenset(on)


def _finish(source: Path, kind: str, merged: dict[str, Any], files: list[Path],
            destination: Path | None, origins: Mapping[str, tuple[str, int]]) -> SiteConfig:
    if kind == "blogkit":
        content = source / str(merged.get("content_dir") or "content")
        templates = (source / str(merged.get("templates_dir") or "templates"),)
        static: Path | None = source / str(merged.get("static_dir") or "static")
    else:
        content = source
        templates = (source / "_templates",)  # Jinja templates for a Jekyll site, if it has any
        static = None
    if destination is None:
        dest_value = merged.get("destination")
        destination = (source / str(dest_value)) if dest_value else source / "_site"
    destination = Path(os.path.abspath(destination))
    baseurl = merged.get("baseurl")
    merged["baseurl"] = "" if baseurl is None else str(baseurl)
    merged["url"] = "" if merged.get("url") is None else str(merged.get("url"))
    merged["source"] = str(source)
    merged["destination"] = str(destination)
    features = _features(kind, merged)
    if "paginate" in features and not merged.get("paginate") and kind == "blogkit":
        merged["paginate"] = 10
    return SiteConfig(source=source, content_dir=content, destination=destination, kind=kind,
                      data=merged, templates_dirs=templates, static_dir=static,
                      config_files=tuple(files), features=features, key_origins=dict(origins))
