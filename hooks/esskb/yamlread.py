"""YAML parsing that keeps line numbers and refuses what an author never means.

Values come back as plain Python data; ``Lines`` maps a key path such as
``("themes", 1)`` or ``("resources", 0, "url")`` to its 1-based line in the file.

Dates are left as strings (the validator parses them, so "2026-13-45" becomes a
clear message instead of a crash); anchors and aliases are refused (no "billion
laughs"); nesting is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_DEPTH = 12

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _NoDatesLoader(_Loader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as text; a plain scalar's tag is looked up once per value
    (theme slugs, regions, years come back in every file: resolving was a tenth of parsing)."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or not implicit[0]:
            return super().resolve(kind, value, implicit)
        tag = _PLAIN_TAGS.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_PLAIN_TAGS) < _PLAIN_TAGS_MAX:
                _PLAIN_TAGS[value] = tag
        return tag


_PLAIN_TAGS: dict[str, str] = {}  # a plain scalar's text -> its tag (nothing else decides it)
_PLAIN_TAGS_MAX = 100_000


_NoDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
