"""Error and problem records shared by every stage.

Every problem a user can cause is reported as ``path:line: message — what to do``.
Errors must survive pickling (worker processes), so constructor arguments are kept in
``args`` via ``__reduce__``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Location:
    path: str  # site-relative path as the user knows it, POSIX separators
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        out = self.path
        if self.line is not None:
            out += f":{self.line}"
            if self.col is not None:
                out += f":{self.col}"
        return out


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    where: Location | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR
    code: str = "error"  # a short stable identifier, e.g. "bad-date", for `check --format json`

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" \u2014 {self.hint}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class BlogkitError(Exception):
    """A problem that stops the current unit of work (a file, or the whole build)."""

    def __init__(self, message: str, where: Location | None = None, hint: str | None = None,
                 code: str = "error") -> None:
        super().__init__(message, where, hint, code)
        self.message = message
        self.where = where
        self.hint = hint
        self.code = code

    def __reduce__(self):  # type: ignore[override]
        return (type(self), (self.message, self.where, self.hint, self.code))

    def to_problem(self, severity: Severity = Severity.ERROR) -> Problem:
        return Problem(self.message, self.where, self.hint, severity, self.code)

    def __str__(self) -> str:
        return str(self.to_problem())


class BuildFailed(BlogkitError):
    """Raised by ``build`` when one or more errors were collected."""

    def __init__(self, problems: list[Problem] | None = None) -> None:  # noqa: D401
        problems = list(problems or [])
        n = sum(1 for p in problems if p.is_error)
        super().__init__(f"build failed with {n} error(s)")
        self.problems = problems

    def __reduce__(self):  # type: ignore[override]
        return (type(self), (self.problems,))


def rel(path: Path, root: Path) -> str:
    """Site-relative POSIX path for messages; falls back to the path as given."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass
class ProblemLog:
    """Collects problems during a build; stages append, the CLI prints."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def error(self, message: str, where: Location | None = None, hint: str | None = None,
              code: str = "error") -> None:
        self.add(Problem(message, where, hint, Severity.ERROR, code))

    def warn(self, message: str, where: Location | None = None, hint: str | None = None,
             code: str = "warning") -> None:
        self.add(Problem(message, where, hint, Severity.WARNING, code))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]
