"""Read content files and data files: text in, plain data with line numbers out."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import frontmatter

from .errors import ContentError, Problem
from .yamlread import Lines, YamlProblem, parse

_YAML = frontmatter.YAMLHandler()
MAX_FILE_BYTES = 500_000  # a fiche is ~20 Ko; far larger files make builds (PDF dossiers) run for ages


@dataclass(frozen=True)
class Source:
    """One Markdown file, split: front-matter as data, body as text."""

    path: str  # relative to the project root
    meta: dict[str, Any]
    lines: Lines
    body: str
    body_line: int  # file line of the body's first line


def read_text(root: Path, rel: str) -> str:
    """Decode a file as UTF-8 (BOM allowed), with ``\\n`` line endings."""
    return decode_text(rel, (root / rel).read_bytes())


def decode_text(rel: str, raw: bytes) -> str:
    """``read_text`` of bytes already read."""
    if len(raw) > MAX_FILE_BYTES:
        size = f"{len(raw) / 1e6:.1f}".replace(".", ",")
        message = f"fichier trop volumineux ({size} Mo) : {MAX_FILE_BYTES // 1000} Ko au plus ; découpez-le ou retirez ce qui n'est pas du texte"
        raise ContentError([Problem(rel, 1, message)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            [
                Problem(
                    rel,
                    line,
                    f"le fichier n'est pas encodé en UTF-8 (octet 0x{raw[exc.start]:02x} invalide) : "
                    "enregistrez-le en UTF-8 depuis votre éditeur",
                )
            ]
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ContentError([Problem(rel, line, "le fichier contient des octets binaires (caractère nul) : ce n'est pas un texte Markdown")])
    if "\r" not in text:  # (one read; the two replacements read the text twice)
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_markdown(rel: str, text: str) -> Source:
    """Split a Markdown file into front-matter and body (python-frontmatter's YAML handler)."""
    if not text.strip():
        raise ContentError([Problem(rel, 1, "fichier vide : un en-tête YAML entre deux lignes « --- » est attendu")])
    if not _YAML.detect(text):
        raise ContentError(
            [Problem(rel, 1, "en-tête YAML absent : le fichier doit commencer par une ligne « --- », suivie des clés, puis une autre ligne « --- »")]
        )
    try:
        fm, body = _YAML.split(text)
    except ValueError:
        raise ContentError([Problem(rel, 1, "en-tête YAML non fermé : ajoutez une ligne « --- » après la dernière clé")]) from None
    body_line = text[: len(text) - len(body)].count("\n") + 1
    opening = _YAML.FM_BOUNDARY.match(text)
    fm_line = text[: opening.end()].count("\n") + 1 if opening else 1
    try:
        meta, lines = parse(fm, first_line=fm_line)
    except YamlProblem as exc:
        raise ContentError([Problem(rel, exc.line, exc.message)]) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError([Problem(rel, 2, "l'en-tête YAML doit être une liste de clés « clé: valeur »")])
    return Source(rel, meta, lines, body, body_line)


# Files parsed by earlier builds of this process, by absolute path, with the bytes they had.
# `mkdocs serve` rebuilds everything at each save; with this, only the changed files are parsed
# again (a hit compares the whole content, so an edit is never missed). Sources are never mutated.
_PARSED: dict[str, tuple[bytes, Source]] = {}


def _key(root: Path, rel: str) -> str:
    """A file's absolute path, as text (pathlib's path objects were about a tenth of reading a
    file, under the profiler)."""
    return os.path.join(_absolute(root), rel)


@lru_cache(maxsize=8)
def _absolute(root: Path) -> str:
    """``os.path.abspath(root)``, once per root (1.5 µs a call, three calls a file)."""
    return os.path.abspath(root)


def _read_bytes(path: str) -> bytes:
    """The file's bytes, through the file descriptor (``open()``'s buffered file object took
    8 to 11 µs a file, this 6)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) == size:  # the whole file (one more byte asked: its end reached)
            return data
        chunks = [data]  # it changed since, or the read was short: the rest, to its end
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_markdown(root: Path, rel: str) -> Source:
    path = _key(root, rel)
    hit = _PARSED.get(path)
    if hit is not None:
        try:
            if hit[1].path == rel and _read_bytes(path) == hit[0]:
                return hit[1]
        except OSError:
            pass  # read_text below reports it
    try:
        raw: bytes | None = _read_bytes(path)
    except OSError:  # missing, a folder, unreadable: read_text says so
        raw = None
    src = split_markdown(rel, decode_text(rel, raw) if raw is not None else read_text(root, rel))
    if raw is not None:
        _PARSED[path] = (raw, src)
    return src


def parsed_entry(root: Path, rel: str) -> tuple[bytes, Source] | None:
    """What ``read_markdown`` keeps of ``rel`` (from a forked worker, for ``remember``)."""
    return _PARSED.get(_key(root, rel))


def remember(root: Path, rel: str, entry: tuple[bytes, Source]) -> None:
    _PARSED[_key(root, rel)] = entry


def read_data(root: Path, rel: str) -> tuple[Any, Lines]:
    """A YAML data file (``data/themes.yml`` ...)."""
    if not (root / rel).is_file():
        raise ContentError([Problem(rel, 1, "fichier de données absent")])
    text = read_text(root, rel)
    try:
        return parse(text, first_line=1)
    except YamlProblem as exc:
        raise ContentError([Problem(rel, exc.line, exc.message)]) from None


def content_files(root: Path, folder: str) -> list[str]:
    """Every ``.md`` file directly in ``folder``, sorted, as project-relative paths."""
    base = root / folder
    if not base.is_dir():
        return []
    with os.scandir(base) as entries:  # a directory entry tells a file without a stat() each
        return sorted(f"{folder}/{e.name}" for e in entries if os.path.splitext(e.name)[1].lower() == ".md" and e.is_file())
