"""Input data models: clause maps, correspondences and company profiles (schema rules only).

Rules that need two files at once (a department named in a profile, a clause in a map) live in
``engine.domain.validation``; these models only say what one file must look like.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PositiveFloat,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from engine import limits

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")

Identifier = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=64)
]
ClauseNumber = Annotated[
    str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+)*$", min_length=1, max_length=32)
]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=limits.MAX_PARAGRAPH_CHARS)]
NameText = Annotated[str, StringConstraints(min_length=1, max_length=limits.MAX_NAME_CHARS)]
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def check_date(value: str) -> str:
    """Validate a YYYY-MM-DD date string and return it unchanged."""
    match = _DATE.match(value)
    if not match:
        raise ValueError(f"'{value}' is not a date in the form YYYY-MM-DD, e.g. 2026-03-01")
    year, month, day = (int(part) for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a real date ({exc})") from None
    return value


DateText = Annotated[str, AfterValidator(check_date)]


class Model(BaseModel):
    """Base for every input model: strict types, unknown keys rejected, immutable.

    Validators are built when a model first validates, not when this module is imported: a run
    whose library comes from the cache builds only the profile's (a fifth of the start-up).
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Text(Model):
    """Text in Chinese and/or English; a plain string counts for both languages."""

    zh: LongText | None = None
    en: LongText | None = None

    @model_validator(mode="before")
    @classmethod
    def _accept_plain_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"zh": value, "en": value}
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Describe the plain-string form too, for editors (msmanual schema)."""
        return {
            "anyOf": [{"type": "string", "minLength": 1}, handler(core_schema)],
            "description": "文本：一个字符串（中英文通用）或 {zh, en} / a string for both "
            "languages, or {zh, en}.",
        }

    @model_validator(mode="after")
    def _needs_one_language(self) -> Text:
        if self.zh is None and self.en is None:
            raise ValueError("give the text in zh, en or both")
        return self

    def get(self, lang: Language) -> str:
        """Return the text in lang, falling back to the other language."""
        chosen = self.zh if lang == "zh" else self.en
        fallback = self.en if lang == "zh" else self.zh
        return chosen if chosen is not None else (fallback or "")

    def has(self, lang: Language) -> bool:
        """Return whether the text is given in lang itself (not by fallback)."""
        return (self.zh if lang == "zh" else self.en) is not None


class Name(Text):
    """A name (company, department, role, person) in Chinese and/or English: one line, short."""

    zh: NameText | None = None
    en: NameText | None = None


# ---------------------------------------------------------------------------- clause maps


class StandardInfo(Model):
    """Facts about a standard that documents print."""

    code: ShortText = Field(description="Display code, e.g. 'ISO 9001:2015'.")
    national_code: ShortText | None = Field(
        None, description="Chinese national adoption, e.g. 'GB/T 19001-2016', printed in zh."
    )
    title: Text = Field(description="Official title of the standard.")
    system: Text = Field(description="Name of the management system, e.g. 质量管理体系.")
    system_abbr: ShortText = Field(description="Abbreviation of the system, e.g. QMS.")
    topic: Text = Field(description="Short subject for integrated names, e.g. 质量 / quality.")
    manual_title: Text = Field(description="Title of the manual, e.g. 质量手册.")
    policy_name: Text = Field(description="What the policy is called, e.g. 质量方针.")
    objectives_name: Text = Field(description="What the objectives are called, e.g. 质量目标.")
    references: list[Text] = Field(
        default_factory=list, description="Normative references the standard itself cites."
    )
    doc_code: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,6}$")] = Field(
        description="Code used in document numbers, e.g. QM."
    )
    procedure_code: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,6}$")] = Field(
        "P", description="Code used in procedure numbers ({proc}), e.g. QP."
    )
    family: Identifier = Field(
        description="The system family shared by every edition, e.g. qms, sms, asms; templates "
        "ask for it ('sms' in families) instead of naming an edition's id. Default: system_abbr "
        "in lower case."
    )
    subject: Literal["any", "goods", "services"] = Field(
        "any",
        description="What the standard is about: goods (GB/T 27922's 商品), services (ISO/IEC "
        "20000-1) or any (ISO 9001).",
    )
    profile_facts: list[Literal["after_sales", "it_services"]] = Field(
        default_factory=list,
        description="Sections of the company profile this standard needs (after_sales: hotline, "
        "outlets, staffing; it_services: service desk, catalogue).",
    )
    layout: Literal["hls", "indicators"] = Field(
        "hls",
        description="'hls': ISO harmonized structure (can lead an integrated manual); "
        "'indicators': evaluation indicators (GB/T 27922).",
    )
    exclusions_allowed: bool = Field(
        True, description="Whether any clause of this standard may be excluded."
    )
    superseded_by: Identifier | None = Field(
        None, description="Id of the edition that replaces this one (for transition checks)."
    )
    notes: list[Text] = Field(default_factory=list, description="Caveats printed in reports.")

    @model_validator(mode="before")
    @classmethod
    def _family_from_abbreviation(cls, value: Any) -> Any:
        if isinstance(value, dict) and "family" not in value:
            abbreviation = value.get("system_abbr")
            if isinstance(abbreviation, str) and re.fullmatch(
                r"[A-Za-z][A-Za-z0-9_]*", abbreviation
            ):
                return {**value, "family": abbreviation.lower()}
        return value


class Scoring(Model):
    """Self-assessment scoring data for one evaluation indicator."""

    points: float | None = Field(None, ge=0, description="Points, if the standard gives them.")
    sampled: bool = Field(False, description="Scored in proportion to sampled records.")
    points_source: Literal["standard", "assumed"] = "assumed"


class Clause(Model):
    """One numbered clause (or indicator) of a standard."""

    number: ClauseNumber
    title: Text | None = Field(
        None, description="Clause title; leave out for untitled numbered paragraphs."
    )
    summary: Text = Field(description="One line in our own words on what the clause asks.")
    sections: list[Identifier] = Field(
        default_factory=list, description="Template sections that address this clause."
    )
    excludable: bool = Field(
        False, description="Whether a company may exclude this clause (children follow)."
    )
    aliases: list[Text] = Field(
        default_factory=list, description="Other titles seen in manuals (for audit matching)."
    )
    source: Literal["F", "K", "OJ", "U"] = Field(
        "K", description="Confidence tag from the standards fact sheet."
    )
    provisional: bool = Field(False, description="Content not checked against the standard.")
    requires: Identifier | None = Field(
        None,
        description="An operation (templates/operations.yaml) without which the clause does not "
        "apply: ISO 9001 8.3 requires design. Excluding it while the profile declares the "
        "operation is an error; keeping it without the operation is a warning.",
    )
    involves: list[Identifier] = Field(
        default_factory=list,
        description="Operations whose departments take part in this clause; the responsibility "
        "matrix marks their units (○).",
    )
    process_group: Literal["management", "core", "support"] | None = Field(
        None,
        description="Whether the clause's process manages the system, makes what the customer "
        "gets, or supports the others (process map); clauses below inherit it.",
    )
    procedure_expected: bool = Field(
        False,
        description="Consultancy practice expects a documented procedure for it (程序文件); "
        "`check` reports a gap when none cites the clause or one above or below it.",
    )
    scoring: Scoring | None = None


class ClauseMap(Model):
    """A standard's clause tree, as read from clause_maps/<id>.yaml."""

    id: Identifier
    standard: StandardInfo
    clauses: list[Clause] = Field(min_length=1)


