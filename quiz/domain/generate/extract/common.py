"""Helpers the extractors share."""

from __future__ import annotations

from ..entities import cancer_key
from ..facts import CancerRef


def cancer_ref(phrase: str) -> CancerRef | None:
    """Return the cancer a phrase names, with a lower-case display name, or None."""
    key = cancer_key(phrase)
    if key is None:
        return None
    words = phrase.split()
    if words[-1].lower() == "cancers":
        words[-1] = words[-1][:-1]
    # "Breast cancer" opening a sentence reads "breast cancer" mid-sentence; "HER2" stays.
    name = " ".join(w if w[1:] != w[1:].lower() else w.lower() for w in words)
    return CancerRef(key, name)
