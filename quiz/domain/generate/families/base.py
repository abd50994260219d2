"""What every question family builds: a candidate question, before the quality gates.

A candidate says which words of its quote ground its answer (`evidence`) and which
statements it treats as false (`false_claims`: its distractors, or the statement of a
"false" true/false question), so the gates can check both against the whole text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quiz.domain.bank import Choice

from ..corpus import Quote
from ..lexicon import SITE_BY_KEY
from ..wording import capitalise, ordered_by_hash

TRUE, FALSE = "True", "False"


@dataclass(frozen=True)
class Claim:
    """A statement a question treats as false, in a form the knowledge base can check.

    relation is one of "spreads-to" (subject: cancer key or "" for overall; value: site
    key), "symptom-of" (subject: site key; value: symptom), "defines" (subject: term;
    value: definition or quote), "test-role" (subject: test key; value: role) and
    "treatment-purpose" (subject: treatment key; value: purpose, or "site:<key>").
    """

    relation: str
    subject: str
    value: str


@dataclass(frozen=True)
class Candidate:
    """A question as a family proposes it; the gates decide whether it is kept."""

    family: str
    type: str
    prompt: str
    quote: Quote
    explanation: str
    answers: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    difficulty: int = 2
    topics: tuple[str, ...] = ()
    # Each entry lists interchangeable phrases; one of them must appear in the quote.
    evidence: tuple[tuple[str, ...], ...] = ()
    false_claims: tuple[Claim, ...] = ()
    score: int = 0  # among near-duplicates, the highest score is kept


def single_choice(
    correct: str, wrong: Sequence[tuple[str, str]], salt: object
) -> tuple[Choice, ...]:
    """Return mcq choices (one right, the others with feedback) in a content-keyed order."""
    choices = [Choice(capitalise(correct), True)]
    choices += [Choice(capitalise(text), False, feedback) for text, feedback in wrong]
    return tuple(ordered_by_hash(choices, salt))


def multiple_choice(
    correct: Sequence[str], wrong: Sequence[tuple[str, str]], salt: object
) -> tuple[Choice, ...]:
    """Return multi choices (several right) in a content-keyed order."""
    choices = [Choice(capitalise(text), True) for text in correct]
    choices += [Choice(capitalise(text), False, feedback) for text, feedback in wrong]
    return tuple(ordered_by_hash(choices, salt))


def true_false(is_true: bool, correction: str) -> tuple[Choice, ...]:
    """Return the True and False choices, with feedback on the wrong one."""
    return (
        Choice(TRUE, is_true, "" if is_true else correction),
        Choice(FALSE, not is_true, correction if is_true else ""),
    )


def site_display(site: str) -> str:
    """Return a site as it reads in a sentence ("the lungs")."""
    return SITE_BY_KEY[site].display


def site_is(site: str) -> str:
    """Return a site with the verb that agrees with it ("the lungs are")."""
    entry = SITE_BY_KEY[site]
    return f"{entry.display} {'are' if entry.plural else 'is'}"


def site_forms(site: str) -> tuple[str, ...]:
    """Return the words that can name a site in a quote, for evidence checks."""
    entry = SITE_BY_KEY[site]
    return (*entry.forms, *entry.adjectives)
