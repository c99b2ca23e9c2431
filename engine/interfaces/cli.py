"""The msmanual command line: thin commands over engine.commands; errors exit 1, no traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from engine import __version__
from engine.commands.generate import generate, write_document, write_report
from engine.commands.session import load_library, load_profile
from engine.documents.registry import default_registry
from engine.errors import EngineError, Problem, UnknownNameError, errors_only
from engine.inputs.models import LANGUAGES, Language
from engine.inputs.workspace import Workspace

# Every command's own modules are imported inside the command: generate is run once per
# company from scripts, and Python start-up is a third of its time (bench/RESULTS.md).

F = TypeVar("F", bound=Callable[..., Any])


class DocumentKindType(click.ParamType):  # type: ignore[type-arg]
    """A document kind id; the registry is read only when help is shown or a kind is used."""

    name = "kind"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        """Show the registered kinds in --help."""
        from engine.documents.registry import default_registry

        return "[" + "|".join(default_registry().ids()) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Keep the value: an unknown kind is reported by generate with the known ones."""
        return value


def out_option(help_text: str) -> Callable[[F], F]:
    """Add --out (a folder to write to) and --lock-timeout to a command."""
    out = click.option(
        "--out", type=click.Path(file_okay=False, path_type=Path), default=None, help=help_text
    )

    def set_timeout(ctx: click.Context, param: click.Parameter, value: float | None) -> None:
        from engine.files import set_lock_timeout

        if value is not None:
            set_lock_timeout(value)

    timeout = click.option(
        "--lock-timeout",
        type=click.FloatRange(min=0),
        default=None,
        expose_value=False,
        callback=set_timeout,
        help="Seconds to wait while another run works on the same company; default: 60.",
    )
    return lambda function: out(timeout(function))


def root_option(function: F) -> F:
    """Add --root to a command."""
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(),
        show_default="current directory",
        help="Workspace folder holding company_profiles/ (and any templates/ or clause_maps/ "
        "overriding the bundled ones).",
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
@click.option(
    "--overrides",
    is_flag=True,
    help="List the workspace's own templates/ and clause_maps/ files instead: changed, "
    "same as bundled, or added.",
)
@user_errors
def list_command(root: Path, overrides: bool) -> None:
    """List standards, companies and document kinds in the workspace."""
    workspace = Workspace.open(root)
    if overrides:
        list_overrides(workspace)
        return
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
    for kind in default_registry():
        click.echo(f"  {kind.id:<20} {kind.help}")


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
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (for CI).")
@user_errors
def validate_command(root: Path, companies: tuple[str, ...], lang: str, strict: bool) -> None:
    """Check every input at once; print each problem as file:line:col and exit 1 on errors."""
    from engine.commands.validate import validate

    workspace = Workspace.open(root)
    langs: list[Language] = list(LANGUAGES) if lang == "all" else [cast(Language, lang)]
    problems = validate(workspace, list(companies) or None, langs)
    echo_problems(problems)
    errors = errors_only(problems)
    warnings = len(problems) - len(errors)
    if errors or (strict and warnings):
        click.echo(f"{len(errors)} error(s), {warnings} warning(s)", err=True)
        sys.exit(1)
    click.echo(f"OK: no errors ({warnings} warning(s))")


