"""The msmanual command line: thin commands over engine.build; user errors exit 1, no traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from engine import __version__
from engine.build import generate, load_library, load_profile, validate
from engine.documents.common import KINDS
from engine.errors import EngineError, Problem, errors_only
from engine.models import LANGUAGES, Language
from engine.pdf import export_pdfs, find_soffice
from engine.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])

KIND_HELP = {
    "manual": "管理手册 management manual",
    "procedures": "程序文件清单 procedure list",
    "revisions": "修订履历 revision history",
    "matrix": "职能分配表 responsibility matrix",
}


def root_option(function: F) -> F:
    """Add --root to a command."""
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(),
        show_default="current directory",
        help="Workspace folder holding clause_maps/, company_profiles/ and templates/.",
    )(function)


def user_errors(function: F) -> F:
    """Turn EngineError into a message on stderr and exit code 1; other errors keep tracebacks."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except EngineError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    return cast(F, wrapper)


def echo_problems(problems: list[Problem]) -> None:
    """Print problems, one per line, to stderr."""
    for problem in problems:
        click.echo(str(problem), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="msmanual")
def cli() -> None:
    """Generate management-system manuals (管理手册) and companion documents from YAML data."""


@cli.command("list")
@root_option
@user_errors
def list_command(root: Path) -> None:
    """List standards, companies and document kinds in the workspace."""
    workspace = Workspace.open(root)
    library = load_library(workspace, langs=[])
    click.echo("Standards (clause_maps/):")
    for standard in workspace.standards():
        cmap = library.maps.get(standard)
        if cmap is None:
            click.echo(f"  {standard:<20} (has problems: run msmanual validate)")
            continue
        info = cmap.standard
        count = f"{len(cmap.clauses):>3} clauses"
        click.echo(f"  {standard:<20} {info.code:<24} {count}  {info.title.get('zh')}")
    click.echo("Companies (company_profiles/):")
    for company in workspace.companies():
        inputs, _ = load_profile(workspace, company)
        if inputs is None:
            click.echo(f"  {company:<20} (has problems: run msmanual validate --company {company})")
            continue
        name = inputs.profile.company.name.get("zh")
        click.echo(f"  {company:<20} {name}  [{', '.join(inputs.profile.standards)}]")
    click.echo("Document kinds (--doc):")
    for kind in KINDS:
        click.echo(f"  {kind:<20} {KIND_HELP[kind]}")


@cli.command("validate")
@root_option
@click.option(
    "--company", "companies", multiple=True, help="Company id (repeatable); default: all."
)
@click.option(
    "--lang",
    type=click.Choice([*LANGUAGES, "all"]),
    default="all",
    show_default=True,
    help="Check templates and translations for this language.",
)
@user_errors
def validate_command(root: Path, companies: tuple[str, ...], lang: str) -> None:
    """Check every input at once; print each problem as file:line:col and exit 1 on errors."""
    workspace = Workspace.open(root)
    langs: list[Language] = list(LANGUAGES) if lang == "all" else [cast(Language, lang)]
    problems = validate(workspace, list(companies) or None, langs)
    echo_problems(problems)
    errors = errors_only(problems)
    warnings = len(problems) - len(errors)
    if errors:
        click.echo(f"{len(errors)} error(s), {warnings} warning(s)", err=True)
        sys.exit(1)
    click.echo(f"OK: no errors ({warnings} warning(s))")


@cli.command("generate")
@root_option
@click.option("--company", required=True, help="Company id (file stem in company_profiles/).")
@click.option(
    "--standard", default=None, help="One of the profile's standards; default: all of them."
)
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True)
@click.option(
    "--doc",
    "kinds",
    type=click.Choice(KINDS),
    multiple=True,
    help="Document kind (repeatable); default: all four.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder; default: <root>/output.",
)
@click.option(
    "--pdf", is_flag=True, help="Also write PDFs through LibreOffice, contents filled in."
)
@user_errors
def generate_command(
    root: Path,
    company: str,
    standard: str | None,
    lang: str,
    kinds: tuple[str, ...],
    out: Path | None,
    pdf: bool,
) -> None:
    """Write a company's documents to <out>/<company>/<standard>/ and print their paths."""
    workspace = Workspace.open(root)
    if pdf:
        find_soffice()  # fail before writing anything when LibreOffice is missing
    written, warnings = generate(
        workspace,
        company,
        out if out is not None else workspace.default_output_dir,
        standard=standard,
        lang=cast(Language, lang),
        kinds=list(kinds) or None,
    )
    if pdf:
        pdfs, pdf_warnings = export_pdfs(written)
        written += pdfs
        warnings += pdf_warnings
    echo_problems(warnings)
    for path in written:
        click.echo(str(path))


def main() -> None:
    """Run the command line."""
    cli()
