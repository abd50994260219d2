"""CSV exports of a class: the gradebook, and every answer given in its quizzes.

Rows are generated as the database hands them over, so a class with a million answers
streams out without being held in memory. Every text cell a student or instructor typed
is guarded against spreadsheet formula injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select

from quiz.domain.formats.csvformat import guard_cell
from quiz.models import (
    Assignment,
    Attempt,
    AttemptItem,
    ClassMember,
    Question,
    QuestionVersion,
    Response,
    User,
)
from quiz.services import DbSession
from quiz.services.class_progress import quiz_results

Rows = Iterable[list[str]]

GRADE_HEADER = ["student", "quizzes finished"]
RESPONSE_HEADER = [
    "student",
    "quiz",
    "attempt",
    "attempt number",
    "position",
    "question",
    "version",
    "type",
    "answer",
    "correct",
    "score",
    "answered at (UTC)",
]


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _time(moment: datetime | None) -> str:
    return "" if moment is None else moment.replace(microsecond=0).isoformat()


def grade_rows(session: DbSession, class_id: int) -> Iterator[list[str]]:
    """Yield a header and one row per member: best % on each quiz set, blank if not done."""
    members = list(
        session.execute(
            select(User.id, User.username)
            .join(ClassMember, ClassMember.user_id == User.id)
            .where(ClassMember.class_id == class_id)
            .order_by(User.username)
        )
    )
    results = quiz_results(session, class_id, len(members))
    yield [
        GRADE_HEADER[0],
        *(guard_cell(f"{r.title} (best %)") for r in results),
        GRADE_HEADER[1],
    ]
    for user_id, username in members:
        scores = [r.best_percent.get(user_id) for r in results]
        yield [
            guard_cell(username),
            *(_percent(score) for score in scores),
            str(sum(score is not None for score in scores)),
        ]


def _answer_text(answer: Any, choices: list[dict[str, Any]]) -> str:
    """Return an answer as a person reads it: the chosen options' text, or what was typed."""
    if isinstance(answer, list):
        return " | ".join(
            str(choices[i]["text"]) if isinstance(i, int) and 0 <= i < len(choices) else str(i)
            for i in answer
        )
    return "" if answer is None else str(answer)


def response_rows(session: DbSession, class_id: int) -> Iterator[list[str]]:
    """Yield a header and one row per answer given in the class's quizzes, oldest first."""
    yield RESPONSE_HEADER
    quizzes = select(Assignment.id).where(Assignment.class_id == class_id)
    used_versions = (
        select(AttemptItem.question_version_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.assignment_id.in_(quizzes))
    )
    choices_of: dict[int, list[dict[str, Any]]] = dict(
        session.execute(
            select(QuestionVersion.id, QuestionVersion.choices).where(
                QuestionVersion.id.in_(used_versions)
            )
        ).all()
    )
    rows = session.execute(
        select(
            User.username,
            Attempt.title,
            Attempt.id,
            Attempt.attempt_number,
            AttemptItem.position,
            Question.key,
            QuestionVersion.id,
            QuestionVersion.number,
            QuestionVersion.type,
            Response.answer,
            Response.correct,
            Response.score,
            Response.answered_at,
        )
        .join(AttemptItem, AttemptItem.id == Response.attempt_item_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(User, User.id == Response.user_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(Attempt.assignment_id.in_(quizzes))
        .order_by(Response.answered_at, Response.id)
        .execution_options(yield_per=5_000)
    )
    try:
        for (
            username,
            title,
            attempt_id,
            attempt_number,
            position,
            key,
            version_id,
            version_number,
            kind,
            answer,
            correct,
            score,
            answered_at,
        ) in rows:
            yield [
                guard_cell(username),
                guard_cell(title),
                str(attempt_id),
                "" if attempt_number is None else str(attempt_number),
                str(position),
                guard_cell(key),
                str(version_number),
                kind,
                guard_cell(_answer_text(answer, choices_of.get(version_id) or [])),
                "yes" if correct else "no",
                f"{score:g}",
                _time(answered_at),
            ]
    finally:
        rows.close()  # a download cut short must not leave the cursor open


def as_csv(rows: Rows, chunk_rows: int = 500) -> Iterator[str]:
    """Yield CSV text a few hundred rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % chunk_rows == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
