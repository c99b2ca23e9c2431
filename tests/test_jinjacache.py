"""The compiled-template cache: used across runs, never stale, and optional."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

from engine import jinjacache
from engine.jinjacache import compile_string, compiled_cache
from engine.render.docx import _PartEnvironment


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("MSMANUAL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MSMANUAL_NO_CACHE", raising=False)
    compiled_cache.cache_clear()
    yield tmp_path / "cache"
    compiled_cache.cache_clear()


class CountingEnvironment(_PartEnvironment):
    """A part environment that counts how often Jinja really compiles."""

    def __init__(self) -> None:
        super().__init__()
        self.compiles = 0

    def compile(self, source: Any, *args: Any, **kwargs: Any) -> Any:
        self.compiles += 1
        return super().compile(source, *args, **kwargs)


PART = "<w:p><w:t>{{ company }} · 第{{ page }}页</w:t></w:p>"


def test_a_part_compiles_once_per_process_then_comes_from_disk(cache_dir: Path) -> None:
    first = CountingEnvironment()
    texts = [first.from_string(PART).render(company="甲&乙", page=n) for n in (1, 2)]
    assert texts == [
        "<w:p><w:t>甲&amp;乙 · 第1页</w:t></w:p>",
        "<w:p><w:t>甲&amp;乙 · 第2页</w:t></w:p>",
    ]
    assert first.compiles == 1
    assert any(cache_dir.rglob("*.cache"))

    later_run = CountingEnvironment()
    assert (
        later_run.from_string(PART).render(company="丙", page=3)
        == "<w:p><w:t>丙 · 第3页</w:t></w:p>"
    )
    assert later_run.compiles == 0


def test_a_changed_part_is_compiled_again(cache_dir: Path) -> None:
    CountingEnvironment().from_string(PART)
    edited = CountingEnvironment()
    changed = PART.replace("第", "Page ")
    assert (
        edited.from_string(changed).render(company="X", page=1)
        == "<w:p><w:t>X · Page 1页</w:t></w:p>"
    )
    assert edited.compiles == 1


def test_a_broken_part_raises_every_time_and_is_not_cached(cache_dir: Path) -> None:
    env = CountingEnvironment()
    for _ in range(2):
        with pytest.raises(jinja2.TemplateSyntaxError):
            env.from_string("<w:t>{{ company </w:t>")
    assert env.compiles == 2
    assert not env._texts


def test_no_cache_still_compiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSMANUAL_NO_CACHE", "1")
    compiled_cache.cache_clear()
    try:
        env = CountingEnvironment()
        code = compile_string(env, "{{ 1 + 1 }}", "test")
        assert env.compiles == 1
        assert jinja2.Template.from_code(env, code, env.make_globals(None)).render() == "2"
    finally:
        compiled_cache.cache_clear()


def test_unwritable_cache_folder_means_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MSMANUAL_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("MSMANUAL_NO_CACHE", raising=False)
    compiled_cache.cache_clear()
    try:
        assert jinjacache.compiled_cache() is None
    finally:
        compiled_cache.cache_clear()
