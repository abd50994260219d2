"""True/false questions: a true statement of a fact, or the same statement with one
entity swapped for another of the same kind.

Whether a fact is asked as true or as false is decided by a hash of the fact, so
about half come out each way and the same text always gives the same statements. A
swapped statement is used only when the knowledge base finds nothing in the text that
makes it true (the gates check the same claim again).
"""

from __future__ import annotations

import re

from quiz.domain.answers import normalise_answer

from ..facts import Definition, Knowledge
from ..lexicon import PROCEDURE_BY_KEY, SITE_BY_KEY
from ..wording import (
    as_statement,
    capitalise,
    is_plural_phrase,
    join_phrases,
    lower_first,
    pick,
    stable_hash,
    strip_discourse_marker,
    unique,
)
from .base import Candidate, Claim, site_display, site_forms, site_is, true_false
from .care import is_broad_purpose, wrong_treatments
from .sites import best_list, listed_anywhere, listed_sites, scope, wrong_sites
from .symptoms import askable, metastases_of
from .symptoms import wrong_sites as wrong_symptom_sites

FAMILY = "truefalse"
NO_CLAIMS: tuple[Claim, ...] = ()
SIMILAR_DEFINITION = 70  # rapidfuzz ratio above which two definitions say the same thing


def _asked_true(*fact: object) -> bool:
    return stable_hash("truefalse", *fact) % 2 == 0


def truefalse_questions(knowledge: Knowledge) -> list[Candidate]:
    """Return one true/false statement per fact worth checking."""
    return [
        *_site_statements(knowledge),
        *_symptom_statements(knowledge),
        *_term_statements(knowledge),
        *_test_statements(knowledge),
        *_treatment_statements(knowledge),
        *_naming_statements(knowledge),
    ]


def _site_statements(knowledge: Knowledge) -> list[Candidate]:
    candidates: list[Candidate] = []
    for primary in knowledge.primaries():
        site_list = best_list(knowledge, primary)
        if site_list is None:
            continue
        listed = listed_sites(site_list)
        site = pick(listed, 1, ("tf-site", primary))[0]
        where = scope(primary, knowledge)
        is_true = _asked_true("site", primary, site)
        claims: tuple[Claim, ...] = ()
        stated = site
        if not is_true:
            swaps = pick(
                wrong_sites(knowledge, primary),
                1,
                ("tf-site-swap", primary),
                prefer=listed_anywhere(knowledge),
            )
            if not swaps:
                continue
            stated = swaps[0]
            claims = (Claim("spreads-to", primary or "", stated),)
        names = join_phrases([site_display(s) for s in listed])
        correction = (
            f"The text lists {site_display(site)} among the most common sites {where}."
            if is_true
            else f"The most common sites {where} in the text are {names}; "
            f"{site_display(stated)} is not one of them."
        )
        candidates.append(
            Candidate(
                family=FAMILY,
                type="truefalse",
                prompt=(
                    f"According to the text, {site_is(stated)} one of the most common sites "
                    f"{where}."
                ),
                quote=site_list.quote,
                explanation=correction,
                choices=true_false(is_true, correction),
                difficulty=1,
                topics=("sites",),
                evidence=(site_forms(site),),
                false_claims=claims,
            )
        )
    return candidates


def _symptom_statements(knowledge: Knowledge) -> list[Candidate]:
    candidates: list[Candidate] = []
    for site in knowledge.symptom_sites():
        facts = [
            f
            for f in knowledge.symptoms
            if f.site == site and f.shows_site and askable(knowledge, f)
        ]
        if not facts:
            continue
        fact = pick(facts, 1, ("tf-symptom", site))[0]
        symptom = lower_first(fact.symptom)
        is_true = _asked_true("symptom", site, fact.symptom)
        stated, claims = site, NO_CLAIMS
        if not is_true:
            swaps = pick(wrong_symptom_sites(knowledge, fact), 1, ("tf-symptom-swap", site))
            if not swaps:
                continue
            stated = swaps[0]
            claims = (Claim("symptom-of", stated, fact.symptom),)
        correction = (
            f"The text lists {symptom} among the symptoms of {metastases_of(site)}."
            if is_true
            else f"The text links {symptom} to {metastases_of(site)}, not to "
            f"{metastases_of(stated)}."
        )
        candidates.append(
            Candidate(
                family=FAMILY,
                type="truefalse",
                prompt=f"According to the text, {metastases_of(stated)} can cause {symptom}.",
                quote=fact.quote,
                explanation=correction,
                choices=true_false(is_true, correction),
                difficulty=1,
                topics=("symptoms",),
                evidence=((fact.symptom,), site_forms(site)),
                false_claims=claims,
            )
        )
    return candidates