@cli.command("generate")
@root_option
@click.option(
    "--company",
    "companies",
    multiple=True,
    help="Company id (file stem in company_profiles/); repeat it for a batch.",
)
@click.option("--all", "all_companies", is_flag=True, help="Every company in the workspace.")
@click.option(
    "--standard", default=None, help="One of the profile's standards; default: all of them."
)
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True)
@click.option(
    "--doc",
    "kinds",
    type=DocumentKindType(),
    multiple=True,
    help="Document kind (repeatable); default: the whole set (see msmanual list).",
)
@out_option("Output folder; default: <root>/output.")
@click.option(
    "--pdf", is_flag=True, help="Also write PDFs through LibreOffice, contents filled in."
)
@click.option("--markdown", is_flag=True, help="Also write each document as Pandoc Markdown.")
@click.option(
    "--force", is_flag=True, help="Batch: regenerate companies whose inputs did not change."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Batch: processes to use; default: every core.",
)
@user_errors
def generate_command(
    root: Path,
    companies: tuple[str, ...],
    all_companies: bool,
    standard: str | None,
    lang: str,
    kinds: tuple[str, ...],
    out: Path | None,
    pdf: bool,
    markdown: bool,
    force: bool,
    jobs: int | None,
) -> None:
    """Write a company's documents to <out>/<company>/<standard>/ and print their paths.

    With --all or several --company, companies are generated in parallel, one company's errors
    do not stop the others, and companies whose inputs did not change since the last batch are
    skipped (--force regenerates them).
    """
    workspace = Workspace.open(root)
    target = out if out is not None else workspace.default_output_dir
    if all_companies or len(companies) > 1:
        if standard is not None:
            raise EngineError("--standard works with one --company, not a batch")
        known = workspace.companies()
        names = list(dict.fromkeys(companies)) if companies else known
        if all_companies and companies:
            raise EngineError("give either --all or --company, not both")
        unknown = [c for c in names if c not in known]
        if unknown:
            raise UnknownNameError("company", unknown[0], known)
        if pdf:
            from engine.render.pdf import find_soffice

            find_soffice()  # fail before writing anything when LibreOffice is missing
        generate_batch(
            workspace, names, target, cast(Language, lang), kinds, force, jobs, markdown, pdf
        )
        return
    if not companies:
        raise EngineError("say which company: --company ID (or --all)")
    if pdf:
        from engine.render.pdf import export_pdfs, find_soffice

        find_soffice()  # fail before writing anything when LibreOffice is missing
    written, warnings = generate(
        workspace,
        companies[0],
        target,
        standard=standard,
        lang=cast(Language, lang),
        kinds=list(kinds) or None,
        markdown=markdown,
    )
    if pdf:
        pdfs, pdf_warnings = export_pdfs([p for p in written if p.suffix == ".docx"])
        written += pdfs
        warnings += pdf_warnings
    echo_problems(warnings)
    for path in written:
        click.echo(str(path))


def generate_batch(
    workspace: Workspace,
    companies: list[str],
    out: Path,
    lang: Language,
    kinds: tuple[str, ...],
    force: bool,
    jobs: int | None,
    markdown: bool,
    pdf: bool = False,
) -> None:
    """Generate several companies with a progress bar; report every failure at the end."""
    from engine.commands.batch import (
        BatchJob,
        CompanyOutcome,
        default_workers,
        run_batch,
        shared_fingerprint,
    )

    shared = shared_fingerprint(workspace)
    batch = [
        BatchJob(
            str(workspace.root), c, str(out), lang, kinds or None, force, shared, markdown, pdf
        )
        for c in companies
    ]
    with click.progressbar(
        length=len(batch), label="generating", file=sys.stderr, show_pos=True
    ) as bar:

        def done(outcome: CompanyOutcome) -> None:
            bar.update(1)

        try:
            outcomes = run_batch(batch, jobs or default_workers(), done)
        finally:  # a batch run in this process converted through this process's LibreOffice
            from engine.render.converter import close_shared_converter

            close_shared_converter()
    failed = [o for o in outcomes if o.status in ("failed", "crashed")]
    for outcome in outcomes:
        for path in outcome.paths if outcome.status == "written" else []:
            click.echo(path)
    for outcome in outcomes:
        for message in outcome.messages if outcome.status == "written" else []:
            click.echo(message, err=True)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("written", "skipped")}
    click.echo(
        f"{counts['written']} generated, {counts['skipped']} unchanged (skipped), "
        f"{len(failed)} failed",
        err=True,
    )
    for outcome in failed:
        kind = "error" if outcome.status == "failed" else "internal error (a bug; please report)"
        click.echo(f"{outcome.company}: {kind}:", err=True)
        for message in outcome.messages:
            click.echo(f"  {message}", err=True)
    if failed:
        sys.exit(1)


