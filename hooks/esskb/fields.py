"""Typed reading of one YAML mapping, collecting French problems with their lines.

Used for front-matters and for the entries of data files alike.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Iterable

from .errors import Problem, closest, suggestion
from .yamlread import Lines

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MISSING = object()


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (list, dict)) and not value


class Fields:
    """Reads keys of ``data`` (a mapping found at ``prefix`` in a YAML document)."""

    def __init__(self, path: str, data: dict, lines: Lines, problems: list[Problem], prefix: tuple = ()):
        self.path = path
        self.data = data
        self.lines = lines
        self.problems = problems
        self.prefix = prefix

    # -- reporting ---------------------------------------------------------
    def line(self, *keys: Any) -> int:
        return self.lines(*self.prefix, *keys)

    def error(self, message: str, *keys: Any) -> None:
        self.problems.append(Problem(self.path, self.line(*keys), message))

    def unknown_keys(self, known: Iterable[str], where: str = "") -> None:
        known = list(known)
        for key in self.data:
            if key not in known:
                hint = suggestion(closest(key, known))
                if not hint:
                    hint = " ; clés possibles : " + ", ".join(known)
                self.error(f"clé inconnue « {_shown(key)} »{where}{hint}", key)

    def _get(self, key: str, required: bool) -> Any:
        value = self.data.get(key, MISSING)
        if value is MISSING:
            if required:
                self.problems.append(Problem(self.path, self.line(), f"clé obligatoire « {key} » absente"))
            return MISSING
        if _is_empty(value):
            if required:
                self.error(f"« {key} » est vide : une valeur est attendue", key)
            elif not isinstance(value, (list, dict)):
                self.error(f"« {key} » est vide : donnez une valeur ou retirez la clé", key)
            return MISSING
        return value

    # -- scalars -----------------------------------------------------------
    def text(self, key: str, required: bool = True, max_length: int | None = None) -> str | None:
        value = self._get(key, required)
        if value is MISSING:
            return None
        if not isinstance(value, str):
            self.error(f"« {key} » doit être un texte (reçu : {_shown(value)}) ; mettez-le entre guillemets", key)
            return None
        value = value.strip()
        if max_length and len(value) > max_length:
            self.error(f"« {key} » fait {len(value)} caractères ; {max_length} au plus sont attendus", key)
        return value

    def integer(self, key: str, required: bool = True, minimum: int | None = None) -> int | None:
        value = self._get(key, required)
        if value is MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(f"« {key} » doit être un nombre entier (reçu : « {_shown(value)} »)", key)
            return None
        if minimum is not None and value < minimum:
            self.error(f"« {key} » doit valoir au moins {minimum} (reçu : {value})", key)
            return None
        return value

    def boolean(self, key: str) -> bool:
        value = self._get(key, False)
        if value is MISSING:
            return False
        if not isinstance(value, bool):
            self.error(f"« {key} » doit valoir true ou false (reçu : « {_shown(value)} »)", key)
            return False
        return value

    def date(self, key: str, required: bool = True) -> dt.date | None:
        value = self._get(key, required)
        if value is MISSING:
            return None
        return self.parse_date(value, key)

    def parse_date(self, value: Any, *keys: Any) -> dt.date | None:
        name = keys[0]
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str) or not _DATE_RE.match(value.strip()):
            self.error(f"« {name} » doit être une date au format AAAA-MM-JJ, par exemple 2026-11-26 (reçu : « {_shown(value)} »)", *keys)
            return None
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            year, month, day = (int(x) for x in value.strip().split("-"))
            why = "le mois doit aller de 01 à 12" if not 1 <= month <= 12 else f"ce mois n'a pas de jour {day}"
            self.error(f"date impossible « {value} » dans « {name} » : {why}", *keys)
            return None

    # -- lists -------------------------------------------------------------
    def items(self, key: str, required: bool = False) -> list[tuple[int, Any]]:
        """The items of a list key, with their index; reports a non-list."""
        value = self._get(key, required)
        if value is MISSING:
            return []
        if not isinstance(value, list):
            self.error(
                f"« {key} » doit être une liste, par exemple « {key}: [{_shown(value)}] » ou un élément par ligne commençant par « - »",
                key,
            )
            return []
        return list(enumerate(value))

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        out = []
        for index, item in self.items(key, required):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or (isinstance(item, str) and not item.strip()):
                self.error(f"« {key} » : l'élément {index + 1} doit être un texte non vide (reçu : « {_shown(item)} »)", key, index)
                continue
            out.append(str(item).strip())
        return tuple(out)

    def vocabulary(
        self, key: str, allowed: Iterable[str], what: str, required: bool = False, source: str = ""
    ) -> tuple[str, ...]:
        """A list whose items must belong to a controlled vocabulary (exact match)."""
        allowed = list(allowed)
        out = []
        for index, item in enumerate(self.texts(key, required)):
            if item in allowed:
                if item not in out:
                    out.append(item)
                continue
            where = f" (voir {source})" if source else ""
            self.error(f"{what} inconnu « {_shown(item)} » dans « {key} »{suggestion(closest(item, allowed))}{where}", key, index)
        return tuple(out)

    def numbers(self, key: str, required: bool = False) -> tuple[tuple[int, int], ...]:
        """A list of fiche numbers, as (index, number) pairs."""
        out = []
        for index, item in self.items(key, required):
            if isinstance(item, bool) or not isinstance(item, int) or item < 1:
                self.error(f"« {key} » : l'élément {index + 1} doit être un numéro de fiche (entier ≥ 1), reçu « {_shown(item)} »", key, index)
                continue
            out.append((index, item))
        return tuple(out)

    def mappings(self, key: str, what: str) -> list[tuple[int, "Fields"]]:
        out = []
        for index, item in self.items(key):
            if not isinstance(item, dict):
                self.error(f"« {key} » : l'élément {index + 1} doit être une {what} avec des clés (title, publisher …)", key, index)
                continue
            out.append((index, Fields(self.path, item, self.lines, self.problems, self.prefix + (key, index))))
        return out


def each_entry(
    path: str, data: Any, lines: Lines, problems: list[Problem], what: str, read: Callable[[Fields], Any]
) -> list[Any]:
    """Read each mapping of a data file that is a YAML list: (value, line) pairs."""
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem(path, lines(), f"le fichier doit être une liste de {what}, chaque élément commençant par « - »"))
        return []
    out = []
    for index, entry in enumerate(data):
        if not isinstance(entry, dict):
            problems.append(Problem(path, lines(index), f"l'élément {index + 1} doit être une fiche de clés (slug, label …), reçu « {_shown(entry)} »"))
            continue
        value = read(Fields(path, entry, lines, problems, (index,)))
        if value is not None:
            out.append((value, lines(index)))
    return out
