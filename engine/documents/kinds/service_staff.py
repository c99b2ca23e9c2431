"""The after-sales staff roster and qualified-staff table (售后服务人员名册及资质一览表)."""

from __future__ import annotations

from engine.documents.common import form_document
from engine.documents.model import Block, Cell, Column, Document, Paragraph, Run, Table
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import PORTRAIT_WIDTH_CM, fit, header_row, headings
from engine.domain.views import certified_share, text


def staff_blocks(inputs: SetInputs) -> list[Block]:
    """Return the staffing summary (the 10% rule) and the roster with qualifications."""
    views = inputs.views
    lang, labels = views.lang, views.labels
    facts = views.resolved.profile.after_sales
    if facts is None or not facts.roster:  # KIND.available keeps this from happening
        return []
    share = certified_share(facts)
    summary = labels.format(
        "staff_summary",
        lang,
        staff=str(facts.service_staff),
        managers=str(facts.management_staff),
        certified=str(facts.certified_managers),
        share=str(share),
    )
    separator = labels.get("name_separator", lang)
    yes = labels.get("staff_yes", lang)
    rows = []
    for i, member in enumerate(facts.roster, 1):
        certificates = [text(c, lang) for c in member.certificates]
        if member.certificate_numbers:
            certificates = [
                f"{c}（{n}）" if lang == "zh" else f"{c} ({n})"
                for c, n in zip(certificates, member.certificate_numbers, strict=True)
            ]
        department = views.departments[member.department].name if member.department else ""
        rows.append(
            [
                str(i),
                text(member.name, lang),
                department,
                text(member.post, lang),
                yes if member.manager else "",
                separator.join(certificates),
            ]
        )
    keys = ("seq", "staff_name", "department", "staff_post", "staff_manager", "staff_certificates")
    heads = headings(views, keys)
    widths = fit(heads, rows, PORTRAIT_WIDTH_CM, [1.0, 1.6, 2.4, 2.8, 1.6, 4.0])
    table = Table(
        [Column(w) for w in widths], header_row(heads), [[Cell.of(v) for v in r] for r in rows]
    )
    return [Paragraph([Run(summary)]), table]


def build_service_staff(inputs: SetInputs) -> Document:
    """Return the roster of after-sales staff."""
    return form_document(inputs, KIND, staff_blocks(inputs))


KIND = DocumentKind(
    id="service-staff",
    title_label="service_staff_title",
    help="售后服务人员名册及资质一览表 after-sales staff and their qualifications (GB/T 27922)",
    build=build_service_staff,
    default_number="{abbr}-{sys}-03-C2",
    order=61,
    available=lambda profile: bool(profile.after_sales and profile.after_sales.roster),
)