class Correspondence(Model):
    """One row of a correspondence table: clauses of two or more standards on the same topic."""

    clauses: dict[Identifier, list[ClauseNumber]] = Field(min_length=2)
    kind: Literal["equal", "related", "partial"] = "related"
    note: Text | None = None


class CorrespondenceMap(Model):
    """Clauses of different standards that address the same requirement."""

    id: Identifier
    standards: list[Identifier] = Field(min_length=2)
    title: Text
    rows: list[Correspondence] = Field(min_length=1)


# ------------------------------------------------------------------------------ operations


class OperationDefinition(Model):
    """An operation a company may declare, as templates/operations.yaml describes it."""

    name: Text
    description: Text
    implies: list[Identifier] = Field(
        default_factory=list, description="Operations that declaring this one declares too."
    )


class OperationCatalogue(Model):
    """templates/operations.yaml: every operation a profile may declare, by id."""

    operations: dict[Identifier, OperationDefinition] = Field(min_length=1)


class Operation(Model):
    """An operation the company carries out, and who owns it."""

    owner: Identifier = Field(description="Department that owns the operation.")
    units: list[Identifier] = Field(
        default_factory=list,
        description="Departments (production or service units) that carry it out; the "
        "responsibility matrix marks them on the clauses that involve the operation.",
    )
    note: Text | None = Field(None, description="What exactly the company does, in a few words.")