def _term_statements(knowledge: Knowledge) -> list[Candidate]:
    """State what a sentence names, either with its own term or with another term of
    the same kind (a procedure for a procedure, a body part for a body part)."""
    swappable = [d for d in knowledge.definitions if d.term_span is not None]
    terms = unique(d.term for d in knowledge.definitions if _is_swap_term(d))
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for definition in swappable:
        if definition.term in seen or definition.term_span is None:
            continue
        seen.add(definition.term)
        start, end = definition.term_span
        quote = definition.quote.text
        stated, claims = definition.term, NO_CLAIMS
        if not _asked_true("term", definition.term, quote):
            kind = term_kind(definition.term)
            options = [
                t
                for t in terms
                if kind
                and term_kind(t) == kind
                and is_plural_phrase(t) == is_plural_phrase(definition.term)
                and _unrelated(t, definition, knowledge)
            ]
            swaps = pick(options, 1, ("tf-term-swap", definition.term))
            if swaps:  # with no term of the same kind to swap in, the statement stays true
                stated = swaps[0]
                claims = (Claim("defines", stated, quote),)
        is_true = stated == definition.term
        before = _fix_article(quote[:start], stated)
        replacement = capitalise(stated) if start == 0 else stated
        statement = strip_discourse_marker(before + replacement + quote[end:])
        correction = (
            f"The text says this of “{definition.term}”."
            if is_true
            else f"The text says this of “{definition.term}”, not “{stated}”."
        )
        candidates.append(
            Candidate(
                family=FAMILY,
                type="truefalse",
                prompt=as_statement(statement),
                quote=definition.quote,
                explanation=correction,
                choices=true_false(is_true, correction),
                difficulty=2,
                evidence=((definition.term,),),
                false_claims=claims,
            )
        )
    return candidates


# The kinds of term that can stand in for one another in a false statement. Terms for
# kinds of cancer or stages of spread ("metastatic cancer", "distant recurrence") are
# left out: they overlap in meaning, so swapping one for another may stay true.
_TERM_KINDS = (
    ("drug", re.compile(r"inhibitor|chemo|immuno|hormone|medicine|drug", re.I)),
    ("procedure", re.compile(r"ectomy|plasty|surgery|aspiration|biopsy|scan\b|ablation", re.I)),
    ("symptom", re.compile(r"jaundice|fracture|hypercalc|paralysis|hemiplegia|compression", re.I)),
    ("anatomy", re.compile(r"barrier|peritoneum|membrane|lining|gland|node|marrow|pleura", re.I)),
    ("process", re.compile(r"genesis\b|\bprocess\b", re.I)),
)
_CANCER_STATE = re.compile(r"cancer|tumou?r|metasta|recurren|malignan|benign|stage|carcinoma", re.I)


def term_kind(term: str) -> str:
    """Return the kind of thing a term names, or "" when it is a kind of cancer or unknown."""
    if _CANCER_STATE.search(term) and not re.search(r"ectomy", term, re.I):
        return ""
    for kind, pattern in _TERM_KINDS:
        if pattern.search(term):
            return kind
    return ""


def _is_swap_term(definition: Definition) -> bool:
    return (
        definition.style not in ("etymology", "stage", "gloss-synonym")
        and len(definition.term.split()) <= 3
    )


def _unrelated(term: str, definition: Definition, knowledge: Knowledge) -> bool:
    """Tell whether a term can stand in for another without the statement staying true."""
    names = {normalise_answer(n) for n in (definition.term, *definition.alternatives)}
    if normalise_answer(term) in names or term.lower() in definition.quote.text.lower():
        return False
    stems = {w[:6] for n in names for w in n.split()}
    if any(w[:6] in stems for w in normalise_answer(term).split()):
        return False  # "metastasis" and "metastasectomy" are too close to swap
    return not knowledge.defines(term, definition.quote.text)


