"""Benchmarks for msmanual; run by hand from the repository: python bench/bench.py --install.

Prints, for the bundled demo companies: (a) wall time and peak memory of ``msmanual generate``
as a fresh process, (b) the time of each document kind in-process, (c) manual pages per second,
(d) a batch of synthetic companies on every core, (e) our manual against pandoc on the same
content; then the targets, met or missed. ``--profile`` runs cProfile over one generate instead.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import io
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import cast

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from engine.commands.generate import build_documents, generate  # noqa: E402
from engine.commands.session import load_profile, prepare  # noqa: E402
from engine.documents.model import Document  # noqa: E402
from engine.documents.registry import default_registry  # noqa: E402
from engine.errors import EngineError  # noqa: E402
from engine.inputs.models import Language  # noqa: E402
from engine.inputs.workspace import Workspace  # noqa: E402
from engine.render.docx import ReferenceDocument  # noqa: E402
from engine.render.markdown import to_markdown  # noqa: E402
from engine.render.pdf import export_pdfs  # noqa: E402

TARGET_SET_SECONDS = 1.0
TARGET_MANUAL_PAGES = 40
TARGET_PANDOC_RATIO = 1.0
TARGET_PEAK_MB = 200.0
TARGET_BATCH_SECONDS = 30.0
BATCH_BASE = "appliance"  # the bundled profile with all three standards


# -- measuring ------------------------------------------------------------------------------


@dataclass
class Child:
    """One finished child process: wall seconds, peak resident memory, exit code, stderr."""

    wall: float
    max_rss_mb: float
    returncode: int
    stderr: str
    cpu: float = 0.0  # user + system seconds: less disturbed than wall by other work


# A small process that forks and execs the command and reports its wall time and peak RSS.
# Forking from this benchmark directly would not do: Linux carries the parent's high-water RSS
# over fork and exec into ru_maxrss, and this process holds every document built in-process.
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as report:
    cpu = usage.ru_utime + usage.ru_stime
    report.write(f"{wall} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {cpu}")
"""

CHILD_ENV: dict[str, str] = dict(os.environ)  # main() may add a bytecode cache


def run_child(args: list[str], cwd: Path = REPO) -> Child:
    """Run a command to completion; return its wall time and its own peak RSS (via wait4)."""
    with tempfile.TemporaryDirectory(prefix="msmanual-bench-child-") as folder:
        report = Path(folder) / "report"
        result = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, str(report), *args],
            cwd=cwd,
            env=CHILD_ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        text = result.stderr.decode(errors="replace")
        if not report.exists():
            return Child(0.0, 0.0, result.returncode or 1, text)
        wall, rss_kb, code, cpu = report.read_text().split()
    return Child(float(wall), int(rss_kb) / 1024, int(code), text, float(cpu))


def use_bytecode_cache(folder: Path) -> None:
    """Let children cache compiled modules in folder, as an installed package would have them."""
    CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(folder)


def load() -> str:
    """Return the 1-minute load average (other work on the machine skews every figure)."""
    return f"{os.getloadavg()[0]:.2f}"


QUIET_LOAD: float | None = None  # --wait-load: wait for the machine to calm down first


def wait_until_quiet(limit_seconds: float = 600) -> None:
    """Wait (up to limit_seconds) until the 1-minute load average is below QUIET_LOAD."""
    deadline = time.monotonic() + limit_seconds
    while QUIET_LOAD is not None and os.getloadavg()[0] > QUIET_LOAD:
        if time.monotonic() > deadline:
            print(f"  (still busy: load {load()}; measuring anyway)", file=sys.stderr)
            return
        time.sleep(5)


def run_children(args: list[str], runs: int, cwd: Path = REPO) -> list[Child]:
    """Run a command several times; raise when any run fails."""
    children = [run_child(args, cwd) for _ in range(runs)]
    for child in children:
        if child.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{child.stderr[-2000:]}")
    return children


def median_time(function: Callable[[], object], runs: int) -> float:
    """Return the median wall time of calling function runs times."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


CLI: list[str] = [sys.executable, "-m", "engine"]  # --install: the msmanual of a fresh venv
PYTHON = sys.executable  # --install: that venv's interpreter


def msmanual() -> list[str]:
    """Return the command line of the engine's CLI: this checkout's, or the installed one."""
    return CLI


def install_cli(folder: Path) -> tuple[list[str], str]:
    """Install this checkout as the README says (`pip install .`) into a new venv.

    Return its msmanual command and its interpreter.

    An installed package is what users run: bytecode compiled by pip, no editable-install hook.
    """
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--disable-pip-version-check", str(REPO)], check=True)
    return [str(folder / "bin" / "msmanual")], str(folder / "bin" / "python")


@contextlib.contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """Yield a temporary folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"msmanual-bench-{prefix}-") as folder:
        yield Path(folder)


