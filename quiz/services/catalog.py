"""Read-only look-ups of questions, topics and sources."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from quiz.domain import bank
from quiz.models import Question, QuestionVersion, Source, Topic, question_topics


def _with_current() -> object:
    return selectinload(Question.current).selectinload(QuestionVersion.question)


def all_questions(session: Session) -> list[bank.Question]:
    """Return every question's current version, in id order."""
    rows = session.scalars(select(Question).options(_with_current()).order_by(Question.key))
    return [row.current.to_domain() for row in rows]


def find_question(session: Session, question_key: str) -> bank.Question | None:
    """Return a question's current version by its bank id, or None."""
    row = session.scalar(
        select(Question).options(_with_current()).where(Question.key == question_key)
    )
    return row.current.to_domain() if row is not None else None


def topics_with_counts(session: Session) -> list[tuple[Topic, int]]:
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


def approved_count(session: Session) -> int:
    return session.scalar(select(func.count()).where(Question.status == "approved")) or 0


def list_sources(session: Session) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.position)))


def get_source(session: Session, slug: str) -> Source | None:
    return session.scalar(
        select(Source).options(selectinload(Source.passages)).where(Source.slug == slug)
    )