# ------------------------------------------------------------------ procedures and forms

Who = Annotated[
    str,
    StringConstraints(
        pattern=r"^(owner|top_manager|management_rep|departments|op:[a-z][a-z0-9_]*"
        r"|clause:[a-z][a-z0-9_]*:[0-9]+(\.[0-9]+)*)$"
    ),
    Field(
        description="owner (the procedure's department), top_manager, management_rep, "
        "departments (every department), op:<operation> (its owner), or "
        "clause:<family>:<number> (the owner of that clause in the set)."
    ),
]
Condition = Annotated[
    str,
    StringConstraints(pattern=r"^(not [a-z][a-z0-9_]*|[a-z][a-z0-9_]*( or [a-z][a-z0-9_]*)*)$"),
    Field(
        description="An operation or a system family; 'not x' for its absence; 'x or y' for either."
    ),
]


class ProcedureDuty(Model):
    """Who does what under a procedure (职责)."""

    who: Who
    text: Text = Field(description="Their duties under this procedure (Jinja allowed).")
    when: Condition | None = None


class Step(Model):
    """One step of a procedure's work flow (工作程序)."""

    title: Text
    who: Who
    text: Text = Field(description="What is done, when and how (Jinja allowed).")
    inputs: Text | None = None
    outputs: Text | None = None
    forms: list[Identifier] = Field(default_factory=list, description="Records made (form ids).")
    when: Condition | None = None


class ProcedureTemplate(Model):
    """A procedure the engine can write, from templates/procedures/<id>.yaml."""

    order: int = Field(100, description="Position in a proposed procedure list.")
    title: Text
    clauses: dict[Identifier, list[ClauseNumber]] = Field(
        min_length=1, description="Clauses it implements, by system family (qms, sms, asms)."
    )
    when: Condition | None = Field(None, description="Only for companies where this holds.")
    purpose: Text
    scope: Text
    terms: list[Text] = Field(default_factory=list)
    responsibilities: list[ProcedureDuty] = Field(min_length=1)
    steps: list[Step] = Field(min_length=2)
    related: list[Identifier] = Field(
        default_factory=list, description="Procedures it hands over to (ids)."
    )
    references: list[Text] = Field(default_factory=list, description="Laws, standards, WIs.")
    forms: list[Identifier] = Field(
        default_factory=list, description="Records kept besides those of the steps (form ids)."
    )


class FormColumn(Model):
    """A column of a blank form."""

    title: Text
    width: PositiveFloat = Field(1.0, description="Relative width.")


class FormDefinition(Model):
    """A record form (记录表单), from templates/forms.yaml."""

    name: Text
    columns: list[FormColumn] = Field(default_factory=list, description="The form's table.")
    fields: list[Text] = Field(
        default_factory=list, description="Header fields above the table (受审部门, 日期 …)."
    )
    rows: int = Field(8, ge=1, le=40, description="Blank rows of the printed form.")
    retention: Identifier = Field(
        "record_retention", description="Commitment (templates/commitments.yaml) for how long."
    )
    blank: bool = Field(False, description="Printed as a blank form in the set.")
    landscape: bool = False
    boxes: list[Text] = Field(
        default_factory=list, description="Labelled boxes below the table, to write in or sign."
    )

    @model_validator(mode="after")
    def _something_to_fill_in(self) -> FormDefinition:
        if not self.columns and not self.boxes:
            raise ValueError("a form needs columns: or boxes:")
        return self


