"""Find the lists of common sites of spread, for a primary cancer or for cancer overall.

Recognised wordings (with "metastasize", "spread", "travel" and their spellings):

- "The most common sites for X cancer to spread are A, B and C."
- "The most common distant sites to which X cancer spreads are A, B and C."
- "X cancer most often spreads to A, B and C" (an adverb of frequency is required, so
  "if lung cancer spreads to the bones, ..." is not read as a list of common sites).
- "... while Y cancer - to A or B" (a second list sharing the verb).
- "X that has spread commonly affects A", "Metastatic X often involves A",
  "When X spreads, it most often reaches A".
- Overall: "The most common sites of metastasis overall include A", "Metastases most
  often develop in A", "some of the more common sites are A", "names A as the most
  common sites".
- Bullets: a lead-in such as "Kidney cancer most often spreads to:" followed by one
  site per item, or label items "Kidney cancer: A, B and C" under such a lead-in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..corpus import Corpus, PassageText, Sentence
from ..entities import CANCER_FRAGMENT, SITE_FORMS, find_cancers
from ..facts import CancerRef, SiteList
from .common import cancer_ref
from .lists import read_sites

_C = rf"(?P<cancer>{CANCER_FRAGMENT})"
_ADVERB = (
    r"(?:most often|most commonly|most frequently|commonly|often|usually|typically|mainly|"
    r"mostly|frequently|primarily|preferentially)"
)
_SPREAD = r"(?:spreads?|spread|metastasi[sz]es?|metastasi[sz]e|travels?)"
_REST = r"(?P<list>.+)"
_FLAGS = re.IGNORECASE

_PRIMARY_PATTERNS = tuple(
    re.compile(pattern, _FLAGS)
    for pattern in (
        rf"\bmost common (?:distant )?sites? (?:of (?:metastasis|metastases|spread) )?for "
        rf"{_C} to (?:spread|metastasi[sz]e)(?: to)?,? (?:are|include|is)\s+{_REST}",
        rf"\bmost common (?:distant )?sites? to which {_C} (?:spreads|metastasi[sz]es) "
        rf"(?:are|include)\s+{_REST}",
        rf"\b{_C} (?:{_ADVERB} )?{_SPREAD} (?:{_ADVERB} )?(?:to|into) {_REST}",
        rf"\b{_C} that has spread (?:{_ADVERB} )?(?:affects|involves|reaches) {_REST}",
        rf"\bmetastatic {_C} (?:{_ADVERB} )?(?:involves|affects) {_REST}",
        rf"\bwhen {_C} spreads(?: to distant sites)?, it (?:{_ADVERB} )?"
        rf"(?:reaches|spreads to|affects|goes to) {_REST}",
        rf"\bcommon sites of (?:spread|metastasis|metastases) for {_C} (?:are|include)\s+{_REST}",
    )
)
# The frequency adverb must be there for the plain "X spreads to" wording (pattern 3).
_NEEDS_ADVERB = _PRIMARY_PATTERNS[2]
_ADVERB_RE = re.compile(rf"\b{_ADVERB}\b", _FLAGS)

_ELLIPTICAL = re.compile(
    rf"\b(?:while|whereas|and)\s+{_C}\s*(?:[-–—]\s*)?(?:(?:{_ADVERB}\s+)?(?:{_SPREAD}\s+)?"
    rf"(?:{_ADVERB}\s+)?)to {_REST}",
    _FLAGS,
)
_PRONOUN = re.compile(
    rf"\bit (?:instead )?(?:{_ADVERB} )?{_SPREAD} (?:{_ADVERB} )?to {_REST}", _FLAGS
)

_OVERALL_PATTERNS = tuple(
    re.compile(pattern, _FLAGS)
    for pattern in (
        rf"\bmost common sites of (?:metastasis|metastases|spread)(?: overall)? "
        rf"(?:include|are)\s+{_REST}",
        rf"\bmetastases (?:{_ADVERB}) (?:develop|occur|appear|are found|form) in {_REST}",
        rf"\b(?:some of )?the (?:more|most) common sites (?:of (?:metastasis|spread) )?"
        rf"are\s+{_REST}",
        r"\bnames (?P<list>.+?) as the most common sites of (?:metastasis|metastases|spread)",
    )
)
_MENTIONS_SPREAD = re.compile(r"spread|metasta|sites?\b|involves|affects|reaches|travel", _FLAGS)
_HYPOTHETICAL = re.compile(r"\b(?:if|once|unless|suppose)\s+$", _FLAGS)
_LEAD_IN = re.compile(r"\b(?:spread\w*|sites?|metasta\w*)\b", _FLAGS)
_LEAD_IN_TAIL = re.compile(
    r"\s*(?:the following(?: \w+)?|these (?:places|sites|organs|parts of the body))\s*$", _FLAGS
)
_LABEL_ITEM = re.compile(rf"^{_C}\s*[:–—-]\s*(?P<list>.+)$", _FLAGS)


def extract_site_lists(corpus: Corpus) -> list[SiteList]:
    """Return every list of common sites of spread the corpus states, in reading order."""
    found: list[SiteList] = []
    for passage in corpus.passages:
        if passage.lead_in and _LEAD_IN.search(passage.lead_in):
            bullet = list(_from_bullet(passage))
            if bullet:
                found.extend(bullet)
                continue
        for sentence in passage.sentences:
            found.extend(_from_sentence(sentence))
    return found


def _from_sentence(sentence: Sentence) -> Iterator[SiteList]:
    text = sentence.text
    quote = sentence.quote()
    for primary, sites in _read_sentence(text):
        yield SiteList(primary, sites, quote)


def _read_sentence(text: str) -> Iterator[tuple[CancerRef | None, tuple[str, ...]]]:
    if not _MENTIONS_SPREAD.search(text):
        return  # a cheap test first: most sentences name no spread at all
    seen_primary = False
    for pattern in _PRIMARY_PATTERNS:
        for match in pattern.finditer(text):
            if pattern is _NEEDS_ADVERB and not _ADVERB_RE.search(
                text, match.end("cancer"), match.start("list")
            ):
                continue
            if _HYPOTHETICAL.search(text[: match.start()]):
                continue
            primary = cancer_ref(match.group("cancer"))
            sites = read_sites(match.group("list"))
            if primary is None or not sites:
                continue
            seen_primary = True
            yield primary, sites
            for second in _ELLIPTICAL.finditer(text, match.start("list")):
                other = cancer_ref(second.group("cancer"))
                other_sites = read_sites(second.group("list"))
                if other is not None and other_sites and other != primary:
                    yield other, other_sites
            pronoun = _PRONOUN.search(text, match.start("list"))
            if pronoun is not None:
                pronoun_sites = read_sites(pronoun.group("list"))
                if pronoun_sites:
                    yield primary, pronoun_sites
        if seen_primary:
            return
    for pattern in _OVERALL_PATTERNS:
        overall = pattern.search(text)
        if overall is not None and not find_cancers(text[: overall.start("list")]):
            sites = read_sites(overall.group("list"))
            if sites:
                yield None, sites
                return


def _from_bullet(passage: PassageText) -> Iterator[SiteList]:
    """Read one item of a bulleted list of sites under a lead-in naming the primary."""
    text = passage.passage.text
    label = _LABEL_ITEM.match(text)
    if label is not None:
        primary = cancer_ref(label.group("cancer"))
        sites = read_sites(label.group("list"))
        if primary is not None and sites:
            yield SiteList(primary, sites, passage.quote())
        return
    mentions = SITE_FORMS.find(text)
    if not mentions or len(text[: mentions[0].start].split()) > 2:
        return
    lead = _LEAD_IN_TAIL.sub("", passage.lead_in.rstrip().rstrip(":"))
    for primary, sites in _read_sentence(f"{lead} {mentions[0].surface}."):
        if sites and primary is not None:
            # The item shows the site but not the primary, so it quotes one site only.
            yield SiteList(primary, sites[:1], passage.quote(), complete=False)
        elif sites and primary is None:
            yield SiteList(None, sites[:1], passage.quote(), complete=False)