# -- the machine ----------------------------------------------------------------------------


def _first_line(args: list[str]) -> str:
    if shutil.which(args[0]) is None:
        return "not installed"
    try:
        result = subprocess.run(args, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "not runnable"
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def machine() -> dict[str, str]:
    """Return CPU model, cores, RAM, Python, OS and tool versions."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    models = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    total = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.MULTILINE)
    release = Path("/etc/os-release")
    pretty = re.search(r'^PRETTY_NAME="?([^"\n]+)', release.read_text() if release.exists() else "")
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count() or 1
    return {
        "cpu": models[0] if models else platform.processor() or "unknown",
        "cores": f"{os.cpu_count()} logical, {usable} usable by this process",
        "ram": f"{int(total.group(1)) / 1024**2:.1f} GiB" if total else "unknown",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{pretty.group(1) if pretty else platform.system()} ({platform.release()})",
        "pandoc": _first_line(["pandoc", "--version"]),
        "libreoffice": _first_line(["soffice", "--version"]),
        "pdfinfo": _first_line(["pdfinfo", "-v"]),
    }


# -- (a) a company's full set as a fresh process ----------------------------------------------


@dataclass
class CliFigures:
    """Wall time and memory of one company's `generate` runs as fresh processes."""

    company: str
    standards: list[str]
    set_wall: float  # median, full set
    set_walls: list[float]
    set_min: float
    set_cpu: float  # median user + system seconds
    peak_mb: float  # largest over the runs
    manual_wall: float  # median, --doc manual only
    startup_wall: float  # median of `msmanual --version`: interpreter, imports, exit


def bench_cli(company: str, standards: list[str], runs: int, startup: float) -> CliFigures:
    """Time `msmanual generate --company X` (full set, and manual only) as fresh processes."""
    with scratch("cli") as out:
        base = [*msmanual(), "generate", "--company", company, "--out", str(out)]
        full = run_children(base, runs)
        manual = run_children([*base, "--doc", "manual"], runs)
    walls = [c.wall for c in full]
    return CliFigures(
        company,
        standards,
        statistics.median(walls),
        walls,
        min(walls),
        statistics.median(c.cpu for c in full),
        max(c.max_rss_mb for c in full + manual),
        statistics.median(c.wall for c in manual),
        startup,
    )


def bench_startup(runs: int) -> tuple[float, float]:
    """Return the median wall of a bare interpreter and of importing the CLI."""
    bare = run_children([PYTHON, "-c", "pass"], runs)
    imports = run_children([*msmanual(), "--version"], runs)
    return statistics.median(c.wall for c in bare), statistics.median(c.wall for c in imports)


# -- (b) each document kind in-process ------------------------------------------------------


@dataclass
class KindFigures:
    """In-process median seconds of each stage for one company."""

    company: str
    prepare: float  # load + validate (prepare)
    shared: float  # resolve, views, templates (build_documents with no kinds)
    kinds: dict[str, float] = field(default_factory=dict)  # build + render, shared excluded
    render: dict[str, float] = field(default_factory=dict)  # docx render of the built IR alone
    reference: dict[str, float] = field(default_factory=dict)  # loading the reference .docx
    markdown: dict[str, float] = field(default_factory=dict)  # to_markdown of the built IR
    generate: float = 0.0  # the whole library call generate(), files written


def bench_kinds(workspace: Workspace, company: str, runs: int) -> KindFigures:
    """Time prepare, the shared stage and each kind's build and render, in-process."""
    lang: Language = "zh"
    inputs, library, standards = prepare(workspace, company, None, lang)
    figures = KindFigures(
        company,
        median_time(lambda: prepare(workspace, company, None, lang), runs),
        median_time(lambda: build_documents(workspace, library, inputs, standards, lang, []), runs),
    )
    built, _ = build_documents(
        workspace, library, inputs, standards, lang, default_registry().default_ids()
    )
    for kind in default_registry().default_ids():
        build = functools.partial(
            build_documents, workspace, library, inputs, standards, lang, [kind]
        )
        figures.kinds[kind] = max(median_time(build, runs) - figures.shared, 0.0)
        document = built.documents[kind]
        path = workspace.templates_dir / "docx" / f"{document.reference}.docx"
        load = functools.partial(ReferenceDocument, path, str(path))
        figures.reference[kind] = median_time(load, runs)
        render = functools.partial(load().render, document)
        figures.render[kind] = median_time(render, runs)
        figures.markdown[kind] = median_time(functools.partial(to_markdown, document), runs)
    with scratch("inproc") as out:
        figures.generate = median_time(lambda: generate(workspace, company, out), runs)
    return figures


# -- (c) pages ------------------------------------------------------------------------------


def count_pages(pdf: Path) -> int | None:
    """Return a PDF's page count through pdfinfo, or pdftotext's form feeds; None without them."""
    if shutil.which("pdfinfo"):
        result = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
        match = re.search(r"^Pages:\s*(\d+)", result.stdout, re.MULTILINE)
        if match:
            return int(match.group(1))
    if shutil.which("pdftotext"):
        result = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=False
        )
        return result.stdout.count("\f") or None
    return None