class FormLibrary(Model):
    """templates/forms.yaml: every record form procedures and the manual may name."""

    forms: dict[Identifier, FormDefinition] = Field(min_length=1)


# ----------------------------------------------------------------------------- commitments


class CommitmentDefault(Model):
    """A frequency, deadline or period in the defaults register (templates/commitments.yaml)."""

    what: Text = Field(description="What the commitment is about.")
    value: Text = Field(description="The default wording, as printed inside a sentence.")


class CommitmentRegister(Model):
    """templates/commitments.yaml: the default value of every commitment documents may make."""

    commitments: dict[Identifier, CommitmentDefault] = Field(min_length=1)


CommitmentValue = Annotated[
    Literal["default"] | Text,
    Field(
        description="'default' confirms the register's value for this company; a text gives "
        "the company's own value."
    ),
]


# ------------------------------------------------------------------------------ manual outline

PartKind = Literal["text", "contents", "clauses"]
PartTable = Literal[
    "procedures", "revisions", "matrix", "targets", "correspondence", "outlets", "process_map"
]
PartCondition = Literal[
    "management_representative",
    "exclusions",
    "integrated",
    "procedures",
    "hls_layout",
    "indicator_layout",
    "after_sales",
    "it_services",
]


class ManualPart(Model):
    """One part of the manual, in order: front matter, the clause chapters, annexes."""

    id: Identifier | None = Field(
        None, description="Template templates/md/<lang>/manual/<id>.md, when the part has text."
    )
    kind: PartKind = "text"
    number: Text | None = Field(None, description="Printed before the title, e.g. 1.")
    annex: bool = Field(False, description="Numbered 附录A, 附录B … in the order annexes appear.")
    title: Text | None = None
    table: PartTable | None = Field(None, description="A table generated after the text.")
    figure: Literal["org_chart"] | None = None
    when: PartCondition | None = Field(None, description="Only include the part if this holds.")
    landscape: bool = False
    centered: bool = Field(False, description="Center the heading (颁布令, 任命书).")

    @model_validator(mode="after")
    def _text_parts_need_a_title(self) -> ManualPart:
        if self.kind == "text" and (self.id is None or self.title is None):
            raise ValueError("a text part needs an id and a title")
        return self


class ManualOutline(Model):
    """templates/manual.yaml: the parts of the manual in order."""

    parts: list[ManualPart] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_clause_part(self) -> ManualOutline:
        if sum(part.kind == "clauses" for part in self.parts) != 1:
            raise ValueError("exactly one part must have kind: clauses")
        if sum(part.kind == "contents" for part in self.parts) > 1:
            raise ValueError("at most one part may have kind: contents")
        return self


# -------------------------------------------------------------------------- company profiles


class Company(Model):
    """Facts about the company printed on the cover, in the introduction and in headers."""

    name: Name
    short_name: Name | None = None
    abbreviation: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,9}$")] = Field(
        description="Upper-case letters used in document numbers, e.g. HX."
    )
    address: Text | None = None
    postcode: ShortText | None = None
    phone: ShortText | None = None
    website: ShortText | None = None
    legal_representative: Text | None = None
    founded: ShortText | None = None
    employees: int | None = Field(None, ge=1)
    introduction: Text | None = None
    logo: ShortText | None = Field(None, description="Image file beside the profile (PNG/JPEG).")
    certifications: list[Text] = Field(
        default_factory=list, description="Certificates held (ISO 14001, 3C, brand awards …)."
    )
    standards_work: list[Text] = Field(
        default_factory=list, description="Standards the company helped draft or adopts."
    )


class Scope(Model):
    """The management system's scope, its sites and what it does not cover."""

    statement: Text = Field(description="Scope of certification (认证范围 / 体系覆盖范围).")
    sites: list[Text] = Field(default_factory=list)
    services: list[Text] = Field(default_factory=list, description="Products/services covered.")


