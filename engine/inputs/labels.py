"""Fixed wording of the documents (cover labels, table headings …) from templates/labels.yaml."""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from engine.errors import InputError, Problem
from engine.inputs.loader import load_model
from engine.inputs.models import Language, Model

LabelText = Annotated[str, StringConstraints(max_length=2_000)]

# Every key the engine itself asks for; templates may use more.
REQUIRED = frozenset(
    """
    doc_number version control controlled uncontrolled copy_number classification signature date
    prepared reviewed approved issue_date effective_date issued effective page_before
    page_middle page_after basis contents procedure_ref seq procedure_number procedure_title
    clauses owner_department remarks revision_version revision_changes revision_sections
    revision_author revision_approver revision_date matrix_clause matrix_legend matrix_lead
    matrix_owner matrix_assist excluded_mark excluded_text procedures_title revisions_title
    matrix_title list_bullets list_numbers operator_ge operator_le operator_gt operator_lt
    operator_eq standard title_separator integrated_system and name_separator org_chart_caption
    integrated_manual_title target_name target_value target_measure target_frequency
    integrated_policy integrated_objectives org_chart_more extra_heading cited_clauses
    manual_section annex colon issued_on effective_on issued_by see_clause outlet_name
    outlet_kind outlet_city outlet_address check_title check_summary check_scope check_covered
    check_excluded check_gaps check_rate check_gap_list check_reasons check_no_gaps
    check_excluded_list check_justification check_transition check_old_clause check_new_clauses
    check_added gap_no_owner gap_no_procedure gap_missing_template gap_placeholder gap_not_in_manual
    gap_no_section gap_subclause_gaps audit_title audit_intro audit_covered audit_missing
    audit_obsolete audit_evidence audit_by_subclauses change_report_title change_company
    change_summary change_sections change_none change_added change_removed change_changed
    org_chart_more_one audit_generic_evidence audit_plan_heading audit_purpose audit_purpose_text
    audit_scope audit_criteria audit_criteria_text audit_leader audit_team audit_date audit_time
    audit_department audit_auditor audit_clauses audit_independence audit_checklist_heading
    audit_role audit_examine audit_evidence_to_sample audit_findings audit_result audit_result_boxes
    audit_role_owner audit_role_assist
    audit_checklist_title level_none level_pass level_three_star level_four_star level_five_star
    status_conforming status_partly status_not_conforming status_excluded assess_title
    assess_summary assess_standard assess_date assess_assessors assess_total assess_earned
    assess_specials assess_specials_value assess_score assess_level assess_weights_note
    assess_weights_hint assess_next
    assess_indicators assess_indicator assess_status assess_evidence assess_possible assess_points
    assess_deduction assess_bonus assess_specials_heading assess_kind assess_reason assess_plan
    assess_item assess_action assess_due assess_nothing_to_fix assess_default_action
    outlet_phone outlet_own outlet_entrusted manual_title integrated_doc_code integrated_system_abbr
    integrated_system_short matrix_others
    """.split()
)


class _PlainFormatter(string.Formatter):
    """str.format limited to {name}: attribute, index and conversion, and wide specs refused."""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        """Look a placeholder up by its plain name only."""
        if not field_name.isidentifier():
            raise ValueError(f"label placeholder {{{field_name}}} must be a plain name")
        return self.get_value(field_name, args, kwargs), field_name

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        """Refuse !r, !s and !a."""
        if conversion is not None:
            raise ValueError("label placeholders take no !conversion")
        return value

    def format_field(self, value: Any, format_spec: str) -> Any:
        """Refuse format specs ({x:>999999}): labels print values as they are."""
        if format_spec:
            raise ValueError("label placeholders take no :format")
        return super().format_field(value, format_spec)


class Label(Model):
    """One label in both languages."""

    zh: LabelText
    en: LabelText


class LabelFile(Model):
    """templates/labels.yaml: key → {zh, en}."""

    labels: dict[str, Label] = Field(min_length=1)


@dataclass(frozen=True)
class Labels:
    """Look up labels by key and language."""

    entries: dict[str, Label]
    display: str = "templates/labels.yaml"

    def get(self, key: str, lang: Language) -> str:
        """Return the label text."""
        label = self.entries[key]
        return label.zh if lang == "zh" else label.en

    def format(self, key: str, lang: Language, **values: str) -> str:
        """Return the label with {placeholders} filled in (names only: no .attr, [i] or widths)."""
        try:
            return _PlainFormatter().vformat(self.get(key, lang), (), values)
        except (ValueError, KeyError, IndexError) as exc:
            known = ", ".join("{" + name + "}" for name in values) or "none"
            raise InputError(
                [
                    Problem(
                        self.display,
                        where=f"labels.{key}.{lang}",
                        message=f"the label cannot be filled in ({exc})",
                        hint=f"use only these placeholders: {known}; {{{{ and }}}} for braces",
                    )
                ]
            ) from None

    def operator(self, operator: str, lang: Language) -> str:
        """Return how a comparison is printed (≥, ≤ …)."""
        names = {">=": "ge", "<=": "le", ">": "gt", "<": "lt", "=": "eq"}
        return self.get(f"operator_{names[operator]}", lang)

    def for_language(self, lang: Language) -> dict[str, str]:
        """Return every label in one language (the L object in docx templates)."""
        return {key: self.get(key, lang) for key in self.entries}


def load_labels(
    path: Path, display: str, required: frozenset[str] = REQUIRED
) -> tuple[Labels | None, list[Problem]]:
    """Load and check the labels file; every missing key is one problem."""
    model, problems = load_model(path, display, LabelFile)
    if model is None:
        return None, problems
    missing = sorted(required - set(model.labels))
    if missing:
        problems.append(
            Problem(
                display,
                1,
                1,
                "labels",
                f"missing label(s): {', '.join(missing)}",
                "add them with zh: and en: texts (see the bundled templates/labels.yaml)",
            )
        )
    for key, label in model.labels.items():
        for lang in ("zh", "en"):
            text = label.zh if lang == "zh" else label.en
            try:
                _check_placeholders(text)
            except ValueError as exc:
                problems.append(
                    Problem(
                        display,
                        None,
                        None,
                        f"labels.{key}.{lang}",
                        f"bad placeholder ({exc})",
                        "write {name} for a value, {{ and }} for literal braces",
                    )
                )
    return (Labels(model.labels, display) if not problems else None), problems


def _check_placeholders(text: str) -> None:
    """Raise ValueError unless every {…} in a label is a plain name."""
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is not None and (not name.isidentifier() or spec or conversion):
            raise ValueError(f"{{{name}}} must be a plain name such as {{title}}")
