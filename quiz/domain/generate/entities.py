"""Find the lexicon's entities in text: sites, cancers, tests and treatments.

Each finder returns mentions with their positions, longest form first, so "bone marrow
aspiration" is a test and not the bones, and "lymph nodes" is one site, not two words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .lexicon import CANCERS, NOT_A_CANCER_KIND, SITES, TESTS, TREATMENTS
from .wording import STOPWORDS


@dataclass(frozen=True)
class Mention:
    """An entity named in a text: its lexicon key and where the words are."""

    key: str
    start: int
    end: int
    surface: str


class FormMatcher:
    """Find any of a set of lower-case forms as whole words, longest form first."""

    def __init__(self, forms: Mapping[str, str]) -> None:
        self._keys = dict(forms)
        ordered = sorted(self._keys, key=lambda form: (-len(form), form))
        alternation = "|".join(re.escape(form) for form in ordered)
        self.pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)
        self.alternation = alternation

    def find(self, text: str) -> list[Mention]:
        """Return every mention in text, left to right."""
        return [
            Mention(self._keys[m.group(0).lower()], m.start(), m.end(), m.group(0))
            for m in self.pattern.finditer(text)
        ]

    def key_of(self, phrase: str) -> str | None:
        """Return the key of a phrase that is exactly one form, else None."""
        return self._keys.get(" ".join(phrase.lower().split()))


def _forms(entries: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for key, forms in entries:
        for form in forms:
            table.setdefault(form.lower(), key)
    return table


SITE_FORMS = FormMatcher(_forms((site.key, site.forms) for site in SITES))
SITE_WORDS = FormMatcher(_forms((site.key, (*site.forms, *site.adjectives)) for site in SITES))
SITE_ADJECTIVES = FormMatcher(_forms((site.key, (*site.adjectives, *site.forms)) for site in SITES))
TEST_FORMS = FormMatcher(_forms((p.key, p.forms) for p in TESTS))
TREATMENT_FORMS = FormMatcher(_forms((p.key, p.forms) for p in TREATMENTS))

_KNOWN_CANCERS = _forms((cancer.key, cancer.names) for cancer in CANCERS)
_KNOWN_ALTERNATION = "|".join(
    re.escape(name) for name in sorted(_KNOWN_CANCERS, key=lambda n: (-len(n), n))
)
CANCER_PATTERN = re.compile(
    rf"(?<![\w-])(?:(?P<known>{_KNOWN_ALTERNATION})s?|"
    rf"(?P<kind>[A-Za-z][a-z]+(?:-[a-z]+)?)\s+cancers?(?!\s+(?:cells?|research|deaths?|"
    rf"cases?|patients?|risk|types?|care|screening|survivors?)\b))(?![\w-])",
    re.IGNORECASE,
)
# The same, as a pattern fragment other patterns can embed (no named groups).
CANCER_FRAGMENT = rf"(?:(?:{_KNOWN_ALTERNATION})s?|[A-Za-z][a-z]+(?:-[a-z]+)?\s+cancers?)(?![\w-])"


def find_cancers(text: str) -> list[Mention]:
    """Return the cancers named in text ("kidney cancer", "melanoma"), left to right."""
    mentions: list[Mention] = []
    for match in CANCER_PATTERN.finditer(text):
        key = cancer_key(match.group(0))
        if key is not None:
            mentions.append(Mention(key, match.start(), match.end(), match.group(0)))
    return mentions


def cancer_key(phrase: str) -> str | None:
    """Return the canonical key of a cancer name, or None if the phrase names no kind.

    Known names map to their lexicon key ("renal cancer" -> "kidney cancer"); any other
    "<word> cancer" is kept as it is written, so a text can teach cancers the lexicon
    does not list.
    """
    words = " ".join(phrase.lower().split())
    if words.endswith("cancers") or (words.endswith("s") and words[:-1] in _KNOWN_CANCERS):
        words = words[:-1]
    if words in _KNOWN_CANCERS:
        return _KNOWN_CANCERS[words]
    parts = words.split()
    if len(parts) != 2 or parts[1] != "cancer":
        return None
    kind = parts[0]
    if kind in NOT_A_CANCER_KIND or kind in STOPWORDS or kind.endswith(("ing", "ly", "ed")):
        return None
    return words
