"""YAML as strangers write it: no aliases, bounded depth and size, no surprising types.

Every YAML a project holds (publication.yml, front matter, glossary.yml) goes through
:func:`load_yaml`. PyYAML's ``safe_load`` runs no code, but it still expands aliases (a
600-byte "billion laughs" document grows to gigabytes), recurses once per nesting level
(1,000 levels raise RecursionError), and turns ``2002-13-45`` into a ValueError while
building a ``datetime.date``. So, before anything is built:

- the event stream is scanned (PyYAML's parser is iterative, so this is safe on any input):
  an alias (``*name``) or a nesting deeper than :data:`MAX_DEPTH` is a located error;
- timestamps stay strings (the reader validates dates itself, with a location);
- every string is checked for control characters, which no book or EPUB can carry.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from pathlib import Path
from typing import Any, ClassVar

import yaml

from .charclasses import C1, UNPRINTABLE, char_class
from .diagnostics import Location, Report

MAX_DEPTH = 20  # nesting levels of mappings and lists; chapbook's own settings use 3
MAX_BYTES = 2_000_000  # one YAML document (publication.yml, a front matter, glossary.yml)
# What no book may hold (chapbook.charclasses), and C1 controls: a setting is printed in the
# terminal's messages too, where they act.
CONTROL = char_class(*UNPRINTABLE, C1)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp type: dates arrive as the text the editor wrote."""

    yaml_implicit_resolvers: ClassVar[dict] = {
        first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


# An explicit ``!!timestamp`` tag gives the text too (no ValueError on impossible dates).
_Loader.add_constructor(_TIMESTAMP, lambda loader, node: loader.construct_scalar(node))


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):
    """:class:`_Loader` on libyaml's parser (PyYAML's C extension, where it is built): the same events,
    nodes and marks, about ten times faster (a 1,000-term glossary.yml took most of ``check``'s
    second). Only YAML that loads cleanly is read with it: on any error the file is read again with
    :class:`_Loader`, so messages stay those of PyYAML's own parser."""

    yaml_implicit_resolvers: ClassVar[dict] = _Loader.yaml_implicit_resolvers


_FastLoader.add_constructor(_TIMESTAMP, lambda loader, node: loader.construct_scalar(node))


