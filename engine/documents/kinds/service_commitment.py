"""The signed service commitment (售后服务承诺书) a GB/T 27922 company publishes."""

from __future__ import annotations

from engine.documents.common import form_document
from engine.documents.model import Block, Document, Paragraph, Run
from engine.documents.registry import DocumentKind, SetInputs
from engine.domain.views import text


def commitment_blocks(inputs: SetInputs) -> list[Block]:
    """Return the letter: philosophy, each commitment, hotline, signature and date."""
    views = inputs.views
    lang, labels = views.lang, views.labels
    profile = views.resolved.profile
    facts = profile.after_sales
    if facts is None:  # KIND.available keeps this from happening
        return []
    company = text(profile.company.name, lang)
    numbers = labels.get("list_numbers", lang).split("|")[1]  # "{n}）"
    blocks: list[Block] = [
        Paragraph([Run(labels.format("commitment_opening", lang, company=company))]),
        Paragraph(
            [
                Run(
                    labels.format(
                        "commitment_philosophy", lang, philosophy=text(facts.philosophy, lang)
                    )
                )
            ]
        ),
    ]
    blocks.extend(
        Paragraph([Run(text(c, lang))], label=numbers.format(n=i))
        for i, c in enumerate(facts.commitments, 1)
    )
    # The manual's "服务理念和服务承诺" states these too: the signed letter carries every figure.
    if facts.response_times:
        bullet = labels.get("list_bullets", lang).split("|")[0]
        heading = labels.get("commitment_response_times", lang)
        blocks.append(Paragraph([Run(heading)], keep_with_next=True))
        blocks.extend(Paragraph([Run(text(r, lang))], label=bullet) for r in facts.response_times)
    if facts.warranty is not None:
        warranty = labels.format("commitment_warranty", lang, warranty=text(facts.warranty, lang))
        blocks.append(Paragraph([Run(warranty)]))
    hotline = labels.format(
        "commitment_hotline", lang, hotline=facts.hotline, hours=text(facts.service_hours, lang)
    )
    blocks.append(Paragraph([Run(hotline)]))
    blocks.append(Paragraph([Run(labels.get("commitment_supervision", lang))]))
    top = views.roles[views.resolved.top_manager.id]
    blocks.append(Paragraph([Run(company)], align="right"))
    blocks.append(Paragraph([Run(f"{top.title}{labels.get('colon', lang)}")], align="right"))
    blocks.append(
        Paragraph([Run(labels.format("issued_on", lang, date=profile.issue_date))], align="right")
    )
    return blocks


def build_service_commitment(inputs: SetInputs) -> Document:
    """Return the 售后服务承诺书."""
    return form_document(inputs, KIND, commitment_blocks(inputs))


KIND = DocumentKind(
    id="service-commitment",
    title_label="service_commitment_title",
    help="售后服务承诺书 the signed service commitment (GB/T 27922)",
    build=build_service_commitment,
    default_number="{abbr}-{sys}-03-C1",
    order=60,
    available=lambda profile: profile.after_sales is not None,
)