def manual_pages(workspace: Workspace, company: str) -> tuple[int | None, str]:
    """Return the page count of a company's manual (LibreOffice, contents refreshed) and a note."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        return None, "LibreOffice not installed: pages skipped"
    with scratch("pages") as out:
        written, _ = generate(workspace, company, out, kinds=["manual"])
        try:
            pdfs, warnings = export_pdfs(written)
        except EngineError as exc:
            return None, f"LibreOffice failed: {exc}"
        pages = count_pages(pdfs[0])
    note = "contents refreshed via python3-uno" if not warnings else "plain soffice conversion"
    if pages is None:
        return None, "pdfinfo/pdftotext not installed: pages skipped"
    return pages, note


# -- (d) a batch of synthetic companies ------------------------------------------------------


def _letters(number: int) -> str:
    text = ""
    number += 1
    while number > 0:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def make_batch_workspace(source: Workspace, root: Path, count: int, bases: list[str]) -> list[str]:
    """Write count synthetic profiles (new ids, names, abbreviations) varying the bases."""
    for name in ("clause_maps", "templates"):
        shutil.copytree(source.root / name, root / name)
    profiles = root / "company_profiles"
    profiles.mkdir()
    for path in source.profiles_dir.iterdir():  # logos and other files profiles refer to
        if path.is_file() and path.suffix != ".yaml":
            shutil.copy2(path, profiles / path.name)
    ids = []
    for index in range(count):
        base = bases[index % len(bases)]
        inputs, problems = load_profile(source, base)
        if inputs is None:
            raise RuntimeError(f"{base}: {problems}")
        company = inputs.profile.company
        text = source.profile_path(base).read_text(encoding="utf-8")
        number = f"{index + 1:02d}"
        for lang, suffix in (("zh", f"{number}号"), ("en", f" No. {number}")):
            old = company.name.get(cast(Language, lang))
            if old and old in text:
                text = text.replace(old, _renamed(old, suffix, lang))
        abbreviation = f"{company.abbreviation}{_letters(index)}"
        text = re.sub(
            r"^(\s*abbreviation:\s*).*$", rf"\g<1>{abbreviation}", text, count=1, flags=re.M
        )
        company_id = f"bench{number}-{base}"
        (profiles / f"{company_id}.yaml").write_text(text, encoding="utf-8")
        ids.append(company_id)
    return ids


def _renamed(name: str, suffix: str, lang: str) -> str:
    if lang == "zh" and "有限公司" in name:
        return name.replace("有限公司", f"{suffix}有限公司", 1)
    if lang == "en" and " Co., Ltd." in name:
        return name.replace(" Co., Ltd.", f"{suffix} Co., Ltd.", 1)
    return name + suffix


@dataclass
class BatchFigures:
    """A batch of synthetic companies generated on every core."""

    companies: int
    standards: int  # sets × standards in each
    workers: int
    runner: str
    wall: float
    peak_mb: float
    failures: list[str] = field(default_factory=list)


def run_batch(root: Path, companies: list[str], out: Path, workers: int) -> BatchFigures:
    """Time `msmanual generate --all --force` on every core (--force: nothing is skipped)."""
    standards = sum(len(_standards(Workspace.open(root), c)) for c in companies)
    args = [*msmanual(), "generate", "--all", "--force", "--root", str(root), "--out", str(out)]
    child = run_child([*args, "--jobs", str(workers)])
    failures = [] if child.returncode == 0 else [child.stderr[-2000:]]
    runner = "msmanual generate --all --force"
    return BatchFigures(
        len(companies), standards, workers, runner, child.wall, child.max_rss_mb, failures
    )


def _standards(workspace: Workspace, company: str) -> list[str]:
    inputs, _ = load_profile(workspace, company)
    return list(inputs.profile.standards) if inputs else []


# -- (e) pandoc -----------------------------------------------------------------------------


@dataclass
class PandocFigures:
    """Pandoc converting our manual's Markdown against our own manual time."""

    company: str
    markdown_kb: float
    pandoc_wall: float  # median
    ours_wall: float  # `generate --doc manual` as a process, median
    ours_inprocess: float  # manual build + render in-process (shared stage included)
    pandoc_start: float  # pandoc converting an empty file, median
    ours_start: float  # `msmanual --version`, median
    pandoc_alike: float  # pandoc --toc --reference-doc=<our manual's reference .docx>, median

    @property
    def alike_ratio(self) -> float:
        """Return our process time over pandoc's making a like document (our styles, contents)."""
        return self.ours_wall / self.pandoc_alike

    @property
    def ratio(self) -> float:
        """Return our process time over pandoc's."""
        return self.ours_wall / self.pandoc_wall

    @property
    def work_ratio(self) -> float:
        """Return our conversion time over pandoc's, each without its own process start-up."""
        return (self.ours_wall - self.ours_start) / (self.pandoc_wall - self.pandoc_start)