def load_yaml(text: str, path: Path, report: Report, line_offset: int = 0) -> tuple[Any, dict[str, int]]:
    """Parse YAML, returning the data and the line of every key ('a', 'a.b', '3.term', 'texts.2').

    On any problem the error is reported at its line and ``(None, {})`` is returned. The line
    index lets later checks point at the exact line of a bad value.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        report.error(Location(path, line_offset + 1, 1), f"YAML larger than {MAX_BYTES // 1_000_000} MB "
                     "is refused (is this the right file?)", "yaml")
        return None, {}
    fast = _fast_load(text)
    if fast is not None:
        return _checked(*fast, path, report, line_offset)
    try:
        problem = scan_events(text)
        if problem is not None:
            mark, message = problem
            report.error(Location(path, mark.line + 1 + line_offset, mark.column + 1), message, "yaml")
            return None, {}
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        col = (mark.column + 1) if mark else 1
        problem_text = exc.problem or str(exc)
        hint = " (a value containing ': ' must be quoted)" if "mapping values are not allowed" in problem_text else ""
        report.error(Location(path, line, col), f"invalid YAML: {problem_text}{hint}")
        return None, {}
    except yaml.YAMLError as exc:  # e.g. ReaderError: a control character the YAML reader refuses
        position = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, position) + 1 + line_offset
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        report.error(Location(path, line, col), f"invalid YAML: {getattr(exc, 'reason', None) or exc}")
        return None, {}
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor refusing a value (e.g. !!int x)
        report.error(Location(path, line_offset + 1, 1), f"invalid YAML value: {exc}", "yaml")
        return None, {}
    return _checked(node, data, path, report, line_offset)


_MEMO: OrderedDict[str, tuple[Any, Any]] = OrderedDict()
MEMO_ENTRIES = 512  # every text's front matter, the settings and the glossary of a large reader
MEMO_CHARS = 200_000  # … each no longer than this (a glossary of a few hundred terms)


def _fast_load(text: str) -> tuple[Any, Any] | None:
    """(node, data) read with libyaml, or None if it is not built or the text has any problem.

    Remembered per text in this process: ``watch`` reads every file again on each save, and parsing the
    reader's fifty front matters and glossary at 10× twice (the event scan, then the load) was 0.08 s of
    a rebuild. The node is only read; the data is copied, since callers may change what they get."""
    if text in _MEMO:
        _MEMO.move_to_end(text)
        node, data = _MEMO[text]
        return node, copy.deepcopy(data)
    loaded = _fast_load_once(text)
    if loaded is not None and len(text) <= MEMO_CHARS:
        _MEMO[text] = (loaded[0], copy.deepcopy(loaded[1]))
        while len(_MEMO) > MEMO_ENTRIES:
            _MEMO.popitem(last=False)
    return loaded


def _fast_load_once(text: str) -> tuple[Any, Any] | None:
    if _FastLoader is _Loader:
        return None
    try:
        if scan_events(text, _FastLoader) is not None:
            return None
        loader = _FastLoader(text)
        try:
            node = loader.get_single_node()
            return node, (loader.construct_document(node) if node is not None else None)
        finally:
            loader.dispose()
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return None


def _checked(node, data: Any, path: Path, report: Report, line_offset: int) -> tuple[Any, dict[str, int]]:
    """The data with the line of every key, or None if a key is set twice; control characters reported."""
    lines: dict[str, int] = {}
    if node is not None:
        duplicate = _index(node, "", lines, line_offset)
        if duplicate is not None:
            name, line, first = duplicate
            report.error(Location(path, line, 1), f"'{name}' is set twice (first at line {first}); YAML would "
                         "silently keep only the last value", "yaml")
            return None, {}
    _control_characters(data, "", lines, path, report, line_offset)  # reported; the build will not write
    return data, lines


def scan_events(text: str, loader: type = _Loader) -> tuple[yaml.Mark, str] | None:
    """The first alias or too-deep collection in the event stream, with its mark (also for YAML that is
    no project's, such as an imported file's front matter)."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark, (f"YAML aliases ('*{event.anchor}') are not allowed in a chapbook "
                                      "project: write the value out")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark, f"YAML nested more than {MAX_DEPTH} levels deep is refused"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _index(node: yaml.Node, prefix: str, lines: dict[str, int], offset: int) -> tuple[str, int, int] | None:
    """Fill ``lines`` with the line of every key; return the first key set twice (name, line, first line)."""
    duplicate = None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}{key.value}"
            line = key.start_mark.line + 1 + offset
            if name in lines and duplicate is None and isinstance(key, yaml.ScalarNode):
                duplicate = (name, line, lines[name])
            lines[name] = line
            duplicate = _index(value, name + ".", lines, offset) or duplicate
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[f"{prefix}{i}"] = item.start_mark.line + 1 + offset
            duplicate = _index(item, f"{prefix}{i}.", lines, offset) or duplicate
    return duplicate


def _control_characters(data: Any, key: str, lines: dict[str, int], path: Path, report: Report,
                        offset: int) -> bool:
    """Report every string holding a control character (``"\\e[31m"`` in double quotes); True if none."""
    ok = True
    items: list[tuple[str, Any]] = []
    if isinstance(data, dict):
        items = [(f"{key}{k}", v) for k, v in data.items()] + [(f"{key}{k}", k) for k in data]
    elif isinstance(data, list):
        items = [(f"{key}{i}", v) for i, v in enumerate(data)]
    elif isinstance(data, str):
        m = CONTROL.search(data)
        if m:
            line = lines.get(key.rstrip("."), offset + 1)
            report.error(Location(path, line, 1), f"control character U+{ord(m.group()):04X} in "
                         f"'{key.rstrip('.') or 'value'}' is not allowed (it cannot appear in a book or "
                         "an EPUB); delete it", "control-character")
            return False
        return True
    for name, value in items:
        if isinstance(value, (dict, list, str)):
            ok = _control_characters(value, name + "." if isinstance(value, (dict, list)) else name,
                                     lines, path, report, offset) and ok
    return ok
