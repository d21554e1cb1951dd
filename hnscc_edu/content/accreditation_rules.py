"""Lint rules of the activity record (``course.yaml``) for a course run for credit (``mode: for_credit``).

An accredited provider may not issue credit under a placeholder: ``hnscc-edu validate`` fails such a course and names
each field. In ``draft`` (rehearsals, pilots, this open kit as shipped) placeholders and teams are allowed, and every
certificate is stamped "Draft: not for credit".

- ``provider``, ``joint_provider``, ``contact`` and every name in ``people`` and ``commercial_support`` are real
  (not a placeholder such as "TO BE COMPLETED" or the kit's own "goes here" text);
- ``people`` names a course director, at least one planner and at least one faculty member, each a person (not a
  team) with degrees, and each relevant financial relationship with its company, nature and mitigation (ACCME
  Standards for Integrity and Independence, standard 3: the individuals in control of content, disclosed to learners
  before the content).
"""

from __future__ import annotations

from collections.abc import Iterator

from .models import CourseInfo, Role

# Text that marks a value as still to be filled in (case-insensitive).
PLACEHOLDER_MARKS = (
    "to be completed",
    "goes here",
    "open course kit",
    "placeholder",
    "named by your institution",
    "tbd",
    "xxx",
)
REQUIRED_ROLES = (Role.course_director, Role.planner, Role.faculty)

Loc = tuple[str | int, ...]


def is_placeholder(text: str | None) -> bool:
    lowered = (text or "").strip().lower()
    return not lowered or any(mark in lowered for mark in PLACEHOLDER_MARKS)


def for_credit_problems(info: CourseInfo) -> Iterator[tuple[Loc, str]]:
    """(field, message) for every part of the activity record that a course run for credit may not leave open."""
    if info.mode != "for_credit":
        return
    fix = "before the course runs for credit (or set mode: draft)"
    if is_placeholder(info.provider):
        yield ("provider",), f"is a placeholder: name the accredited provider {fix}"
    if info.joint_provider is not None and is_placeholder(info.joint_provider):
        yield ("joint_provider",), f"is a placeholder: name the joint provider or remove the field {fix}"
    if is_placeholder(info.contact):
        yield ("contact",), f"is a placeholder: give the provider's contact for learners {fix}"
    roles = {role for person in info.people for role in person.roles}
    for role in REQUIRED_ROLES:
        if role not in roles:
            yield ("people",), f"names no {role.label.lower()}: list every person in control of the content {fix}"
    for p, person in enumerate(info.people):
        if person.team:
            yield (
                ("people", p, "team"),
                (f"{person.name!r} is a team: name each member, with their own disclosure {fix}"),
            )
        if is_placeholder(person.name):
            yield ("people", p, "name"), f"is a placeholder {fix}"
        if person.degrees is None or is_placeholder(person.degrees):
            yield ("people", p, "degrees"), f"{person.name!r} has no degrees: give them (e.g. MD, PhD) {fix}"
        if person.financial_relationships != "none":
            for r, relationship in enumerate(person.financial_relationships):
                for name in ("company", "nature", "mitigation"):
                    if is_placeholder(getattr(relationship, name)):
                        yield ("people", p, "financial_relationships", r, name), f"is a placeholder {fix}"
    if info.commercial_support != "none":
        for s, supporter in enumerate(info.commercial_support):
            if is_placeholder(supporter.name):
                yield ("commercial_support", s, "name"), f"is a placeholder {fix}"
