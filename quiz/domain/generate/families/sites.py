"""Site questions: which places the text gives as common sites of spread.

Distractors are sites named elsewhere in the text that no list gives for the primary
in question, so where two sources disagree (one lists the lymph nodes for lung cancer,
the other the adrenal glands) neither site is ever offered as a wrong answer.
"""

from __future__ import annotations

from ..facts import Knowledge, SiteList, sites_overlap
from ..lexicon import CANCER_BY_KEY, SITE_BY_KEY
from ..wording import capitalise, join_phrases, pick
from .base import (
    Candidate,
    Claim,
    multiple_choice,
    single_choice,
    site_display,
    site_forms,
    site_is,
)

FAMILY = "sites"
TOPICS = ("sites",)
MAX_DISTRACTORS = 3
MIN_DISTRACTORS = 2
MAX_LISTED_CHOICES = 5


def scope(primary: str | None, knowledge: Knowledge) -> str:
    """Return how a question names the list: "of spread for kidney cancer" or overall."""
    if primary is None:
        return "of metastasis overall"
    return f"of spread for {knowledge.cancer_names.get(primary, primary)}"


def own_organ(primary: str | None) -> str:
    """Return the organ a primary cancer starts in ("" when unknown or overall)."""
    if primary is None or primary not in CANCER_BY_KEY:
        return ""
    return CANCER_BY_KEY[primary].organ


def listed_sites(site_list: SiteList) -> list[str]:
    """Return a list's sites, without the primary's own organ ("elsewhere in the lungs")."""
    organ = own_organ(site_list.primary.key if site_list.primary else None)
    return [s for s in site_list.sites if not (organ and sites_overlap(s, organ))]


def best_list(knowledge: Knowledge, primary: str | None) -> SiteList | None:
    """Return the fullest list the text gives for a primary, complete lists first."""
    lists = [s for s in knowledge.lists_for(primary) if listed_sites(s)]
    if not lists:
        return None
    return min(lists, key=lambda s: (not s.complete, -len(listed_sites(s)), s.quote.order))


def wrong_sites(knowledge: Knowledge, primary: str | None) -> list[str]:
    """Return sites the text names but never lists for this primary (nor a part of them)."""
    organ = own_organ(primary)
    return [
        site
        for site in knowledge.site_pool()
        if SITE_BY_KEY[site].distractor
        and not knowledge.spreads_to(primary, site)
        and not (organ and sites_overlap(site, organ))
    ]


def listed_anywhere(knowledge: Knowledge) -> set[str]:
    """Return the sites some list in the text gives: the most telling wrong answers."""
    return {site for primary in knowledge.primaries() for site in knowledge.spread_sites(primary)}


def site_questions(knowledge: Knowledge) -> list[Candidate]:
    """Return the site questions: one, all, and not-one of a list, and site to primary."""
    candidates: list[Candidate] = []
    for primary in knowledge.primaries():
        site_list = best_list(knowledge, primary)
        if site_list is None:
            continue
        listed = listed_sites(site_list)
        pool = wrong_sites(knowledge, primary)
        candidates.extend(_one_of(knowledge, primary, site_list, listed, pool))
        if site_list.complete:
            candidates.extend(_all_of(knowledge, primary, site_list, listed, pool))
            candidates.extend(_not_one_of(knowledge, primary, site_list, listed, pool))
    candidates.extend(_which_primary(knowledge))
    return candidates


def _evidence(knowledge: Knowledge, site_list: SiteList, site: str) -> tuple[tuple[str, ...], ...]:
    evidence: list[tuple[str, ...]] = [site_forms(site)]
    if site_list.complete and site_list.primary is not None:
        evidence.append((site_list.primary.name,))
    return tuple(evidence)


def _summary(knowledge: Knowledge, primary: str | None, listed: list[str]) -> str:
    names = join_phrases([site_display(s) for s in listed])
    return f"The text lists {names} as the most common sites {scope(primary, knowledge)}."


def _one_of(
    knowledge: Knowledge,
    primary: str | None,
    site_list: SiteList,
    listed: list[str],
    pool: list[str],
) -> list[Candidate]:
    salt = ("sites-one", primary)
    distractors = pick(pool, MAX_DISTRACTORS, salt, prefer=listed_anywhere(knowledge))
    if len(distractors) < MIN_DISTRACTORS:
        return []
    correct = pick(listed, 1, salt)[0]
    where = scope(primary, knowledge)
    wrong = [
        (
            site_display(d),
            f"The text does not list {site_display(d)} among the common sites {where}.",
        )
        for d in distractors
    ]
    return [
        Candidate(
            family=FAMILY,
            type="mcq",
            prompt=(
                f"According to the text, which of these is one of the most common sites {where}?"
            ),
            quote=site_list.quote,
            explanation=_summary(knowledge, primary, listed),
            choices=single_choice(site_display(correct), wrong, salt),
            difficulty=1,
            topics=TOPICS,
            evidence=_evidence(knowledge, site_list, correct),
            false_claims=tuple(Claim("spreads-to", primary or "", d) for d in distractors),
            score=len(listed),
        )
    ]


