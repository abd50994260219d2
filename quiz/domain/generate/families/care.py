"""Test and treatment questions: which test confirms, which tests detect, which methods
are imaging, and which treatments serve a purpose.

Wrong answers come from a different kind of procedure, chosen so they are wrong in
fact as well as in the text: imaging tests for "which test confirms" (the texts in
this genre contrast imaging with biopsy), non-imaging tests for "which are imaging",
drugs for "which can diagnose", and procedures for what drugs do (and drugs for what
procedures do).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ..facts import Knowledge, TestFact, TreatmentFact
from ..lexicon import PROCEDURE_BY_KEY
from ..wording import join_phrases, lower_first, pick, unique
from .base import Candidate, Claim, multiple_choice, single_choice

TESTS_FAMILY = "tests"
TREATMENTS_FAMILY = "treatments"
MAX_DISTRACTORS = 3
MIN_DISTRACTORS = 2
MAX_CORRECT = 4

# For what a treatment of one kind does, the kinds whose members certainly do not do it.
_CONTRASTING_KINDS = {
    "drug": ("procedure", "surgery"),
    "procedure": ("drug",),
    "surgery": ("drug",),
    "radiation": ("drug", "procedure"),
}


_BROAD_PURPOSE = re.compile(
    r"(?:treat|manage|control|help|fight|slow|shrink|improve|relieve|reduce)\b", re.IGNORECASE
)


def display(key: str) -> str:
    return PROCEDURE_BY_KEY[key].display


def test_questions(knowledge: Knowledge) -> list[Candidate]:
    """Return questions on what tests confirm, detect and which are imaging methods."""
    candidates: list[Candidate] = []
    for fact in knowledge.tests:
        if fact.role == "confirms":
            candidate = _confirms(knowledge, fact)
            if candidate is not None:
                candidates.append(candidate)
    groups: dict[tuple[str, int], list[TestFact]] = defaultdict(list)
    for fact in knowledge.tests:
        if fact.role in ("detects", "imaging") and fact.group:
            groups[(fact.role, fact.group)].append(fact)
    for (role, _group), facts in groups.items():
        candidates.extend(_listed_tests(knowledge, role, facts))
    return candidates


def _confirms(knowledge: Knowledge, fact: TestFact) -> Candidate | None:
    salt = ("test-confirms", fact.test, fact.claim)
    pool = [
        t
        for t in knowledge.mentioned_tests
        if PROCEDURE_BY_KEY[t].kind == "imaging" and "confirms" not in knowledge.test_roles(t)
    ]
    distractors = pick(pool, MAX_DISTRACTORS, salt, label=display)
    if len(distractors) < MIN_DISTRACTORS:
        return None
    right = lower_first(display(fact.test))
    wrong = [
        (display(d), f"The text does not say {lower_first(display(d))} confirms {fact.claim}.")
        for d in distractors
    ]
    return Candidate(
        family=TESTS_FAMILY,
        type="mcq",
        prompt=f"According to the text, which test confirms {fact.claim}?",
        quote=fact.quote,
        explanation=f"The text says {right} confirms {fact.claim}.",
        choices=single_choice(display(fact.test), wrong, salt),
        difficulty=1,
        topics=("diagnosis",),
        evidence=(PROCEDURE_BY_KEY[fact.test].forms,),
        false_claims=tuple(Claim("test-role", d, "confirms") for d in distractors),
    )


def _listed_tests(knowledge: Knowledge, role: str, facts: list[TestFact]) -> list[Candidate]:
    """Ask which tests a list gives: all of them when one sentence holds the list, one of
    them when each sits in its own bullet."""
    tests = unique(f.test for f in facts)
    if role == "imaging":
        pool = [
            t
            for t in knowledge.mentioned_tests
            if PROCEDURE_BY_KEY[t].kind != "imaging" and "imaging" not in knowledge.test_roles(t)
        ]
        group_name = "medical imaging methods"
        ask_all, ask_one = "are medical imaging methods", "is a medical imaging method"
    else:
        pool = [t for t in knowledge.mentioned_treatments if PROCEDURE_BY_KEY[t].kind == "drug"]
        group_name = f"ways to detect {facts[0].claim}"
        ask_all = ask_one = f"can be used to detect {facts[0].claim}"
    salt = ("tests-listed", role, tests[0], facts[0].quote.text)
    distractors = pick(pool, MIN_DISTRACTORS, salt, label=display)
    if len(distractors) < MIN_DISTRACTORS:
        return []
    wrong = [
        (display(d), f"The text does not give {lower_first(display(d))} among the {group_name}.")
        for d in distractors
    ]
    relation = "imaging" if role == "imaging" else "detects"
    claims = tuple(Claim("test-role", d, relation) for d in distractors)
    quotes = unique(f.quote for f in facts)
    if len(quotes) == 1 and len(tests) >= 2:
        shown = [t for t in tests if t in pick(tests, MAX_CORRECT, salt)]
        return [
            Candidate(
                family=TESTS_FAMILY,
                type="multi",
                prompt=f"According to the text, which of these {ask_all}? Select all that apply.",
                quote=quotes[0],
                explanation=(
                    f"The text gives {join_phrases([lower_first(display(t)) for t in tests])} "
                    f"among the {group_name}."
                ),
                choices=multiple_choice([display(t) for t in shown], wrong, salt),
                difficulty=2,
                topics=("diagnosis",),
                evidence=tuple(PROCEDURE_BY_KEY[t].forms for t in shown),
                false_claims=claims,
            )
        ]
    fact = pick(facts, 1, salt)[0]
    return [
        Candidate(
            family=TESTS_FAMILY,
            type="mcq",
            prompt=f"According to the text, which of these {ask_one}?",
            quote=fact.quote,
            explanation=f"The text gives {lower_first(display(fact.test))} among the {group_name}.",
            choices=single_choice(display(fact.test), wrong, salt),
            difficulty=1,
            topics=("diagnosis",),
            evidence=(PROCEDURE_BY_KEY[fact.test].forms,),
            false_claims=claims,
        )
    ]


def is_broad_purpose(purpose: str) -> bool:
    """Tell whether a purpose is one many treatments serve ("treat liver metastases"),
    so that no treatment can safely be called wrong for it."""
    return bool(_BROAD_PURPOSE.match(purpose))


def wrong_treatments(knowledge: Knowledge, correct: Sequence[str], purpose: str) -> list[str]:
    """Return treatments the text names that certainly do not serve this purpose."""
    kinds = {PROCEDURE_BY_KEY[t].kind for t in correct}
    allowed = (
        set.intersection(*(set(_CONTRASTING_KINDS.get(k, ())) for k in kinds)) if kinds else set()
    )
    return [
        t
        for t in knowledge.mentioned_treatments
        if PROCEDURE_BY_KEY[t].kind in allowed
        and t not in correct
        and not knowledge.serves(t, purpose)
    ]


def treatment_questions(knowledge: Knowledge) -> list[Candidate]:
    """Return questions on which treatments the text gives for a purpose."""
    groups: dict[tuple[str, str], list[TreatmentFact]] = defaultdict(list)
    for fact in knowledge.treatments:
        if fact.purpose:
            groups[(fact.purpose, fact.quote.text)].append(fact)
    candidates: list[Candidate] = []
    for (purpose, _text), facts in groups.items():
        if is_broad_purpose(purpose):
            continue
        treatments = unique(f.treatment for f in facts)
        salt = ("treatment", purpose, tuple(treatments))
        distractors = pick(
            wrong_treatments(knowledge, treatments, purpose), MAX_DISTRACTORS, salt, label=display
        )
        if len(distractors) < MIN_DISTRACTORS:
            continue
        names = join_phrases([lower_first(display(t)) for t in treatments])
        wrong = [
            (display(d), f"The text does not give {lower_first(display(d))} for this.")
            for d in distractors
        ]
        claims = tuple(Claim("treatment-purpose", d, purpose) for d in distractors)
        evidence = tuple(PROCEDURE_BY_KEY[t].forms for t in treatments)
        if len(treatments) >= 2:
            candidates.append(
                Candidate(
                    family=TREATMENTS_FAMILY,
                    type="multi",
                    prompt=(
                        f"According to the text, which of these may be used to {purpose}? "
                        "Select all that apply."
                    ),
                    quote=facts[0].quote,
                    explanation=f"The text says {names} may be used to {purpose}.",
                    choices=multiple_choice([display(t) for t in treatments], wrong[:2], salt),
                    difficulty=2,
                    topics=("treatment",),
                    evidence=evidence,
                    false_claims=claims[:2],
                )
            )
        else:
            candidates.append(
                Candidate(
                    family=TREATMENTS_FAMILY,
                    type="mcq",
                    prompt=f"According to the text, which treatment can be used to {purpose}?",
                    quote=facts[0].quote,
                    explanation=f"The text says {names} can be used to {purpose}.",
                    choices=single_choice(display(treatments[0]), wrong, salt),
                    difficulty=1,
                    topics=("treatment",),
                    evidence=evidence,
                    false_claims=claims,
                )
            )
    return candidates
