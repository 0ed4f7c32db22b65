"""Read YAML as plain data, with the line of every value and every problem located.

Why: ``yaml.safe_load`` alone loses line numbers, silently keeps the last of two duplicate keys
and reports object-constructing tags as a traceback; and it has no bounds, so a 518-byte alias
bomb or ten thousand nested brackets take the process down. We read the parser's events once,
holding them to the bounds of :mod:`advisor.model.limits` (nesting depth, values with aliases
expanded, values repeated by aliases), then compose the node tree from those same events (no object
is ever constructed from it), check it, and construct plain data from the checked nodes.

JSON is YAML, so answers files and uploads in JSON go through here too.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import Resolver

from advisor.errors import Problem
from advisor.model.limits import MAX_ALIAS_VALUES, MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES

PARSER = yaml.SafeLoader
FAST_PARSER = getattr(yaml, "CSafeLoader", None)
"""The loaders whose parser produces the events: libyaml's (``CSafeLoader``) where PyYAML was
built with it, about ten times faster; the pure-Python one otherwise, and always to word a
syntax error (the tests and users know its messages).

Why only the parser: composing and constructing from checked events keeps both loaders within
the same bounds, and libyaml's own composer would recurse in C on deep nesting.
"""

# Tags a plain-data YAML file may carry; anything else (python/object, local !tags) is refused.
_STANDARD_PREFIX = "tag:yaml.org,2002:"
_PLAIN_TAGS = {
    _STANDARD_PREFIX + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}

Loc = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Parsed YAML: the data, the line of each location, and the problems met on the way."""

    path: str
    data: Any = None
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    values: int = 0  # scalars, lists and mappings, aliases expanded

    def line_of(self, loc: Loc) -> int:
        """Line of ``loc``, or of its nearest enclosing location that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


def decode_text(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode an uploaded or on-disk file, refusing binary and oversized content."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(path, 0, f"file is {len(raw):,} bytes; the limit is "
                                       f"{MAX_FILE_BYTES:,} bytes")]
    if b"\x00" in raw:
        return None, [Problem(path, 0, "file is binary, not YAML or JSON text")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [Problem(path, 0, f"file is not UTF-8 text (bad byte at offset {exc.start})")]


class _TooBig(Exception):
    """The events broke a bound; ``line`` is where, ``message`` says which."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


@dataclass
class _Open:
    """A list or mapping whose end event has not come yet."""

    anchor: str | None
    values_before: int
    height: int = 0


def bounded_events(text: str, loader: type = PARSER) -> tuple[list[yaml.Event], int]:
    """Every parser event of ``text``, and its values, checked against the bounds as they arrive.

    Each value counts once where it is written and again wherever an alias repeats it, so the
    checks see the document as big and as deep as it would be once loaded, without loading it.

    Raises:
        yaml.YAMLError: the text is not YAML.
        _TooBig: nesting, values or aliases beyond :mod:`advisor.model.limits`.
    """
    events: list[yaml.Event] = []
    open_: list[_Open] = []
    anchors: dict[str, tuple[int, int]] = {}  # closed anchor → (values, height)
    values = repeated = 0

    def add(size: int, height: int, line: int) -> None:
        nonlocal values
        values += size
        if values > MAX_VALUES:
            raise _TooBig(line, f"more than {MAX_VALUES:,} values (aliases expanded); rules and "
                                "answers files need far fewer")
        if len(open_) + height > MAX_DEPTH:
            raise _TooBig(line, f"nested more than {MAX_DEPTH} levels deep; rules and answers "
                                "files need far fewer")
        if open_:
            open_[-1].height = max(open_[-1].height, height)

    for event in yaml.parse(text, Loader=loader):
        events.append(event)
        line = event.start_mark.line + 1
        if isinstance(event, yaml.ScalarEvent):
            add(1, 1, line)
            if event.anchor is not None:
                anchors[event.anchor] = (1, 1)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            add(1, 1, line)
            open_.append(_Open(event.anchor, values))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            closed = open_.pop()
            if closed.anchor is not None:
                anchors[closed.anchor] = (values - closed.values_before + 1, closed.height + 1)
            if open_:
                open_[-1].height = max(open_[-1].height, closed.height + 1)
        elif isinstance(event, yaml.AliasEvent):
            if any(o.anchor == event.anchor for o in open_):
                raise _TooBig(line, f"alias *{event.anchor} is inside its own anchor "
                                    f"&{event.anchor}: a value cannot contain itself")
            if event.anchor not in anchors:
                continue  # the composer reports the undefined alias
            size, height = anchors[event.anchor]
            repeated += size
            if repeated > MAX_ALIAS_VALUES:
                raise _TooBig(line, f"aliases repeat more than {MAX_ALIAS_VALUES:,} values; "
                                    "each *alias stands for everything its &anchor holds, and "
                                    "this many look like an alias bomb")
            add(size, height, line)
    return events, values


