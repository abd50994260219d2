"""Quality gates: the checks a candidate must pass before it becomes a question.

1. grounded: every evidence phrase of the candidate appears in its quote;
2. no wrong answer is right: no distractor (or false statement) is one the text makes
   true anywhere, checked against the whole knowledge base;
3. typed prompts hide their answer, in whole and in most of its words;
4. grammatical surface: no doubled words, balanced brackets and quotes, no dangling
   list fragments, sentence-shaped prompts and choices;
5. enough choices to make a choice question worth asking;
6. near-duplicates merged: same kind of question naming the same entities, with the
   same prompt, or with prompts rapidfuzz finds nearly identical and the same answer;
   the best-scored one stays.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from quiz.domain.answers import contains_phrase, normalise_answer
from quiz.domain.bank import BLANK, CHOICE_TYPES

from .entities import SITE_WORDS, TEST_FORMS, TREATMENT_FORMS, find_cancers
from .facts import Knowledge
from .families.base import Candidate, Claim
from .wording import leaks

NEAR_DUPLICATE = 92  # rapidfuzz ratio of normalised prompts
NEIGHBOURS = 8  # how many sorted neighbours each prompt is compared with
MAX_PROMPT_CHARS = 450
MAX_CHOICE_WORDS = 16
MIN_CHOICES = 3

_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_DANGLING_END = re.compile(
    r"(?:\b(?:and|or|the|a|an|of|to|with|such as|including|like|as well as)|[,;:(])\s*[.?!]?$",
    re.IGNORECASE,
)
_DANGLING_START = re.compile(r"^(?:and|or|but|which|that|as well as)\b|^[,;:.)]", re.IGNORECASE)
_BAD_SPACING = re.compile(r"\s[,.;:?!)]|\(\s|\s{2,}|[,;]\s*[.?]")


@dataclass
class GateReport:
    """How many candidates each gate turned away."""

    rejected: Counter[str] = field(default_factory=Counter)

    def reject(self, reason: str) -> bool:
        self.rejected[reason] += 1
        return False


def apply_gates(
    candidates: Sequence[Candidate], knowledge: Knowledge, report: GateReport
) -> list[Candidate]:
    """Return the candidates that pass every gate, near-duplicates merged."""
    passed = [c for c in candidates if _passes(c, knowledge, report)]
    return merge_near_duplicates(passed, report)


def _passes(candidate: Candidate, knowledge: Knowledge, report: GateReport) -> bool:
    if not is_grounded(candidate):
        return report.reject("answer not in quote")
    if any(claim_holds(knowledge, claim) for claim in candidate.false_claims):
        return report.reject("distractor correct elsewhere")
    if candidate.type in ("short", "cloze") and gives_away_answer(candidate):
        return report.reject("prompt gives away answer")
    if surface_problem(candidate) is not None:
        return report.reject("surface")
    if candidate.type in ("mcq", "multi") and not has_enough_choices(candidate):
        return report.reject("too few choices")
    return True


def is_grounded(candidate: Candidate) -> bool:
    """Tell whether each evidence phrase (one of each group) appears in the quote."""
    quote = candidate.quote.text
    return all(any(_appears(phrase, quote) for phrase in group) for group in candidate.evidence)


def _appears(phrase: str, text: str) -> bool:
    return phrase.lower() in text.lower() or contains_phrase(text, phrase)


def claim_holds(knowledge: Knowledge, claim: Claim) -> bool:
    """Tell whether the text anywhere makes a statement the question treats as false."""
    if claim.relation == "spreads-to":
        return knowledge.spreads_to(claim.subject or None, claim.value)
    if claim.relation == "symptom-of":
        return knowledge.symptom_linked_to(claim.value, claim.subject)
    if claim.relation == "defines":
        return knowledge.defines(claim.subject, claim.value)
    if claim.relation == "test-role":
        return claim.value in knowledge.test_roles(claim.subject)
    if claim.relation == "treatment-purpose":
        return knowledge.serves(claim.subject, claim.value)
    raise ValueError(f"unknown claim relation {claim.relation!r}")


def gives_away_answer(candidate: Candidate) -> bool:
    """Tell whether a typed prompt shows an accepted answer, or most of the first one."""
    visible = candidate.prompt.replace(BLANK, " ")
    if any(contains_phrase(visible, answer) for answer in candidate.answers):
        return True
    # A term's own words in its prompt give it away ("spinal cord (blank)" for "spinal
    # cord compression"); a naming answer must repeat the prompt's organs, so it is exempt.
    return candidate.family == "terms" and leaks(visible, candidate.answers[0])


def surface_problem(candidate: Candidate) -> str | None:
    """Return what reads badly in a candidate's prompt, choices or explanation, or None."""
    prompt = candidate.prompt.replace(BLANK, "blank")
    if len(candidate.prompt) > MAX_PROMPT_CHARS:
        return "prompt too long"
    for label, text in (("prompt", prompt), ("explanation", candidate.explanation)):
        problem = _sentence_problem(text)
        if problem:
            return f"{label}: {problem}"
    if not candidate.prompt.rstrip("”\"'").endswith(("?", ".")):
        return "prompt is not a sentence"
    for choice in candidate.choices:
        text = choice.text
        if (
            not text
            or len(text.split()) > MAX_CHOICE_WORDS
            or _DANGLING_START.search(text)
            or _DANGLING_END.search(text)
            or "and/or" in text
            or _DOUBLED.search(text)
        ):
            return f"choice: {text!r}"
    return None


