"""YAML parsing that keeps line numbers and refuses what an author never means.

Values come back as plain Python data; ``Lines`` maps a key path such as
``("themes", 1)`` or ``("resources", 0, "url")`` to its 1-based line in the file.

Dates are left as strings (the validator parses them, so "2026-13-45" becomes a
clear message instead of a crash); anchors and aliases are refused (no "billion
laughs"); nesting is bounded.

The plain front matter nearly every file has is read line by line (``parse_simple``);
anything else, and every error, is PyYAML's (``parse_full``), with the same result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_DEPTH = 12

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# YAML 1.1's implicit types but dates, which stay text
_IMPLICIT = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Resolver(yaml.resolver.Resolver):
    yaml_implicit_resolvers = _IMPLICIT


_RESOLVER = _Resolver()
_PLAIN_TAGS: dict[str, str] = {}  # a plain scalar's text -> its tag (nothing else decides it)
_PLAIN_TAGS_MAX = 100_000


def _plain_tag(value: str) -> str:
    """A plain scalar's tag, looked up once per value (theme slugs, regions, years come back in
    every file: resolving was a tenth of parsing)."""
    tag = _PLAIN_TAGS.get(value)
    if tag is None:
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        if len(_PLAIN_TAGS) < _PLAIN_TAGS_MAX:
            _PLAIN_TAGS[value] = tag
    return tag


class _NoDatesLoader(_Loader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as text (``parse_full``)."""

    yaml_implicit_resolvers = _IMPLICIT

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _plain_tag(value)
        return super().resolve(kind, value, implicit)


class YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


@dataclass
class Lines:
    """Where each key path of a YAML document stands (1-based file lines)."""

    first: int
    by_path: dict[tuple, int] = field(default_factory=dict)

    def __call__(self, *path: Any) -> int:
        while path:
            if path in self.by_path:
                return self.by_path[path]
            path = path[:-1]
        return self.first


def parse(text: str, first_line: int = 1) -> tuple[Any, Lines]:
    """Parse one YAML document whose first line is line ``first_line`` of its file."""
    simple = parse_simple(text, first_line)
    return simple if simple is not None else parse_full(text, first_line)


