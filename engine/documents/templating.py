"""Render Markdown+Jinja templates (manual parts and clause sections) in a sandbox.

Every value printed with ``{{ }}`` is Markdown-escaped, so profile text such as ``R&D *新*``
comes out literally; template text itself is Markdown. Macro output and ``|safe`` values are
already Markdown and are left alone.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from engine import limits
from engine.documents.prose import md_escape
from engine.domain.views import format_date
from engine.errors import Problem
from engine.inputs.labels import Labels
from engine.inputs.models import Language
from engine.jinjacache import BoundedSandbox, TemplateLimitError, bounded, compiled_cache

MAX_OUTPUT_CHARS = limits.MAX_TEMPLATE_OUTPUT_CHARS


class TemplateProblem(Exception):
    """Raised inside rendering to carry a located Problem out of Jinja."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return Markup(md_escape(str(value)))


def _attribute(item: Any, attribute: str) -> Any:
    """Read a public attribute as the sandbox does: private and dunder names are refused."""
    if attribute.startswith("_") or not attribute.isidentifier():
        raise SecurityError(f"access to attribute {attribute!r} is not allowed")
    return getattr(item, attribute)


def _join(items: Iterable[Any], separator: str = "", attribute: str | None = None) -> Markup:
    values = [_attribute(item, attribute) if attribute else item for item in items]
    escaped = [v if isinstance(v, Markup) else Markup(md_escape(str(v))) for v in values]
    return Markup(separator).join(escaped)


@dataclass(frozen=True)
class _LanguageFilters:
    lang: Language
    labels: Labels

    def names(self, items: Iterable[Any], attribute: str = "name") -> Markup:
        """Join names: 甲、乙、丙 in Chinese; "A, B and C" in English."""
        values = list(items)
        if self.lang == "en" and len(values) > 1:
            head = _join(values[:-1], ", ", attribute)
            return Markup(f"{head} and {_join(values[-1:], '', attribute)}")
        return _join(values, self.labels.get("name_separator", self.lang), attribute)

    def refs(self, procedures: Iterable[Any]) -> Markup:
        """Join procedure references such as 《文件控制程序》（HX-QP-01）."""
        return _join(procedures, self.labels.get("name_separator", self.lang), "ref")

    def date(self, value: str) -> str:
        """Return 2026-03-01 as 2026年3月1日 (zh) or 1 March 2026 (en)."""
        return format_date(value, self.lang)


def make_environment(search_path: list[Path], lang: Language, labels: Labels) -> jinja2.Environment:
    """Return the one sandboxed Jinja environment for Markdown templates in a language."""
    env = BoundedSandbox(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=compiled_cache(),
    )
    filters = _LanguageFilters(lang, labels)
    env.filters["join"] = _join
    env.filters["names"] = filters.names
    env.filters["refs"] = filters.refs
    env.filters["date"] = filters.date
    return env


