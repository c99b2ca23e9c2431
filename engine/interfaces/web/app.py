"""The web workspace: Starlette routes over engine.commands; pages rendered on the server + HTMX."""

from __future__ import annotations

import contextlib
import dataclasses
import hmac
import re
import secrets
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import jinja2
from jinja2_fragments import render_block
from markdown_it import MarkdownIt
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from engine import limits
from engine.commands.workspace_edit import (
    NEW_ROWS,
    EditOutcome,
    LibraryCache,
    add_exclusion,
    add_row,
    clone_client,
    edit_profile,
    read_profile,
    remove_item,
    set_values,
)
from engine.commands.workspace_view import (
    PREVIEWS,
    ClientSummary,
    client_summary,
    document_choices,
    generated_file,
    generated_sets,
    last_generated,
    release_set,
    released_sets,
    section_preview,
    set_zip,
)
from engine.errors import EngineError, InputError, Problem, errors_only
from engine.inputs.models import Language
from engine.inputs.workspace import Workspace
from engine.interfaces.web.forms import PART_ROOTS, attach, parse_path, part_groups, reference_ids
from engine.interfaces.web.i18n import PARTS, UiLang, ui
from engine.render.pdf import KeptConverter

HERE = Path(__file__).parent
LIST_PARTS = ("departments", "roles", "targets", "exclusions")
MAX_UPLOAD_BYTES = getattr(limits, "MAX_DOCX_BYTES", 20 * 1024 * 1024)
_COMPANY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
_FENCE = re.compile(r"^:::.*$", re.MULTILINE)


@dataclass
class Settings:
    """How the app was started: the workspace, the access token, and per-process secrets."""

    workspace: Workspace
    token: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))


@dataclass
class State:
    """What the app keeps between requests: the library and the portfolio rows."""

    settings: Settings
    library: LibraryCache
    summaries: dict[str, tuple[tuple[Any, ...], ClientSummary]] = field(default_factory=dict)
    converter: KeptConverter = field(default_factory=KeptConverter)  # warm for the app's life


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["PARTS"] = list(PARTS)
    return env


ENV = _environment()


def lang_of(request: Request) -> UiLang:
    """Return the UI language: the lang cookie, Chinese by default."""
    return "en" if request.cookies.get("lang") == "en" else "zh"


def _state(request: Request) -> State:
    return cast(State, request.app.state.web)


def _context(request: Request, **values: Any) -> dict[str, Any]:
    lang = lang_of(request)
    state = _state(request)
    return {
        "request": request,
        "lang": lang,
        "t": lambda key, **kw: ui(key, lang).format(**kw),
        "csrf": state.settings.csrf,
        "path": request.url.path,
        "client_name": lambda company: _client_name(state.settings.workspace, company, lang),
        **values,
    }


def _client_name(workspace: Workspace, company: str, lang: UiLang) -> str:
    """Return the client's name as its profile gives it, or ''."""
    document = read_profile(workspace, company).document
    data = document.data if document is not None else None
    name = data.get("company", {}).get("name") if isinstance(data, dict) else None
    if isinstance(name, dict):
        name = name.get(lang) or name.get("zh")
    return name if isinstance(name, str) else ""


