"""Generate candidate questions from sources: corpus, facts, families, gates, questions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from quiz.domain.bank import Question, SourceRef, validate
from quiz.domain.sources import Source

from .corpus import build_corpus
from .extract import extract_knowledge
from .facts import Knowledge
from .families.base import Candidate
from .families.care import test_questions, treatment_questions
from .families.naming import naming_questions
from .families.sites import site_questions
from .families.symptoms import symptom_questions
from .families.terms import term_questions
from .families.truefalse import truefalse_questions
from .gates import GateReport, apply_gates
from .reader import GenerateInputError, document_slugs, load_input
from .topics import topics_for
from .wording import content_tokens, short_hash

Family = Callable[[Knowledge], list[Candidate]]
FAMILIES: tuple[Family, ...] = (
    naming_questions,
    site_questions,
    symptom_questions,
    term_questions,
    test_questions,
    treatment_questions,
    truefalse_questions,
)
FAMILY_NAMES = ("naming", "sites", "symptoms", "terms", "tests", "treatments", "truefalse")
MAX_ID_SLUG = 36
_ID_FILLER = frozenset({"according", "text", "which", "what", "called", "these", "blank", "term"})


@dataclass(frozen=True)
class Generation:
    """The questions generated from some sources, and what the gates turned away."""

    questions: tuple[Question, ...]
    rejected: Mapping[str, int]

    def counts(self) -> dict[str, int]:
        """Return how many questions each family produced, in family order."""
        tally = Counter(family_of(q) for q in self.questions)
        return {name: tally[name] for name in FAMILY_NAMES if tally[name]}


def family_of(question: Question) -> str:
    """Return the family a generated question came from (its id's second part)."""
    return question.id.split("-")[1]


def generate(sources: Sequence[Source], topics: Sequence[str]) -> list[Question]:
    """Generate draft questions from sources.

    Args:
        sources: the parsed texts; each question quotes one of their passages.
        topics: the topic slugs questions may carry.

    Returns:
        Questions in the bank schema (origin generated, status draft), in the reading
        order of the passages they quote; the same sources always give the same list.
    """
    return list(generate_with_report(sources, topics).questions)


def generate_with_report(sources: Sequence[Source], topics: Sequence[str]) -> Generation:
    """Generate questions as `generate` does, also counting what each gate rejected."""
    corpus = build_corpus(sources)
    knowledge = extract_knowledge(corpus)
    candidates = [candidate for family in FAMILIES for candidate in family(knowledge)]
    report = GateReport()
    kept = apply_gates(candidates, knowledge, report)
    kept.sort(key=lambda c: (c.quote.order, FAMILY_NAMES.index(c.family), c.prompt))
    sources_by_slug = {source.slug: source for source in sources}
    questions: list[Question] = []
    used_ids: set[str] = set()
    for candidate in kept:
        question = _to_question(candidate, topics, used_ids)
        if validate([question], sources_by_slug, topics):
            report.reject("bank validation")  # a gate should have caught it first
            continue
        used_ids.add(question.id)
        questions.append(question)
    return Generation(tuple(questions), dict(report.rejected))


def generate_from_paths(paths: Sequence[Path], topics: Sequence[str]) -> Generation:
    """Read and parse files, then generate from them all together.

    Raises:
        GenerateInputErrors: one or more files cannot be used (all are reported).
    """
    errors: list[GenerateInputError] = []
    sources: list[Source] = []
    for path, slug in zip(paths, document_slugs(paths), strict=True):
        try:
            sources.append(load_input(path, slug))
        except GenerateInputError as exc:
            errors.append(exc)
    if errors:
        raise GenerateInputErrors(errors)
    return generate_with_report(sources, topics)


class GenerateInputErrors(ValueError):
    """Every unusable input file, so all can be reported at once."""

    def __init__(self, errors: Sequence[GenerateInputError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = tuple(errors)


def _to_question(candidate: Candidate, topics: Sequence[str], used_ids: set[str]) -> Question:
    quote = candidate.quote
    return Question(
        id=_question_id(candidate, used_ids),
        type=candidate.type,
        prompt=candidate.prompt,
        explanation=candidate.explanation,
        source=SourceRef(quote.document, quote.passage_id, quote.text),
        topics=topics_for(candidate.topics, quote.section_title, topics, quote.document_title),
        choices=candidate.choices,
        answers=candidate.answers,
        difficulty=candidate.difficulty,
        origin="generated",
        status="draft",
    )


def _question_id(candidate: Candidate, used_ids: set[str]) -> str:
    """Return a stable, readable id: family, a few prompt words and a content hash."""
    words = [w for w in content_tokens(candidate.prompt) if w not in _ID_FILLER]
    slug = ""
    for word in words:
        word = re.sub(r"[^a-z0-9]", "", word)
        if word and len(slug) + len(word) + 1 <= MAX_ID_SLUG:
            slug = f"{slug}-{word}" if slug else word
    digest = short_hash(candidate.quote.document, candidate.quote.passage_id, candidate.prompt)
    base = "-".join(part for part in ("gen", candidate.family, slug, digest) if part)
    question_id, number = base, 2
    while question_id in used_ids:
        question_id, number = f"{base}-{number}", number + 1
    return question_id