def parse_full(text: str, first_line: int = 1) -> tuple[Any, Lines]:
    """``parse`` by PyYAML (libyaml's parser): any document, every error."""
    offset = first_line - 1
    try:
        loader = _NoDatesLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, Lines(first_line)
            lines = Lines(first_line)
            value = _build(node, (), lines, offset, set(), loader)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        what = exc.problem or exc.context or "erreur"
        raise YamlProblem(line, f"syntaxe YAML invalide : {_french(what)}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(first_line, f"syntaxe YAML invalide : {exc}") from None
    except RecursionError:
        raise YamlProblem(first_line, "YAML trop imbriqué") from None
    return value, lines


# -- the front matter authors write, without PyYAML ------------------------------------------

_NO = object()  # not a value parse_simple takes
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?")  # a key at the line's start
# what parse_simple leaves to PyYAML: tabs, other line breaks, a BOM, characters YAML refuses
_ODD = re.compile(r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_ITEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_INT, _BOOL, _NULL = "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"


def parse_simple(text: str, first_line: int = 1) -> tuple[Any, Lines] | None:
    """``parse`` of the front matter nearly every file has, line by line: keys at the margin,
    each with a one-line scalar (plain, quoted without escapes, a flow list of words) or a
    block list of such scalars; comments and blank lines. Anything else (nesting, multi-line
    scalars, anchors, tags, floats, errors...) gives None: PyYAML parses it (``parse_full``).
    The result is ``parse_full``'s (tests compare them); PyYAML took half of reading a file."""
    if _ODD.search(text) is not None:
        return None
    value: dict[str, Any] = {}
    lines = Lines(first_line)
    by_path = lines.by_path
    rows = text.split("\n")
    count, i = len(rows), 0
    while i < count:
        row = rows[i]
        bare = row.lstrip(" ")
        if not bare or bare[0] == "#":
            i += 1
            continue
        match = _KEY_LINE.fullmatch(row)
        if match is None:
            return None
        key, rest = match.group(1), (match.group(2) or "").rstrip(" ")
        if key in value or _plain_tag(key) != _STR:
            return None
        line = i + first_line
        if not by_path:
            by_path[()] = line
        by_path[(key,)] = line
        i += 1
        if rest:
            found = _scalar(rest, flow_list=True)
            if found is _NO:
                return None
            if isinstance(found, list):
                for index in range(len(found)):
                    by_path[(key, index)] = line
            value[key] = found
            continue
        items: list[Any] = []
        indent = -1
        while i < count:  # a block list, or nothing (null)
            row = rows[i]
            bare = row.lstrip(" ")
            if not bare or bare[0] == "#":
                i += 1
                continue
            if bare[0] != "-":
                break
            if not bare.startswith("- ") or (indent >= 0 and len(row) - len(bare) != indent):
                return None
            indent = len(row) - len(bare)
            found = _scalar(bare[2:].strip(" "))
            if found is _NO:
                return None
            by_path[(key, len(items))] = i + first_line
            items.append(found)
            i += 1
        value[key] = items if indent >= 0 else None
    return (value, lines) if value else None


def _scalar(raw: str, flow_list: bool = False) -> Any:
    """A one-line scalar's value (a flow list of words too, if ``flow_list``), or ``_NO``."""
    if not raw:
        return _NO
    first = raw[0]
    if first == "'":
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != "'" or "'" in inner.replace("''", ""):
            return _NO
        return inner.replace("''", "'")
    if first == '"':
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != '"' or '"' in inner or "\\" in inner:
            return _NO
        return inner
    if first == "[" and flow_list and raw[-1] == "]":
        words = raw[1:-1].strip(" ")
        items = [word.strip(" ") for word in words.split(",")] if words else []
        values = [_plain(word) if _FLOW_ITEM.fullmatch(word) else _NO for word in items]
        return _NO if _NO in values else values
    if first in _INDICATORS or ": " in raw or " #" in raw or raw[-1] == ":":
        return _NO
    return _plain(raw)


def _plain(raw: str) -> Any:
    """A plain scalar's value, as PyYAML's resolver and constructor make it (or ``_NO``)."""
    tag = _plain_tag(raw)
    if tag == _STR:
        return raw
    if tag == _INT and _DECIMAL.fullmatch(raw):
        return int(raw)
    if tag == _BOOL:
        return _BOOLS[raw.lower()]
    if tag == _NULL:
        return None
    return _NO


_STR, _MAP, _SEQ, _MERGE = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge"


def _visit(node: yaml.Node, where: tuple, lines: Lines, offset: int, seen: set[int]) -> None:
    """Refuse aliases (a node seen twice) and deep nesting; record the node's line (a key's
    own line was recorded with the key; a list item's line is its node's)."""
    if id(node) in seen:
        raise YamlProblem(
            lines.by_path.get(where, node.start_mark.line + 1 + offset),
            "les ancres et alias YAML (& et *) ne sont pas acceptés : écrivez chaque valeur en entier",
        )
    seen.add(id(node))
    if len(where) > MAX_DEPTH:
        raise YamlProblem(node.start_mark.line + 1 + offset, f"YAML trop imbriqué (plus de {MAX_DEPTH} niveaux)")
    lines.by_path.setdefault(where, node.start_mark.line + 1 + offset)


def _build(node: yaml.Node, where: tuple, lines: Lines, offset: int, seen: set[int], loader: Any, construct: bool = True) -> Any:
    """Record every node's line and build the value in the same pass (PyYAML's constructor in
    Python was a quarter of loading 5,000 files). Maps, lists and plain scalars are built here;
    anything else (other tags, merge keys, keys that are not scalars) by PyYAML's constructor,
    once its lines are recorded (``construct`` False: lines only)."""
    _visit(node, where, lines, offset, seen)
    if isinstance(node, yaml.ScalarNode):
        return (node.value if node.tag == _STR else loader.construct_object(node)) if construct else None
    if isinstance(node, yaml.SequenceNode):
        plain = node.tag == _SEQ
        items = [_build(item, where + (index,), lines, offset, seen, loader, construct and plain) for index, item in enumerate(node.value)]
        return (items if plain else loader.construct_object(node, deep=True)) if construct else None
    plain = node.tag == _MAP and all(isinstance(k, yaml.ScalarNode) and k.tag != _MERGE for k, _ in node.value)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if id(key_node) in seen:
            raise YamlProblem(key_node.start_mark.line + 1 + offset, "alias YAML refusé")
        seen.add(id(key_node))
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        lines.by_path[where + (key,)] = key_node.start_mark.line + 1 + offset
        value = _build(value_node, where + (key,), lines, offset, seen, loader, construct and plain)
        if construct and plain:
            mapping[key if key_node.tag == _STR else loader.construct_object(key_node)] = value
    if not construct:
        return None
    return mapping if plain else loader.construct_object(node, deep=True)


_TRANSLATIONS = {
    "mapping values are not allowed": "« : » inattendu (une valeur contenant « : » doit être entre guillemets)",
    "did not find expected node content": "valeur attendue (crochet ou guillemet non fermé ?)",
    "did not find expected key": "clé attendue (indentation incorrecte ?)",
    "did not find expected '-' indicator": "élément de liste « - » attendu (indentation incorrecte ?)",
    "found character that cannot start any token": "caractère interdit en début de valeur (tabulation, @ ou ` ?) : indentez avec des espaces, mettez la valeur entre guillemets",
    "found unexpected end of stream": "fin de texte inattendue (guillemet ou crochet non fermé ?)",
    "could not find expected ':'": "« : » manquant après une clé",
    "found character '\\t' that cannot start any token": "tabulation interdite : indentez avec des espaces",
    "expected <block end>, but found '-'": "élément de liste mal indenté",
    "found undefined alias": "alias inconnu",
    "found unknown escape character": "caractère d'échappement inconnu",
    "while scanning a quoted scalar": "guillemet non fermé",
    "exceeded maximum nesting depth": "YAML trop imbriqué",
}


def _french(problem: str) -> str:
    for english, french in _TRANSLATIONS.items():
        if problem.startswith(english):
            return french
    return f"{problem} (message de l'analyseur YAML)"