def _fix_article(before: str, term: str) -> str:
    """Make "a"/"an" before a swapped-in term agree with its first sound."""
    match = re.search(r"\b([Aa]n?)(\s+[“\"']?)$", before)
    if match is None:
        return before
    article = "an" if term[:1].lower() in "aeiou" else "a"
    if match.group(1)[0] == "A":
        article = article.capitalize()
    return before[: match.start(1)] + article + match.group(2)


def _test_statements(knowledge: Knowledge) -> list[Candidate]:
    candidates: list[Candidate] = []
    for fact in knowledge.tests:
        if fact.role != "confirms":
            continue
        is_true = _asked_true("test", fact.test, fact.claim)
        stated, claims = fact.test, NO_CLAIMS
        if not is_true:
            options = [
                t
                for t in knowledge.mentioned_tests
                if PROCEDURE_BY_KEY[t].kind == "imaging"
                and t != "imaging-tests"
                and "confirms" not in knowledge.test_roles(t)
            ]
            swaps = pick(options, 1, ("tf-test-swap", fact.test))
            if not swaps:
                continue
            stated = swaps[0]
            claims = (Claim("test-role", stated, "confirms"),)
        name = lower_first(PROCEDURE_BY_KEY[stated].display)
        right = lower_first(PROCEDURE_BY_KEY[fact.test].display)
        correction = (
            f"The text says {right} confirms {fact.claim}."
            if is_true
            else f"The text says {right}, not {name}, confirms {fact.claim}."
        )
        candidates.append(
            Candidate(
                family=FAMILY,
                type="truefalse",
                prompt=f"According to the text, {name} is the test that confirms {fact.claim}.",
                quote=fact.quote,
                explanation=correction,
                choices=true_false(is_true, correction),
                difficulty=1,
                topics=("diagnosis",),
                evidence=(PROCEDURE_BY_KEY[fact.test].forms,),
                false_claims=claims,
            )
        )
    return candidates


def _treatment_statements(knowledge: Knowledge) -> list[Candidate]:
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for fact in knowledge.treatments:
        if not fact.purpose or fact.purpose in seen:
            continue
        seen.add(fact.purpose)
        is_true = _asked_true("treatment", fact.treatment, fact.purpose)
        stated, claims = fact.treatment, NO_CLAIMS
        if is_broad_purpose(fact.purpose):
            is_true = True  # no treatment can safely be said not to serve a broad purpose
        if not is_true:
            options = wrong_treatments(knowledge, [fact.treatment], fact.purpose)
            swaps = pick(options, 1, ("tf-treat", fact.purpose))
            if not swaps:
                continue
            stated = swaps[0]
            claims = (Claim("treatment-purpose", stated, fact.purpose),)
        name = lower_first(PROCEDURE_BY_KEY[stated].display)
        right = lower_first(PROCEDURE_BY_KEY[fact.treatment].display)
        correction = (
            f"The text says {right} can be used to {fact.purpose}."
            if is_true
            else f"The text names {right}, not {name}, for this."
        )
        candidates.append(
            Candidate(
                family=FAMILY,
                type="truefalse",
                prompt=f"According to the text, {name} can be used to {fact.purpose}.",
                quote=fact.quote,
                explanation=correction,
                choices=true_false(is_true, correction),
                difficulty=1,
                topics=("treatment",),
                evidence=(PROCEDURE_BY_KEY[fact.treatment].forms,),
                false_claims=claims,
            )
        )
    return candidates


def _naming_statements(knowledge: Knowledge) -> list[Candidate]:
    candidates: list[Candidate] = []
    for rule in knowledge.naming_rules:
        primary, site = rule.example_primary, rule.example_site
        if primary is None or not site or not SITE_BY_KEY[site].own_cancer.endswith("cancer"):
            continue
        where = site_display(site)
        own = SITE_BY_KEY[site].own_cancer
        is_true = _asked_true("naming", primary.key, site) and rule.shows_form
        name = f"{primary.name} metastatic to {where}" if is_true else own
        correction = (
            f"A cancer keeps the name of the organ where it started: {primary.name} in {where} "
            f"is still {primary.name}, not {own}."
        )
        candidates.append(
            Candidate(
                family=FAMILY,
                type="truefalse",
                prompt=(
                    f"According to the text, {primary.name} that has spread to {where} "
                    f"is called {name}."
                ),
                quote=rule.quote,
                explanation=correction,
                choices=true_false(is_true, correction),
                difficulty=1,
                topics=("naming",),
                evidence=((primary.name,),),
            )
        )
    return candidates
