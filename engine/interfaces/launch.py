"""The msmanual process: the command line, tuned for a process that lives about a second."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import NoReturn


def main() -> NoReturn:
    """Run the command in the resident msmanual if one runs, else in this process."""
    from engine.interfaces.resident import delegate

    code = delegate(sys.argv[1:])
    if code is not None:
        leave(code)
    run()


def run() -> NoReturn:
    """Run the command line, then end the process without tearing the interpreter down."""
    # A run allocates millions of short-lived objects and very few cycles. Collecting the
    # young generation every 100,000 allocations instead of every 700 takes 5-10 % off a run
    # and its imports (bench/RESULTS.md); garbage stays bounded, so long batches are safe.
    gc.set_threshold(100_000, 50, 100)
    from engine.interfaces.cli import cli  # after the GC setting: imports are a third of a run

    try:
        cli()
    except SystemExit as exc:
        leave(exc.code)
    leave(0)


def leave(code: object) -> NoReturn:
    """Flush the output and end the process with code, as sys.exit(code) would."""
    if isinstance(code, str):
        sys.stderr.write(f"{code}\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing left to say
            stream.flush()
    # Every file was written, flushed to disk and renamed before the command returned, and
    # every worker and subprocess has ended; freeing the run's objects and modules one by one
    # would only add ~50 ms to each run.
    os._exit(code if isinstance(code, int) else 0)