def _sentence_problem(text: str) -> str | None:
    if not text or not (text[0].isupper() or text[0].isdigit() or text[0] in "“\"'"):
        return "does not start a sentence"
    doubled = _DOUBLED.search(text)
    if doubled is not None and not doubled.group(1).isdigit():
        return f"doubled word {doubled.group(0)!r}"
    if text.count("(") != text.count(")") or text.count("“") != text.count("”"):
        return "unbalanced brackets or quotes"
    if text.count('"') % 2:
        return "unbalanced quotes"
    if _BAD_SPACING.search(text):
        return "bad spacing"
    if _DANGLING_END.search(text):
        return "dangling end"
    return None


def has_enough_choices(candidate: Candidate) -> bool:
    """Tell whether a choice question has a right answer and at least two wrong ones."""
    wrong = sum(not c.correct for c in candidate.choices)
    right = sum(c.correct for c in candidate.choices)
    return len(candidate.choices) >= MIN_CHOICES and right >= 1 and wrong >= 2


def merge_near_duplicates(candidates: Sequence[Candidate], report: GateReport) -> list[Candidate]:
    """Keep one of each group of near-duplicate candidates: the best scored, then first.

    Candidates can only merge when they are the same type and name the same entities,
    so "... for breast cancer" never merges with "... for lung cancer". The same prompt
    merges whatever its answer (a student would meet one stem twice); a merely similar
    prompt merges only with the same answer, since "... can cause fractures?" and "...
    can cause ascites?" differ in one word that matters. Within a bucket the prompts are
    sorted two ways and each is compared with its neighbours, which finds near-duplicates
    in time linear in their number.
    """
    best_first = sorted(range(len(candidates)), key=lambda i: (-candidates[i].score, i))
    buckets: dict[tuple[object, ...], list[int]] = {}
    for index in best_first:
        buckets.setdefault(_signature(candidates[index]), []).append(index)
    dropped: set[int] = set()
    for members in buckets.values():
        prompts = {i: _normalised_prompt(candidates[i]) for i in members}
        answers = {i: _answer_key(candidates[i]) for i in members}
        seen: dict[str, int] = {}
        for i in members:  # exact duplicates: the first (best) one stays
            if prompts[i] in seen:
                dropped.add(i)
            else:
                seen[prompts[i]] = i
        remaining = [i for i in members if i not in dropped]
        rank = {i: position for position, i in enumerate(remaining)}
        for order in (
            sorted(remaining, key=lambda i: prompts[i]),
            sorted(remaining, key=lambda i: prompts[i][::-1]),
        ):
            for position, i in enumerate(order):
                for j in order[position + 1 : position + 1 + NEIGHBOURS]:
                    if i in dropped or j in dropped:
                        continue
                    if (
                        answers[i] == answers[j]
                        and fuzz.ratio(prompts[i], prompts[j]) >= NEAR_DUPLICATE
                    ):
                        dropped.add(j if rank[i] < rank[j] else i)
    for _ in dropped:
        report.reject("near-duplicate")
    return [c for index, c in enumerate(candidates) if index not in dropped]


def _normalised_prompt(candidate: Candidate) -> str:
    return normalise_answer(candidate.prompt.replace(BLANK, " blank "))


def _answer_key(candidate: Candidate) -> tuple[str, ...]:
    if candidate.type in CHOICE_TYPES:
        return tuple(sorted(normalise_answer(c.text) for c in candidate.choices if c.correct))
    return tuple(normalise_answer(a) for a in candidate.answers[:1])


def _signature(candidate: Candidate) -> tuple[object, ...]:
    """Return what near-duplicates share: type, the entities named, and negation."""
    negated = " NOT " in f" {candidate.prompt} "
    return (candidate.type, entity_keys(candidate.prompt), negated)


def entity_keys(text: str) -> tuple[str, ...]:
    """Return the sorted keys of the sites, cancers, tests and treatments text names."""
    keys: Iterable[str] = (
        *(m.key for m in SITE_WORDS.find(text)),
        *(m.key for m in find_cancers(text)),
        *(m.key for m in TEST_FORMS.find(text)),
        *(m.key for m in TREATMENT_FORMS.find(text)),
    )
    return tuple(sorted(set(keys)))
