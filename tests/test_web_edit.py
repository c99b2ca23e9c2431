"""The web workspace's edits: byte-faithful, typed, refused when stale or newly invalid."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from engine.commands.session import Library, check_company, load_library, load_profile
from engine.commands.workspace_edit import (
    add_exclusion,
    digest,
    edit_profile,
    read_profile,
    remove_item,
    set_values,
)
from engine.commands.workspace_view import generated_file
from engine.errors import EngineError
from engine.inputs.workspace import Workspace
from engine.interfaces.web.forms import attach, part_groups
from engine.interfaces.web.server import address, check_binding

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(Workspace.open(REPO), langs=["zh", "en"])


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.ndiff(before.decode().splitlines(), after.decode().splitlines())
    return [line for line in diff if line.startswith(("- ", "+ "))]


def test_a_scalar_edit_changes_its_value_alone_and_keeps_its_quoting(
    workspace: Workspace, library: Library
) -> None:
    before = read_profile(workspace, "demo")
    change = set_values(
        {
            ("company", "phone"): "0512-6658 3300",  # quoted in the file
            ("company", "abbreviation"): "RTP",  # plain
            ("company", "employees"): "170",  # a number stays a number
            ("approvals", "approved", "date"): "2025-03-11",  # inside a flow mapping
        }
    )
    outcome = edit_profile(workspace, "demo", before.digest, change, library)
    assert outcome.saved
    after = workspace.profile_path("demo").read_bytes()
    assert outcome.digest == digest(after)
    assert sorted(changed_lines(before.raw, after)) == sorted(
        [
            "-   abbreviation: RT",
            '-   phone: "0512-6658 3200"',
            "-   employees: 168",
            "+   abbreviation: RTP",
            '+   phone: "0512-6658 3300"',
            "+   employees: 170",
            '-   approved: {role: gm, date: "2025-03-10"}',
            '+   approved: {role: gm, date: "2025-03-11"}',
        ]
    )


def test_a_block_text_is_rewritten_through_the_round_trip_keeping_the_rest(
    workspace: Workspace, library: Library
) -> None:
    before = read_profile(workspace, "demo")
    text = "第一段。\n\n第二段。\n"
    outcome = edit_profile(
        workspace,
        "demo",
        before.digest,
        set_values({("company", "introduction", "zh"): text}),
        library,
    )
    assert outcome.saved
    after = workspace.profile_path("demo").read_bytes()
    inputs, problems = load_profile(workspace, "demo")
    assert inputs is not None
    assert not problems
    assert inputs.profile.company.introduction is not None
    assert inputs.profile.company.introduction.zh == text
    # Comments, the other language and every other line stay as they were.
    assert after.startswith(before.raw.split(b"  introduction:")[0])
    assert after.split(b"    en: |")[1] == before.raw.split(b"    en: |")[1]


def test_a_stale_edit_is_refused_and_nothing_is_written(
    workspace: Workspace, library: Library
) -> None:
    loaded = read_profile(workspace, "demo")
    first = edit_profile(
        workspace, "demo", loaded.digest, set_values({("company", "postcode"): "215105"}), library
    )
    assert first.saved
    written = workspace.profile_path("demo").read_bytes()
    second = edit_profile(
        workspace, "demo", loaded.digest, set_values({("company", "phone"): "1"}), library
    )
    assert not second.saved
    assert second.stale
    assert workspace.profile_path("demo").read_bytes() == written


def test_an_edit_that_brings_an_error_is_refused_with_validates_message(
    workspace: Workspace, library: Library
) -> None:
    loaded = read_profile(workspace, "demo")
    outcome = edit_profile(
        workspace,
        "demo",
        loaded.digest,
        set_values({("approvals", "approved", "role"): "nobody"}),
        library,
    )
    assert not outcome.saved
    assert outcome.refused == "invalid"
    assert workspace.profile_path("demo").read_bytes() == loaded.raw
    # The same words validate prints for the same value written by hand.
    path = workspace.profile_path("demo")
    path.write_bytes(loaded.raw.replace(b"approved: {role: gm", b"approved: {role: nobody"))
    inputs, _ = load_profile(workspace, "demo")
    assert inputs is not None
    by_hand = check_company(workspace, inputs, library)
    assert [str(p) for p in outcome.problems if p.severity == "error"] == [
        str(p) for p in by_hand if p.severity == "error"
    ]


def test_an_exclusion_needs_its_justification_and_can_be_removed_and_added(
    workspace: Workspace, library: Library
) -> None:
    with pytest.raises(EngineError, match="justification"):
        add_exclusion("iso9001_2015", "8.3", {"zh": " ", "en": ""})
    loaded = read_profile(workspace, "demo")
    removed = edit_profile(workspace, "demo", loaded.digest, remove_item("exclusions", 0), library)
    assert removed.saved
    # Without its exclusion, 8.3 is kept without the operation it needs: said, not refused.
    assert any("8.3" in p.message and p.severity == "warning" for p in removed.problems)
    added = edit_profile(
        workspace,
        "demo",
        removed.digest,
        add_exclusion("iso9001_2015", "8.3", {"zh": "产品设计由顾客负责。", "en": ""}),
        library,
    )
    assert added.saved
    inputs, problems = load_profile(workspace, "demo")
    assert inputs is not None
    assert not problems
    assert [(e.clause, e.justification.zh) for e in inputs.profile.exclusions] == [
        ("8.3", "产品设计由顾客负责。")
    ]


def test_problems_sit_beside_the_field_on_their_line(
    workspace: Workspace, library: Library
) -> None:
    loaded = read_profile(workspace, "demo")
    outcome = edit_profile(
        workspace,
        "demo",
        loaded.digest,
        set_values({("departments", 6, "parent"): "nowhere"}),
        library,
    )
    assert outcome.document is not None
    groups = part_groups(outcome.document, "departments", "zh")
    left = attach(groups, outcome.problems)
    parent = next(f for g in groups for f in g.fields if f.path == ("departments", 6, "parent"))
    assert parent.invalid
    assert "nowhere" in parent.messages[0].message
    assert parent.label == "上级部门"
    assert parent.reference == "departments"
    assert all(p.line != parent.line for p in left)


def test_binding_beyond_loopback_needs_a_token() -> None:
    check_binding("127.0.0.1", None)
    check_binding("::1", None)
    with pytest.raises(EngineError, match="--token"):
        check_binding("0.0.0.0", None)
    check_binding("0.0.0.0", "secret")
    assert address("127.0.0.1", 8765, None) == "http://127.0.0.1:8765/"


def test_downloads_stay_inside_the_clients_output(workspace: Workspace) -> None:
    folder = workspace.default_output_dir / "demo" / "iso9001_2015"
    folder.mkdir(parents=True)
    (folder / "manual.docx").write_bytes(b"PK")
    (workspace.default_output_dir / "secret.txt").write_text("no")
    assert generated_file(workspace, "demo", "iso9001_2015/manual.docx").name == "manual.docx"
    for bad in ("../secret.txt", "iso9001_2015/../../secret.txt", "/etc/passwd"):
        with pytest.raises(EngineError):
            generated_file(workspace, "demo", bad)


def test_a_token_is_asked_for_and_posts_need_the_form_secret() -> None:
    import socket
    import threading
    import time
    import urllib.error
    import urllib.request

    import uvicorn

    from engine.interfaces.web.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(REPO, token="s3cret")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"

    def status(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> int:
        request = urllib.request.Request(base + url, data=data, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    try:
        assert status("/") == 403
        assert status("/static/app.css") == 200
        with urllib.request.urlopen(base + "/?token=s3cret", timeout=10) as answer:
            assert "msmanual_token=s3cret" in answer.headers["set-cookie"]
            page = answer.read().decode()
        assert "客户" in page
        cookie = {"Cookie": "msmanual_token=s3cret"}
        assert status("/c/demo/field", b"path=x", cookie) == 403  # no form secret
        csrf = app.state.web.settings.csrf
        assert status("/c/demo/field", b"path=x", {**cookie, "X-CSRF": "wrong"}) == 403
        assert csrf in page
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_client_is_cloned_byte_for_byte_under_a_new_id(workspace: Workspace) -> None:
    from engine.commands.workspace_edit import clone_client

    target = clone_client(workspace, "demo", "demo-2027")
    assert target.read_bytes() == workspace.profile_path("demo").read_bytes()
    assert "demo-2027" in workspace.companies()
    with pytest.raises(EngineError, match="exists already"):
        clone_client(workspace, "minimal", "demo-2027")
    with pytest.raises(EngineError, match="cannot name a client"):
        clone_client(workspace, "demo", "../evil")


def test_a_released_set_is_frozen_byte_for_byte(workspace: Workspace) -> None:
    from engine.commands.workspace_view import generated_sets, release_set, released_sets

    folder = workspace.default_output_dir / "demo" / "iso9001_2015"
    (folder / "forms").mkdir(parents=True)
    (folder / "manual.docx").write_bytes(b"PK manual A/1")
    (folder / "forms" / "RT-QP-01-03.docx").write_bytes(b"PK form")
    target = release_set(workspace, "demo", "iso9001_2015")
    assert target == workspace.default_output_dir / "demo" / "releases" / "A-1" / "iso9001_2015"
    (folder / "manual.docx").write_bytes(b"PK manual A/2")
    assert (target / "manual.docx").read_bytes() == b"PK manual A/1"
    assert (target / "forms" / "RT-QP-01-03.docx").read_bytes() == b"PK form"
    assert [s.name for s in generated_sets(workspace, "demo")] == ["iso9001_2015"]
    assert [s.name for s in released_sets(workspace, "demo")] == ["A-1/iso9001_2015"]
    with pytest.raises(EngineError, match="released already"):
        release_set(workspace, "demo", "iso9001_2015")
