"""Naming questions: a cancer found in another organ keeps its primary's name.

A question is asked only for a primary and a site that the text's lists pair, and
it quotes the text's own statement of the naming rule, so the answer follows from
the quote and the pair is one the text actually describes.
"""

from __future__ import annotations

from ..facts import CancerRef, Knowledge, NamingRule
from ..lexicon import CANCER_BY_KEY, SITE_BY_KEY
from ..wording import capitalise, pick, stable_hash, unique
from .base import Candidate, single_choice, site_display

FAMILY = "naming"
TOPICS = ("naming", "sites")
MCQ_PER_PRIMARY = 2
RULE_SUMMARY = "A metastatic cancer keeps the name of the organ where it started."


def naming_questions(knowledge: Knowledge) -> list[Candidate]:
    """Return naming questions for every primary and listed site the text pairs."""
    rules = knowledge.naming_rules
    if not rules:
        return []
    rule = rules[0]  # ranked: the one showing "X metastatic to the Y" beside the rule comes first
    candidates: list[Candidate] = []
    for primary, sites in _pairs(knowledge):
        for site in sites:
            if rule.shows_form:
                candidates.append(_typed(rule, primary, site))
        # Sites with a cancer of their own make the tempting wrong name ("bone cancer").
        with_own_name = [s for s in sites if SITE_BY_KEY[s].own_cancer.endswith("cancer")]
        for site in pick(with_own_name, MCQ_PER_PRIMARY, ("naming-mcq", primary.key)):
            candidates.append(_choice(rule, primary, site))
    return candidates


def _pairs(knowledge: Knowledge) -> list[tuple[CancerRef, list[str]]]:
    """Return each primary with the sites listed for it, leaving out its own organ."""
    pairs: list[tuple[CancerRef, list[str]]] = []
    for key in knowledge.primaries():
        if key is None:
            continue
        organ = CANCER_BY_KEY[key].organ if key in CANCER_BY_KEY else ""
        sites = unique(
            site
            for site_list in knowledge.lists_for(key)
            for site in site_list.sites
            if site != organ and SITE_BY_KEY[site].part_of != organ
        )
        if sites:
            pairs.append((CancerRef(key, knowledge.cancer_names.get(key, key)), sites))
    return pairs


def _full_name(primary: CancerRef, site: str) -> str:
    return f"{primary.name} metastatic to {site_display(site)}"


def _typed(rule: NamingRule, primary: CancerRef, site: str) -> Candidate:
    where = site_display(site)
    if stable_hash("naming-wording", primary.key, site) % 2:
        prompt = f"{capitalise(primary.name)} found in {where} is called what?"
    else:
        prompt = f"{capitalise(primary.name)} that has spread to {where} is called what?"
    answer = _full_name(primary, site)
    return Candidate(
        family=FAMILY,
        type="short",
        prompt=prompt,
        quote=rule.quote,
        explanation=(
            f"{RULE_SUMMARY} The text lists {where} among the common sites of spread for "
            f"{primary.name}, so {primary.name} found there is {answer}."
        ),
        answers=(answer, f"metastatic {primary.name} in {where}"),
        difficulty=2,
        topics=TOPICS,
        evidence=(("metastatic to",),),
    )


def _choice(rule: NamingRule, primary: CancerRef, site: str) -> Candidate:
    where = site_display(site)
    own = SITE_BY_KEY[site].own_cancer
    wrong = [
        (own, f"The cells in {where} are {primary.name} cells, so this is not {own}."),
    ]
    if own.endswith("cancer"):
        wrong.append(
            (
                f"primary {own}",
                f"A primary {own} would start from the cells of {where}; this one started "
                f"as {primary.name}.",
            )
        )
        organ = CANCER_BY_KEY[primary.key].organ if primary.key in CANCER_BY_KEY else ""
        if organ:
            wrong.append(
                (
                    f"{own} metastatic to {site_display(organ)}",
                    f"This reverses the direction: the cancer began as {primary.name} and "
                    f"travelled to {where}.",
                )
            )
    if rule.shows_form:
        correct = _full_name(primary, site)
        explanation = (
            f"{RULE_SUMMARY} Cells of {primary.name} growing in {where} are still "
            f"{primary.name}, described as {correct}."
        )
        evidence: tuple[tuple[str, ...], ...] = (("metastatic to",),)
    else:
        correct = primary.name
        explanation = (
            f"{RULE_SUMMARY} Cells of {primary.name} growing in {where} are still {primary.name}."
        )
        evidence = ()
    return Candidate(
        family=FAMILY,
        type="mcq",
        prompt=(
            f"{capitalise(primary.name)} cells are found growing in {where}. What is this called?"
        ),
        quote=rule.quote,
        explanation=explanation,
        choices=single_choice(correct, wrong, ("naming", primary.key, site)),
        difficulty=1,
        topics=TOPICS,
        evidence=evidence,
    )