class Policy(Model):
    """The management policy and what each phrase of it means."""

    statement: Text
    meaning: list[Text] = Field(default_factory=list, description="方针释义, one line each.")


class DepartmentTarget(Model):
    """A department's share of a company objective (目标分解)."""

    department: Identifier
    name: Text | None = Field(None, description="Default: the company objective's name.")
    operator: Literal[">=", "<=", ">", "<", "="] | None = Field(
        None, description="Default: the company objective's."
    )
    value: float | None = Field(None, description="Default: the company objective's value.")
    measure: Text | None = Field(None, description="Default: the company objective's measure.")
    frequency: Text | None = Field(None, description="Default: the company objective's.")


class Target(Model):
    """A measurable objective (目标) with its value, measure, frequency and owner."""

    name: Text
    operator: Literal[">=", "<=", ">", "<", "="] = ">="
    value: float
    unit: Text = Field(default_factory=lambda: Text(zh="%", en="%"), description="e.g. % or 分.")
    measure: Text | None = Field(None, description="How it is calculated.")
    frequency: Text | None = None
    owner: Identifier = Field(description="Department id.")
    standards: list[Identifier] = Field(
        default_factory=list, description="Standards it belongs to; empty means all."
    )
    clauses: dict[Identifier, list[ClauseNumber]] = Field(
        default_factory=dict,
        description="Clauses it measures, by standard; it is cited in their sections. Without "
        "clauses it is cited in the sections its owning department owns.",
    )
    breakdown: list[DepartmentTarget] = Field(
        default_factory=list,
        description="Department objectives it is broken into (目标分解表); without any, the "
        "owning department carries it whole.",
    )


class Department(Model):
    """A department (部门) in the org chart."""

    id: Identifier
    name: Name
    parent: Identifier | None = Field(None, description="Parent department id; none for the top.")
    head: Identifier | None = Field(None, description="Role id of the department head.")
    staff: int | None = Field(None, ge=0, description="Headcount.")
    duties: list[Text] = Field(default_factory=list)


RoleKind = Literal["top_management", "management_representative", "department_head", "other"]


class Role(Model):
    """A role (岗位) held by a named person."""

    id: Identifier
    title: Name
    person: Name | None = None
    kind: RoleKind = "other"
    department: Identifier | None = None
    duties: list[Text] = Field(default_factory=list)


class Responsibility(Model):
    """Who is responsible for a clause: the owning department, helpers, and deciding roles."""

    owner: Identifier | None = Field(None, description="Department that owns the clause (●).")
    assist: list[Identifier] = Field(
        default_factory=list, description="Departments or roles that assist (○)."
    )
    lead: list[Identifier] = Field(
        default_factory=list, description="Roles that decide or approve (★)."
    )


class Procedure(Model):
    """A documented procedure (程序文件) of the company."""

    number: ShortText
    template: Identifier | None = Field(
        None,
        description="Procedure of templates/procedures/ it is written from; without one it is "
        "the company's own document, listed but not generated.",
    )
    title: Text | None = Field(None, description="Default: the template's title.")
    owner: Identifier | None = Field(
        None, description="Owning department id; default: the owner of its first clause."
    )
    clauses: dict[Identifier, list[ClauseNumber]] = Field(
        default_factory=dict,
        description="Clauses it implements, by standard id; default: the template's.",
    )
    version: ShortText | None = Field(None, description="Defaults to the manual's version.")

    @model_validator(mode="after")
    def _own_documents_say_what_they_are(self) -> Procedure:
        if self.template is None and (self.title is None or self.owner is None):
            raise ValueError("a procedure without template: needs title: and owner:")
        return self


class Exclusion(Model):
    """A clause the company does not apply, with the reason an auditor will read."""

    standard: Identifier
    clause: ClauseNumber
    justification: Text


class Signature(Model):
    """One of 编制 / 审核 / 批准: a role and the date it signed."""

    role: Identifier
    date: DateText


