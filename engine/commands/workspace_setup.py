"""Create a consultancy's workspace, add clients, and compare its overrides with the bundle."""

from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path

from engine.errors import EngineError
from engine.inputs.profile_edit import Edit, apply_edits, line_starts, quoted, value_edits
from engine.inputs.schemas import SCHEMA_FOLDER, modeline, write_schemas
from engine.inputs.workspace import Override, Workspace
from engine.inputs.yamlio import Path as DataPath
from engine.inputs.yamlio import read_yaml

COMPANY_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")

STARTER_PROFILE = """\
{modeline}
# 企业资料（company profile）：手册中的每一句话都来自这里。改完后运行
#   msmanual validate --company {company}
# 再运行 msmanual generate --company {company}。字段说明见 schemas/profile.schema.json
# （VS Code 装 YAML 扩展后会自动补全和检查）。纯字符串中英文通用；分开写用 {{zh: …, en: …}}。

company:
  name: 【公司全称】有限公司       # 营业执照上的名称
  abbreviation: XX                # 文件编号前缀，如 XX-QM-01
standards: [iso9001_2015]         # msmanual list 列出可用的标准
scope:
  statement: 【产品或服务】的生产   # 认证范围，与证书一致

# 公司实际开展的运作（templates/operations.yaml 中的 id）：只有写在这里的运作，
# 手册才会描述；owner 是主责部门。
operations:
  production: {{owner: workshop}}
  purchasing: {{owner: office}}
  calibration: {{owner: workshop}}
  customer_property: {{owner: workshop}}

policy:
  statement: 【质量方针】

departments:
  - id: office
    name: 综合部
  - id: workshop
    name: 生产车间

roles:
  - id: gm
    title: 总经理
    person: 【姓名】
    kind: top_management
  - id: office_head
    title: 综合部经理
    person: 【姓名】
    department: office

# 各条款的主责部门：写在章上的，节和条款跟随，除非另写。
responsibilities:
  iso9001_2015:
    "4": {{owner: office}}
    "5": {{owner: office}}
    "6": {{owner: office}}
    "7": {{owner: office}}
    "8": {{owner: workshop}}
    "8.2": {{owner: office}}
    "9": {{owner: office}}
    "10": {{owner: office}}

# 删减（不适用的条款）和理由：审核员会逐条核对。
exclusions:
  - standard: iso9001_2015
    clause: "8.3"
    justification: 按顾客提供的图样和技术要求加工，不从事产品设计和开发。

approvals:
  prepared: {{role: office_head, date: "{today}"}}
  reviewed: {{role: gm, date: "{today}"}}
  approved: {{role: gm, date: "{today}"}}
issue_date: "{today}"
effective_date: "{today}"
revisions:
  - version: A/0
    date: "{today}"
    changes: 新建
    author: office_head
    approver: gm

# 频次、期限等承诺（commitments）：未确认时按默认值并给出警告；确认写 default，
# 或写公司自己的值，例如：
# commitments:
#   internal_audit: default
#   management_review: 每年至少一次
"""

README = """\
# 管理体系文件工作区 (msmanual workspace)

This folder is a consultancy's workspace for [msmanual]: one YAML profile per client in
`company_profiles/`; the clause maps, templates, labels and reference documents come from the
installed msmanual release.

| command | what it does |
|---|---|
| `msmanual new-company ID` | add a client from the commented starter profile |
| `msmanual new-company ID --from OTHER` | start a client from another client's profile |
| `msmanual validate --company ID` | every problem in a profile, with file:line |
| `msmanual generate --company ID` | write the document set to `output/ID/` |
| `msmanual list --overrides` | the bundled files this workspace replaces |
| `msmanual diff-template NAME` | how an override differs from the installed release |
| `msmanual schema` | refresh `schemas/` after upgrading msmanual |

## Changing a template

Copy the bundled file to the same relative path here (for example
`templates/md/zh/sections/risks.md`) and edit it: the workspace's file is used, every other file
still comes from the release, so upgrading msmanual brings its improvements to everything you have
not overridden. After an upgrade, `msmanual diff-template NAME` shows what your copy changes, so
that you can merge the release's new text into it.

## Editor support

Profiles start with a `yaml-language-server` line pointing at `schemas/profile.schema.json`: VS
Code with the YAML extension completes field names and flags wrong types as you type.
"""

EDITORCONFIG = """\
root = true

[*]
charset = utf-8
end_of_line = lf
insert_final_newline = true
trim_trailing_whitespace = true

[*.{yaml,yml,md}]
indent_style = space
indent_size = 2
"""


def init_workspace(folder: Path, today: datetime.date) -> list[Path]:
    """Create a workspace in folder (new or empty) and return the files written."""
    if folder.exists() and not folder.is_dir():
        raise EngineError(f"{folder} exists and is not a folder — choose another name")
    if folder.is_dir() and any(folder.iterdir()):
        raise EngineError(f"{folder} is not empty — msmanual init creates a new workspace")
    (folder / "company_profiles").mkdir(parents=True)
    written = [
        _write(folder / "README.md", README),
        _write(folder / ".editorconfig", EDITORCONFIG),
        *write_schemas(folder / SCHEMA_FOLDER),
    ]
    written.append(_write(folder / "output" / ".gitkeep", ""))
    written.append(_write(folder / ".gitignore", "/output/*\n!/output/.gitkeep\n"))
    written.append(new_company(Workspace.open(folder), "example", None, today))
    return written


