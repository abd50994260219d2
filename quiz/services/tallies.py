"""Running progress per student and topic, and per student and question.

Each answer updates a few rows here in the same transaction as the answer itself, so the
dashboards read one row per student and topic instead of every answer ever given; at a
million answers that is the difference between milliseconds and seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from quiz.domain.analytics import RecencyTally
from quiz.models import QuestionProgress, Response, Topic, TopicProgress
from quiz.models import question_topics as qt
from quiz.services import DbSession, as_utc

Counts = TopicProgress | QuestionProgress
UserIds = Iterable[int] | Select[Any]
# What a row holds before its first answer is counted into it.
EMPTY = {
    "answers": 0,
    "correct": 0,
    "weight": 0.0,
    "weighted_correct": 0.0,
    "last_answered_day": 0.0,
    "last_correct": False,
}
BATCH = 5_000


def tally_of(row: Counts) -> RecencyTally:
    """Return a stored row as the domain's tally."""
    if not row.answers:
        return RecencyTally()
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


def _locked(session: DbSession, model: type[Counts], key: dict[str, int]) -> Counts:
    """Return the row for `key`, created if missing and locked until commit.

    Creating it with INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL both have it)
    lets two first answers from one student race without a duplicate-key error; the
    SELECT … FOR UPDATE then serialises them on PostgreSQL. SQLite takes its write lock
    when the transaction begins, so there is nothing to race.
    """
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(builder(model).values(**key, **EMPTY).on_conflict_do_nothing())
    query = select(model).filter_by(**key).with_for_update()
    found = session.scalars(query.execution_options(populate_existing=True)).one()
    return cast(Counts, found)


def record_answer(
    session: DbSession, user_id: int, question_id: int, correct: bool, answered_at: datetime
) -> None:
    """Count one answer into the student's question and topic rows (the caller commits).

    Rows are locked in one order (the question's, then its topics' by id), so two answers
    from one student cannot deadlock.
    """
    at = as_utc(answered_at)
    targets: list[tuple[type[Counts], dict[str, int]]] = [
        (QuestionProgress, {"user_id": user_id, "question_id": question_id})
    ]
    topic_ids = session.scalars(
        select(qt.c.topic_id).where(qt.c.question_id == question_id).order_by(qt.c.topic_id)
    )
    targets += [(TopicProgress, {"user_id": user_id, "topic_id": t}) for t in topic_ids]
    for model, key in targets:
        row = _locked(session, model, key)
        tally = tally_of(row)
        tally.add(correct, at)
        for name, value in _values(tally).items():
            setattr(row, name, value)


def _fold(answers: Iterable[Any]) -> dict[tuple[int, int], RecencyTally]:
    """Fold (user, key, correct, answered_at) rows into one tally per (user, key); the
    rows are all read before anything is written."""
    tallies: dict[tuple[int, int], RecencyTally] = {}
    for user_id, key, correct, answered_at in answers:
        found = tallies.get((user_id, key))
        if found is None:
            found = tallies[(user_id, key)] = RecencyTally()
        found.add(bool(correct), as_utc(answered_at))
    return tallies


def _replace(
    session: DbSession,
    model: type[Counts],
    key_name: str,
    folded: dict[tuple[int, int], RecencyTally],
    wipe: Any,
) -> None:
    session.execute(wipe)
    rows = [
        {"user_id": user_id, key_name: key, **_values(tally)}
        for (user_id, key), tally in folded.items()
    ]
    for start in range(0, len(rows), BATCH):
        session.execute(insert(model), rows[start : start + BATCH])


def rebuild(session: DbSession, user_ids: Iterable[int] | None = None) -> int:
    """Recount the rows from the answers themselves, for everyone or for some students.

    For data written in bulk (demo data) and for repair; run it while nobody is answering,
    as answers given meanwhile are counted only if they land before it reads. Returns the
    answers counted; the caller commits.
    """
    users = None if user_ids is None else list(user_ids)
    # In each student's own order (their index serves it): a deterministic result.
    answers = select(
        Response.user_id, Response.question_id, Response.correct, Response.answered_at
    ).order_by(Response.user_id, Response.answered_at, Response.id)
    if users is not None:
        answers = answers.where(Response.user_id.in_(users))
    folded = _fold(session.execute(answers.execution_options(yield_per=BATCH)))
    wipe_questions = delete(QuestionProgress)
    if users is not None:
        wipe_questions = wipe_questions.where(QuestionProgress.user_id.in_(users))
    _replace(session, QuestionProgress, "question_id", folded, wipe_questions)
    _recount_topics(session, None, users)
    return sum(tally.answers for tally in folded.values())


def recount_question_topics(session: DbSession, question_id: int, topic_slugs: set[str]) -> None:
    """Recount these topics for the students who answered a question whose topics changed.

    Answers count under the topics a question has now, so moving a question between
    topics moves its answers too. The caller commits.
    """
    session.flush()
    topic_ids = session.scalars(select(Topic.id).where(Topic.slug.in_(topic_slugs))).all()
    answered = select(QuestionProgress.user_id).where(QuestionProgress.question_id == question_id)
    _recount_topics(session, sorted(topic_ids), answered)


def _recount_topics(session: DbSession, topic_ids: list[int] | None, users: UserIds | None) -> None:
    answers = (
        select(Response.user_id, qt.c.topic_id, Response.correct, Response.answered_at)
        .join(qt, qt.c.question_id == Response.question_id)
        .order_by(Response.user_id, Response.answered_at, Response.id)
    )
    wipe = delete(TopicProgress)
    if topic_ids is not None:
        answers = answers.where(qt.c.topic_id.in_(topic_ids))
        wipe = wipe.where(TopicProgress.topic_id.in_(topic_ids))
    if users is not None:
        answers = answers.where(Response.user_id.in_(users))
        wipe = wipe.where(TopicProgress.user_id.in_(users))
    folded = _fold(session.execute(answers.execution_options(yield_per=BATCH)))
    _replace(session, TopicProgress, "topic_id", folded, wipe)
