"""Read the English lists inside sentences: "the bones, the liver, and the lungs"."""

from __future__ import annotations

import re

from ..entities import SITE_FORMS
from ..wording import unique

# Where a list stops: a new clause, an attribution, a contrast, or the sentence's end.
_LIST_END = re.compile(
    r"\s*,\s*(?:according to|which|that|while|whereas|but|the same|as the|so|and therefore|"
    r"the verywell|the carenity|the article|says|said)\b|"
    r"\s+(?:according to|while|whereas|but|because|although|instead)\s|"
    r"\s*;|\s+[—–]\s|\s+-\s|\.(?:\s|$)|:\s",
    re.IGNORECASE,
)
_PARENTHETICAL = re.compile(r"\s*\([^()]*\)")
_SEPARATORS = re.compile(r"\s*,\s*|\s+and/or\s+|\s*;\s*|\s+as well as\s+", re.IGNORECASE)
_LEADING_CONJUNCTION = re.compile(r"^(?:and/or|and|or|also|as well as)\s+", re.IGNORECASE)
_FINAL_CONJUNCTION = re.compile(r"\s+(?:and|or)\s+", re.IGNORECASE)
MAX_SITE_WORDS = 6


def list_text(text: str) -> str:
    """Return the list at the start of text, without asides in brackets or what follows."""
    text = _PARENTHETICAL.sub(_drop_bracket, text)
    end = _LIST_END.search(text)
    return (text[: end.start()] if end else text).strip(" ,.")


def _drop_bracket(match: re.Match[str]) -> str:
    """Drop an aside in brackets, keeping the list's own comma if it sits inside one:
    "jaundice (a yellowing of the skin,) bloating"."""
    inner = match.group(0).rstrip(")").rstrip()
    return inner[-1] if inner.endswith((",", ".", ";")) else ""


def split_items(text: str) -> list[str]:
    """Split a list on commas and "and/or", keeping "a and b" inside one item."""
    items = []
    for part in _SEPARATORS.split(text):
        part = _LEADING_CONJUNCTION.sub("", part.strip()).strip(" ,.")
        if part:
            items.append(part)
    return items


def split_final(item: str) -> list[str]:
    """Split an item on its "and" or "or" ("bones and brain" -> two items)."""
    return [p.strip() for p in _FINAL_CONJUNCTION.split(item) if p.strip()]


def read_sites(text: str) -> tuple[str, ...]:
    """Return the site keys of a list of sites, in the order the text gives them."""
    sites: list[str] = []
    for item in split_items(list_text(text)):
        for piece in split_final(item):
            mentions = SITE_FORMS.find(piece)
            if mentions and len(piece.split()) <= MAX_SITE_WORDS:
                sites.append(mentions[0].key)
    return tuple(unique(sites))
