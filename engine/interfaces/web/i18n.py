"""The web workspace's own wording, Chinese by default and English on request."""

from __future__ import annotations

from typing import Literal

UiLang = Literal["zh", "en"]

UI: dict[str, tuple[str, str]] = {
    "app": ("管理体系文件工作台", "Management-system workspace"),
    "portfolio": ("客户", "Clients"),
    "client": ("客户", "Client"),
    "standards": ("标准", "Standards"),
    "status": ("状态", "Status"),
    "coverage": ("覆盖率", "Coverage"),
    "gaps": ("缺口", "Gaps"),
    "last_generated": ("最近生成", "Last generated"),
    "last_revised": ("最近修订", "Last revised"),
    "valid": ("有效", "valid"),
    "warnings": ("有警告", "warnings"),
    "errors": ("有错误", "errors"),
    "n_errors": ("个错误", "errors"),
    "n_warnings": ("个警告", "warnings"),
    "checking": ("检查中…", "checking…"),
    "batch": ("全部重新生成", "Regenerate all"),
    "batch_force": ("包括未修改的客户", "including unchanged clients"),
    "batch_done": ("批量生成完成", "Batch finished"),
    "generated": ("已生成", "generated"),
    "skipped": ("未修改，跳过", "unchanged, skipped"),
    "failed": ("失败", "failed"),
    "clone": ("复制客户（用于下一认证周期）", "Copy a client (for the next certification cycle)"),
    "clone_from": ("复制", "Copy"),
    "clone_to": ("新编号", "as new id"),
    "clone_button": ("复制并打开", "Copy and open"),
    "profile": ("资料", "Profile"),
    "documents": ("文件", "Documents"),
    "audit": ("手册审核", "Audit a manual"),
    "assess": ("GB/T 27922 自评", "GB/T 27922 self-assessment"),
    "language": ("English", "中文"),
    "preview": ("手册预览", "Manual preview"),
    "no_preview": ("这部分资料不直接写入某一章节。", "This part feeds no single section."),
    "preview_blocked": (
        "资料有错误时无法预览；请先改正错误。",
        "No preview while the profile has errors; fix them first.",
    ),
    "saved": ("已保存", "saved"),
    "refused_invalid": (
        "未保存：这个值会带来错误。请改正后再保存。",
        "Not saved: this value brings an error. Correct it and it is saved.",
    ),
    "refused_stale": (
        "未保存：打开本页后，这份资料已被修改（另一个标签页、编辑器或修订）。"
        "你输入的值仍在框中；请复制后刷新页面再输入。",
        "Not saved: the profile changed since this page was opened (another tab, an editor "
        "or a revision). Your value is still in the box; copy it, reload the page and enter it "
        "again.",
    ),
    "reload": ("刷新页面", "Reload the page"),
    "problems": ("问题", "Problems"),
    "no_problems": ("没有问题。", "No problems."),
    "add": ("添加", "Add"),
    "remove": ("删除", "Remove"),
    "add_exclusion": ("添加删减条款", "Add an exclusion"),
    "justification_required": ("删减理由（必填）", "Justification (required)"),
    "justification": ("删减理由", "Justification"),
    "id": ("编号（英文字母）", "Id"),
    "title": ("岗位名称", "Title"),
    "parent": ("上级部门", "Parent department"),
    "department": ("所在部门", "Department"),
    "clause_status": ("条款", "Clause"),
    "section": ("手册章节", "Manual section"),
    "procedure": ("程序文件", "Procedures"),
    "owner": ("主责部门", "Owner"),
    "reason": ("原因 / 删减理由", "Reason / justification"),
    "covered": ("已覆盖", "covered"),
    "excluded": ("删减", "excluded"),
    "gap": ("缺口", "gap"),
    "all": ("全部", "all"),
    "gaps_only": ("只看缺口", "gaps only"),
    "commitments": ("承诺登记表", "Commitments register"),
    "commitment": ("承诺", "Commitment"),
    "value": ("取值", "Value"),
    "source": ("来源", "Source"),
    "places": ("出现位置", "Stated in"),
    "source_profile": ("客户资料", "profile"),
    "source_confirmed": ("已确认默认值", "confirmed default"),
    "source_default": ("未确认默认值", "unconfirmed default"),
    "dangling": ("无法指向的引用", "Dangling pointers"),
    "generate": ("生成文件", "Generate the set"),
    "also_pdf": ("同时导出 PDF", "also PDF"),
    "doc_lang": ("文件语言", "Document language"),
    "doc_kind": ("文件", "Documents"),
    "whole_set": ("整套文件", "The whole set"),
    "download_zip": ("下载全部（zip）", "Download all (zip)"),
    "no_documents": ("尚未生成文件。", "Nothing generated yet."),
    "revisions": ("修订履历", "Revision history"),
    "release": ("冻结为发布版本", "Freeze as released version"),
    "released": ("已冻结发布版本", "Released version"),
    "releases": ("发布版本（冻结，不再改动）", "Released versions (frozen)"),
    "version": ("版本", "Version"),
    "date": ("日期", "Date"),
    "changes": ("修订内容", "Changes"),
    "changed_sections": ("修订章节", "Sections"),
    "author": ("修订人", "Revised by"),
    "approver": ("批准人", "Approved by"),
    "revise": ("修订", "Revise"),
    "revise_summary": ("修订内容（必填）", "What this revision changes (required)"),
    "new_edition": ("新版（如 A/3 → B/0）", "new edition (A/3 → B/0)"),
    "revise_confirm": (
        "确认修订：版本号将提升，修订履历增加一行，文件重新生成。",
        "Confirm: the version goes up, a revision row is added and the set is regenerated.",
    ),
    "nothing_changed": (
        "自上次生成以来没有变化，未修订。",
        "Nothing changed since the last generation; no revision made.",
    ),
    "upload": ("上传并审核", "Upload and audit"),
    "upload_hint": (
        "上传客户现有的手册（.docx，不超过 {mb} MB），查看逐条款的覆盖情况。",
        "Upload a client's existing manual (.docx, at most {mb} MB) to see clause by clause "
        "what it covers.",
    ),
    "audit_covered": ("已覆盖的条款", "Clauses covered"),
    "audit_mentioned": ("仅在正文中提到", "Mentioned in the text only"),
    "audit_missing": ("缺少的条款", "Clauses missing"),
    "audit_obsolete": ("旧版标准的标题", "Headings from an older edition"),
    "evidence": ("依据", "Evidence"),
    "score": ("得分", "Score"),
    "level": ("星级", "Level"),
    "next_level": ("下一星级", "Next level"),
    "to_fix": ("优先改进", "Fix first"),
    "indicator": ("指标", "Indicator"),
    "earned": ("得分", "Earned"),
    "possible": ("满分", "Possible"),
    "no_scoring": ("该客户没有 GB/T 27922 标准。", "This client has no GB/T 27922 standard."),
    "open": ("打开", "Open"),
    "error": ("错误", "Error"),
    "name": ("名称", "Name"),
    "file": ("文件", "File"),
    "done": ("完成", "Done"),
    "forbidden": ("需要访问令牌。", "An access token is needed."),
}