class Approvals(Model):
    """The 编制 / 审核 / 批准 block on every cover."""

    prepared: Signature
    reviewed: Signature
    approved: Signature
    print_names: bool = Field(
        True,
        description=(
            "False: the 编制/审核/批准 block has blank lines for handwritten names and dates "
            "(the roles still decide who signs)."
        ),
    )


class Revision(Model):
    """One row of the revision history (修订履历)."""

    version: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    date: DateText
    changes: Text = Field(description="What changed.")
    sections: list[Text] = Field(default_factory=list, description="Sections changed.")
    author: Identifier = Field(description="Role id of who revised it.")
    approver: Identifier = Field(description="Role id of who approved it.")


PLACEHOLDERS = ("abbr", "sys", "manual", "proc", "seq", "procedure")


def check_pattern(value: str) -> str:
    """Validate the placeholders of a document-number pattern and return it unchanged."""
    for name in re.findall(r"\{([^}]*)\}", value):
        if name not in PLACEHOLDERS:
            raise ValueError(
                f"unknown placeholder {{{name}}}; use {{abbr}}, {{sys}}, {{manual}}, {{proc}}, "
                "{seq} or {procedure}"
            )
    return value


DocPattern = Annotated[
    str, StringConstraints(min_length=1, max_length=64), AfterValidator(check_pattern)
]


class Numbering(Model):
    """Document numbers (文件编号) per document kind, and how versions are written.

    Every key but version_scheme names a document kind (manual, procedures …; the kinds are
    checked against the registry when the profile is validated) and gives its number pattern:
    {abbr} and {sys} are filled in per company and standard, {manual} is the manual's number.
    Kinds not given use their default pattern.
    """

    model_config = ConfigDict(extra="allow", strict=True, frozen=True, defer_build=True)
    __pydantic_extra__: dict[str, DocPattern] = Field(init=False)

    version_scheme: Literal["letter-digit", "numeric"] = Field(
        "letter-digit", description="A/0, A/1 … A/9, B/0 (letter-digit) or 1.0, 1.1 (numeric)."
    )

    def pattern(self, kind: str) -> str | None:
        """Return the pattern the profile gives for a document kind, if any."""
        return (self.model_extra or {}).get(kind)

    def patterns(self) -> dict[str, str]:
        """Return every pattern the profile gives, by document kind."""
        return dict(self.model_extra or {})


class Control(Model):
    """Controlled-copy marks printed on the cover."""

    controlled: bool = True
    classification: Text = Field(default_factory=lambda: Text(zh="内部公开", en="Internal"))
    copy_number: ShortText | None = None
    holder: Text | None = None


class MatrixLegend(Model):
    """Symbols used in the responsibility matrix."""

    lead: Annotated[str, StringConstraints(min_length=1, max_length=2)] = "★"
    owner: Annotated[str, StringConstraints(min_length=1, max_length=2)] = "●"
    assist: Annotated[str, StringConstraints(min_length=1, max_length=2)] = "○"


class Outlet(Model):
    """A service outlet (服务网点): the company's own or an entrusted partner."""

    name: Text
    kind: Literal["own", "entrusted"] = "own"
    city: Text | None = None
    address: Text | None = None
    phone: ShortText | None = None


class ServiceStaffMember(Model):
    """A person on the after-sales staff roster (售后服务人员名册)."""

    name: Text
    post: Text = Field(description="Post, e.g. 安装维修工程师 or 售后服务管理师.")
    department: Identifier | None = Field(None, description="Department id.")
    manager: bool = Field(False, description="In a service management post.")
    certified_manager: bool = Field(
        False, description="Holds the 售后服务管理师 (after-sales service manager) certificate."
    )
    certificates: list[Text] = Field(
        default_factory=list, description="Qualifications held (售后服务管理师, 电工证 …)."
    )
    certificate_numbers: list[ShortText] = Field(
        default_factory=list, description="Their numbers, in the same order."
    )