def _all_of(
    knowledge: Knowledge,
    primary: str | None,
    site_list: SiteList,
    listed: list[str],
    pool: list[str],
) -> list[Candidate]:
    salt = ("sites-all", primary)
    distractors = pick(pool, MIN_DISTRACTORS, salt, prefer=listed_anywhere(knowledge))
    if len(listed) < 2 or len(distractors) < MIN_DISTRACTORS:
        return []
    shown = [s for s in listed if s in pick(listed, MAX_LISTED_CHOICES, salt)]
    where = scope(primary, knowledge)
    wrong = [
        (
            site_display(d),
            f"The text does not list {site_display(d)} among the common sites {where}.",
        )
        for d in distractors
    ]
    return [
        Candidate(
            family=FAMILY,
            type="multi",
            prompt=(
                f"According to the text, which of these are among the most common sites {where}? "
                "Select all that apply."
            ),
            quote=site_list.quote,
            explanation=_summary(knowledge, primary, listed),
            choices=multiple_choice([site_display(s) for s in shown], wrong, salt),
            difficulty=2,
            topics=TOPICS,
            evidence=tuple(site_forms(s) for s in shown),
            false_claims=tuple(Claim("spreads-to", primary or "", d) for d in distractors),
            score=len(listed),
        )
    ]


def _not_one_of(
    knowledge: Knowledge,
    primary: str | None,
    site_list: SiteList,
    listed: list[str],
    pool: list[str],
) -> list[Candidate]:
    salt = ("sites-not", primary)
    if len(listed) < MAX_DISTRACTORS or not pool:
        return []
    answer = pick(pool, 1, salt, prefer=listed_anywhere(knowledge))[0]
    where = scope(primary, knowledge)
    wrong = [
        (site_display(s), f"The text lists {site_display(s)} among the most common sites {where}.")
        for s in pick(listed, MAX_DISTRACTORS, salt)
    ]
    return [
        Candidate(
            family=FAMILY,
            type="mcq",
            prompt=(
                f"According to the text, which of these is NOT one of the most common sites "
                f"{where}?"
            ),
            quote=site_list.quote,
            explanation=(
                f"{_summary(knowledge, primary, listed)} {capitalise(site_display(answer))} "
                "is not among them."
            ),
            choices=single_choice(site_display(answer), wrong, salt),
            difficulty=2,
            topics=TOPICS,
            evidence=tuple(site_forms(s) for s in listed[:1]),
            false_claims=(Claim("spreads-to", primary or "", answer),),
            score=len(listed),
        )
    ]


def _which_primary(knowledge: Knowledge) -> list[Candidate]:
    """Ask which cancer a site belongs to, for sites the text lists for one primary only."""
    primaries = [p for p in knowledge.primaries() if p is not None]
    candidates: list[Candidate] = []
    for site in knowledge.site_pool():
        if not SITE_BY_KEY[site].distractor:
            continue
        owners = [p for p in primaries if knowledge.spreads_to(p, site)]
        others = [p for p in primaries if p not in owners and own_organ(p) != site]
        if len(owners) != 1 or len(others) < MIN_DISTRACTORS:
            continue
        owner = owners[0]
        site_list = next((s for s in knowledge.lists_for(owner) if site in s.sites), None)
        if site_list is None or not site_list.complete:
            continue
        salt = ("sites-which", site)
        distractors = pick(others, MAX_DISTRACTORS, salt)
        name = knowledge.cancer_names.get(owner, owner)
        wrong = [
            (
                knowledge.cancer_names.get(d, d),
                f"The text does not list {site_display(site)} among the common sites of spread "
                f"for {knowledge.cancer_names.get(d, d)}.",
            )
            for d in distractors
        ]
        candidates.append(
            Candidate(
                family=FAMILY,
                type="mcq",
                prompt=(
                    f"According to the text, {site_is(site)} one of the most common sites of "
                    "spread for which of these cancers?"
                ),
                quote=site_list.quote,
                explanation=(
                    f"The text lists {site_display(site)} among the most common sites of spread "
                    f"for {name}, and for none of the other cancers offered here."
                ),
                choices=single_choice(name, wrong, salt),
                difficulty=2,
                topics=TOPICS,
                evidence=(site_forms(site), (name,)),
                false_claims=tuple(Claim("spreads-to", d, site) for d in distractors),
            )
        )
    return candidates