class _Replay(Composer, SafeConstructor, Resolver):
    """Composes nodes from checked events and constructs plain data from checked nodes."""

    def __init__(self, events: list[yaml.Event]):
        self._events = deque(events)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)

    def check_event(self, *choices: type) -> bool:
        return bool(self._events) and (not choices or isinstance(self._events[0], choices))

    def peek_event(self) -> yaml.Event:
        return self._events[0]

    def get_event(self) -> yaml.Event:
        return self._events.popleft()

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            # Why: PyYAML lets a date such as 2026-02-30 or an integer of 5,000 digits escape as a
            # bare ValueError, without the line.
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            reason = str(exc).split(";")[0]
            raise ConstructorError(None, None, f"cannot read {shown!r}: {reason}",
                                   node.start_mark) from None


def _yaml_problem(path: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        if isinstance(exc, ConstructorError):
            return Problem(path, line, str(exc.problem))
        return Problem(path, line, f"YAML syntax error: {exc.problem or exc}")
    return Problem(path, 0, f"YAML error: {exc}")


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse ``text`` (YAML or JSON) into a :class:`YamlDocument`; never raises on bad input.

    Every bound of :mod:`advisor.model.limits` that concerns one document holds before any node is
    composed: size, nesting depth, values (aliases expanded) and values repeated by aliases.
    """
    doc = YamlDocument(path)
    if len(text.encode("utf-8", "replace")) > MAX_FILE_BYTES:
        doc.problems.append(Problem(path, 0, f"file is larger than {MAX_FILE_BYTES:,} bytes"))
        return doc
    try:
        try:
            events, doc.values = bounded_events(text, FAST_PARSER or PARSER)
        except yaml.YAMLError:
            if FAST_PARSER is None:
                raise
            # libyaml stops at its own limits first and words errors its own way: parse again
            # with the pure-Python parser, whose bounds and messages users see.
            events, doc.values = bounded_events(text, PARSER)
        replay = _Replay(events)
        root = replay.get_single_node()
    except _TooBig as exc:
        doc.problems.append(Problem(path, exc.line, exc.message))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(_yaml_problem(path, exc))
        return doc
    if root is None:
        return doc
    _walk(root, (), doc)
    if doc.problems:
        return doc
    try:
        doc.data = replay.construct_document(root)
    except yaml.YAMLError as exc:
        doc.problems.append(_yaml_problem(path, exc))
    return doc


def _tag_as_written(tag: str) -> str:
    """``tag:yaml.org,2002:python/object/apply:os.system`` →
    ``!!python/object/apply:os.system``."""
    return "!!" + tag.removeprefix(_STANDARD_PREFIX) if tag.startswith(_STANDARD_PREFIX) else tag


def _walk(node: yaml.Node, loc: Loc, doc: YamlDocument) -> None:
    doc.lines.setdefault(loc, node.start_mark.line + 1)
    if node.tag not in _PLAIN_TAGS:
        doc.problems.append(Problem(
            doc.path, node.start_mark.line + 1,
            f"YAML tag '{_tag_as_written(node.tag)}' is not allowed: "
            "rules and answers are plain data "
            "(strings, numbers, booleans, lists, mappings)"))
        return
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                doc.problems.append(Problem(doc.path, key_node.start_mark.line + 1,
                                            "mapping keys must be plain strings"))
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                doc.problems.append(Problem(
                    doc.path, line,
                    f"duplicate key '{key}' (first defined on line {seen[key]}); "
                    "YAML would silently keep only the last one"))
                continue
            seen[key] = line
            doc.lines[loc + (key,)] = line
            _walk(value_node, loc + (key,), doc)
            doc.lines[loc + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, loc + (index,), doc)
