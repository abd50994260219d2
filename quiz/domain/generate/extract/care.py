"""Find what the text says tests and treatments do.

Tests: "it is the biopsy that actually confirms A"; "X can be used to detect A";
"To diagnose A, several examinations can be carried out: B, C and D"; a lead-in
("Spread can be detected with several tests, such as:") over one test
per bullet; imaging examples ("medical imaging (ultrasound, CT scan)", "imaging tests
like MRI or CT scan", "lists A and B as medical imaging methods").

Treatments: "To A, X, Y and Z may be used"; "To A, doctors may use X"; "X can be used
to A"; "act on A with X"; "X works by acting on A".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import count

from ..corpus import Corpus, PassageText, Quote
from ..entities import TEST_FORMS, TREATMENT_FORMS, FormMatcher
from ..facts import TestFact, TreatmentFact
from ..wording import lower_first, unique

_FLAGS = re.IGNORECASE
_TEST = TEST_FORMS.alternation
_TREAT = TREATMENT_FORMS.alternation

_CONFIRMS = re.compile(
    rf"(?<![\w-])(?P<test>{_TEST})(?: that| which)?\s+(?P<adverb>actually |alone |definitively )?"
    rf"confirms?\s+(?P<claim>[^.;]+)",
    _FLAGS,
)
_DETECTS = re.compile(
    rf"(?<![\w-])(?P<test>{_TEST})\b[^.]{{0,40}}?\b(?:can|may|could) (?:be used to|help) "
    rf"(?:detect|diagnose|find|look for|spot)\s+(?P<claim>[^.;,]+)",
    _FLAGS,
)
_DIAGNOSE_LIST = re.compile(
    r"\bto (?:diagnose|detect|find) (?P<claim>[^,]+),[^:]*:\s*(?P<list>.+)$", _FLAGS
)
_DETECT_LEAD_IN = re.compile(
    r"\b(?P<claim>[\w ]+?) can be (?:detected|diagnosed|found) (?:using|with|by)\b", _FLAGS
)
_IMAGING = re.compile(
    r"\b(?:medical imaging|imaging tests?|imaging techniques?|imaging methods?)\s*"
    r"(?:\((?P<paren>[^)]+)\)|,?\s+(?:like|such as|including)\s+(?P<list>[^.;]+))",
    _FLAGS,
)
_IMAGING_LISTED = re.compile(
    r"\blists (?P<list>.+?) as (?:medical )?imaging (?:methods|tests|techniques)", _FLAGS
)
_PURPOSE_FIRST = re.compile(
    r"^(?:[^,]{0,20},\s*)?to (?P<purpose>[^,]+),\s+(?:(?:doctors|physicians|specialists) "
    r"(?:may|can|often) use\s+(?P<used>.+)|(?P<list>.+?)\s+(?:may|can|could) be used)",
    _FLAGS,
)
_USED_TO = re.compile(
    r"^(?P<list>.+?)\s+(?:may|can|could) be used to\s+(?P<purpose>[^.;]+)", _FLAGS
)
_ACT_ON = re.compile(rf"\bact on (?P<target>[^.;]+?) with (?P<treatment>{_TREAT})\b", _FLAGS)
_WORKS_BY = re.compile(
    rf"(?<![\w-])(?P<treatment>{_TREAT}) works? (?:\w+, )?by acting on (?P<target>[^.;]+)",
    _FLAGS,
)
_CLAUSE = re.compile(r",\s+(?:because|which|so|but|while|although|as)\b", _FLAGS)
_ANAPHORA = re.compile(r"\b(?:this|these|that|those|it|them|they)\b", _FLAGS)


def extract_tests(corpus: Corpus) -> list[TestFact]:
    """Return what the corpus says tests do, in reading order."""
    groups = count(1)
    lead_in_groups: dict[tuple[str, str], int] = {}
    facts: list[TestFact] = []
    for passage in corpus.passages:
        if passage.lead_in:
            # Bullets under one lead-in form one list, so they share a group number.
            key = (passage.document, passage.lead_in)
            group = lead_in_groups.setdefault(key, next(groups))
            facts.extend(_detect_bullet(passage, group))
        for sentence in passage.sentences:
            text, quote = sentence.text, sentence.quote()
            for match in _CONFIRMS.finditer(text):
                test = TEST_FORMS.key_of(match.group("test"))
                claim = _clean(match.group("claim"))
                if test and claim:
                    facts.append(TestFact(test, "confirms", claim, quote))
            for match in _DETECTS.finditer(text):
                test = TEST_FORMS.key_of(match.group("test"))
                claim = _clean(match.group("claim"))
                if test and claim:
                    facts.append(TestFact(test, "detects", claim, quote))
            listed = _DIAGNOSE_LIST.search(text)
            if listed is not None:
                claim = _clean(listed.group("claim"))
                group = next(groups)
                for test in _keys(TEST_FORMS, listed.group("list")):
                    facts.append(TestFact(test, "detects", claim, quote, group))
            for imaging in (*_IMAGING.finditer(text), *_IMAGING_LISTED.finditer(text)):
                examples = imaging.group("list") or imaging.groupdict().get("paren") or ""
                group = next(groups)
                for test in _keys(TEST_FORMS, examples):
                    if test != "imaging-tests":
                        facts.append(TestFact(test, "imaging", "medical imaging", quote, group))
    return facts


def _detect_bullet(passage: PassageText, group: int) -> Iterator[TestFact]:
    lead = _DETECT_LEAD_IN.search(passage.lead_in)
    if lead is None:
        return
    text = passage.passage.text
    mentions = TEST_FORMS.find(text)
    if mentions and len(text[: mentions[0].start].split()) <= 1:
        claim = _clean(lower_first(lead.group("claim")))
        if claim:
            yield TestFact(mentions[0].key, "detects", claim, passage.quote(), group)


def extract_treatments(corpus: Corpus) -> list[TreatmentFact]:
    """Return what the corpus says treatments are used for, in reading order."""
    facts: list[TreatmentFact] = []
    for sentence in corpus.sentences:
        text, quote = sentence.text, sentence.quote()
        facts.extend(_purposes(text, quote))
        for match in _ACT_ON.finditer(text):
            purpose = _clean(f"act on {match.group('target')}")
            key = TREATMENT_FORMS.key_of(match.group("treatment"))
            if key and purpose:
                facts.append(TreatmentFact(key, purpose, quote))
        for match in _WORKS_BY.finditer(text):
            purpose = _clean(f"act on {match.group('target')}")
            key = TREATMENT_FORMS.key_of(match.group("treatment"))
            if key and purpose:
                facts.append(TreatmentFact(key, purpose, quote))
    return facts


def _purposes(text: str, quote: Quote) -> Iterator[TreatmentFact]:
    first = _PURPOSE_FIRST.search(text)
    if first is not None:
        purpose = _clean(first.group("purpose"))
        listed = first.group("used") or first.group("list") or ""
        if purpose and _starts_with_treatment(listed):
            for key in _keys(TREATMENT_FORMS, listed):
                yield TreatmentFact(key, purpose, quote)
            return
    used = _USED_TO.search(text)
    if used is not None and _starts_with_treatment(used.group("list")):
        purpose = _clean(used.group("purpose"))
        if purpose:
            for key in _keys(TREATMENT_FORMS, used.group("list")):
                yield TreatmentFact(key, purpose, quote)


def _starts_with_treatment(text: str) -> bool:
    mentions = TREATMENT_FORMS.find(text)
    return bool(mentions) and len(text[: mentions[0].start].split()) <= 1


def _keys(matcher: FormMatcher, text: str) -> list[str]:
    return unique(m.key for m in matcher.find(text))


def _clean(text: str) -> str:
    """Trim a claim or purpose; refuse one that points at another sentence ("this")."""
    cleaned = _CLAUSE.split(" ".join(text.split()), maxsplit=1)[0].strip(" ,.;:")
    if not cleaned or len(cleaned.split()) > 15 or _ANAPHORA.search(cleaned):
        return ""
    return cleaned
