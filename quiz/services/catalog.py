"""Read-only look-ups of questions, topics and sources."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from quiz.domain import bank
from quiz.domain.answers import answer_tokens
from quiz.models import Passage, Question, QuestionVersion, Source, Topic, question_topics
from quiz.services import DbSession


def _with_current() -> _AbstractLoad:
    return selectinload(Question.current).selectinload(QuestionVersion.question)


def all_questions(session: DbSession) -> list[bank.Question]:
    """Return every question's current version, in id order."""
    rows = session.scalars(select(Question).options(_with_current()).order_by(Question.key))
    return [row.current.to_domain() for row in rows]


def find_question(session: DbSession, question_key: str) -> bank.Question | None:
    """Return a question's current version by its bank id, or None."""
    row = session.scalar(
        select(Question).options(_with_current()).where(Question.key == question_key)
    )
    return row.current.to_domain() if row is not None else None


def topics_with_counts(session: DbSession) -> list[tuple[Topic, int]]:
    """Return topics in their order, each with its number of approved questions."""
    counts = (
        select(question_topics.c.topic_id, func.count().label("n"))
        .join(Question, Question.id == question_topics.c.question_id)
        .where(Question.status == "approved")
        .group_by(question_topics.c.topic_id)
        .subquery()
    )
    rows = session.execute(
        select(Topic, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.topic_id == Topic.id)
        .order_by(Topic.position)
    )
    return [(topic, int(n)) for topic, n in rows]


def approved_count(session: DbSession) -> int:
    return session.scalar(select(func.count()).where(Question.status == "approved")) or 0


_vocabulary_cache: dict[tuple[str, ...], frozenset[str]] = {}


def known_words(session: DbSession) -> frozenset[str]:
    """Return the normalised words of the study notes, rebuilt only when a note changes.

    The grader uses them to tell a typo from a different word of the subject.
    """
    versions = tuple(session.scalars(select(Source.version).order_by(Source.slug)))
    words = _vocabulary_cache.get(versions)
    if words is None:
        words = frozenset(
            token for text in session.scalars(select(Passage.text)) for token in answer_tokens(text)
        )
        _vocabulary_cache.clear()
        _vocabulary_cache[versions] = words
    return words


def source_titles(session: DbSession) -> dict[str, str]:
    return {slug: title for slug, title in session.execute(select(Source.slug, Source.title))}


def list_sources(session: DbSession) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.position)))


def get_source(session: DbSession, slug: str) -> Source | None:
    return session.scalar(
        select(Source).options(selectinload(Source.passages)).where(Source.slug == slug)
    )
