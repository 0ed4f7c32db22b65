"""Exceptions raised by the advisor.

The tree::

    AdvisorError                 base of everything raised on purpose
    ├── UserInputError           the user can fix it: bad rules, bad answers
    │   ├── RulesError           a rules directory failed validation (carries every Problem)
    │   ├── AnswersError         an answers file or mapping failed validation (carries every
    │   │                        Problem)
    │   ├── StoreError           the shared store cannot be reached, opened or written
    │   │   └── SnapshotError    a snapshot cannot be saved or read: missing or damaged database,
    │   │                        unknown or malformed id, read-only path
    │   ├── OutputError          an output file cannot be written: a directory, a device, an
    │   │                        input of the command, a full disk
    │   ├── PriceTableError      a price table cannot be found or read (not JSON, binary, too big)
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
    ``severity`` is ``error``, ``warning`` or ``note`` (what was left out, and why).
    """

    path: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = f"{self.path}:{self.line}" if self.line else self.path
        tag = "" if self.severity == "error" else f"{self.severity}: "
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


TEAM_STORE = "the team store"
# How the store's messages name where it is; the longest first, so each is replaced whole.
_LOCATION_PHRASES = ("the snapshot database {}", "the database at {}", "the database {}", "{}")


class StoreError(UserInputError):
    """The store failed (unreachable, wrong URL, damaged); ``message`` says what to do.

    ``message`` names where the store is (a file path, or the URL without its password) for
    operators: the log and ``python -m advisor.store check``. ``public`` says "the team store"
    instead, for the app's users.

    Why two wordings: users of a shared app must not learn the server's paths and database
    hosts (issue 12), and could not act on them; the operator needs them.
    """

    def __init__(self, message: str, *, path: str | None = None, location: str | None = None):
        self.message = message
        self.public = message
        if location:
            for phrase in _LOCATION_PHRASES:
                self.public = self.public.replace(phrase.format(location), TEAM_STORE)
        super().__init__([Problem(path or location or "store", 0, message)])


class OutputError(UserInputError):
    """An output file was refused or could not be written; nothing was written."""


class PriceTableError(UserInputError):
    """A price table (litellm's JSON) cannot be found or read; nothing was compared or written."""


class PdfError(UserInputError):
    """A PDF could not be made; ``message`` says why and what to do instead."""

    def __init__(self, message: str):
        self.message = message
        super().__init__([Problem("pdf", 0, message)])


class SnapshotError(StoreError):
    """A snapshot cannot be saved or read; ``message`` says what happened and what to do."""

    def __init__(self, message: str, *, path: str | None = None, location: str | None = None):
        super().__init__(message, path=path or location or "snapshots", location=location)