PARTS: dict[str, tuple[str, str]] = {
    "company": ("公司信息", "Company"),
    "operations": ("业务活动", "Operations"),
    "departments": ("部门", "Departments"),
    "roles": ("岗位", "Roles"),
    "targets": ("质量目标", "Targets"),
    "policy": ("方针", "Policy"),
    "scope": ("范围", "Scope"),
    "exclusions": ("删减", "Exclusions"),
    "responsibilities": ("职责分配", "Responsibilities"),
    "approvals": ("审批与编号", "Approvals and numbering"),
}

FIELDS: dict[str, tuple[str, str]] = {
    "zh": ("中文", "Chinese"),
    "en": ("英文", "English"),
    "name": ("名称", "name"),
    "short_name": ("简称", "short name"),
    "abbreviation": ("缩写", "abbreviation"),
    "address": ("地址", "address"),
    "postcode": ("邮编", "postcode"),
    "phone": ("电话", "phone"),
    "website": ("网站", "website"),
    "logo": ("标志文件", "logo file"),
    "legal_representative": ("法定代表人", "legal representative"),
    "founded": ("成立时间", "founded"),
    "employees": ("员工人数", "employees"),
    "introduction": ("公司简介", "introduction"),
    "statement": ("表述", "statement"),
    "meaning": ("释义", "meaning"),
    "sites": ("场所", "sites"),
    "services": ("产品和服务", "products and services"),
    "owner": ("主责部门", "owner"),
    "units": ("执行单位", "units"),
    "id": ("编号", "id"),
    "parent": ("上级部门", "parent"),
    "head": ("负责人岗位", "head (role)"),
    "staff": ("人数", "staff"),
    "duties": ("职责", "duties"),
    "title": ("岗位名称", "title"),
    "person": ("任职人", "person"),
    "kind": ("类别", "kind"),
    "department": ("所在部门", "department"),
    "operator": ("比较", "operator"),
    "value": ("目标值", "value"),
    "unit": ("单位", "unit"),
    "measure": ("计算方法", "measure"),
    "frequency": ("统计频次", "frequency"),
    "clauses": ("条款", "clauses"),
    "standard": ("标准", "standard"),
    "clause": ("条款", "clause"),
    "justification": ("删减理由", "justification"),
    "prepared": ("编制", "prepared"),
    "reviewed": ("审核", "reviewed"),
    "approved": ("批准", "approved"),
    "role": ("岗位", "role"),
    "date": ("日期", "date"),
    "issue_date": ("发布日期", "issue date"),
    "approvals": ("审批", "approvals"),
    "numbering": ("编号", "numbering"),
    "effective_date": ("实施日期", "effective date"),
    "manual": ("手册编号", "manual number"),
    "procedures": ("程序文件清单编号", "procedure list number"),
    "revisions": ("修订履历编号", "revision history number"),
    "matrix": ("职能分配表编号", "matrix number"),
    "lead": ("分管领导", "lead"),
    "assist": ("配合部门", "assist"),
}


def ui(key: str, lang: UiLang) -> str:
    """Return the UI wording for key in lang (the key itself when it has none)."""
    pair = UI.get(key) or PARTS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


def field_label(path: tuple[str | int, ...], lang: UiLang) -> str:
    """Return a field's label from its path below its group: 名称 · 中文, duties 2 · English."""
    parts: list[str] = []
    for key in path:
        if isinstance(key, int):
            if parts:
                parts[-1] += f" {key + 1}"
            else:
                parts.append(f"#{key + 1}")
            continue
        pair = FIELDS.get(key)
        parts.append(key if pair is None else pair[0] if lang == "zh" else pair[1])
    return " · ".join(parts)