def bench_pandoc(
    workspace: Workspace,
    company: str,
    runs: int,
    ours: tuple[float, float, float],
) -> PandocFigures | None:
    """Time `pandoc manual.md -o manual.docx` on our manual's Markdown; None without pandoc.

    ours: our manual as a process, in-process, and our start-up (interpreter and imports).
    """
    if shutil.which("pandoc") is None:
        return None
    with scratch("pandoc") as out:
        written, _ = generate(workspace, company, out, kinds=["manual"], markdown=True)
        source = next(p for p in written if p.suffix == ".md")
        target = source.with_name("pandoc-manual.docx")
        children = run_children(["pandoc", source.name, "-o", target.name], runs, cwd=source.parent)
        empty = source.with_name("empty.md")
        empty.write_text("", encoding="utf-8")
        starts = run_children(["pandoc", empty.name, "-o", "empty.docx"], runs, cwd=source.parent)
        # Like for like: our document is built on a reference .docx and has a contents field.
        manual = built_manual(workspace, company)
        reference = workspace.templates_dir / "docx" / f"{manual.reference}.docx"
        alike = [
            "pandoc", source.name, "--toc", f"--reference-doc={reference}", "-o", target.name,
        ]  # fmt: skip
        alikes = run_children(alike, runs, cwd=source.parent)
        size = source.stat().st_size / 1024
    wall = statistics.median(c.wall for c in children)
    start = statistics.median(c.wall for c in starts)
    ours_wall, ours_inprocess, ours_start = ours
    alike_wall = statistics.median(c.wall for c in alikes)
    return PandocFigures(
        company, size, wall, ours_wall, ours_inprocess, start, ours_start, alike_wall
    )


def built_manual(workspace: Workspace, company: str) -> Document:
    """Return a company's manual as built in memory (not rendered)."""
    inputs, library, standards = prepare(workspace, company, None, "zh")
    built, _ = build_documents(workspace, library, inputs, standards, "zh", ["manual"])
    return built.documents["manual"]


def bench_dependency_floor(runs: int) -> float:
    """Return the median wall of a process that only imports the libraries generate needs."""
    libraries = "import click, docx, docxtpl, jinja2, lxml.etree, markdown_it, pydantic, yaml"
    return statistics.median(c.wall for c in run_children([PYTHON, "-c", libraries], runs))


def _pandoc_start(pandoc: dict[str, PandocFigures | None]) -> str:
    starts = [p.pandoc_start for p in pandoc.values() if p is not None]
    return f"{statistics.median(starts):.3f} s" if starts else "not measured"


# -- profile --------------------------------------------------------------------------------