@cli.command("check")
@root_option
@click.option("--company", required=True, help="Company id.")
@click.option("--standard", default=None, help="One of the profile's standards; default: all.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json", "docx"]),
    default="table",
    show_default=True,
)
@click.option("--gaps-only", is_flag=True, help="Table: list only the clauses with gaps.")
@click.option("--strict", is_flag=True, help="Exit 1 when any clause has a gap (for CI).")
@out_option("Where --format docx writes; default: <root>/output.")
@user_errors
def check_command(
    root: Path,
    company: str,
    standard: str | None,
    lang: str,
    output_format: str,
    gaps_only: bool,
    strict: bool,
    out: Path | None,
) -> None:
    """Show, per clause, whether the document set covers it, excludes it, or has a gap and why."""
    from engine.commands.check import check
    from engine.commands.reports import coverage_document, render_csv, render_json, render_table

    workspace = Workspace.open(root)
    result = check(workspace, company, standard=standard, lang=cast(Language, lang))
    echo_problems(result.warnings)
    if output_format == "csv":
        click.echo(render_csv(result), nl=False)
    elif output_format == "json":
        click.echo(render_json(result))
    elif output_format == "docx":
        target = write_report(
            workspace,
            out if out is not None else workspace.default_output_dir,
            result.views,
            coverage_document(result),
            "coverage",
        )
        click.echo(str(target))
    else:
        click.echo(render_table(result, _painter(), gaps_only=gaps_only))
    if strict and (result.gaps or result.dangling):
        click.echo(
            f"{len(result.gaps)} clause(s) with gaps, {len(result.dangling)} dangling pointer(s)",
            err=True,
        )
        sys.exit(1)


@cli.command("audit")
@root_option
@click.argument("manual", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--standard", required=True, help="Clause map id to audit against.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "docx"]),
    default="table",
    show_default=True,
)
@click.option(
    "--explain",
    "explain_clause",
    default=None,
    metavar="CLAUSE",
    help="Say why one clause is covered or not, with every piece of evidence weighed.",
)
@out_option("Where --format docx writes; default: <root>/output/audit.")
@user_errors
def audit_command(
    root: Path,
    manual: Path,
    standard: str,
    lang: str,
    output_format: str,
    explain_clause: str | None,
    out: Path | None,
) -> None:
    """Find the clauses a manual (.docx/.doc/.odt/.pdf/.md) covers, misses or has from old ones."""
    from engine.commands.audit import audit
    from engine.commands.reports import audit_document, audit_json, audit_table
    from engine.domain.heading_audit import explain

    workspace = Workspace.open(root)
    language = cast(Language, lang)
    outcome = audit(workspace, manual, standard, language)
    if explain_clause is not None:
        click.echo("\n".join(explain(outcome.result, explain_clause)))
    elif output_format == "json":
        click.echo(audit_json(outcome.result, manual.name))
    elif output_format == "docx":
        document = audit_document(
            outcome.result, manual.name, outcome.labels, language, outcome.standard_code
        )
        target = write_document(
            workspace,
            (out if out is not None else workspace.default_output_dir / "audit")
            / f"{manual.stem}-{standard}.docx",
            document,
        )
        click.echo(str(target))
    else:
        click.echo(audit_table(outcome.result, manual.name, _painter()))


def _painter() -> Callable[[str, str], str]:
    """Return a function that colours text for the terminal (plain when not a terminal)."""
    colour = sys.stdout.isatty()

    def paint(text: str, style: str) -> str:
        if not colour:
            return text
        return click.style(text, bold=True) if style == "bold" else click.style(text, fg=style)

    return paint


