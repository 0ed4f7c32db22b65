"""Exceptions raised by the advisor.

The tree::

    AdvisorError                 base of everything raised on purpose
    ├── UserInputError           the user can fix it: bad rules, bad answers
    │   ├── RulesError           a rules directory failed validation (carries every Problem)
    │   ├── AnswersError         an answers file or mapping failed validation (carries every Problem)
    │   ├── StoreError           the shared store cannot be reached, opened or written
    │   │   └── SnapshotError    a snapshot cannot be saved or read: missing or damaged database,
    │   │                        unknown or malformed id, read-only path
    │   ├── OutputError          an output file cannot be written: a directory, a device, an
    │   │                        input of the command, a full disk
    │   └── PdfError             no PDF: Chromium is not installed, or could not print
    └── (anything else)          an internal bug: not rendered nicely, it should surface

Only ``UserInputError`` gets friendly rendering in the CLI and the app; everything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in an input file, located as precisely as we can.

    ``line`` is 1-based; 0 means the problem concerns the file (or the directory) as a whole.
    ``severity`` is ``error`` or ``warning``.
    """

    path: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = f"{self.path}:{self.line}" if self.line else self.path
        tag = "warning: " if self.severity == "warning" else ""
        return f"{prefix}: {tag}{self.message}"


class AdvisorError(Exception):
    """Base class of every exception the advisor raises on purpose."""


class UserInputError(AdvisorError):
    """An input the user can fix; carries the list of problems found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RulesError(UserInputError):
    """A rules directory failed to load or validate."""


class AnswersError(UserInputError):
    """An answers file or mapping failed to validate."""


class StoreError(UserInputError):
    """The store failed (unreachable, wrong URL, damaged); ``message`` says what to do."""

    def __init__(self, message: str, *, path: str = "store"):
        self.message = message
        super().__init__([Problem(path, 0, message)])


class OutputError(UserInputError):
    """An output file was refused or could not be written; nothing was written."""


class PdfError(UserInputError):
    """A PDF could not be made; ``message`` says why and what to do instead."""

    def __init__(self, message: str):
        self.message = message
        super().__init__([Problem("pdf", 0, message)])


class SnapshotError(StoreError):
    """A snapshot cannot be saved or read; ``message`` says what happened and what to do."""

    def __init__(self, message: str, *, path: str = "snapshots"):
        super().__init__(message, path=path)
