"""Find the symptoms a text ties to metastases in one site, and the ones tied to none.

Recognised wordings: "Lung metastases may cause A, B or C", "Metastases in the lungs can
bring on A", "Cancer that has spread to the brain can cause A", "When cancer spreads
to the spine, it may cause A", "Bone metastases: symptoms of A, B and/or C", "the
symptoms of brain metastases ... include A", "describes liver metastases as causing
A", "the first sign of a X metastasis may be A", and a lead-in ("Lung metastases
may cause:") over one symptom per bullet. Symptoms "not tied to any one organ" come
from "non-specific symptoms such as A" and "other signs ... include A".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from quiz.domain.answers import answer_tokens

from ..corpus import Corpus, PassageText
from ..entities import SITE_ADJECTIVES, SITE_FORMS
from ..facts import SymptomSite
from ..lexicon import SYMPTOM_WORDS
from .lists import list_text, split_items

_FLAGS = re.IGNORECASE
_ADJ = SITE_ADJECTIVES.alternation
_FORMS = SITE_FORMS.alternation
_CAUSE = (
    r"(?:(?:may|can|could|often|commonly|also|will|might|typically|frequently)\s+)*"
    r"(?:cause|causes|bring on|brings on|lead to|leads to|produce|produces|result in|"
    r"results in|give rise to|gives rise to)"
)
_LIST = r"(?P<list>.+)"
_SITE_PATTERNS = tuple(
    re.compile(pattern, _FLAGS)
    for pattern in (
        rf"\b(?P<site>{_ADJ}) metastases\s+{_CAUSE}\s+{_LIST}",
        rf"^(?P<site>{_ADJ}) metastases\s*:\s*(?:(?:symptoms|signs) of\s+)?{_LIST}",
        rf"\bmetastases (?:in|to|of) (?:the )?(?P<site>{_FORMS})\s+{_CAUSE}\s+{_LIST}",
        rf"\bcancer that has spread to (?:the )?(?P<site>{_FORMS})\s+{_CAUSE}\s+{_LIST}",
        rf"\bwhen cancer spreads to (?:the )?(?P<site>{_FORMS}),\s*it\s+{_CAUSE}\s+{_LIST}",
        rf"\bsymptoms of (?P<site>{_ADJ}) metastases\b[^.]*?\b(?:include|includes|is|are)\s+"
        rf"{_LIST}",
        rf"\b(?P<site>{_ADJ}) metastases as causing\s+{_LIST}",
        rf"\bfirst sign of (?:a |an )?(?P<site>{_ADJ}) metastasis (?:may|can|might|is often) "
        rf"be\s+{_LIST}",
    )
)
_EARLIEST_SIGN = re.compile(
    rf"^(?:a |an |the )?(?P<list>[\w -]{{3,40}}?)(?:,[^,]+,)?\s+(?:may|can|might) be the "
    rf"(?:first|earliest) sign that cancer has (?:reached|spread to) (?:a |an |the )?"
    rf"(?P<site>{_FORMS})\b",
    _FLAGS,
)
_GENERAL_PATTERNS = tuple(
    re.compile(pattern, _FLAGS)
    for pattern in (
        rf"\bnon-?specific symptoms\b[^.]*?\b(?:such as|like|including)\s+{_LIST}",
        rf"\b(?:other|general) (?:signs|symptoms)\b[^.]*?\b(?:include|includes|such as)\s+"
        rf"{_LIST}",
        rf"\bsigns that [^.:]*?(?:metasta|spread)[^.:]*:\s*{_LIST}",
    )
)
_GENERAL_LIST_END = re.compile(
    r"\s+(?:can|may|might|will|could|are|is|often|usually|also)\s", _FLAGS
)
_MENTIONS_SYMPTOMS = re.compile(r"metasta|spread|symptom|sign", _FLAGS)
_VERB_CLAUSE = re.compile(
    r",?\s+and (?:(?:they|it|these|this) )?(?:can|may|might|will|often|also)\b.*$", _FLAGS
)
_RESULTING = re.compile(r"\s+with resulting\s+", _FLAGS)
_LEADING = re.compile(r"^(?:symptoms|signs) of\s+", _FLAGS)
_AND = re.compile(r"\s+and\s+", _FLAGS)
_SCOPING_PHRASE = re.compile(r"\b(?:in|around|on|at) (?:the|a|an)\b", _FLAGS)
MAX_SYMPTOM_WORDS = 10


def extract_symptoms(corpus: Corpus) -> list[SymptomSite]:
    """Return the symptom facts of the corpus, in reading order."""
    facts: list[SymptomSite] = []
    for passage in corpus.passages:
        found = list(_from_passage(passage))
        if not found and passage.lead_in:
            found = list(_from_bullet(passage))
        facts.extend(found)
    return facts


def _from_passage(passage: PassageText) -> Iterator[SymptomSite]:
    for sentence in passage.sentences:
        text = sentence.text
        if not _MENTIONS_SYMPTOMS.search(text):
            continue  # a cheap test first: most sentences name no metastasis or sign
        quote = sentence.quote()
        for site, listed in _read(text):
            for symptom in read_symptoms(listed):
                yield SymptomSite(symptom, site, quote)
        for pattern in _GENERAL_PATTERNS:
            match = pattern.search(text)
            if match is not None:
                # "such as fatigue and headaches can come with ..." ends at its verb.
                listed = _GENERAL_LIST_END.split(match.group("list"), maxsplit=1)[0]
                for symptom in read_symptoms(listed):
                    yield SymptomSite(symptom, "", quote)
                break


def _from_bullet(passage: PassageText) -> Iterator[SymptomSite]:
    """Read one symptom per bullet under a lead-in such as "Lung metastases may cause:"."""
    lead = passage.lead_in.rstrip().rstrip(":")
    item = passage.passage.text.rstrip(" .;,")
    for site, listed in _read(f"{lead} {item}."):
        symptoms = read_symptoms(listed)
        if len(symptoms) == 1:
            yield SymptomSite(symptoms[0], site, passage.quote(), shows_site=False)


def _read(text: str) -> Iterator[tuple[str, str]]:
    """Yield (site key, list text) for the site-symptom wordings in a sentence."""
    for pattern in _SITE_PATTERNS:
        match = pattern.search(text)
        if match is not None:
            site = SITE_ADJECTIVES.key_of(match.group("site"))
            if site is not None:
                yield site, match.group("list")
                return
    match = _EARLIEST_SIGN.search(text)
    if match is not None:
        site = SITE_FORMS.key_of(match.group("site"))
        if site is not None:
            yield site, match.group("list")


def read_symptoms(text: str) -> list[str]:
    """Return the symptoms of a list, each as the text words it ("a persistent cough")."""
    text = list_text(_VERB_CLAUSE.sub("", text))
    symptoms: list[str] = []
    for item in split_items(text):
        for piece in _RESULTING.split(_LEADING.sub("", item)):
            for symptom in _split_conjoined(piece):
                symptom = symptom.strip(" ,.;:")
                if _is_symptom(symptom) and symptom not in symptoms:
                    symptoms.append(symptom)
    return symptoms


def _split_conjoined(item: str) -> list[str]:
    """Split "nausea and vomiting" but not "numbness or weakness of the arms or legs"."""
    pieces = [p.strip() for p in _AND.split(item) if p.strip()]
    if len(pieces) < 2 or not all(_has_symptom_word(p) for p in pieces):
        return [item]
    # In "heaviness and pain in the liver" the place belongs to both words.
    if len(pieces[0].split()) == 1 and _SCOPING_PHRASE.search(pieces[-1]):
        return [item]
    return pieces


def _has_symptom_word(text: str) -> bool:
    lowered = text.lower().replace("-", " ").split()
    return any(w in SYMPTOM_WORDS for w in lowered) or any(
        t in SYMPTOM_WORDS for t in answer_tokens(text)
    )


def _is_symptom(text: str) -> bool:
    words = text.split()
    if not words or len(words) > MAX_SYMPTOM_WORDS or any(c.isdigit() for c in text):
        return False
    if re.search(
        r"\bsymptoms?\b|\bvariety\b|\bdepending\b|^(?:they|it|these|this)\b", text, _FLAGS
    ):
        return False
    return _has_symptom_word(text)