@dataclass
class TemplateSet:
    """The Markdown templates of one language, loaded lazily and rendered with located errors."""

    env: jinja2.Environment
    root: Path
    display_root: str
    fallbacks: tuple[tuple[Path, str], ...] = ()
    """Roots searched after root (the bundled templates), each with its display prefix."""

    def names(self, folder: str) -> set[str]:
        """Return the template names (stems) in a sub-folder, e.g. sections."""
        names: set[str] = set()
        for root in [self.root, *(path for path, _ in self.fallbacks)]:
            directory = root / folder
            if directory.is_dir():
                names |= {p.stem for p in directory.glob("*.md")}
        return names

    def _folder(self, folder: str) -> Path:
        return self.root / folder

    def display(self, folder: str, name: str) -> str:
        """Return how messages name a template, e.g. templates/md/zh/sections/risks.md."""
        return f"{self.display_root}/{folder}/{name}.md"

    def parse(self, folder: str, name: str) -> jinja2.nodes.Template:
        """Return a template's syntax tree, raising TemplateProblem as render() would."""
        relative = f"{folder}/{name}.md"
        try:
            source, filename, _ = self.env.loader.get_source(self.env, relative)  # type: ignore[union-attr]
            return self.env.parse(source, relative, filename)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(self._syntax_problem(exc, self.display(folder, name))) from None
        except jinja2.TemplateNotFound:
            raise TemplateProblem(
                Problem(
                    self.display(folder, name),
                    message="the template file does not exist",
                    hint="create it or correct the name that refers to it",
                )
            ) from None

    def _syntax_problem(self, exc: jinja2.TemplateSyntaxError, display: str) -> Problem:
        return Problem(
            self._display(exc.filename) or display,
            exc.lineno,
            None,
            "",
            f"template syntax: {exc.message}",
            "fix the {% %} / {{ }} tags on this line",
        )

    def render(self, folder: str, name: str, context: Mapping[str, Any]) -> str:
        """Render folder/name.md to Markdown text, raising TemplateProblem on any template error."""
        relative = f"{folder}/{name}.md"
        display = f"{self.display_root}/{relative}"
        try:
            with bounded():
                return self._render(relative, display, context)
        except TemplateLimitError as exc:
            file, line = self._template_frame(exc) or (display, None)
            raise TemplateProblem(
                Problem(file, line, None, "", str(exc), "templates must stay within limits.py")
            ) from None
        except jinja2.TemplateNotFound as exc:
            missing = exc.name or relative
            raise TemplateProblem(
                Problem(
                    display if missing == relative else f"{self.display_root}/{missing}",
                    None,
                    None,
                    "",
                    "the template file does not exist",
                    "create it or correct the name that refers to it",
                )
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(self._syntax_problem(exc, display)) from None
        except (
            jinja2.UndefinedError,
            SecurityError,
            jinja2.TemplateError,
            TypeError,
            ValueError,
            LookupError,
            AttributeError,
            ZeroDivisionError,
            RecursionError,
        ) as exc:
            file, line = self._template_frame(exc) or (display, None)
            hint = "see 'Template context' in README.md for the names templates can use"
            if isinstance(exc, SecurityError):
                hint = "templates may only read the data they are given"
            raise TemplateProblem(Problem(file, line, None, "", _message(exc), hint)) from None
        except OverflowError as exc:
            file, line = self._template_frame(exc) or (display, None)
            raise TemplateProblem(
                Problem(
                    file, line, None, "", f"template loop too large: {exc}", "use a smaller range"
                )
            ) from None

    def _render(self, relative: str, display: str, context: Mapping[str, Any]) -> str:
        template = self.env.get_template(relative)
        chunks = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateProblem(
                    Problem(
                        display,
                        None,
                        None,
                        "",
                        f"the template produced more than {MAX_OUTPUT_CHARS:,} characters",
                        "check its loops",
                    )
                )
            chunks.append(chunk)
        return "".join(chunks)

    def _display(self, filename: str | None) -> str | None:
        if not filename:
            return None
        resolved = Path(filename).resolve()
        for root, display_root in [(self.root, self.display_root), *self.fallbacks]:
            try:
                return f"{display_root}/{resolved.relative_to(root.resolve()).as_posix()}"
            except ValueError:
                continue
        return filename

    def _template_frame(self, exc: BaseException) -> tuple[str, int | None] | None:
        frames = traceback.extract_tb(exc.__traceback__)
        for frame in reversed(frames):
            if frame.filename.endswith(".md"):
                return self._display(frame.filename) or frame.filename, frame.lineno
        return None


_QUALIFIED_OBJECT = re.compile(r"'(?:[A-Za-z_][A-Za-z0-9_]*\.)+([A-Za-z_][A-Za-z0-9_]*) object'")


def _message(exc: BaseException) -> str:
    # Jinja names objects by their Python path ('engine.documents….SectionView object'):
    # the class name is all a template author can use.
    text = _QUALIFIED_OBJECT.sub(r"'\1 object'", str(exc))
    if isinstance(exc, jinja2.UndefinedError):
        return f"undefined name: {text}"
    if isinstance(exc, SecurityError):
        return f"not allowed in templates: {text}"
    return f"template error: {text}"


def template_set(
    templates_dir: Path | Sequence[Path], display_root: str, lang: Language, labels: Labels
) -> TemplateSet:
    """Return the Markdown templates of a language (templates/md/<lang>/).

    Several folders are layers: a template in the first overrides its namesake in the next;
    the later ones are named bundled:templates/… in messages.
    """
    folders = [templates_dir] if isinstance(templates_dir, Path) else list(templates_dir)
    roots = [folder / "md" / lang for folder in folders]
    fallbacks = tuple((root, f"bundled:templates/md/{lang}") for root in roots[1:])
    return TemplateSet(
        make_environment(roots, lang, labels), roots[0], f"{display_root}/md/{lang}", fallbacks
    )