class BudgetLine(Model):
    """A line of the after-sales service budget (售后服务资金预算)."""

    item: Text
    amount: float = Field(ge=0, description="In 万元 (ten thousand yuan).")
    note: Text | None = None


class AfterSales(Model):
    """After-sales service facts a GB/T 27922 manual states (required for that standard)."""

    hotline: ShortText = Field(description="Service hotline, e.g. 400-820-1234.")
    service_hours: Text = Field(description="When the hotline answers, e.g. 7×24小时.")
    philosophy: Text = Field(description="服务理念.")
    commitments: list[Text] = Field(min_length=1, description="服务承诺, one each.")
    outlets: list[Outlet] = Field(default_factory=list, description="服务网点.")
    service_staff: int = Field(ge=1, description="People working in after-sales service.")
    management_staff: int = Field(ge=1, description="Of them, in service management posts.")
    certified_managers: int = Field(ge=0, description="售后服务管理师 (certified) among them.")
    funding: Text = Field(description="售后服务专项经费: how it is set aside.")
    reserve: Text | None = Field(None, description="Compensation reserve or insurance.")
    warranty: Text | None = Field(None, description="Warranty terms (三包 / 质保期).")
    response_times: list[Text] = Field(default_factory=list, description="上门/响应时限.")
    roster: list[ServiceStaffMember] = Field(
        default_factory=list,
        description="The after-sales staff by name (售后服务人员名册); when given, service_staff, "
        "management_staff and certified_managers must agree with it.",
    )
    budget_year: ShortText | None = Field(None, description="Year of the budget, e.g. 2026.")
    budget: list[BudgetLine] = Field(
        default_factory=list, description="The after-sales service budget (售后服务资金预算)."
    )


class ItService(Model):
    """One service in the service catalogue (ISO/IEC 20000-1)."""

    name: Text
    description: Text | None = None
    availability: float | None = Field(None, ge=0, le=100, description="Target, in percent.")
    support_hours: Text | None = None


class Priority(Model):
    """An incident priority with its response and resolution times."""

    level: ShortText
    meaning: Text
    response: Text
    resolution: Text


class ItServices(Model):
    """IT service facts an ISO/IEC 20000-1 manual states (required for that standard)."""

    service_desk: Text = Field(description="How users reach the service desk, and when.")
    tools: list[Text] = Field(default_factory=list, description="ITSM and monitoring tools.")
    catalogue: list[ItService] = Field(min_length=1)
    priorities: list[Priority] = Field(default_factory=list)
    change_board: Text | None = Field(None, description="Who sits on the change board (CAB).")


class CompanyProfile(Model):
    """Everything about one client company, as read from company_profiles/<id>.yaml."""

    company: Company
    standards: list[Identifier] = Field(min_length=1)
    scope: Scope
    operations: dict[Identifier, Operation] = Field(
        default_factory=dict,
        description="What the company does (templates/operations.yaml lists the ids): only "
        "declared operations are written about.",
    )
    policy: Policy
    commitments: dict[Identifier, CommitmentValue] = Field(
        default_factory=dict,
        description="Frequencies, deadlines and periods the company commits to, by id of "
        "templates/commitments.yaml: 'default' confirms the register's value, a text replaces it.",
    )
    targets: list[Target] = Field(default_factory=list)
    departments: list[Department] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    responsibilities: dict[Identifier, dict[ClauseNumber, Responsibility]] = Field(
        default_factory=dict, description="Per standard, per clause; children inherit."
    )
    procedures: list[Procedure] = Field(default_factory=list)
    exclusions: list[Exclusion] = Field(default_factory=list)
    numbering: Numbering = Field(default_factory=Numbering)
    control: Control = Field(default_factory=Control)
    matrix_legend: MatrixLegend = Field(default_factory=MatrixLegend)
    approvals: Approvals
    issue_date: DateText
    effective_date: DateText
    revisions: list[Revision] = Field(min_length=1)
    after_sales: AfterSales | None = Field(None, description="Needed for GB/T 27922.")
    internal_audit: InternalAudit | None = Field(
        None, description="Needed for the internal-audit checklist and plan."
    )
    it_services: ItServices | None = Field(None, description="Needed for ISO/IEC 20000-1.")


