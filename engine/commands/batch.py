"""Generate many companies at once: in parallel, past failures, skipping unchanged inputs."""

from __future__ import annotations

import gc
import hashlib
import heapq
import itertools
import json
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import engine
from engine.commands.generate import generate
from engine.errors import EngineError
from engine.files import transaction
from engine.inputs.models import Language
from engine.inputs.workspace import Workspace
from engine.render.converter import shared_converter
from engine.render.pdf import export_pdfs

RECORD_NAME = ".msmanual-inputs.json"
_sequence = itertools.count()  # ties between equal sizes: first come, first served
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


@dataclass
class Built:
    """A company's documents written by a worker, before their PDFs and the batch record."""

    job: BatchJob
    fingerprint: str
    key: str
    written: list[Path]
    warnings: list[str]


def _key(job: BatchJob) -> str:
    key = f"{job.lang}:{','.join(job.kinds or ['all'])}{':markdown' if job.markdown else ''}"
    return key + (":pdf" if job.pdf else "")


def build_company(job: BatchJob) -> Built | CompanyOutcome:
    """Write one company's documents (no PDFs) unless its inputs did not change; never raise."""
    try:
        workspace = Workspace.open(Path(job.root))
        key = _key(job)
        fingerprint = input_fingerprint(workspace, job.company, key, job.shared)
        if not job.force:
            previous = _unchanged(Path(job.out), job.company, key, fingerprint)
            if previous is not None:
                return CompanyOutcome(job.company, "skipped", previous)
        try:
            written, warnings = generate(
                workspace,
                job.company,
                Path(job.out),
                lang=job.lang,
                kinds=list(job.kinds) if job.kinds else None,
                markdown=job.markdown,
            )
        finally:
            # The process collects cycles rarely (engine.interfaces.launch); a worker lives for many
            # companies, so free this one's before the next: a worker stays one company's size.
            gc.collect()
        return Built(job, fingerprint, key, written, [str(w) for w in warnings])
    except EngineError as exc:
        return CompanyOutcome(job.company, "failed", messages=str(exc).splitlines())
    except Exception:  # a bug: keep its traceback for the report, and go on with the others
        return CompanyOutcome(job.company, "crashed", messages=traceback.format_exc().splitlines())


@dataclass
class Converted:
    """One document's PDF written by a worker's converter, or why it was not."""

    pdf: Path | None
    warnings: list[str]
    error: list[str]
    crashed: bool = False


def convert_document(document: Path) -> Converted:
    """Write a PDF beside one document through this process's warm converter; never raise."""
    try:
        pdfs, warnings = export_pdfs([document], shared_converter())
        return Converted(pdfs[0], [str(w) for w in warnings], [])
    except EngineError as exc:
        return Converted(None, [], str(exc).splitlines())
    except Exception:  # a bug: keep its traceback for the report
        return Converted(None, [], traceback.format_exc().splitlines(), crashed=True)


def record_company(built: Built, pdfs: list[Path], warnings: list[str]) -> CompanyOutcome:
    """Record a finished company's inputs and files, so that an unchanged rerun skips it."""
    job = built.job
    out = Path(job.out)
    written = [*built.written, *pdfs]
    try:
        # Read, changed and written under the company's lock: runs for other languages or kinds
        # into the same folder keep their entries.
        with transaction(out / job.company) as work:
            record = _read_record(out, job.company)
            record[built.key] = {
                "fingerprint": built.fingerprint,
                "paths": [str(p) for p in written],
            }
            text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True)
            work.commit({_record_path(out, job.company): text.encode()})
    except EngineError as exc:
        return CompanyOutcome(job.company, "failed", messages=str(exc).splitlines())
    return CompanyOutcome(job.company, "written", [str(p) for p in written], warnings)


def generate_company(job: BatchJob) -> CompanyOutcome:
    """Generate one company's set (PDFs through this process's converter); never raise."""
    built = build_company(job)
    if isinstance(built, CompanyOutcome):
        return built
    company = Converting(built)
    for document in company.documents:
        company.add(convert_document(document))
        if company.error is not None:
            break
    return company.outcome()


