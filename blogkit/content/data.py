"""``site.data``: a Jekyll ``_data/`` folder in, one nested dict out.

Mirrors Jekyll 4.3's ``DataReader``: ``.yml``/``.yaml``/``.json`` files are parsed,
``.csv``/``.tsv`` become lists of row dicts keyed by the header row, folders become nested
dicts. The key is the file's base name with Jekyll's ``sanitize_filename`` applied
(``team members.yml`` -> ``team_members``). Names starting with ``.``, ``_`` or ``#`` and
backups ending in ``~`` are skipped, as Jekyll's ``EntryFilter`` does.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import yaml


from ..errors import BlogkitError, Location, rel
from .discover import inside
from .frontmatter import check_shape

DATA_EXTS = (".yml", ".yaml", ".json", ".csv", ".tsv")

try:  # libyaml when present: thousands-of-rows data files are common on this blog
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python PyYAML
    _Loader = yaml.SafeLoader


def sanitize_key(stem: str) -> str:
    """Jekyll's ``DataReader#sanitize_filename``."""
    name = re.sub(r"[^\w\s-]+", "", stem)
    name = re.sub(r"(^|\b\s)\s+($|\s?\b)", r"\1\2", name)
    return re.sub(r"\s+", "_", name)


def _skipped(name: str) -> bool:
    return name.startswith((".", "_", "#")) or name.endswith("~")


def read_data_file(path: Path, shown: str) -> Any:
    """One data file's value; a parse error names the file (and line when the parser knows it)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BlogkitError("data file is not valid UTF-8", Location(shown, raw[:exc.start].count(b"\n") + 1),
                           "save the file as UTF-8", code="bad-data") from None
    ext = path.suffix.lower()
    try:
        if ext in (".yml", ".yaml"):
            return _checked(yaml.load(text, Loader=_Loader), shown)
        if ext == ".json":
            return _checked(json.loads(text), shown)
        # Jekyll reads CSV/TSV with headers: true -> an array of hashes, all values strings.
        reader = csv.DictReader(io.StringIO(text), delimiter="\t" if ext == ".tsv" else ",")
        return [{k: v for k, v in row.items() if k is not None} for row in reader]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BlogkitError(f"cannot read data file: {getattr(exc, 'problem', None) or exc}",
                           Location(shown, mark.line + 1 if mark else None),
                           "fix the YAML on that line", code="bad-data") from None
    except json.JSONDecodeError as exc:
        raise BlogkitError(f"cannot read data file: {exc.msg}", Location(shown, exc.lineno),
                           "fix the JSON on that line", code="bad-data") from None
    except csv.Error as exc:
        raise BlogkitError(f"cannot read data file: {exc}", Location(shown), code="bad-data") from None
    except RecursionError:
        raise BlogkitError("cannot read data file: it is nested too deeply", Location(shown),
                           code="bad-data") from None
    except BlogkitError:
        raise
    except Exception as exc:  # noqa: BLE001 - PyYAML constructors raise plain errors for '!!int x'
        raise BlogkitError(f"cannot read data file: {exc}", Location(shown), code="bad-data") from None


# Data files may be big tables, so the value bound is far above front matter's; it still stops
# an alias bomb or a self-containing structure before anything walks it.
DATA_MAX_VALUES = 5_000_000


def _checked(value: Any, shown: str) -> Any:
    shape = check_shape(value, DATA_MAX_VALUES)
    if shape is not None:
        raise BlogkitError(f"data file is too large: {shape}", Location(shown),
                           "remove the repeated aliases or flatten the nesting", code="bad-data")
    return value


def load_data(folder: Path, root: Path) -> dict[str, Any]:
    """Everything under ``folder`` (``_data/``) as nested dicts; ``{}`` when it does not exist."""
    out: dict[str, Any] = {}
    if not folder.is_dir():
        return out
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if _skipped(entry.name):
            continue
        if entry.is_symlink() and not inside(entry, root):
            continue  # never publish a file from elsewhere on the machine through a symlink
        if entry.is_dir():
            out[sanitize_key(entry.name)] = load_data(entry, root)
        elif entry.suffix.lower() in DATA_EXTS:
            out[sanitize_key(entry.stem)] = read_data_file(entry, rel(entry, root))
    return out