def biggest_company(workspace: Workspace) -> str:
    """Return the company with the most standards, then the largest profile."""
    return max(
        workspace.companies(),
        key=lambda c: (len(_standards(workspace, c)), workspace.profile_path(c).stat().st_size),
    )


def profile(workspace: Workspace, company: str, warm: bool, top: int = 25) -> str:
    """Return cProfile's top functions (cumulative, then total) over one in-process generate."""
    with scratch("profile") as out:
        if warm:
            generate(workspace, company, out)
        profiler = cProfile.Profile()
        profiler.enable()
        generate(workspace, company, out)
        profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).strip_dirs()
    stream.write(f"== cProfile: generate --company {company} ({'warm' if warm else 'cold'}) ==\n")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return stream.getvalue()


# -- report ---------------------------------------------------------------------------------


def table(header: list[str], rows: list[list[str]]) -> str:
    """Return a Markdown pipe table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(ok: bool | None) -> str:
    """Return met / MISSED / n/a."""
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def main() -> None:
    """Run the benchmarks and print the figures and targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions for medians")
    parser.add_argument("--company", action="append", help="only these companies (repeatable)")
    parser.add_argument("--batch", type=int, default=50, help="synthetic companies in (d)")
    parser.add_argument(
        "--batch-mix", action="store_true", help="(d): vary every bundled profile, not appliance"
    )
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile one generate instead")
    parser.add_argument("--warm", action="store_true", help="--profile after a warm-up run")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    parser.add_argument(
        "--wait-load",
        type=float,
        default=None,
        help="before each company and the batch, wait until the 1-minute load is below this",
    )
    parser.add_argument(
        "--install",
        action="store_true",
        help="time the CLI installed with `pip install .` into a new venv, not this checkout's",
    )
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="children compile the engine from source each start (PYTHONDONTWRITEBYTECODE as set)",
    )
    options = parser.parse_args()
    global QUIET_LOAD, CLI, PYTHON
    QUIET_LOAD = options.wait_load
    with scratch("pycache") as pycache, scratch("venv") as venv:
        if not options.no_bytecode_cache:
            use_bytecode_cache(pycache)
        if options.install:
            print("… installing the checkout into a new venv", file=sys.stderr, flush=True)
            CLI, PYTHON = install_cli(venv / "env")
        run(options)