def new_company(
    workspace: Workspace, company: str, source: str | None, today: datetime.date
) -> Path:
    """Add a client's profile, from the starter or cloned from another client; return its path.

    A clone keeps the other profile's structure, departments and operations to adapt, and starts
    a new document set: one revision A/0 新建 dated today, approvals and issue dates today.
    Logo and self-assessments belong to the other client and are not copied.
    """
    if not COMPANY_ID.match(company):
        raise EngineError(
            f"'{company}' is not a usable company id — use lower-case letters, digits, - or _, "
            "starting with a letter (it names the profile file and the output folder)"
        )
    target = workspace.profiles_dir / f"{company}.yaml"
    if target.exists():
        raise EngineError(f"{workspace.display(target)} exists already — choose another id")
    if source is None:
        text = STARTER_PROFILE.format(
            modeline=modeline("profile"), company=company, today=today.isoformat()
        )
    else:
        text = restart_profile(workspace.profile_path(source).read_text(encoding="utf-8"), today)
    return _write(target, text)


def restart_profile(text: str, today: datetime.date) -> str:
    """Return a profile's text as a first issue dated today; comments and layout are kept.

    Dates (approvals, issue, effective) become today; the revision history keeps its first row,
    made A/0 新建 today; company.logo is dropped (it is the other client's).
    """
    document, _ = read_yaml(text.encode("utf-8"), "profile")
    if document is None or not isinstance(document.data, dict):
        raise EngineError("the profile to clone cannot be read — run msmanual validate on it")
    data = document.data
    date = today.isoformat()
    values: dict[DataPath, str] = {
        (key,): date for key in ("issue_date", "effective_date") if (key,) in document.positions
    }
    approvals = data.get("approvals")
    if isinstance(approvals, dict):
        for step in approvals:
            if (path := ("approvals", step, "date")) in document.positions:
                values[path] = date
    edits = value_edits(text, document, values)
    starts = line_starts(text)
    revisions = data.get("revisions")
    if isinstance(revisions, list) and revisions and ("revisions", 0) in document.positions:
        first = revisions[0] if isinstance(revisions[0], dict) else {}
        row = {"version": "A/0", "date": date, "changes": "新建"}
        row |= {k: first[k] for k in ("author", "approver") if isinstance(first.get(k), str)}
        edits.append(_first_issue(text, starts, document.positions[("revisions", 0)][0], row))
    if ("company", "logo") in document.positions:
        logo = document.positions[("company", "logo")][0]
        edits.append(Edit(starts[logo - 1], starts[logo] if logo < len(starts) else len(text), ""))
    body = apply_edits(text, edits)
    if body.startswith("# yaml-language-server"):
        return body
    return f"{modeline('profile')}\n{body}"


def _first_issue(text: str, starts: list[int], first: int, row: dict[str, str]) -> Edit:
    """Return the edit replacing a block list (its first row on line first) by one row."""
    lines = text.splitlines(keepends=True)
    dash = lines[first - 1].index("-")
    end = len(lines)
    for index in range(first, len(lines)):
        stripped = lines[index].strip()
        indent = len(lines[index]) - len(lines[index].lstrip())
        row_or_comment = indent == dash and stripped.startswith(("-", "#"))
        if stripped and indent <= dash and not row_or_comment:
            end = index
            break
    while end > first and not lines[end - 1].strip():
        end -= 1
    stop = starts[end] if end < len(starts) else len(text)
    pad = " " * dash
    body = "".join(
        f"{pad}{'- ' if index == 0 else '  '}{key}: {quoted(value)}\n"
        for index, (key, value) in enumerate(row.items())
    )
    return Edit(starts[first - 1], stop, body)


def find_override(workspace: Workspace, name: str) -> Override:
    """Return the override a name designates: its path (templates/…), or a unique file name."""
    overrides = workspace.overrides()
    wanted = name.replace("\\", "/").strip("/")
    exact = [o for o in overrides if o.relative in (wanted, f"templates/{wanted}")]
    matches = exact or [
        o for o in overrides if Path(o.relative).name in (wanted, f"{wanted}.md", f"{wanted}.yaml")
    ]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(o.relative for o in overrides) or "none"
    if not matches:
        raise EngineError(f"no override named '{name}' in this workspace — overrides: {known}")
    raise EngineError(f"'{name}' names several overrides — give the path, one of: {known}")


def diff_override(override: Override) -> str:
    """Return a unified diff from the bundled file to the workspace's override."""
    if override.bundled is None:
        return ""
    try:
        before = override.bundled.read_text(encoding="utf-8").splitlines(keepends=True)
        after = override.path.read_text(encoding="utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:  # a reference .docx
        same = override.bundled.read_bytes() == override.path.read_bytes()
        return "" if same else f"binary files bundled/{override.relative} and its override differ\n"
    return "".join(
        difflib.unified_diff(before, after, f"bundled/{override.relative}", override.relative, n=3)
    )


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
