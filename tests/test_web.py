"""Journeys through the web workspace in a real browser (Playwright driving Debian's chromium)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.commands.workspace_edit import digest

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "output" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (scripts/test installs it)"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a workspace with the demo and minimal clients and a self-assessed one (furniture)."""
    root = tmp_path_factory.mktemp("web") / "ws"
    (root / "company_profiles").mkdir(parents=True)
    for name in ("clause_maps", "templates"):
        shutil.copytree(REPO / name, root / name)
    for name in ("demo.yaml", "demo_logo.png", "minimal.yaml"):
        shutil.copy(REPO / "company_profiles" / name, root / "company_profiles" / name)
    return root


@pytest.fixture(scope="module")
def server(web_root: Path) -> Iterator[str]:
    """Start the app in this process on a free port; return its address."""
    import uvicorn

    from engine.interfaces.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(web_root), host="127.0.0.1", port=port, log_level="error")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline:
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Launch Debian's chromium once for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """Return a fresh browser context at 1280×800 that accepts downloads."""
    made = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    made.set_default_timeout(20_000)
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    yield made
    made.close()


def shot(page: Any, name: str) -> None:
    """Save a screenshot of the page under output/screenshots/ (not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def field(page: Any, dom_id: str) -> Any:
    """Return a form field's input by the field's element id."""
    return page.locator(f"#{dom_id} [name=value]")


def change(page: Any, dom_id: str, value: str) -> None:
    """Type a value and leave the field, which saves it."""
    box = field(page, dom_id)
    box.fill(value)
    box.press("Tab")


def test_portfolio_batch_and_self_assessment_page(server: str, context: Any) -> None:
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(server + "/")
    page.click("#batch")
    expect(page.locator(".batch-result")).to_be_visible(timeout=60_000)
    expect(page.locator(".batch-result")).to_contain_text("minimal")
    expect(page.locator("#row-minimal .status")).to_be_visible()
    expect(page.locator("#row-minimal td").nth(4)).not_to_have_text("—")
    shot(page, "00-portfolio-batch")
    page.goto(server + "/c/minimal/assess")
    expect(page.locator(".notice")).to_be_visible()
    shot(page, "01-assess")


def test_journey_edit_coverage_generate_download(server: str, context: Any, web_root: Path) -> None:
    from docx import Document
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(server + "/")
    expect(page.locator("#row-demo .status")).to_be_visible()
    expect(page.locator("#row-minimal .status")).to_be_visible()
    expect(page.locator("#row-demo .coverage")).to_have_text("100.0%")
    shot(page, "02-portfolio")

    page.click("#row-demo a >> nth=0")
    expect(page.locator("h3")).to_have_text("公司信息")
    shot(page, "02-profile-company")

    # An impossible date: refused, the message beside the field; then a real one is saved.
    page.click("nav.parts >> text=审批与编号")
    change(page, "f-approvals-approved-date", "2025-02-30")
    box = page.locator("#f-approvals-approved-date")
    expect(box).to_have_class("field invalid")
    expect(box.locator(".msg")).to_contain_text("is not a real date")
    shot(page, "03-profile-invalid")
    profile = web_root / "company_profiles" / "demo.yaml"
    assert "2025-02-30" not in profile.read_text(encoding="utf-8")
    change(page, "f-approvals-approved-date", "2025-03-11")
    expect(box.locator(".msg")).to_contain_text("已保存")
    expect(page.locator("#preview")).to_contain_text("苏州瑞泰精密机械有限公司")
    assert 'approved: {role: gm, date: "2025-03-11"}' in profile.read_text(encoding="utf-8")

    # Taking away the 8.3 exclusion leaves 8.3 a gap; putting it back (with its justification,
    # which is required) closes it.
    page.click("nav.parts >> text=部门")
    expect(page.locator("#f-departments-0-name-zh")).to_be_visible()
    shot(page, "04-profile-departments")
    # A department is added and taken away again; one still named elsewhere cannot be.
    groups = page.locator("fieldset.group")
    count = groups.count()
    page.fill("form.add-row input[name=id]", "lab")
    page.fill("form.add-row input[name=name_zh]", "检测中心")
    page.fill("form.add-row input[name=parent]", "quality")
    page.click("form.add-row button")
    expect(groups).to_have_count(count + 1)
    # The tree: the new department sits under its parent.
    expect(page.locator("fieldset.tree-1:has(legend:text('lab · 检测中心'))")).to_be_visible()
    expect(page.locator("#f-departments-10-name-zh [name=value]")).to_have_value("检测中心")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("fieldset.group:has(legend:text('lab · 检测中心')) button.remove")
    expect(groups).to_have_count(count)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("fieldset.group:has(legend:text('warehouse · 仓储物流组')) button.remove")
    expect(page.locator("#refusal")).to_contain_text("warehouse")
    expect(groups).to_have_count(count)
    page.click("nav.parts >> text=删减")
    shot(page, "04-profile-exclusions")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("fieldset.group button.remove")
    expect(page.locator("fieldset.group")).to_have_count(0)
    page.goto(server + "/c/demo/coverage?gaps=1")
    expect(page.locator("#coverage-iso9001_2015")).not_to_have_text("100.0%")
    expect(page.locator("tr[data-clause='8.3.1'] .status")).to_have_text("缺口")
    shot(page, "05-coverage-gap")

    page.goto(server + "/c/demo/profile/exclusions")
    page.fill("input[name=clause]", "8.3")
    page.fill("textarea[name=justification_zh]", " ")
    page.click("form.add-exclusion button")
    expect(page.locator("#refusal")).to_contain_text("justification")
    page.fill("textarea[name=justification_zh]", "产品设计由顾客负责，公司不承担产品的设计和开发。")
    page.click("form.add-exclusion button")
    expect(page.locator("fieldset.group")).to_have_count(1)
    page.goto(server + "/c/demo/coverage")
    expect(page.locator("#coverage-iso9001_2015")).to_have_text("100.0%")
    expect(page.locator("#commitments")).to_be_visible()
    shot(page, "06-coverage")

    # Generate, then download the manual and read it back.
    page.click("nav.tabs >> text=文件")
    page.click("#generate")
    expect(page.locator("#message")).to_be_visible(timeout=60_000)
    shot(page, "07-documents")
    with page.expect_download() as waiting:
        page.click("a.file[data-name='manual.docx']")
    released_bytes = Path(waiting.value.path()).read_bytes()
    manual = Document(str(waiting.value.path()))
    text = "\n".join(p.text for p in manual.paragraphs)
    assert "苏州瑞泰精密机械有限公司" in text
    assert "产品设计由顾客负责" in text
    with page.expect_download() as waiting:
        page.click("#zip-1")
    assert waiting.value.suggested_filename == "demo-iso9001_2015.zip"
    # A/1 is frozen: its files are kept byte for byte whatever comes next.
    page.click("#release-1")
    expect(page.locator("#message")).to_contain_text("A-1")

    # Revise: the policy changes, the revision gets its summary, the version goes up.
    page.goto(server + "/c/demo/profile/policy")
    change(page, "f-policy-statement-zh", "精工细作、准时交付、顾客满意、持续改进、安全环保")
    expect(page.locator("#f-policy-statement-zh .msg")).to_contain_text("已保存")
    expect(page.locator("#preview")).to_contain_text("安全环保")
    shot(page, "08-profile-policy")
    page.goto(server + "/c/demo/documents")
    page.fill("#revise-summary", "质量方针增加安全环保")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#revise")
    expect(page.locator("#message")).to_have_text("A/1 → A/2", timeout=60_000)
    expect(page.locator("table.revisions tbody tr").first).to_contain_text("质量方针增加安全环保")
    shot(page, "09-documents-revised")
    with page.expect_download() as waiting:
        page.click("a.release-file[data-name='A-1/iso9001_2015/manual.docx']")
    assert Path(waiting.value.path()).read_bytes() == released_bytes
    current = web_root / "output" / "demo" / "iso9001_2015" / "manual.docx"
    assert current.read_bytes() != released_bytes

    # The same manual, uploaded to the audit page, covers the standard's clauses.
    page.click("nav.tabs >> text=手册审核")
    page.set_input_files(
        "#manual-file",
        files=[
            {
                "name": "manual.docx",
                "mimeType": "application/octet-stream",
                "buffer": (
                    web_root / "output" / "demo" / "iso9001_2015" / "manual.docx"
                ).read_bytes(),
            }
        ],
    )
    page.click("#upload")
    expect(page.locator("#audit-covered")).not_to_have_text("0")
    shot(page, "10-audit")

    # English on request.
    page.click("#lang-switch")
    expect(page.locator("nav.tabs")).to_contain_text("Documents")
    shot(page, "11-audit-en")
    page.click("#lang-switch")


def test_clone_then_two_tabs_stale_edit_is_refused(
    server: str, context: Any, web_root: Path
) -> None:
    from playwright.sync_api import expect

    # The next certification cycle starts from a copy of the client.
    first = context.new_page()
    first.goto(server + "/")
    first.click("details.clone summary")
    first.select_option("select[name=source]", "minimal")
    first.fill("#clone-new", "minimal-next")
    first.click("#clone")
    expect(first).to_have_url(server + "/c/minimal-next/profile/company")
    profiles = web_root / "company_profiles"
    assert (profiles / "minimal-next.yaml").read_bytes() == (profiles / "minimal.yaml").read_bytes()

    second = context.new_page()
    second.goto(server + "/c/minimal-next/profile/company")
    profile = profiles / "minimal-next.yaml"
    change(first, "f-company-name", "宁波简成五金制品股份有限公司")
    expect(first.locator("#f-company-name .msg")).to_contain_text("已保存")
    saved = profile.read_bytes()
    change(second, "f-company-abbreviation", "JX")
    message = second.locator("#f-company-abbreviation .msg")
    expect(message).to_contain_text("未保存")
    expect(field(second, "f-company-abbreviation")).to_have_value("JX")
    shot(second, "13-stale-tab")
    assert profile.read_bytes() == saved
    assert "name: 宁波简成五金制品股份有限公司\n" in saved.decode()
    assert "abbreviation: JC\n" in saved.decode()
    assert digest(saved) != digest((profiles / "minimal.yaml").read_bytes())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_one_document_and_its_pdf_from_the_apps_libreoffice(
    server: str, context: Any, web_root: Path
) -> None:
    from playwright.sync_api import expect

    page = context.new_page()
    for _ in range(2):  # the second PDF comes from the LibreOffice the app kept
        page.goto(server + "/c/minimal/documents")
        page.select_option("#doc-kind", "manual")
        page.check("input[name=pdf]")
        page.click("#generate")
        expect(page.locator("#message")).to_have_text("完成: 2", timeout=120_000)
    links = page.locator("a.file").evaluate_all("links => links.map(a => a.dataset.name)")
    assert "manual.docx" in links
    assert [name for name in links if name.endswith(".pdf")] == ["manual.pdf"]  # the kind asked for
    shot(page, "14-documents-manual-pdf")
    with page.expect_download() as waiting:
        page.click("a.file[data-name='manual.pdf']")
    text = subprocess.run(
        ["pdftotext", "-layout", str(waiting.value.path()), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace(" ", "")
    assert "目录" in text
    company = "宁波简成五金制品有限公司"
    assert company in (web_root / "company_profiles" / "minimal.yaml").read_text(encoding="utf-8")
    assert company in text
