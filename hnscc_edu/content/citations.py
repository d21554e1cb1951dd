"""A bibliography entry as one line of plain text: the one citation format of the course's pages, notebooks and
exports (the HTML helpers escape it; ``hnscc_edu.templating`` has the macro)."""

from __future__ import annotations

from .models import Reference


def citation_text(reference: Reference | None, key: str) -> str:
    """``authors. title. journal, year. doi:...`` (else ``PMID ...``, else the web address; the key when the
    bibliography lacks the entry)."""
    if reference is None:
        return key
    where = ", ".join(x for x in (reference.journal, str(reference.year)) if x)
    parts = [reference.authors.rstrip("."), reference.title.rstrip("."), where]
    text = ". ".join(x for x in parts if x) + "."
    if reference.doi:
        text += f" doi:{reference.doi}"
    elif reference.pmid:
        text += f" PMID {reference.pmid}"
    elif reference.url:
        text += f" {reference.url}"
    return text
