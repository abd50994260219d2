"""Running progress per student and topic, and per student and question.

Each answer updates a few rows here in the same transaction as the answer itself, so the
dashboards read one row per student and topic instead of every answer ever given; at a
million answers that is the difference between milliseconds and seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select

from quiz.domain.analytics import RecencyTally
from quiz.models import QuestionProgress, Response, TopicProgress
from quiz.models import question_topics as qt
from quiz.services import DbSession

Counts = TopicProgress | QuestionProgress


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def tally_of(row: Counts) -> RecencyTally:
    """Return a stored row as the domain's tally."""
    return RecencyTally(
        row.answers,
        row.correct,
        row.weight,
        row.weighted_correct,
        row.last_answered_day,
        row.last_correct,
    )


def stored_columns(model: type[Counts]) -> tuple[Any, ...]:
    """The columns `analytics.masteries_from_stored` reads, after a row's key."""
    return (
        model.answers,
        model.correct,
        model.weight,
        model.weighted_correct,
        model.last_answered_day,
    )


def _values(tally: RecencyTally) -> dict[str, object]:
    return {
        "answers": tally.answers,
        "correct": tally.correct,
        "weight": tally.weight,
        "weighted_correct": tally.weighted_correct,
        "last_answered_day": tally.last_answered_day,
        "last_correct": tally.last_correct,
    }


def _topic_ids(session: DbSession, question_id: int) -> list[int]:
    return list(session.scalars(select(qt.c.topic_id).where(qt.c.question_id == question_id)))


def _count_into(
    session: DbSession, row: Counts | None, fresh: Counts, correct: bool, at: datetime
) -> None:
    tally = RecencyTally() if row is None else tally_of(row)
    tally.add(correct, at)
    target = fresh if row is None else row
    for name, value in _values(tally).items():
        setattr(target, name, value)
    if row is None:
        session.add(fresh)


def record_answer(
    session: DbSession, user_id: int, question_id: int, correct: bool, answered_at: datetime
) -> None:
    """Count one answer into the student's question and topic rows (the caller commits).

    The rows are locked for the update where the database can (PostgreSQL); SQLite's write
    transactions are already one at a time.
    """
    at = _aware(answered_at)
    row = session.get(QuestionProgress, (user_id, question_id), with_for_update=True)
    _count_into(
        session, row, QuestionProgress(user_id=user_id, question_id=question_id), correct, at
    )
    for topic_id in _topic_ids(session, question_id):
        topic_row = session.get(TopicProgress, (user_id, topic_id), with_for_update=True)
        _count_into(
            session, topic_row, TopicProgress(user_id=user_id, topic_id=topic_id), correct, at
        )


def rebuild(session: DbSession, user_ids: Iterable[int] | None = None) -> int:
    """Recount the rows from the answers themselves, for everyone or for some students.

    For data written in bulk (demo data) and for repair. Returns the answers counted; the
    caller commits.
    """
    users = None if user_ids is None else list(user_ids)
    topics_of: dict[int, list[int]] = {}
    for question_id, topic_id in session.execute(select(qt.c.question_id, qt.c.topic_id)):
        topics_of.setdefault(question_id, []).append(topic_id)
    # In each student's own order (their index serves it): a deterministic result.
    answers = select(
        Response.user_id, Response.question_id, Response.correct, Response.answered_at
    ).order_by(Response.user_id, Response.answered_at, Response.id)
    if users is not None:
        answers = answers.where(Response.user_id.in_(users))
    by_question: dict[tuple[int, int], RecencyTally] = {}
    by_topic: dict[tuple[int, int], RecencyTally] = {}
    counted = 0
    for user_id, question_id, correct, answered_at in session.execute(answers).yield_per(20_000):
        at = _aware(answered_at)
        key = (user_id, question_id)
        tally = by_question.get(key) or by_question.setdefault(key, RecencyTally())
        tally.add(bool(correct), at)
        for topic_id in topics_of.get(question_id, ()):
            topic_key = (user_id, topic_id)
            topic_tally = by_topic.get(topic_key) or by_topic.setdefault(topic_key, RecencyTally())
            topic_tally.add(bool(correct), at)
        counted += 1
    for model, key_name, tallies in (
        (QuestionProgress, "question_id", by_question),
        (TopicProgress, "topic_id", by_topic),
    ):
        wipe = delete(model)
        if users is not None:
            wipe = wipe.where(model.user_id.in_(users))
        session.execute(wipe)
        rows = [
            {"user_id": user_id, key_name: key, **_values(tally)}
            for (user_id, key), tally in tallies.items()
        ]
        for start in range(0, len(rows), 5_000):
            session.execute(insert(model), rows[start : start + 5_000])
    return counted
