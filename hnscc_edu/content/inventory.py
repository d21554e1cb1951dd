"""The course's contents as plain data (for ``hnscc-edu inventory --json`` and for reports)."""

from __future__ import annotations

from collections import Counter

from .course import CourseContent


def _types(items) -> dict[str, int]:
    return dict(sorted(Counter(item.type for item in items).items()))


def inventory(content: CourseContent) -> dict:
    cases = []
    for case in sorted(content.cases.values(), key=lambda c: (c.module, c.id)):
        professions = sorted(
            {p.value for p in case.professions} | {p.value for item in case.items for p in item.professions}
        )
        cases.append(
            {
                "id": case.id,
                "module": case.module,
                "title": case.title,
                "stages": len(case.stages),
                "items": len(case.items),
                "item_types": _types(case.items),
                "professions": professions,
                "objectives": list(case.objectives),
                "last_reviewed": case.governance.last_reviewed.isoformat(),
                "next_review_due": case.governance.next_review_due.isoformat(),
                "content_version": case.governance.content_version,
            }
        )
    banks = [
        {
            "id": bank.id,
            "purpose": bank.purpose,
            "module": bank.module,
            "title": bank.title,
            "items": len(bank.items),
            "item_types": _types(bank.items),
            "next_review_due": bank.governance.next_review_due.isoformat(),
        }
        for bank in sorted(content.banks.values(), key=lambda b: b.id)
    ]
    return {
        "cases": cases,
        "item_banks": banks,
        "references": len(content.references),
        "problems": len(content.problems),
    }
