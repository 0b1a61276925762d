"""The one Jinja2 environment: templates in ``esskb/templates``, autoescape always on.

Markdown templates escape twice over: HTML (autoescape) and Markdown syntax (``md``
filter), so a title holding ``<script>`` or ``*`` stays text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.bccache
import jinja2.compiler
import markupsafe
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).parent / "templates"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|]")


def md(value: object) -> Markup:
    """Text made safe for Markdown: HTML-escaped, Markdown punctuation backslashed."""
    if value is None:
        return Markup("")
    return _md_text(str(value))


@lru_cache(maxsize=100_000)  # labels and titles recur on many pages
def _md_text(text: str) -> Markup:
    # (a function for each match: Python 3.11 expands a template like r"\\\1" in Python, 2.6
    # against 1.2 µs a title; str.translate took 4.4 µs, a dict lookup per character)
    return Markup(_MD_SPECIAL.sub(_backslashed, str(escape(text))).replace("\n", " "))


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match.group()


def frdate(value: dt.date | None) -> str:
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def relative(here: str, target: str) -> str:
    """Link from the page ``here`` to ``target`` (both docs-relative ``.md`` paths, normalised).

    ``posixpath.relpath`` does the same through ``abspath`` and was a tenth of page generation.
    """
    base = here.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:])


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count <= 1 else (plural_form or singular + 's')}"


@jinja2.pass_context
def _link(context: jinja2.runtime.Context, target: str) -> str:
    return relative(context["here"], target)


@jinja2.pass_context
def _href(context: jinja2.runtime.Context, target: str) -> str:
    """Final URL from the page being rendered to ``target`` (docs path, ``#anchor`` kept), for raw HTML."""
    return context["site"].href(context["here"], target)


@jinja2.pass_context
def _abbr(context: jinja2.runtime.Context, text: object) -> Markup:
    """Text for raw HTML, glossary terms in ``<abbr>`` as on the rest of the page."""
    return context["site"].abbr(text)


_escape_inner = getattr(markupsafe, "_escape_inner", None)  # MarkupSafe 3's C function (pinned)
_new_str = str.__new__


def fast_escape(value: object) -> Markup:
    """``markupsafe.escape``, without its Python-level ``Markup.__new__`` for plain text and
    without a copy of what is ``Markup`` already: 0.12 and 0.04 µs a call against 0.36. The
    templates call it for every value they print (220,000 calls for 5,000 pages)."""
    kind = type(value)
    if kind is str and _escape_inner is not None:
        return _new_str(Markup, _escape_inner(value))
    if kind is Markup:
        return value  # type: ignore[return-value]
    return escape(value)


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, but autoescaped output goes through ``fast_escape`` (the
    environment's ``fast_escape`` attribute) instead of ``markupsafe.escape``."""

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: jinja2.compiler.Frame, finalize: object) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            return super()._output_child_pre(node, frame, finalize)  # type: ignore[arg-type]
        self.write("environment.fast_escape(")
        if finalize.src is not None:  # type: ignore[attr-defined]
            self.write(finalize.src)  # type: ignore[attr-defined]
        return None


class _Environment(jinja2.Environment):
    code_generator_class = _CodeGenerator if hasattr(jinja2.compiler.CodeGenerator, "_output_child_pre") else jinja2.compiler.CodeGenerator
    fast_escape = staticmethod(fast_escape)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template: Markdown, HTML, XML, text previews
        comment_start_string="{##",  # "{#id}" is Markdown (attr_list), not a Jinja comment
        comment_end_string="##}",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # package files: no stat() of each template at every render
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(md=md, frdate=frdate, plural=plural, abbr=_abbr)
    env.globals.update(link=_link, href=_href)
    return env


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates on disk; a build that cannot write it goes on."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds (compiling them all took 0.24 to 0.28 s a build), in
    ``$ESSKB_CACHE_DIR`` or the user's cache folder. Jinja checks each template's source; the
    folder's name also changes with Jinja's version and this module (the environment's options)."""
    root = os.environ.get("ESSKB_CACHE_DIR") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "esskb")
    digest = hashlib.sha256(jinja2.__version__.encode() + Path(__file__).read_bytes()).hexdigest()[:16]
    folder = os.path.join(root, f"templates-{digest}")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(folder)


def compile_all() -> None:
    """Compile every template now (before forking: once, instead of once in each worker)."""
    env = environment()
    for name in env.list_templates(filter_func=lambda name: name.endswith(".j2")):
        env.get_template(name)


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
