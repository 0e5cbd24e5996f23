"""Progress reporting: a rich progress bar on a TTY, nothing in between otherwise.

Stages ask for a ``task(name, total)`` and call ``advance()``; the CLI prints the one-line
summary at the end either way.
"""
from __future__ import annotations

from typing import Any, Protocol


class Task(Protocol):
    def advance(self, n: int = 1) -> None: ...


class Progress(Protocol):
    def task(self, name: str, total: int) -> Task: ...


class _NullTask:
    def advance(self, n: int = 1) -> None:
        return None


class _NullProgress:
    def task(self, name: str, total: int) -> Task:
        return _NullTask()


null_progress: Progress = _NullProgress()


class _RichTask:
    def __init__(self, bar: Any, task_id: Any) -> None:
        self.bar, self.task_id = bar, task_id

    def advance(self, n: int = 1) -> None:
        self.bar.advance(self.task_id, n)


class RichProgress:
    """A context manager wrapping rich.progress.Progress (stderr, transient)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as _P, TextColumn, TimeElapsedColumn

        self.bar = _P(TextColumn("{task.description:>10}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=Console(stderr=True), transient=True)

    def __enter__(self) -> "RichProgress":
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def task(self, name: str, total: int) -> Task:
        return _RichTask(self.bar, self.bar.add_task(name, total=total))