def code_version() -> str:
    """Return the benchmarked checkout's commit (and whether it has local changes), if known."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    if head.returncode != 0:
        return f"{REPO} (not a git checkout)"
    return head.stdout.strip() + (" + local changes" if dirty.stdout.strip() else "")


def run(options: argparse.Namespace) -> None:
    """Run the benchmarks chosen by the command-line options."""

    workspace = Workspace.open(REPO)
    if options.profile:
        company = options.company[0] if options.company else biggest_company(workspace)
        print(profile(workspace, company, options.warm))
        return

    info = machine()
    info["code"] = code_version()
    cache = "off" if options.no_bytecode_cache else "on (PYTHONPYCACHEPREFIX, warmed first)"
    info["children's bytecode cache"] = cache
    info["CLI timed"] = (
        "`msmanual` installed with `pip install .` into a new venv"
        if options.install
        else "`python -m engine` in this checkout"
    )
    info["load average at start"] = load()
    print("## Machine\n")
    print(table(["", ""], [[k, v] for k, v in info.items()]))
    companies = options.company or workspace.companies()
    standards = {c: _standards(workspace, c) for c in companies}
    runs = options.runs

    run_children([*msmanual(), "--version"], 1)  # compile the engine's bytecode once
    wait_until_quiet()
    bare, startup = bench_startup(runs)
    floor = bench_dependency_floor(runs)
    print(
        f"\nprocess start: bare python {bare:.3f} s, `msmanual --version` {startup:.3f} s, "
        f"importing only the libraries generate needs {floor:.3f} s\n"
    )

    cli: dict[str, CliFigures] = {}
    kinds: dict[str, KindFigures] = {}
    pages: dict[str, tuple[int | None, str]] = {}
    pandoc: dict[str, PandocFigures | None] = {}
    for company in companies:
        wait_until_quiet()
        print(f"… {company} (load {load()})", file=sys.stderr, flush=True)
        cli[company] = bench_cli(company, standards[company], runs, startup)
        kinds[company] = bench_kinds(workspace, company, runs)
        pages[company] = (
            (None, "skipped") if options.skip_pages else manual_pages(workspace, company)
        )
        k = kinds[company]
        manual_inproc = k.shared + k.kinds["manual"]
        pandoc[company] = bench_pandoc(
            workspace, company, runs, (cli[company].manual_wall, manual_inproc, startup)
        )

    print(f"## (a) one company's full set as a fresh process (median of {runs})\n")
    rows = []
    for company, f in cli.items():
        rows.append(
            [
                company,
                "+".join(f.standards),
                f"{f.set_wall:.3f} s",
                f"{min(f.set_walls):.3f}–{max(f.set_walls):.3f} s",
                f"{f.set_cpu:.3f} s",
                f"{f.manual_wall:.3f} s",
                f"{kinds[company].generate:.3f} s",
                f"{f.startup_wall:.3f} s",
                f"{f.peak_mb:.0f} MB",
            ]
        )
    print(
        table(
            [
                "company",
                "standards",
                "full set wall",
                "range",
                "cpu (user+sys)",
                "--doc manual wall",
                "in-process generate()",
                "of which start-up + imports",
                "peak RSS",
            ],
            rows,
        )
    )

    print(f"\n## (b) in-process seconds per stage and document kind (median of {runs})\n")
    rows = []
    for company, k in kinds.items():
        rows.append([company, "prepare (load + validate)", f"{k.prepare:.3f}", "", "", ""])
        rows.append([company, "shared (resolve, views, templates)", f"{k.shared:.3f}", "", "", ""])
        for kind in default_registry().default_ids():
            rows.append(
                [
                    company,
                    kind,
                    f"{k.kinds[kind]:.3f}",
                    f"{k.render[kind]:.3f}",
                    f"{k.reference[kind]:.3f}",
                    f"{k.markdown[kind]:.3f}",
                ]
            )
    print(
        table(
            [
                "company",
                "stage / kind",
                "build + render",
                "of which render",
                "reference .docx load",
                "to_markdown",
            ],
            rows,
        )
    )

    print("\n## (c) manual pages per second\n")
    rows = []
    for company in companies:
        count, note = pages[company]
        k = kinds[company]
        manual_inproc = k.shared + k.kinds["manual"]
        if count is None:
            rows.append([company, "—", "—", "—", note])
            continue
        rows.append(
            [
                company,
                str(count),
                f"{count / manual_inproc:.0f}",
                f"{count / cli[company].manual_wall:.0f}",
                note,
            ]
        )
    print(
        table(
            ["company", "manual pages", "pages/s in-process", "pages/s as a process", "note"],
            rows,
        )
    )

    batch: BatchFigures | None = None
    if not options.skip_batch:
        bases = workspace.companies() if options.batch_mix else [BATCH_BASE]
        workers = len(os.sched_getaffinity(0))
        with scratch("batch") as root:
            ids = make_batch_workspace(workspace, root / "ws", options.batch, bases)
            wait_until_quiet()
            print(f"… batch of {len(ids)} on {workers} workers", file=sys.stderr, flush=True)
            batch = run_batch(root / "ws", ids, root / "out", workers)
        print("\n## (d) batch of synthetic companies on every core\n")
        header = ["companies", "standards", "workers", "runner", "wall"]
        header += ["throughput", "peak RSS (largest process)", "failures"]
        row = [str(batch.companies), str(batch.standards), str(batch.workers), batch.runner]
        row += [f"{batch.wall:.1f} s"]
        row += [f"{batch.companies / batch.wall:.2f} companies/s", f"{batch.peak_mb:.0f} MB"]
        print(table(header, [[*row, str(len(batch.failures))]]))
        for failure in batch.failures[:5]:
            print(f"  failure: {failure}")

    print(f"\n## (e) pandoc on the same manual content (median of {runs})\n")
    rows = []
    for company, p in pandoc.items():
        if p is None:
            rows.append([company, "pandoc not installed", *[""] * 8])
            continue
        rows.append(
            [
                company,
                f"{p.markdown_kb:.0f} KB",
                f"{p.pandoc_wall:.3f} s",
                f"{p.pandoc_alike:.3f} s",
                f"{p.pandoc_start:.3f} s",
                f"{p.ours_wall:.3f} s",
                f"{p.ratio:.2f}",
                f"{p.alike_ratio:.2f}",
                f"{p.work_ratio:.2f}",
                f"{p.ours_inprocess / p.pandoc_wall:.2f}",
            ]
        )
    print(
        table(
            [
                "company",
                "manual.md",
                "pandoc md→docx",
                "pandoc --toc --reference-doc (ours)",
                "pandoc start (empty file)",
                "ours --doc manual",
                "ours ÷ pandoc (processes)",
                "ours ÷ pandoc like for like (processes)",
                "ours ÷ pandoc (each without its start-up)",
                "ours in-process ÷ pandoc",
            ],
            rows,
        )
    )
    print(
        f"\nOur start-up is {startup:.3f} s (`msmanual --version`); importing only the libraries "
        f"generate needs takes {floor:.3f} s, pandoc's whole start-up {_pandoc_start(pandoc)}."
    )

    print(f"\nload average at the end: {load()}")
    print("\n## Targets\n")
    big = max(companies, key=lambda c: (pages[c][0] or 0, len(standards[c])))
    big_pages = pages[big][0]
    worst_set = max(companies, key=lambda c: cli[c].set_wall)
    ratios = {c: p.ratio for c, p in pandoc.items() if p is not None}
    worst_ratio = max(ratios, key=lambda c: ratios[c]) if ratios else None
    work = {c: p.work_ratio for c, p in pandoc.items() if p is not None}
    worst_work = max(work, key=lambda c: work[c]) if work else None
    alike = {c: p.alike_ratio for c, p in pandoc.items() if p is not None}
    worst_alike = max(alike, key=lambda c: alike[c]) if alike else None
    peak = max([f.peak_mb for f in cli.values()] + ([batch.peak_mb] if batch else []))
    rows = [
        [
            f"one company's full set ≤ {TARGET_SET_SECONDS} s wall incl. process start",
            f"slowest {worst_set}: {cli[worst_set].set_wall:.2f} s; "
            f"biggest manual {big}: {cli[big].set_wall:.2f} s",
            verdict(cli[worst_set].set_wall <= TARGET_SET_SECONDS),
        ],
        [
            f"… with the manual ≥ {TARGET_MANUAL_PAGES} pages",
            f"{big}: {big_pages} pages" if big_pages else "pages not counted",
            verdict(None if big_pages is None else big_pages >= TARGET_MANUAL_PAGES),
        ],
        [
            f"ours ÷ pandoc ≤ {TARGET_PANDOC_RATIO}, both as processes",
            f"worst {worst_ratio}: {ratios[worst_ratio]:.2f}" if worst_ratio else "no pandoc",
            verdict(None if worst_ratio is None else ratios[worst_ratio] <= TARGET_PANDOC_RATIO),
        ],
        [
            f"ours ÷ pandoc ≤ {TARGET_PANDOC_RATIO}, processes, pandoc with our reference + --toc",
            f"worst {worst_alike}: {alike[worst_alike]:.2f}" if worst_alike else "no pandoc",
            verdict(None if worst_alike is None else alike[worst_alike] <= TARGET_PANDOC_RATIO),
        ],
        [
            f"ours ÷ pandoc ≤ {TARGET_PANDOC_RATIO}, each without its process start-up",
            f"worst {worst_work}: {work[worst_work]:.2f}" if worst_work else "no pandoc",
            verdict(None if worst_work is None else work[worst_work] <= TARGET_PANDOC_RATIO),
        ],
        [
            f"peak memory ≤ {TARGET_PEAK_MB:.0f} MB (one company, and each batch process)",
            f"{peak:.0f} MB",
            verdict(peak <= TARGET_PEAK_MB),
        ],
        [
            f"{options.batch} companies × their standards ≤ {TARGET_BATCH_SECONDS:.0f} s",
            f"{batch.wall:.1f} s ({batch.standards} standards)" if batch else "skipped",
            verdict(None if batch is None else batch.wall <= TARGET_BATCH_SECONDS),
        ],
    ]
    print(table(["target", "figure", "verdict"], rows))

    if options.json:
        data = {
            "machine": info,
            "startup": {"bare_python": bare, "import_engine_cli": startup, "libraries": floor},
            "cli": {c: asdict(f) for c, f in cli.items()},
            "kinds": {c: asdict(k) for c, k in kinds.items()},
            "pages": {c: {"pages": p, "note": n} for c, (p, n) in pages.items()},
            "batch": asdict(batch) if batch else None,
            "pandoc": {c: asdict(p) if p else None for c, p in pandoc.items()},
        }
        options.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