# ---------------------------------------------------------------------------- assessments

IndicatorStatus = Literal["conforming", "partly", "not_conforming", "excluded"]


class IndicatorResult(Model):
    """How one evaluation indicator was found, with the evidence seen."""

    status: IndicatorStatus
    evidence: Text | None = Field(None, description="What was examined (records, interviews).")
    sampled: int | None = Field(None, ge=1, description="For partly: how many samples.")
    nonconforming: int | None = Field(None, ge=0, description="For partly: how many failed.")
    reason: Text | None = Field(None, description="For excluded: why it does not apply.")
    action: Text | None = Field(None, description="Improvement action (整改措施).")
    due: DateText | None = Field(None, description="When the action is due.")


class SpecialItem(Model):
    """A special deduction (−1) or the special bonus (+1), with its reason."""

    reason: Text
    indicator: ClauseNumber | None = None


class Assessment(Model):
    """A self-assessment (自评) against an evaluation standard, e.g. GB/T 27922."""

    standard: Identifier
    date: DateText
    assessors: list[Text] = Field(min_length=1)
    weights: dict[ClauseNumber, PositiveFloat] = Field(
        default_factory=dict, description="Points per indicator, overriding the clause map."
    )
    indicators: dict[ClauseNumber, IndicatorResult]
    deductions: list[SpecialItem] = Field(default_factory=list, description="特别扣分项, −1 each.")
    bonus: SpecialItem | None = Field(None, description="特别加分项: at most one, +1.")


# --------------------------------------------------------------------------- internal audit


class Auditor(Model):
    """An internal auditor: a role of the profile, or a named person of a department."""

    role: Identifier | None = None
    name: Text | None = None
    department: Identifier | None = None

    @model_validator(mode="after")
    def _who(self) -> Auditor:
        if (self.role is None) == (self.name is None):
            raise ValueError("give either role: or name: (with department:)")
        if self.name is not None and self.department is None:
            raise ValueError("a named auditor needs department:")
        return self


class InternalAudit(Model):
    """Internal audit settings (内审): auditors, team leader, and when."""

    auditors: list[Auditor] = Field(min_length=2)
    leader: Identifier = Field(description="Role id of the audit team leader.")
    start: DateText
    days: int = Field(2, ge=1, le=30)
    hours: list[
        Annotated[
            str,
            StringConstraints(
                pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$"
            ),
        ]
    ] = Field(
        default_factory=lambda: ["08:30-12:00", "13:30-17:00"],
        min_length=1,
        description="Audit hours of each day, in order, e.g. 08:30-12:00.",
    )
    opening_minutes: int = Field(30, ge=10, le=120, description="The opening meeting (首次会议).")
    closing_minutes: int = Field(30, ge=10, le=120, description="The closing meeting (末次会议).")
    minutes_per_clause: int = Field(
        10, ge=3, le=60, description="Time to audit a clause the department owns (主责)."
    )
    minutes_per_assisted_clause: int = Field(
        5, ge=2, le=60, description="Time for a clause it takes part in (配合)."
    )
    max_session_minutes: int = Field(
        120, ge=30, le=240, description="Longest sitting with one department before a break."
    )

    @model_validator(mode="after")
    def _hours_in_order(self) -> InternalAudit:
        bounds = [tuple(int(x[:2]) * 60 + int(x[3:]) for x in p.split("-")) for p in self.hours]
        flat = [t for pair in bounds for t in pair]
        if flat != sorted(flat) or any(a >= b for a, b in bounds):
            raise ValueError("hours must run in order, each from an earlier to a later time")
        return self


def profile_texts(
    value: object, path: tuple[str | int, ...] = ()
) -> Iterable[tuple[tuple[str | int, ...], Text]]:
    """Yield the path and value of every Text in a loaded model, in field order."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from profile_texts(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from profile_texts(item, (*path, key))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name in value.model_fields_set:
                yield from profile_texts(getattr(value, name), (*path, name))
