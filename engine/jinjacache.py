"""The per-user cache of compiled Jinja templates that every run shares."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from types import CodeType

import jinja2

from engine import __version__


@functools.cache
def compiled_cache() -> jinja2.BytecodeCache | None:
    """Return a per-user cache of compiled templates (checked against each template's source).

    Compiling ~160 section templates and the reference's XML parts was most of a run's time;
    the cache makes later runs skip it.
    The folder is private to the user and named after the engine and Jinja versions.
    """
    if os.environ.get("MSMANUAL_NO_CACHE"):
        return None
    configured = os.environ.get("MSMANUAL_CACHE_DIR")
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path("~/.cache").expanduser()
    base = Path(configured) if configured else Path(cache_home) / "msmanual"
    folder = base / f"jinja-{__version__}-{jinja2.__version__}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def compile_string(environment: jinja2.Environment, source: str, kind: str) -> CodeType:
    """Return the compiled code of a template given as text, from the cache when it is there."""
    cache = compiled_cache()
    if cache is None:
        return environment.compile(source)
    # Named by content: the reference's parts differ per document kind and per workspace.
    name = f"{kind}:{hashlib.sha256(source.encode()).hexdigest()}"
    bucket = cache.get_bucket(environment, name, None, source)
    if bucket.code is None:
        bucket.code = environment.compile(source, name)
        cache.set_bucket(bucket)
    return bucket.code