@cli.command("revise")
@root_option
@click.option("--company", required=True, help="Company id.")
@click.option("--summary", required=True, help="What this revision changes (修订内容).")
@click.option("--by", default=None, help="Who revised it: a role id or a person's name.")
@click.option("--approved-by", default=None, help="Who approved it: a role id or a person's name.")
@click.option("--date", default=None, help="Revision date, YYYY-MM-DD; default: today.")
@click.option("--new-edition", is_flag=True, help="Start a new edition (A/3 → B/0).")
@click.option("--standard", default=None, help="One of the profile's standards; default: all.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True)
@out_option("Output folder of the earlier generate; default: <root>/output.")
@user_errors
def revise_command(
    root: Path,
    company: str,
    summary: str,
    by: str | None,
    approved_by: str | None,
    date: str | None,
    new_edition: bool,
    standard: str | None,
    lang: str,
    out: Path | None,
) -> None:
    """Add a revision for what changed since the last generate, bump the version, regenerate."""
    from engine.commands.revise import revise

    workspace = Workspace.open(root)
    result = revise(
        workspace,
        company,
        out if out is not None else workspace.default_output_dir,
        summary=summary,
        by=by,
        approved_by=approved_by,
        date=date,
        standard=standard,
        lang=cast(Language, lang),
        new_edition=new_edition,
    )
    if not result.changes:
        click.echo(f"nothing changed since version {result.old_version}; no revision made")
        return
    changed = len(result.changes.sections) + len(result.changes.procedures)
    changed += len(result.changes.matrix)
    click.echo(f"{result.old_version} → {result.new_version}: {changed} change(s)")
    for path in result.written:
        click.echo(str(path))
    if result.report is not None:
        click.echo(str(result.report))


@cli.command("assess")
@root_option
@click.option("--company", required=True, help="Company id.")
@click.option(
    "--assessment",
    "assessment_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Self-assessment YAML; default: the latest in company_profiles/<company>/assessments/.",
)
@click.option("--template", is_flag=True, help="Write a blank self-assessment to fill in.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table also writes the DOCX report; json only prints.",
)
@out_option("Where the DOCX report goes; default: <root>/output.")
@user_errors
def assess_command(
    root: Path,
    company: str,
    assessment_file: Path | None,
    template: bool,
    lang: str,
    output_format: str,
    out: Path | None,
) -> None:
    """Score a GB/T 27922 self-assessment: score, star level, what to fix first, DOCX report."""
    from engine.commands.assess import assess, write_assessment_template
    from engine.commands.reports import assessment_json, assessment_summary
    from engine.documents.self_assessment import build_assessment_report

    workspace = Workspace.open(root)
    language = cast(Language, lang)
    if template:
        click.echo(str(write_assessment_template(workspace, company, language)))
        return
    outcome = assess(workspace, company, assessment_file, language)
    echo_problems(outcome.warnings)
    if output_format == "json":
        click.echo(assessment_json(outcome))
        return
    click.echo(assessment_summary(outcome))
    document = build_assessment_report(
        outcome.views, outcome.standard, outcome.assessment, outcome.result
    )
    target = write_report(
        workspace,
        out if out is not None else workspace.default_output_dir,
        outcome.views,
        document,
        f"self-assessment-{outcome.assessment.date}",
    )
    click.echo(str(target))


@cli.command("serve")
@root_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option(
    "--token", default=None, help="Access token; required when --host is not a loopback address."
)
@user_errors
def serve_command(root: Path, host: str, port: int, token: str | None) -> None:
    """Start the web workspace (portfolio, forms, coverage, documents) and print its address."""
    from engine.interfaces.web.server import address, check_binding, serve

    check_binding(host, token)
    Workspace.open(root)
    click.echo(f"msmanual workspace: {address(host, port, token)}  (Ctrl+C stops it)")
    serve(root, host, port, token)


def list_overrides(workspace: Workspace) -> None:
    """Print the workspace files that stand in for bundled ones, with how they differ."""
    found = workspace.overrides()
    click.echo(f"Bundled data: {workspace.bundled}")
    if not found:
        click.echo("No overrides: every template and clause map comes from the installed release.")
        return
    same = [o for o in found if o.status == "same"]
    click.echo("Overrides (workspace file → bundled file of the same path):")
    for override in found:
        if override.status != "same":
            click.echo(f"  {override.status:<8} {override.relative}")
    if same:
        click.echo(f"  ({len(same)} more file(s) identical to the bundled ones)")


@cli.group("resident")
def resident_group() -> None:
    """Keep msmanual loaded in the background, so that each command starts at once (Linux).

    While it runs, every msmanual command of this installation runs in a child of it, with the
    same arguments, folder, environment, terminal and exit code; MSMANUAL_RESIDENT=off runs a
    command on its own. It stops when idle for --idle minutes or when the engine is upgraded.
    """


@resident_group.command("start")
@click.option(
    "--idle",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Minutes without a command after which it stops.",
)
@user_errors
def resident_start(idle: float) -> None:
    """Start the resident msmanual (nothing happens if it already runs)."""
    from engine.interfaces import resident

    try:
        pid = resident.start(idle * 60)
    except resident.ResidentError as exc:
        raise EngineError(str(exc)) from None
    click.echo(f"resident msmanual running (pid {pid}) on {resident.socket_path()}")


@resident_group.command("stop")
def resident_stop() -> None:
    """Stop the resident msmanual; commands it is running finish first."""
    from engine.interfaces import resident

    pid = resident.stop()
    click.echo("no resident msmanual was running" if pid is None else f"stopped (pid {pid})")


@resident_group.command("status")
def resident_status() -> None:
    """Say whether a resident msmanual runs, and where."""
    from engine.interfaces import resident

    answer = resident.status()
    if answer is None:
        click.echo("no resident msmanual is running")
    else:
        click.echo(
            f"resident msmanual running (pid {answer['pid']}, {answer['served']} commands run) "
            f"on {resident.socket_path()}"
        )


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@user_errors
def init_command(folder: Path) -> None:
    """Create a workspace in FOLDER: a starter profile, README, .editorconfig and schemas.

    The clause maps and templates stay in the installed package; copy a file into the
    workspace's templates/ or clause_maps/ only to change it (see msmanual list --overrides).
    """
    import datetime

    from engine.commands.workspace_setup import init_workspace

    for path in init_workspace(folder, datetime.date.today()):
        click.echo(str(path))
    click.echo(f"next: cd {folder} && msmanual new-company ID, then msmanual validate", err=True)


@cli.command("new-company")
@root_option
@click.argument("company")
@click.option(
    "--from",
    "source",
    default=None,
    help="Clone this company's profile instead of the starter.",
)
@user_errors
def new_company_command(root: Path, company: str, source: str | None) -> None:
    """Add client COMPANY: company_profiles/COMPANY.yaml from the commented starter profile.

    With --from OTHER, the profile is a copy of OTHER's (departments, operations, clause
    owners, commitments kept for you to adapt) starting a new document set: its revision
    history is reset to one first issue A/0 新建 dated today, and the approval, issue and
    effective dates are today. OTHER's logo and self-assessments are not copied. To continue
    the same client's documents into a new cycle, use msmanual revise --new-edition instead.
    """
    import datetime

    from engine.commands.workspace_setup import new_company

    workspace = Workspace.open(root)
    path = new_company(workspace, company, source, datetime.date.today())
    click.echo(str(path))
    click.echo(f"next: edit it, then msmanual validate --company {company}", err=True)


@cli.command("diff-template")
@root_option
@click.argument("name")
@user_errors
def diff_template_command(root: Path, name: str) -> None:
    """Show how an override differs from the bundled file (unified diff, bundled → workspace).

    NAME is the override's path (templates/md/zh/sections/risks.md, md/zh/sections/risks.md)
    or its file name when only one override has it (risks.md, risks, labels.yaml).
    """
    from engine.commands.workspace_setup import diff_override, find_override

    override = find_override(Workspace.open(root), name)
    if override.bundled is None:
        click.echo(f"{override.relative} is added by the workspace: no bundled file to compare")
        return
    text = diff_override(override)
    click.echo(text or f"{override.relative} is the same as the bundled file", nl=not text)


@cli.command("schema")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Folder to write the schemas into.",
)
@user_errors
def schema_command(out: Path) -> None:
    """Write JSON Schemas for profiles, clause maps and self-assessments, for editors.

    A YAML file names its schema on its first line, e.g.
    # yaml-language-server: $schema=../schemas/profile.schema.json
    """
    from engine.inputs.schemas import write_schemas

    for path in write_schemas(out):
        click.echo(str(path))
