"""Where consultants wait, measured with whole processes: python3 bench/run.py [--only a,b,c,d].

Prints one table per part, each figure beside its anchor and goal:
  (a) every bundled client's set with PDFs in one batch vs one plain `soffice --convert-to pdf`
      call over the same DOCX files (goal ≤ 0.8×);
  (b) the demo manual (`generate --company demo --doc manual`) vs pandoc writing the same
      manual's Markdown with --toc and our reference .docx (goal ≤ 0.8×), as a process on its
      own and through the resident msmanual (`msmanual resident start`), the whole set beside
      it, and where a run's time goes (imports, the caches, zip writing);
  (c) a batch of generated clients (bench/make_clients.py) with every document kind on 2
      workers: time per client, peak memory of the largest worker (goal ≤ 200 MB), speed-up
      over one worker, and the second run of the unchanged clients (goal < 2 s);
  (d) growth: time and memory against the manual's size (1 and 3 standards, 5–60 departments);
  (w) the web workspace: a manual's PDF after the first (goal < 2 s) and edit latencies
      (bench/web_latency.py).
msmanual is installed the way the README's first command installs it (`pip install .`, not
editable) into a new venv, unless --checkout times `python -m engine` from this checkout.
The machine is shared, so A and B run in turn (A B A B …) and medians are quoted; the ratio is
the median of each pair's ratio. This process imports no engine code, so that a child's peak
memory (read from wait4) is the child's own and not this process's high-water mark.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = [sys.executable]  # the Python that runs the engine: the venv's once installed
ENGINE = [sys.executable, "-m", "engine"]
GOAL_PDF_RATIO = 0.8
GOAL_PANDOC_RATIO = 0.8
GOAL_WORKER_MB = 200.0
GOAL_SECOND_RUN_S = 2.0


# -- measuring ------------------------------------------------------------------------------


@dataclass
class Run:
    """One finished process: wall and cpu seconds, peak RSS of its largest process, exit code."""

    wall: float
    cpu: float
    peak_mb: float
    code: int
    stderr: str


def child_environment(cache: Path, checkout: bool) -> dict[str, str]:
    """Return the children's environment: compiled modules cached as an install has them,
    their own caches and resident socket in the scratch folder, no resident unless asked for."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if checkout:
        environment["PYTHONPATH"] = str(REPO)
    environment["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    environment["MSMANUAL_CACHE_DIR"] = str(cache / "msmanual-cache")
    environment["XDG_RUNTIME_DIR"] = str(cache)
    environment["MSMANUAL_RESIDENT"] = "off"
    return environment


def install(folder: Path) -> None:
    """Install msmanual from this checkout into a new venv, as the README does; use it."""
    venv = folder / "venv"
    print(f"installing msmanual (pip install ., not editable) into {venv} …", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", str(REPO)],
        check=True,
    )
    PYTHON[:] = [str(venv / "bin" / "python")]
    ENGINE[:] = [str(venv / "bin" / "msmanual")]


ENV: dict[str, str] = {}


def run(args: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run a command to completion; return its wall, cpu and peak RSS (wait4 covers its tree)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        list(args),
        cwd=cwd or REPO,
        env=env or ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    stderr = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss of a waited child is the largest of it and its own waited children (workers).
    return Run(
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        process.returncode,
        stderr,
    )


def checked(result: Run, what: str) -> Run:
    """Return result, or stop the benchmark with the command's error."""
    if result.code != 0:
        sys.exit(f"{what} failed (exit {result.code}):\n{result.stderr[-3000:]}")
    return result


@dataclass
class Pair:
    """A and B run in turn: each one's runs, and the ratio A/B pair by pair."""

    a: list[Run]
    b: list[Run]

    @property
    def a_wall(self) -> float:
        return statistics.median(r.wall for r in self.a)

    @property
    def b_wall(self) -> float:
        return statistics.median(r.wall for r in self.b)

    @property
    def ratio(self) -> float:
        return statistics.median(x.wall / y.wall for x, y in zip(self.a, self.b, strict=True))

    def spread(self) -> str:
        ratios = sorted(x.wall / y.wall for x, y in zip(self.a, self.b, strict=True))
        return f"{ratios[0]:.2f}–{ratios[-1]:.2f}"


def interleaved(
    a: Sequence[str],
    b: Sequence[str],
    runs: int,
    *,
    a_env: dict[str, str] | None = None,
    b_env: dict[str, str] | None = None,
) -> Pair:
    """Run A then B, runs times after one warm-up each; every run must succeed."""
    checked(run(a, env=a_env), "A (warm-up)")
    checked(run(b, env=b_env), "B (warm-up)")
    pair = Pair([], [])
    for _ in range(runs):
        pair.a.append(checked(run(a, env=a_env), " ".join(a)))
        pair.b.append(checked(run(b, env=b_env), " ".join(b)))
    return pair


def medians(args: Sequence[str], runs: int) -> list[Run]:
    """Run a command runs times after one warm-up; return the runs."""
    checked(run(args), " ".join(args))
    return [checked(run(args), " ".join(args)) for _ in range(runs)]


@contextmanager
def scratch(name: str) -> Iterator[Path]:
    """Yield a temporary folder removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f"msmanual-bench-{name}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def table(header: list[str], rows: list[list[str]]) -> str:
    """Return a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def say(text: str = "") -> None:
    print(text, flush=True)


# -- the machine ----------------------------------------------------------------------------


def _first_line(args: list[str]) -> str:
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    return (
        (result.stdout or result.stderr).strip().splitlines()[0] if result.returncode == 0 else "?"
    )


def machine() -> str:
    """Return a table describing the machine and the tools the figures depend on."""
    cpu = "?"
    with_cpuinfo = Path("/proc/cpuinfo")
    if with_cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.*)", with_cpuinfo.read_text())
        cpu = found.group(1) if found else "?"
    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s*(\d+)", meminfo.read_text())
        memory = f"{int(found.group(1)) / 1024 / 1024:.1f} GiB" if found else "?"
    commit = _first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    rows = [
        ["CPU", f"{cpu}, {len(os.sched_getaffinity(0))} usable cores"],
        ["RAM", memory],
        ["OS", f"{platform.platform()}"],
        ["Python", platform.python_version()],
        ["LibreOffice", _first_line(["soffice", "--headless", "--version"])],
        ["pandoc", _first_line(["pandoc", "--version"])],
        ["code", f"commit {commit}"],
        ["load average at start", f"{os.getloadavg()[0]:.1f} (1 min)"],
    ]
    return table(["", ""], rows)


# -- (a) PDFs -------------------------------------------------------------------------------


def part_a(runs: int) -> list[list[str]]:
    """Every bundled client's set with PDFs in one batch vs one plain soffice call."""
    with scratch("pdf") as folder:
        docx_out = folder / "docx"
        checked(run([*ENGINE, "generate", "--all", "--out", str(docx_out)]), "generate --all")
        documents = sorted(str(p) for p in docx_out.rglob("*.docx"))
        ours = [
            *ENGINE, "generate", "--all", "--pdf", "--force", "--jobs", "2",
            "--out", str(folder / "ours"),
        ]  # fmt: skip
        plain = [
            "soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
            "--norestore", "--convert-to", "pdf", "--outdir", str(folder / "plain"), *documents,
        ]  # fmt: skip
        pair = interleaved(ours, plain, runs, b_env=dict(os.environ))
        pdfs = len(list((folder / "ours").rglob("*.pdf")))
    clients = len({Path(d).relative_to(docx_out).parts[0] for d in documents})
    say(f"(a) {len(documents)} DOCX files of {clients} clients; ours wrote {pdfs} PDFs per run")
    return [
        [
            f"(a) all bundled clients' sets with PDFs ({len(documents)} documents), "
            "one batch on 2 workers, contents refreshed",
            f"{pair.a_wall:.1f} s (peak {max(r.peak_mb for r in pair.a):.0f} MB)",
            f"one `soffice --convert-to pdf` over the same DOCX: {pair.b_wall:.1f} s",
            f"{pair.ratio:.2f}× ({pair.spread()})",
            f"≤ {GOAL_PDF_RATIO}×: {verdict(pair.ratio <= GOAL_PDF_RATIO)}",
        ]
    ]


# -- (b) DOCX against pandoc, and where the time goes ---------------------------------------


PROFILE_SCRIPT = """
import cProfile, pstats, sys, tempfile
from pathlib import Path
from engine.commands.generate import generate
from engine.inputs.workspace import Workspace
workspace = Workspace.open(Path(sys.argv[1]))
out = Path(tempfile.mkdtemp())
generate(workspace, "demo", out)  # warm: the process's first run pays one-off costs
profiler = cProfile.Profile()
profiler.enable()
generate(workspace, "demo", out)
profiler.disable()
stats = pstats.Stats(profiler)
groups = {}
total = 0.0
for (filename, _, name), (_, _, own, _, _) in stats.stats.items():
    total += own
    if "zipfile" in filename or name in ("compress", "crc32") or "zlib" in name:
        key = "zip writing (zipfile, zlib)"
    elif "jinja2" in filename:
        key = "Jinja (rendering; compiling on a cache miss)"
    elif "/yaml/" in filename or "yamlio" in filename:
        key = "YAML reading"
    elif "markdown_it" in filename or "mdit_py" in filename:
        key = "Markdown parsing"
    elif any(part in filename for part in ("lxml", "/docx/", "docxtpl", "ooxml", "render/docx")):
        key = "DOCX building (lxml, python-docx, docxtpl)"
    elif "pydantic" in filename:
        key = "pydantic"
    elif name == "fsync" or "files.py" in filename:
        key = "file writing (fsync, rename)"
    else:
        key = "the engine's own code and the rest"
    groups[key] = groups.get(key, 0.0) + own
for key, seconds in sorted(groups.items(), key=lambda item: -item[1]):
    print(f"{key}\\t{seconds:.3f}\\t{seconds / total:.0%}")
"""


def import_profile() -> list[tuple[str, float]]:
    """Return the slowest imports of `--version` (cumulative seconds), from -X importtime."""
    result = subprocess.run(
        [*PYTHON, "-X", "importtime", "-m", "engine", "--version"],
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    found = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            depth = (len(name) - len(name.lstrip())) // 2
            if depth <= 1:
                found.append((name.strip(), int(parts[1]) / 1e6))
    return sorted(found, key=lambda item: -item[1])[:8]


def part_b(runs: int) -> tuple[list[list[str]], str]:
    """The demo manual vs pandoc like for like, alone and through the resident; the whole set."""
    rows: list[list[str]] = []
    notes: list[str] = []
    with scratch("pandoc") as folder:
        out = folder / "out"
        markdown_run = [*ENGINE, "generate", "--company", "demo", "--doc", "manual"]
        checked(run([*markdown_run, "--markdown", "--out", str(out)]), "generate --markdown")
        markdown = next(out.rglob("manual.md"))
        reference = REPO / "templates" / "docx" / "manual.docx"
        ours = [*ENGINE, "generate", "--company", "demo", "--doc", "manual", "--out", str(out)]
        whole = [*ENGINE, "generate", "--company", "demo", "--out", str(out)]
        version = [*ENGINE, "--version"]
        resident = {**ENV, "MSMANUAL_RESIDENT": "on"}
        if shutil.which("pandoc") is None:
            rows.append(["(b) demo manual vs pandoc", "pandoc is not installed", "", "", ""])
        else:
            pandoc = [
                "pandoc", str(markdown), "--toc", f"--reference-doc={reference}",
                "-o", str(folder / "pandoc.docx"),
            ]  # fmt: skip
            pair = interleaved(ours, pandoc, runs)
            rows.append(
                [
                    "(b) demo manual DOCX (`generate --company demo --doc manual`), a process "
                    "on its own",
                    f"{pair.a_wall:.3f} s",
                    f"pandoc manual.md --toc --reference-doc (ours): {pair.b_wall:.3f} s",
                    f"{pair.ratio:.2f}× ({pair.spread()})",
                    f"≤ {GOAL_PANDOC_RATIO}×: {verdict(pair.ratio <= GOAL_PANDOC_RATIO)}",
                ]
            )
            checked(run([*ENGINE, "resident", "start", "--idle", "10"]), "resident start")
            try:
                warm = interleaved(ours, pandoc, runs, a_env=resident)
                warm_set = interleaved(whole, pandoc, runs, a_env=resident)
            finally:
                checked(run([*ENGINE, "resident", "stop"]), "resident stop")
            rows.append(
                [
                    "(b) the same through the resident msmanual (`msmanual resident start`)",
                    f"{warm.a_wall:.3f} s",
                    f"the same pandoc: {warm.b_wall:.3f} s",
                    f"{warm.ratio:.2f}× ({warm.spread()})",
                    f"≤ {GOAL_PANDOC_RATIO}×: {verdict(warm.ratio <= GOAL_PANDOC_RATIO)}",
                ]
            )
            set_pair = interleaved(whole, pandoc, runs)
            rows.append(
                [
                    "(b) demo whole set (every kind, procedures and forms), on its own",
                    f"{set_pair.a_wall:.3f} s",
                    f"the same pandoc: {set_pair.b_wall:.3f} s",
                    f"{set_pair.ratio:.2f}×",
                    "reported beside it",
                ]
            )
            rows.append(
                [
                    "(b) demo whole set through the resident",
                    f"{warm_set.a_wall:.3f} s",
                    f"the same pandoc: {warm_set.b_wall:.3f} s",
                    f"{warm_set.ratio:.2f}×",
                    "reported beside it",
                ]
            )
        start = statistics.median(r.wall for r in medians(version, runs))
        rows.append(["(b) process start (`--version`) on its own", f"{start:.3f} s", "", "", ""])
        # The caches (compiled templates, the checked library): with them against without.
        no_cache = {**ENV, "MSMANUAL_NO_CACHE": "1"}
        cache_pair = interleaved(ours, ours, runs, b_env=no_cache)
        rows.append(
            [
                "(b) demo manual with the caches (compiled templates, the checked library)",
                f"{cache_pair.a_wall:.3f} s",
                f"MSMANUAL_NO_CACHE=1 (all read and compiled again): {cache_pair.b_wall:.3f} s",
                f"{cache_pair.ratio:.2f}×",
                "the caches are used" if cache_pair.ratio < 0.9 else "**caches not effective**",
            ]
        )
        notes.append("Slowest imports of `python -X importtime -m engine --version` (cumulative):")
        notes.append("")
        notes.append(
            table(["module", "seconds"], [[name, f"{sec:.3f}"] for name, sec in import_profile()])
        )
        profile = subprocess.run(
            [*PYTHON, "-c", PROFILE_SCRIPT, str(REPO)],
            capture_output=True,
            text=True,
            env=ENV,
            check=False,
        )
        notes.append("")
        notes.append("Own time of a warm in-process `generate(demo)` under cProfile, by area:")
        notes.append("")
        notes.append(
            table(
                ["area", "seconds", "share"],
                [line.split("\t") for line in profile.stdout.splitlines() if "\t" in line],
            )
        )
    return rows, "\n".join(notes)


# -- (w) the web workspace ------------------------------------------------------------------


def part_w(runs: int) -> list[list[str]]:
    """A manual's PDF in the web workspace after the first, and the edit latencies."""
    script = REPO / "bench" / "web_latency.py"
    result = subprocess.run(
        [sys.executable, str(script), "--runs", "30", "--pdf", "--pdf-runs", str(runs)],
        capture_output=True,
        text=True,
        env={**ENV, "PYTHONPATH": str(REPO)},
        check=False,
    )
    rows = []
    for line in result.stdout.splitlines()[1:]:
        label, _, rest = line.strip().partition("  ")
        measured, _, goal = rest.strip().partition("goal")
        goal = f"goal{goal}" if goal else ""
        rows.append([f"(w) {label.strip()}", measured.strip(), "", "", goal])
    if result.returncode not in (0, 1) or not rows:
        rows.append(["(w) web workspace", f"failed: {result.stderr[-300:]}", "", "", ""])
    return rows


# -- (c) a batch of generated clients -------------------------------------------------------


def make_clients(root: Path, count: int, *extra: str) -> None:
    """Write a workspace of count generated clients at root (bench/make_clients.py)."""
    script = str(REPO / "bench" / "make_clients.py")
    checked(run([sys.executable, script, str(root), "--count", str(count), *extra]), "make_clients")


def part_c(clients: int, speedup_clients: int) -> list[list[str]]:
    """A batch on 2 workers: per client, peak worker memory, speed-up, the unchanged rerun."""
    rows = []
    with scratch("batch") as folder:
        make_clients(folder, clients)
        batch = [*ENGINE, "generate", "--root", str(folder), "--all", "--out", str(folder / "out")]
        first = checked(run([*batch, "--jobs", "2"]), "batch")
        second = checked(run([*batch, "--jobs", "2"]), "second batch")
        third = checked(run([*batch, "--jobs", "2"]), "third batch")
        rows.append(
            [
                f"(c) {clients} generated clients (1–3 standards, 2–36 departments), every "
                "document kind, 2 workers",
                f"{first.wall:.1f} s, {first.wall / clients:.3f} s per client",
                "",
                "",
                "",
            ]
        )
        rows.append(
            [
                "(c) peak memory of the largest process (a worker)",
                f"{first.peak_mb:.0f} MB",
                "",
                "",
                f"≤ {GOAL_WORKER_MB:.0f} MB: {verdict(first.peak_mb <= GOAL_WORKER_MB)}",
            ]
        )
        rerun = statistics.median([second.wall, third.wall])
        rows.append(
            [
                f"(c) second run, {clients} unchanged clients (skipped)",
                f"{rerun:.2f} s (runs: {second.wall:.2f}, {third.wall:.2f})",
                "",
                "",
                f"< {GOAL_SECOND_RUN_S:.0f} s: {verdict(rerun < GOAL_SECOND_RUN_S)}",
            ]
        )
    with scratch("speedup") as folder:
        make_clients(folder, speedup_clients)
        batch = [
            *ENGINE, "generate", "--root", str(folder), "--all", "--force",
            "--out", str(folder / "out"),
        ]  # fmt: skip
        pair = interleaved([*batch, "--jobs", "2"], [*batch, "--jobs", "1"], 1)
        rows.append(
            [
                f"(c) speed-up of 2 workers over 1 ({speedup_clients} clients, interleaved)",
                f"2 workers {pair.a_wall:.1f} s",
                f"1 worker {pair.b_wall:.1f} s",
                f"{1 / pair.ratio:.2f}× faster",
                "2 cores, shared",
            ]
        )
    return rows


# -- (d) growth -----------------------------------------------------------------------------


def part_d(runs: int, sizes: list[int]) -> tuple[list[list[str]], str]:
    """Time and peak memory of one client's manual and whole set against its size."""
    rows = []
    fits = []
    for base, standards in (("minimal", 1), ("appliance", 3)):
        points = []
        smallest = {"minimal": 2, "appliance": 21}[base]
        for size in sorted({max(size, smallest) for size in sizes}):
            with scratch("growth") as folder:
                make_clients(folder, 1, "--base", base, "--departments", str(size))
                company = f"c0001-{base}"
                out = folder / "out"
                common = ["--root", str(folder), "--company", company, "--out", str(out)]
                manual = medians([*ENGINE, "generate", *common, "--doc", "manual"], runs)
                whole = medians([*ENGINE, "generate", *common], runs)
                departments = size
                docx = next(out.rglob("manual.docx")).stat().st_size / 1024
            wall = statistics.median(r.wall for r in manual)
            cpu = statistics.median(r.cpu for r in manual)
            points.append((departments, cpu))
            rows.append(
                [
                    str(standards),
                    str(departments),
                    f"{docx:.0f} KB",
                    f"{cpu:.3f} s ({wall:.3f} s)",
                    f"{max(r.peak_mb for r in manual):.0f} MB",
                    f"{statistics.median(r.cpu for r in whole):.3f} s",
                    f"{max(r.peak_mb for r in whole):.0f} MB",
                ]
            )
        fits.append(f"{standards} standard(s): {_fit(points)}")
    header = [
        "standards", "departments", "manual.docx", "manual CPU (wall)", "manual peak",
        "whole set CPU", "whole set peak",
    ]  # fmt: skip
    fit = "Least-squares line of the manual's CPU time (user + sys; wall follows the load): "
    return [header, *rows], fit + "; ".join(fits)


def _fit(points: list[tuple[int, float]]) -> str:
    xs = [float(x) for x, _ in points]
    ys = [y for _, y in points]
    if len(set(xs)) < 2:
        return "one size only"
    slope, intercept = statistics.linear_regression(xs, ys)
    correlation = statistics.correlation(xs, ys)
    return f"{intercept:.3f} s + {slope * 1000:.1f} ms per department (r² {correlation**2:.2f})"


# -- main -----------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    """Run the parts asked for and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="a,b,c,d,w", help="parts to run, e.g. b,c")
    parser.add_argument(
        "--checkout", action="store_true", help="time this checkout (python -m engine), no venv"
    )
    parser.add_argument("--web-pdf-runs", type=int, default=5, help="PDFs after the first, (w)")
    parser.add_argument("--runs", type=int, default=5, help="pairs for (b) and (d)")
    parser.add_argument("--pdf-runs", type=int, default=3, help="pairs for (a)")
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--speedup-clients", type=int, default=100)
    parser.add_argument("--sizes", default="5,10,20,40,60", help="departments for (d)")
    parser.add_argument("--growth-runs", type=int, default=3, help="runs per size for (d)")
    options = parser.parse_args(argv)
    parts = set(options.only.split(","))
    with scratch("env") as cache:
        ENV.update(child_environment(cache, options.checkout))
        if not options.checkout:
            install(cache)
        say("## Machine\n")
        say(machine())
        say()
        header = ["figure", "measured (median)", "anchor", "ratio (range)", "goal"]
        rows: list[list[str]] = []
        notes = ""
        if "a" in parts:
            rows += part_a(options.pdf_runs)
        if "b" in parts:
            found, notes = part_b(options.runs)
            rows += found
        if "c" in parts:
            rows += part_c(options.clients, options.speedup_clients)
        if "w" in parts:
            rows += part_w(options.web_pdf_runs)
        if rows:
            say("## Figures beside their anchors\n")
            say(table(header, rows))
            say()
        if notes:
            say("## Where a run's time goes\n")
            say(notes)
            say()
        if "d" in parts:
            sizes = [int(s) for s in options.sizes.split(",")]
            growth, fit = part_d(options.growth_runs, sizes)
            say("## (d) Growth: one client against its size\n")
            say(table(growth[0], growth[1:]))
            say()
            say(fit)
            say()
        say(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
