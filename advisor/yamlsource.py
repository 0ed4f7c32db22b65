"""Read YAML as plain data, with the line of every value and every problem located.

Why: ``yaml.safe_load`` alone loses line numbers, silently keeps the last of two duplicate keys
and reports object-constructing tags as a traceback. We compose the node tree first (no object is
ever constructed from it), check it, then ``yaml.safe_load`` the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from advisor.errors import Problem

MAX_FILE_BYTES = 1_000_000

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


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse ``text`` (YAML or JSON) into a :class:`YamlDocument`; never raises on bad input."""
    doc = YamlDocument(path)
    if len(text.encode("utf-8", "replace")) > MAX_FILE_BYTES:
        doc.problems.append(Problem(path, 0, f"file is larger than {MAX_FILE_BYTES:,} bytes"))
        return doc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        doc.problems.append(Problem(path, line, f"YAML syntax error: {exc.problem or exc}"))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(path, 0, f"YAML error: {exc}"))
        return doc
    if root is None:
        return doc
    _walk(root, (), doc)
    if doc.problems:
        return doc
    try:
        doc.data = yaml.safe_load(text)
    except yaml.YAMLError as exc:  # pragma: no cover - compose already caught what safe_load would
        doc.problems.append(Problem(path, 0, f"YAML error: {exc}"))
    return doc


def _tag_as_written(tag: str) -> str:
    """``tag:yaml.org,2002:python/object/apply:os.system`` → ``!!python/object/apply:os.system``."""
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