def page(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """Render a whole page."""
    html = ENV.get_template(name).render(_context(request, **values))
    return HTMLResponse(html, status_code=status)


def fragment(request: Request, name: str, block: str, **values: Any) -> str:
    """Render one block of a page (an HTMX fragment)."""
    return str(render_block(ENV, name, block, _context(request, **values)))


def _company(request: Request) -> str:
    company = str(request.path_params["company"])
    workspace = _state(request).settings.workspace
    if not _COMPANY.match(company):
        raise EngineError(f"no company '{company}'")
    workspace.profile_path(company)  # unknown: say which exist
    return company


def markdown_html(text: str) -> str:
    """Return a preview's Markdown as HTML (Pandoc fences dropped; no raw HTML passes)."""
    return str(_MARKDOWN.render(_FENCE.sub("", text)))


# ---------------------------------------------------------------- portfolio


def portfolio(request: Request) -> HTMLResponse:
    """List every client; each row fills itself in (validate and check take a moment)."""
    workspace = _state(request).settings.workspace
    return page(request, "portfolio.html", companies=workspace.companies())


def _summary_key(state: State, company: str) -> tuple[Any, ...]:
    workspace = state.settings.workspace
    profile = workspace.profile_path(company).stat()
    assessments = workspace.profiles_dir / company
    others = max((p.stat().st_mtime_ns for p in assessments.rglob("*")), default=0)
    state.library.get()
    return (profile.st_mtime_ns, profile.st_size, others, state.library.stamp)


def summary(state: State, company: str, lang: Language) -> ClientSummary:
    """Return a client's portfolio row, recomputed only when its inputs changed."""
    key = (*_summary_key(state, company), lang)
    cached = state.summaries.get(company)
    if cached is None or cached[0] != key:
        cached = key, client_summary(state.settings.workspace, company, lang)
        state.summaries[company] = cached
    generated = last_generated(state.settings.workspace, company)
    return dataclasses.replace(cached[1], last_generated=generated)


def portfolio_row(request: Request) -> HTMLResponse:
    """Return one client's portfolio row."""
    company = _company(request)
    row = summary(_state(request), company, lang_of(request))
    return HTMLResponse(fragment(request, "portfolio.html", "row", row=row, company=company))


async def batch(request: Request) -> HTMLResponse:
    """Regenerate every client (unchanged ones skipped unless forced), as generate --all does."""
    from starlette.concurrency import run_in_threadpool

    from engine.commands.batch import BatchJob, run_batch, shared_fingerprint

    form = await request.form()
    force = form.get("force") == "on"
    workspace = _state(request).settings.workspace
    out = workspace.default_output_dir

    def run() -> list[Any]:
        shared = shared_fingerprint(workspace)
        jobs = [
            BatchJob(str(workspace.root), c, str(out), "zh", None, force, shared, False)
            for c in workspace.companies()
        ]
        return run_batch(jobs, 1)

    outcomes = await run_in_threadpool(run)
    return HTMLResponse(fragment(request, "portfolio.html", "batch_result", outcomes=outcomes))


async def clone(request: Request) -> Response:
    """Copy a client's profile under a new id and open it."""
    form = await request.form()
    workspace = _state(request).settings.workspace
    new = str(form.get("new", "")).strip()
    clone_client(workspace, str(form.get("source", "")), new)
    return Response(status_code=204, headers={"HX-Redirect": f"/c/{quote(new)}/profile/company"})


# ---------------------------------------------------------------- client profile


def client(request: Request) -> RedirectResponse:
    """Open a client on its company facts."""
    return RedirectResponse(f"/c/{quote(_company(request))}/profile/company", status_code=303)


def _part(request: Request) -> str:
    part = str(request.path_params["part"])
    if part not in PART_ROOTS:
        raise EngineError(f"no form '{part}' — one of: {', '.join(PART_ROOTS)}")
    return part


def _preview(state: State, company: str, part: str, lang: UiLang, raw: bytes | None) -> str:
    if part not in PREVIEWS:
        return ""
    text = section_preview(state.settings.workspace, company, part, state.library.get(), lang, raw)
    return markdown_html(text) if text else ""


def profile_page(request: Request) -> HTMLResponse:
    """Show one part of a client's profile as a form, with the manual text it feeds."""
    company = _company(request)
    part = _part(request)
    state = _state(request)
    lang = lang_of(request)
    current = read_profile(state.settings.workspace, company)
    from engine.commands.workspace_edit import profile_problems

    problems: list[Problem] = list(current.problems)
    groups = []
    references: dict[str, list[str]] = {}
    if current.document is not None:
        problems, _ = profile_problems(
            state.settings.workspace, company, current.raw, state.library.get()
        )
        groups = part_groups(current.document, part, lang)
        references = reference_ids(current.document)
    left = attach(groups, problems)
    return page(
        request,
        "profile.html",
        company=company,
        part=part,
        groups=groups,
        digest=current.digest,
        problems=problems,
        unplaced=left,
        references=references,
        standards=_profile_standards(current.document) or state.settings.workspace.standards(),
        preview=_preview(state, company, part, lang, current.raw),
        has_preview=part in PREVIEWS,
        removable=part in LIST_PARTS,
        addable=part in NEW_ROWS,
        tab="profile",
    )


def _profile_standards(document: Any) -> list[str]:
    data = document.data if document is not None else None
    listed = data.get("standards") if isinstance(data, dict) else None
    return [str(s) for s in listed] if isinstance(listed, list) else []


async def save_field(request: Request) -> HTMLResponse:
    """Save one field: refused when stale or newly invalid; the field shows why."""
    from starlette.concurrency import run_in_threadpool

    company = _company(request)
    form = await request.form()
    path = parse_path(str(form.get("path", "")))
    value = str(form.get("value", ""))
    expected = str(form.get("digest", ""))
    part = str(form.get("part", ""))
    state = _state(request)
    lang = lang_of(request)

    def run() -> tuple[EditOutcome, str]:
        outcome = edit_profile(
            state.settings.workspace,
            company,
            expected,
            set_values({path: value}),
            state.library.get(),
        )
        preview = ""
        if outcome.saved and part in PART_ROOTS:
            preview = _preview(state, company, part, lang, outcome.raw)
        return outcome, preview

    outcome, preview = await run_in_threadpool(run)
    return HTMLResponse(_field_response(request, company, part, path, value, outcome, preview))


def _field_response(
    request: Request,
    company: str,
    part: str,
    path: tuple[str | int, ...],
    value: str,
    outcome: EditOutcome,
    preview: str,
) -> str:
    from engine.interfaces.web.forms import Field

    lang = lang_of(request)
    line = 0
    if outcome.document is None and outcome.stale:
        outcome.document = read_profile(_state(request).settings.workspace, company).document
    if outcome.document is not None:
        line = outcome.document.positions.get(path, (0, 0))[0]
    target = None
    if outcome.document is not None and part in PART_ROOTS:
        for group in part_groups(outcome.document, part, lang):
            for item in group.fields:
                if item.path == path:
                    target = item
    if target is None:
        target = Field(path=path, label=str(path[-1]), value=value, line=line)
    target.value = value  # what the user typed stays in the box, saved or not
    target.messages = [p for p in outcome.problems if p.line == target.line and target.line]
    if outcome.refused == "invalid" and not target.messages:
        target.messages = errors_only(outcome.problems)[:3]
    html = fragment(
        request,
        "profile.html",
        "field",
        f=target,
        company=company,
        part=part,
        outcome=outcome,
        references={},
    )
    if not outcome.stale:
        html += fragment(request, "profile.html", "digest", digest=outcome.digest, oob=True)
    if outcome.saved:
        html += fragment(
            request, "profile.html", "problem_list", problems=outcome.problems, oob=True
        )
    if outcome.saved and part in PREVIEWS:
        html += fragment(
            request, "profile.html", "preview_box", preview=preview, has_preview=True, oob=True
        )
    return html


async def exclusion_add(request: Request) -> Response:
    """Add an exclusion: its justification is required."""
    company = _company(request)
    form = await request.form()
    state = _state(request)
    change = add_exclusion(
        str(form.get("standard", "")),
        str(form.get("clause", "")),
        {"zh": str(form.get("justification_zh", "")), "en": str(form.get("justification_en", ""))},
    )
    outcome = edit_profile(
        state.settings.workspace, company, str(form.get("digest", "")), change, state.library.get()
    )
    return _after_structural(request, company, "exclusions", outcome)


async def row_remove(request: Request) -> Response:
    """Remove a row of a list (a department, a role, a target, an exclusion)."""
    company = _company(request)
    part = _part(request)
    if part not in LIST_PARTS:
        raise EngineError(f"rows of {part} cannot be removed here")
    form = await request.form()
    state = _state(request)
    outcome = edit_profile(
        state.settings.workspace,
        company,
        str(form.get("digest", "")),
        remove_item(part, int(request.path_params["index"])),
        state.library.get(),
    )
    return _after_structural(request, company, part, outcome)


async def row_add(request: Request) -> Response:
    """Add a department or a role (its other fields are then filled in on the form)."""
    company = _company(request)
    part = _part(request)
    form = await request.form()
    state = _state(request)
    values = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    outcome = edit_profile(
        state.settings.workspace,
        company,
        values.get("digest", ""),
        add_row(part, values),
        state.library.get(),
    )
    return _after_structural(request, company, part, outcome)


def _after_structural(request: Request, company: str, part: str, outcome: EditOutcome) -> Response:
    if outcome.saved:
        return Response(status_code=204, headers={"HX-Refresh": "true"})
    key = "refused_stale" if outcome.stale else "refused_invalid"
    messages = [ui(key, lang_of(request))] + [
        str(p) for p in outcome.problems if p.severity == "error"
    ]
    return HTMLResponse(fragment(request, "profile.html", "refusal", messages=messages))


# ---------------------------------------------------------------- coverage


def coverage_page(request: Request) -> HTMLResponse:
    """Per standard, every clause with its section, procedure, owner or exclusion, and gaps."""
    from engine.commands.check import check
    from engine.commands.reports import coverage_rows

    company = _company(request)
    lang = lang_of(request)
    gaps_only = request.query_params.get("gaps") == "1"
    # The gaps view leaves out the commitments register, which needs the whole set built.
    result = check(_state(request).settings.workspace, company, lang=lang, documents=not gaps_only)
    # The reasons in the words of check's table, CSV and JSON.
    reasons = {
        (s.standard, s.number): row["reasons"]
        for s, row in zip(result.statuses, coverage_rows(result), strict=True)
    }
    return page(
        request,
        "coverage.html",
        company=company,
        result=result,
        reasons=reasons,
        gaps_only=gaps_only,
        tab="coverage",
    )


# ---------------------------------------------------------------- documents


def documents_page(
    request: Request, message: str = "", errors: list[str] | None = None
) -> HTMLResponse:
    """Generated sets with their files, the revision history and the revise form."""
    from engine.commands.session import load_profile

    company = _company(request)
    state = _state(request)
    workspace = state.settings.workspace
    inputs, _ = load_profile(workspace, company)
    revisions = inputs.profile.revisions if inputs else []
    sets = generated_sets(workspace, company)
    kinds = (
        document_choices(inputs.profile, state.library.get(), lang_of(request)) if inputs else []
    )
    return page(
        request,
        "documents.html",
        company=company,
        kinds=kinds,
        sets=sets,
        releases=released_sets(workspace, company),
        revisions=revisions,
        message=message,
        errors=errors or [],
        tab="documents",
        relative=lambda p: p.relative_to(workspace.default_output_dir / company).as_posix(),
        within=lambda p, s: p.relative_to(s.folder).as_posix(),
    )


async def generate_set(request: Request) -> HTMLResponse:
    """Generate the client's set or one kind of it (and PDFs when asked), as generate does.

    PDFs go through the LibreOffice the app keeps warm for its whole life, so only the first
    one waits for LibreOffice to start.
    """
    from starlette.concurrency import run_in_threadpool

    from engine.commands.generate import generate

    company = _company(request)
    form = await request.form()
    lang: Language = "en" if form.get("doc_lang") == "en" else "zh"
    pdf = form.get("pdf") == "on"
    kind = str(form.get("doc") or "")
    state = _state(request)
    workspace = state.settings.workspace

    def run() -> tuple[list[Path], list[Problem]]:
        if pdf:
            from engine.render.pdf import find_soffice

            find_soffice()
        written, warnings = generate(
            workspace,
            company,
            workspace.default_output_dir,
            lang=lang,
            kinds=[kind] if kind else None,
        )
        if pdf:
            pdfs, more = state.converter.export([p for p in written if p.suffix == ".docx"])
            written += pdfs
            warnings += more
        return written, warnings

    try:
        written, warnings = await run_in_threadpool(run)
    except InputError as exc:
        return documents_page(request, errors=[str(p) for p in exc.problems])
    except EngineError as exc:
        return documents_page(request, errors=[str(exc)])
    done = f"{ui('done', lang_of(request))}: {len(written)}"
    return documents_page(request, message=done, errors=[str(w) for w in warnings])


def download(request: Request) -> FileResponse:
    """Send one generated file."""
    company = _company(request)
    target = generated_file(
        _state(request).settings.workspace, company, str(request.path_params["path"])
    )
    return FileResponse(target, filename=target.name)


def download_zip(request: Request) -> Response:
    """Send a whole set as one zip."""
    company = _company(request)
    name = str(request.path_params["set"])
    workspace = _state(request).settings.workspace
    for generated in generated_sets(workspace, company) + released_sets(workspace, company):
        if generated.name == name:
            filename = quote(f"{company}-{name.replace('/', '-')}.zip")
            return Response(
                set_zip(generated),
                media_type="application/zip",
                headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
            )
    raise EngineError(f"no generated set {name} for {company}")


def release(request: Request) -> HTMLResponse:
    """Freeze a generated set as the current version, kept byte for byte for later download."""
    company = _company(request)
    workspace = _state(request).settings.workspace
    try:
        target = release_set(workspace, company, str(request.path_params["set"]))
    except EngineError as exc:
        return documents_page(request, errors=[str(exc)])
    return documents_page(
        request, message=f"{ui('released', lang_of(request))}: {target.parent.name}"
    )


async def revise_set(request: Request) -> HTMLResponse:
    """Revise: compare with the last generation, add the revision row, regenerate."""
    from starlette.concurrency import run_in_threadpool

    from engine.commands.revise import revise

    company = _company(request)
    form = await request.form()
    workspace = _state(request).settings.workspace
    summary_text = str(form.get("summary", ""))
    new_edition = form.get("new_edition") == "on"
    try:
        result = await run_in_threadpool(
            lambda: revise(
                workspace,
                company,
                workspace.default_output_dir,
                summary=summary_text,
                new_edition=new_edition,
            )
        )
    except InputError as exc:
        return documents_page(request, errors=[str(p) for p in exc.problems])
    except EngineError as exc:
        return documents_page(request, errors=[str(exc)])
    lang = lang_of(request)
    if not result.changes:
        return documents_page(request, message=ui("nothing_changed", lang))
    return documents_page(request, message=f"{result.old_version} → {result.new_version}")


# ---------------------------------------------------------------- audit and self-assessment


def _audit_standards(workspace: Workspace, company: str) -> list[str]:
    """Return every standard, the client's own first (the audit's default)."""
    own = _profile_standards(read_profile(workspace, company).document)
    return own + [s for s in workspace.standards() if s not in own]


def audit_page(request: Request) -> HTMLResponse:
    """Show the upload form (and a result when one is given)."""
    company = _company(request)
    return page(
        request,
        "audit.html",
        company=company,
        standards=_audit_standards(_state(request).settings.workspace, company),
        outcome=None,
        error="",
        source="",
        max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
        tab="audit",
    )


async def audit_upload(request: Request) -> HTMLResponse:
    """Audit an uploaded manual (.docx, size-limited) against a standard, clause by clause."""
    company = _company(request)
    workspace = _state(request).settings.workspace
    context: dict[str, Any] = {
        "company": company,
        "standards": _audit_standards(workspace, company),
        "outcome": None,
        "error": "",
        "source": "",
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "tab": "audit",
    }
    length = int(request.headers.get("content-length") or 0)
    if length > MAX_UPLOAD_BYTES + 64 * 1024:
        context["error"] = f"> {context['max_mb']} MB"
        return page(request, "audit.html", status=413, **context)
    form = await request.form(max_files=1, max_fields=10)
    try:
        return await _audit_form(request, workspace, form, context)
    finally:
        await form.close()


async def _audit_form(
    request: Request, workspace: Workspace, form: Any, context: dict[str, Any]
) -> HTMLResponse:
    from starlette.concurrency import run_in_threadpool

    from engine.commands.audit import audit

    upload = form.get("manual")
    standard = str(form.get("standard", ""))
    if not isinstance(upload, UploadFile) or not (upload.filename or "").lower().endswith(".docx"):
        context["error"] = "upload a .docx file"
        return page(request, "audit.html", status=400, **context)
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        context["error"] = f"> {context['max_mb']} MB"
        return page(request, "audit.html", status=413, **context)
    if not data.startswith(b"PK"):
        context["error"] = "not a .docx (Word) file"
        return page(request, "audit.html", status=400, **context)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "manual.docx"
        target.write_bytes(data)
        try:
            outcome = await run_in_threadpool(
                lambda: audit(workspace, target, standard, lang_of(request))
            )
        except EngineError as exc:
            context["error"] = str(exc).replace(str(target), upload.filename or "")
            return page(request, "audit.html", status=400, **context)
    context.update(outcome=outcome, source=upload.filename or "")
    return page(request, "audit.html", **context)


def assess_page(request: Request) -> HTMLResponse:
    """Score the client's latest GB/T 27922 self-assessment: score, star level, what to fix."""
    from engine.commands.assess import assess

    company = _company(request)
    outcome = None
    error = ""
    try:
        outcome = assess(_state(request).settings.workspace, company, None, lang_of(request))
    except EngineError as exc:
        error = str(exc)
    helpers: dict[str, Any] = {}
    if outcome is not None:
        from engine.commands.reports import assessment_summary
        from engine.documents.self_assessment import level_name, points
        from engine.domain.views import text

        views, tree = outcome.views, outcome.standard.tree
        helpers = {
            "summary": assessment_summary(outcome),
            "level": lambda key: level_name(views, key) if key else "—",
            "points": points,
            "title": lambda number: text(tree[number].title, views.lang),
            "status_label": lambda key: views.labels.get(f"status_{key}", views.lang),
        }
    return page(
        request,
        "assess.html",
        company=company,
        outcome=outcome,
        error=error,
        tab="assess",
        **helpers,
    )


# ---------------------------------------------------------------- language, errors, security


def set_language(request: Request) -> RedirectResponse:
    """Switch the UI language and go back where the user was."""
    lang = "en" if request.path_params["lang"] == "en" else "zh"
    back = request.query_params.get("next", "/")
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    response = RedirectResponse(back, status_code=303)
    response.set_cookie("lang", lang, max_age=365 * 86400, samesite="strict", httponly=True)
    return response


async def engine_error(request: Request, exc: Exception) -> Response:
    """Show a user error (unknown company, bad input) as a page, never a traceback."""
    lines = [str(p) for p in exc.problems] if isinstance(exc, InputError) else [str(exc)]
    if request.headers.get("HX-Request"):
        return HTMLResponse(fragment(request, "fragments.html", "error_box", lines=lines), 200)
    return page(request, "error.html", status=400, lines=lines)


class Guard(BaseHTTPMiddleware):
    """Ask for the token (when one is set) and refuse cross-site form posts."""

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Check the token cookie (or ?token=) and the CSRF secret on every POST."""
        settings = cast(State, request.app.state.web).settings
        set_cookie = False
        if settings.token is not None and not request.url.path.startswith("/static/"):
            given = request.cookies.get("msmanual_token") or ""
            offered = request.query_params.get("token")
            if offered is not None and hmac.compare_digest(offered, settings.token):
                set_cookie = True
            elif not hmac.compare_digest(given, settings.token):
                return PlainTextResponse(ui("forbidden", lang_of(request)), status_code=403)
        if request.method == "POST":
            sent = request.headers.get("X-CSRF") or ""
            if not hmac.compare_digest(sent, settings.csrf):
                return PlainTextResponse("missing or wrong form secret", status_code=403)
        response = await call_next(request)
        if set_cookie and settings.token is not None:
            response.set_cookie("msmanual_token", settings.token, httponly=True, samesite="strict")
        return response


def create_app(root: Path, token: str | None = None) -> Starlette:
    """Return the web workspace app for the workspace at root."""
    workspace = Workspace.open(root)
    routes = [
        Route("/", portfolio),
        Route("/portfolio/row/{company}", portfolio_row),
        Route("/portfolio/batch", batch, methods=["POST"]),
        Route("/clients/clone", clone, methods=["POST"]),
        Route("/lang/{lang}", set_language),
        Route("/c/{company}", client),
        Route("/c/{company}/profile/{part}", profile_page),
        Route("/c/{company}/field", save_field, methods=["POST"]),
        Route("/c/{company}/exclusions/add", exclusion_add, methods=["POST"]),
        Route("/c/{company}/rows/{part}/add", row_add, methods=["POST"]),
        Route("/c/{company}/rows/{part}/{index:int}/remove", row_remove, methods=["POST"]),
        Route("/c/{company}/coverage", coverage_page),
        Route("/c/{company}/documents", documents_page),
        Route("/c/{company}/generate", generate_set, methods=["POST"]),
        Route("/c/{company}/revise", revise_set, methods=["POST"]),
        Route("/c/{company}/file/{path:path}", download),
        Route("/c/{company}/zip/{set:path}", download_zip),
        Route("/c/{company}/release/{set}", release, methods=["POST"]),
        Route("/c/{company}/audit", audit_page),
        Route("/c/{company}/audit", audit_upload, methods=["POST"]),
        Route("/c/{company}/assess", assess_page),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    state = State(Settings(workspace, token), LibraryCache(workspace))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:  # the server stops: so does the LibreOffice kept for PDFs
            state.converter.close()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard)],
        exception_handlers={EngineError: engine_error},
        lifespan=lifespan,
    )
    app.state.web = state
    with contextlib.suppress(EngineError):
        app.state.web.library.get()  # load once at start-up, not on the first request
    return app
