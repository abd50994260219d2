"""Symptom questions, both ways: which site's metastases cause a symptom, and which
symptoms a site's metastases cause.

A symptom is asked about only when the text ties it to one site: not to another site,
not as a general sign, and not inside a wider symptom elsewhere ("weight loss" is out
when "unintentional weight loss" is a general sign). A wrong site is one whose own
symptoms share no main word with the symptom asked about.
"""

from __future__ import annotations

from ..entities import SITE_WORDS
from ..facts import Knowledge, SymptomSite, sites_overlap
from ..lexicon import SITE_BY_KEY
from ..wording import capitalise, join_phrases, lower_first, pick, unique
from .base import Candidate, Claim, multiple_choice, single_choice, site_display, site_forms

FAMILY = "symptoms"
TOPICS = ("symptoms",)
MAX_DISTRACTORS = 3
MIN_DISTRACTORS = 2
MAX_CORRECT = 4
MAX_POOL = 40  # wrong-symptom candidates considered per site


def metastases_of(site: str) -> str:
    """Return the name of metastases in a site: "liver metastases"."""
    return SITE_BY_KEY[site].metastases


def mentioned_sites(symptom: str) -> list[str]:
    """Return the sites a symptom's own words name ("pain in the liver" names the liver)."""
    return unique(m.key for m in SITE_WORDS.find(symptom))


def askable(knowledge: Knowledge, fact: SymptomSite) -> bool:
    """Tell whether a symptom can be asked about: specific to one site, not naming it."""
    if any(sites_overlap(s, fact.site) for s in mentioned_sites(fact.symptom)):
        return False
    return knowledge.symptom_is_specific(fact.symptom, fact.site)


def wrong_sites(knowledge: Knowledge, fact: SymptomSite) -> list[str]:
    """Return sites with symptoms of their own, none linked to this symptom.

    Whole organs only: "the spine" beside "the bones" would offer a part and its whole.
    """
    named = mentioned_sites(fact.symptom)
    return [
        site
        for site in knowledge.symptom_sites()
        if not sites_overlap(site, fact.site)
        and not SITE_BY_KEY[site].part_of
        and not knowledge.symptom_linked_to(fact.symptom, site)
        and site not in named
    ]


def symptom_questions(knowledge: Knowledge) -> list[Candidate]:
    """Return symptom-to-site and site-to-symptoms questions."""
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for fact in knowledge.symptoms:
        key = " ".join(fact.symptom.lower().split())
        if not fact.site or key in seen or not askable(knowledge, fact):
            continue
        seen.add(key)
        candidate = _which_site(knowledge, fact)
        if candidate is not None:
            candidates.append(candidate)
    candidates.extend(_which_symptoms(knowledge))
    return candidates


def _which_site(knowledge: Knowledge, fact: SymptomSite) -> Candidate | None:
    salt = ("symptom-site", fact.symptom, fact.site)
    distractors = pick(wrong_sites(knowledge, fact), MAX_DISTRACTORS, salt)
    if len(distractors) < MIN_DISTRACTORS:
        return None
    symptom = fact.symptom[0].lower() + fact.symptom[1:]
    wrong = [
        (
            site_display(d),
            f"The text does not link {symptom} to {metastases_of(d)}.",
        )
        for d in distractors
    ]
    evidence: list[tuple[str, ...]] = [(fact.symptom,)]
    if fact.shows_site:
        evidence.append(site_forms(fact.site))
    return Candidate(
        family=FAMILY,
        type="mcq",
        prompt=f"According to the text, metastases in which part of the body can cause {symptom}?",
        quote=fact.quote,
        explanation=f"The text lists {symptom} among the symptoms of {metastases_of(fact.site)}.",
        choices=single_choice(site_display(fact.site), wrong, salt),
        difficulty=2,
        topics=TOPICS,
        evidence=tuple(evidence),
        false_claims=tuple(Claim("symptom-of", d, fact.symptom) for d in distractors),
        score=1 if fact.shows_site else 0,
    )


def _which_symptoms(knowledge: Knowledge) -> list[Candidate]:
    """Ask which symptoms a site's metastases cause, from one sentence's list."""
    groups: dict[tuple[str, str, str], list[SymptomSite]] = {}
    for fact in knowledge.symptoms:
        if fact.site and fact.shows_site and askable(knowledge, fact):
            groups.setdefault((fact.site, fact.quote.document, fact.quote.text), []).append(fact)
    pools: dict[str, list[str]] = {}
    candidates: list[Candidate] = []
    for (site, _document, _text), facts in groups.items():
        if len(facts) < 2:
            continue
        if site not in pools:
            pools[site] = _wrong_symptoms(knowledge, site)
        salt = ("symptom-all", site, facts[0].quote.text)
        chosen = pick(facts, MAX_CORRECT, salt)
        shown = [f for f in facts if f in chosen]
        distractors = pick(pools[site], MIN_DISTRACTORS, salt)
        if len(distractors) < MIN_DISTRACTORS:
            continue
        wrong = [
            (
                d,
                f"The text does not list {lower_first(d)} among the symptoms of "
                f"{metastases_of(site)}.",
            )
            for d in distractors
        ]
        names = [f.symptom for f in shown]
        candidates.append(
            Candidate(
                family=FAMILY,
                type="multi",
                prompt=(
                    f"According to the text, which of these can {metastases_of(site)} cause? "
                    "Select all that apply."
                ),
                quote=facts[0].quote,
                explanation=(
                    f"{capitalise(metastases_of(site))} can cause "
                    f"{join_phrases([lower_first(n) for n in names])}, according to the text."
                ),
                choices=multiple_choice(names, wrong, salt),
                difficulty=2,
                topics=TOPICS,
                evidence=(site_forms(site), *((n,) for n in names)),
                false_claims=tuple(Claim("symptom-of", site, d) for d in distractors),
            )
        )
    return candidates


def _wrong_symptoms(knowledge: Knowledge, site: str) -> list[str]:
    """Return symptoms of other sites that no text links to this one, in reading order.

    General symptoms ("fatigue") and ones sharing a main word with them are left out,
    since metastases anywhere may cause them. The pool is capped so that choosing from
    it costs the same however long the text is.
    """
    general_heads = frozenset(h for f in knowledge.general_symptoms() for h in f.heads)
    pool: list[str] = []
    seen: set[str] = set()
    for fact in knowledge.symptoms:
        key = fact.symptom.lower()
        if (
            not fact.site
            or key in seen
            or sites_overlap(fact.site, site)
            or fact.heads & general_heads
            or not askable(knowledge, fact)
            or knowledge.symptom_linked_to(fact.symptom, site)
            or any(sites_overlap(s, site) for s in mentioned_sites(fact.symptom))
        ):
            continue
        seen.add(key)
        pool.append(fact.symptom)
        if len(pool) >= MAX_POOL:
            break
    return pool
