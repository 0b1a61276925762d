"""Problems found in the content, reported as ``path:line: message`` (French)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the project root, POSIX separators
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised when the content breaks the contract; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def closest(value: object, choices: Iterable[str]) -> str | None:
    """The valid choice closest to ``value`` (case and accents ignored), if any is close."""
    from .slugs import fold

    wanted = fold(str(value))
    by_key: dict[str, str] = {}
    for choice in choices:
        by_key.setdefault(fold(choice), choice)
    if wanted in by_key:
        return by_key[wanted]
    match = difflib.get_close_matches(wanted, list(by_key), n=1, cutoff=0.5)
    return by_key[match[0]] if match else None


def closest_number(value: int, numbers: Iterable[int]) -> int | None:
    candidates = sorted(numbers)
    if not candidates:
        return None
    return min(candidates, key=lambda n: (abs(n - value), n))


def suggestion(found: str | int | None) -> str:
    """French suffix proposing a value, or nothing."""
    if found is None:
        return ""
    return f" ; vouliez-vous dire « {found} » ?"