def _documents_to_convert(built: Built) -> list[Path]:
    """Return the documents that need a PDF, the largest first (the longest conversions)."""
    if not built.job.pdf:
        return []
    documents = [p for p in built.written if p.suffix == ".docx"]
    return sorted(documents, key=lambda p: -p.stat().st_size)


class Converting:
    """A company whose documents are being converted to PDF, one document at a time."""

    def __init__(self, built: Built) -> None:
        """Start with the documents that need a PDF, the largest first."""
        self.built = built
        self.documents = _documents_to_convert(built)
        self.waiting = len(self.documents)
        self.pdfs: list[Path] = []
        self.warnings = list(built.warnings)
        self.error: CompanyOutcome | None = None

    def add(self, converted: Converted) -> None:
        """Count one finished conversion; the first failure is the company's outcome."""
        self.waiting -= 1
        if converted.pdf is not None:
            self.pdfs.append(converted.pdf)
            self.warnings += converted.warnings
        elif self.error is None:
            status = "crashed" if converted.crashed else "failed"
            self.error = CompanyOutcome(self.built.job.company, status, messages=converted.error)

    def outcome(self) -> CompanyOutcome:
        """Return the failure, or record the company's files once every PDF is written."""
        if self.error is not None:
            return self.error
        return record_company(self.built, self.pdfs, list(dict.fromkeys(self.warnings)))


def run_batch(
    jobs: list[BatchJob],
    workers: int,
    on_done: Callable[[CompanyOutcome], None] = lambda outcome: None,
) -> list[CompanyOutcome]:
    """Generate every job, in parallel when there are several; return outcomes in job order.

    In parallel, each worker writes companies' documents and then converts single documents to
    PDF through its own warm LibreOffice: one queue of documents, not of companies, handed out
    largest first whenever a worker is free, so that no converter idles while another still
    has a 200-page manual to convert.
    """
    outcomes: dict[str, CompanyOutcome] = {}

    def finish(outcome: CompanyOutcome) -> None:
        outcomes[outcome.company] = outcome
        on_done(outcome)

    if workers <= 1 or (len(jobs) <= 1 and not any(job.pdf for job in jobs)):
        for job in jobs:
            finish(generate_company(job))
        return [outcomes[job.company] for job in jobs]
    slots = _pool_size(jobs, workers)
    # Largest profiles first: a worker left with the biggest set last idles the others.
    builds = deque(sorted(jobs, key=_size))
    waiting: list[tuple[int, int, Path, Converting]] = []  # the largest document on top
    running: dict[Future[Any], Converting | None] = {}
    with ProcessPoolExecutor(max_workers=slots) as pool:
        while builds or waiting or running:
            # One task a worker, chosen when a worker is free: every build first (they are
            # short and make the conversions), then the largest document of any company.
            while len(running) < slots and (builds or waiting):
                if builds:
                    running[pool.submit(build_company, builds.popleft())] = None
                else:
                    _, _, document, company = heapq.heappop(waiting)
                    running[pool.submit(convert_document, document)] = company
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                of_company = running.pop(future)
                if of_company is not None:  # a conversion
                    of_company.add(future.result())
                    if of_company.waiting == 0:
                        finish(of_company.outcome())
                    continue
                built = future.result()
                if isinstance(built, CompanyOutcome):
                    finish(built)
                    continue
                company = Converting(built)
                for document in company.documents:
                    order = next(_sequence)
                    heapq.heappush(waiting, (-document.stat().st_size, order, document, company))
                if not company.documents:
                    finish(company.outcome())
    return [outcomes[job.company] for job in jobs]


def _pool_size(jobs: list[BatchJob], workers: int) -> int:
    """Return how many workers are worth starting: no more than there are tasks at most."""
    if any(job.pdf for job in jobs):
        return workers
    return min(workers, len(jobs))


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
