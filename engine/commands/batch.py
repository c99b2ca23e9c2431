"""Generate many companies at once: in parallel, past failures, skipping unchanged inputs."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import engine
from engine.commands.generate import generate
from engine.errors import EngineError
from engine.files import transaction
from engine.inputs.models import Language
from engine.inputs.workspace import Workspace
from engine.render.converter import shared_converter
from engine.render.pdf import export_pdfs

RECORD_NAME = ".msmanual-inputs.json"
ENGINE_DIR = Path(engine.__file__).resolve().parent


@dataclass
class CompanyOutcome:
    """What happened to one company of a batch."""

    company: str
    status: str  # "written", "skipped", "failed" or "crashed"
    paths: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BatchJob:
    """Everything a worker process needs to generate one company (picklable)."""

    root: str
    company: str
    out: str
    lang: Language
    kinds: tuple[str, ...] | None
    force: bool
    shared: str  # shared_fingerprint of the workspace
    markdown: bool = False
    pdf: bool = False  # also a PDF of every document, through this worker's warm converter


def _files_under(folder: Path) -> Iterable[Path]:
    if folder.is_dir():
        yield from sorted(
            p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        )


def _digest(paths: Iterable[Path], seed: str) -> str:
    digest = hashlib.sha256(seed.encode() + b"\0")
    for path in paths:
        digest.update(str(path.relative_to(path.anchor)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def shared_fingerprint(workspace: Workspace) -> str:
    """Return a hash of what every company's documents are made from, computed once per batch.

    Every clause map and correspondence table, every template, the files beside the profiles
    (logos), and the engine itself: a change to any of them means regenerating every company.
    """
    sources = [p for p in _files_under(workspace.profiles_dir) if p.suffix != ".yaml"]
    sources += [path for folder in workspace.shared_dirs for path in _files_under(folder)]
    sources += sorted(ENGINE_DIR.rglob("*.py"))
    return _digest(sources, engine.__version__)


def input_fingerprint(workspace: Workspace, company: str, key: str, shared: str) -> str:
    """Return a hash of one company's inputs: its profile and its folder, plus the shared hash."""
    profile = workspace.profile_path(company)
    return _digest([profile, *_files_under(workspace.profiles_dir / company)], f"{shared}\0{key}")


def _record_path(out: Path, company: str) -> Path:
    return out / company / RECORD_NAME


def _read_record(out: Path, company: str) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(_record_path(out, company).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _unchanged(out: Path, company: str, key: str, fingerprint: str) -> list[str] | None:
    """Return the paths of the last run when its inputs were the same and its files remain."""
    entry = _read_record(out, company).get(key)
    if not isinstance(entry, dict) or entry.get("fingerprint") != fingerprint:
        return None
    paths = entry.get("paths")
    if not isinstance(paths, list) or not all(Path(str(p)).is_file() for p in paths):
        return None
    return [str(p) for p in paths]


def generate_company(job: BatchJob) -> CompanyOutcome:
    """Generate one company's set unless its inputs did not change; never raise."""
    try:
        workspace = Workspace.open(Path(job.root))
        out = Path(job.out)
        key = f"{job.lang}:{','.join(job.kinds or ['all'])}{':markdown' if job.markdown else ''}"
        key += ":pdf" if job.pdf else ""
        fingerprint = input_fingerprint(workspace, job.company, key, job.shared)
        if not job.force:
            previous = _unchanged(out, job.company, key, fingerprint)
            if previous is not None:
                return CompanyOutcome(job.company, "skipped", previous)
        try:
            written, warnings = generate(
                workspace,
                job.company,
                out,
                lang=job.lang,
                kinds=list(job.kinds) if job.kinds else None,
                markdown=job.markdown,
            )
            if job.pdf:
                pdfs, pdf_warnings = export_pdfs(
                    [p for p in written if p.suffix == ".docx"], shared_converter()
                )
                written, warnings = [*written, *pdfs], [*warnings, *pdf_warnings]
        finally:
            # The process collects cycles rarely (engine.interfaces.launch); a worker lives for many
            # companies, so free this one's before the next: a worker stays one company's size.
            gc.collect()
        # Read, changed and written under the company's lock: runs for other languages or kinds
        # into the same folder keep their entries.
        with transaction(out / job.company) as work:
            record = _read_record(out, job.company)
            record[key] = {"fingerprint": fingerprint, "paths": [str(p) for p in written]}
            text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True)
            work.commit({_record_path(out, job.company): text.encode()})
        return CompanyOutcome(
            job.company, "written", [str(p) for p in written], [str(w) for w in warnings]
        )
    except EngineError as exc:
        return CompanyOutcome(job.company, "failed", messages=str(exc).splitlines())
    except Exception:  # a bug: keep its traceback for the report, and go on with the others
        return CompanyOutcome(job.company, "crashed", messages=traceback.format_exc().splitlines())


def run_batch(
    jobs: list[BatchJob],
    workers: int,
    on_done: Callable[[CompanyOutcome], None] = lambda outcome: None,
) -> list[CompanyOutcome]:
    """Generate every job, in parallel when there are several; return outcomes in job order."""
    outcomes: dict[str, CompanyOutcome] = {}
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            outcomes[job.company] = generate_company(job)
            on_done(outcomes[job.company])
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            # Largest profiles first: a worker left with the biggest set last idles the others.
            futures = [pool.submit(generate_company, job) for job in sorted(jobs, key=_size)]
            for future in as_completed(futures):
                outcome = future.result()
                outcomes[outcome.company] = outcome
                on_done(outcome)
    return [outcomes[job.company] for job in jobs]


def _size(job: BatchJob) -> int:
    """Return minus the size of a job's profile, to sort the largest first."""
    try:
        return -(Path(job.root) / "company_profiles" / f"{job.company}.yaml").stat().st_size
    except OSError:
        return 0


def default_workers() -> int:
    """Return how many processes to use: every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
