"""Fill a database with realistic, reproducible practice data for dashboards and benchmarks.

Each student has an ability and each question a difficulty; a student answers right
with the logistic chance of the difference (a one-parameter IRT model), so item
statistics come out the way a real class makes them: easy questions have high
facility, and questions discriminate between stronger and weaker students.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text

from quiz.models import (
    Assignment,
    Attempt,
    AttemptItem,
    ClassMember,
    Question,
    QuestionVersion,
    Response,
    StudyClass,
    User,
)
from quiz.services import DbSession, tallies

QUESTIONS_PER_ATTEMPT = 10
ASSIGNED_QUESTIONS = 30  # every student also takes one assigned quiz of this length
BATCH = 20_000
# Precomputed once: a stand-in, since demo students never log in with a password.
DEMO_PASSWORD_HASH = "pbkdf2:sha256:600000$demo$not-a-login"


@dataclass(frozen=True)
class DemoReport:
    class_id: int
    assignment_id: int
    join_code: str
    students: int
    attempts: int
    responses: int


def fill(
    session: DbSession,
    students: int,
    responses: int,
    now: datetime,
    seed: int = 20261121,
    owner_name: str | None = None,
) -> DemoReport:
    """Add one class of `students` and about `responses` answers, owned by the instructor
    `owner_name` (so they can log in and look at it) or by a new demo instructor.

    Raises:
        ValueError: sizes out of range, no approved questions to answer, or no instructor
            of that name.
    """
    if not 1 <= students <= 100_000 or not 0 <= responses <= 20_000_000:
        raise ValueError("students must be 1-100,000 and responses 0-20,000,000")
    rng = random.Random(seed)
    questions = list(
        session.execute(
            select(Question.id, Question.current_number)
            .where(Question.status == "approved")
            .order_by(Question.id)
        )
    )
    if not questions:
        raise ValueError("load the bank first (quiz init): there is nothing to answer")
    versions = _current_versions(session)
    difficulty = {qid: rng.gauss(-0.8, 1.0) for qid, _ in questions}
    run = session.scalar(select(func.count(StudyClass.id))) or 0
    if owner_name is not None:
        found = session.scalar(select(User).where(User.username == owner_name))
        if found is None or found.role not in ("instructor", "admin"):
            raise ValueError(f"there is no instructor called {owner_name!r}")
        owner = found
    else:
        owner = User(
            username=f"demo-teacher-{run + 1}",
            password_hash=DEMO_PASSWORD_HASH,
            role="instructor",
        )
        session.add(owner)
        session.flush()
    study_class = StudyClass(
        name=f"Demo class {run + 1}", join_code=f"DEMO{run + 1:04d}", owner_id=owner.id
    )
    session.add(study_class)
    session.flush()
    first_user = (session.scalar(select(func.max(User.id))) or 0) + 1
    session.execute(
        insert(User),
        [
            {
                "id": first_user + i,
                "username": f"demo-{run + 1}-student-{i + 1:05d}",
                "password_hash": DEMO_PASSWORD_HASH,
                "role": "student",
                "session_token": f"demo-{run + 1}-{i}-{rng.getrandbits(64):016x}",
                "created_at": now - timedelta(days=200),
            }
            for i in range(students)
        ],
    )
    user_ids = list(range(first_user, first_user + students))
    session.execute(
        insert(ClassMember),
        [
            {"class_id": study_class.id, "user_id": uid, "joined_at": now - timedelta(days=150)}
            for uid in user_ids
        ],
    )
    ability = {uid: rng.gauss(0.0, 1.0) for uid in user_ids}
    assigned = [q for q, _ in questions[:ASSIGNED_QUESTIONS]]
    keys = dict(
        session.execute(select(Question.id, Question.key).where(Question.id.in_(assigned))).all()
    )
    assignment = Assignment(
        class_id=study_class.id,
        title="Demo assigned quiz",
        selection="picked",
        question_keys=[keys[q] for q in assigned],
        question_count=len(assigned),
        shuffle=True,
        opens_at=now - timedelta(days=30),
        created_by_id=owner.id,
    )
    session.add(assignment)
    session.flush()
    attempts_total = math.ceil(responses / QUESTIONS_PER_ATTEMPT)
    next_attempt = (session.scalar(select(func.max(Attempt.id))) or 0) + 1
    next_item = (session.scalar(select(func.max(AttemptItem.id))) or 0) + 1
    attempt_rows: list[dict[str, object]] = []
    item_rows: list[dict[str, object]] = []
    response_rows: list[dict[str, object]] = []
    written = 0
    for number in range(attempts_total):
        if written >= responses:
            break
        user_id = user_ids[number % students]
        on_assignment = number < students  # each student's first attempt is the assigned quiz
        size = min(len(assigned) if on_assignment else QUESTIONS_PER_ATTEMPT, responses - written)
        drawn = (
            [(q, 0) for q in assigned[:size]]
            if on_assignment
            else rng.sample(questions, min(size, len(questions)))
        )
        started = now - timedelta(minutes=rng.randint(10, 120 * 24 * 60))
        score = 0.0
        attempt_id = next_attempt + number
        for position, (question_id, _) in enumerate(drawn, start=1):
            chance = 1 / (1 + math.exp(-(ability[user_id] - difficulty[question_id])))
            correct = rng.random() < chance
            score += 1.0 if correct else 0.0
            item_rows.append(
                {
                    "id": next_item,
                    "attempt_id": attempt_id,
                    "position": position,
                    "question_version_id": versions[question_id].id,
                    "choice_order": list(range(len(versions[question_id].choices))),
                }
            )
            response_rows.append(
                {
                    "attempt_item_id": next_item,
                    "user_id": user_id,
                    "question_id": question_id,
                    "answer": _answer(versions[question_id], correct, rng),
                    "correct": correct,
                    "score": 1.0 if correct else 0.0,
                    "answered_at": started + timedelta(seconds=30 * position),
                }
            )
            next_item += 1
        written += len(drawn)
        attempt_rows.append(
            {
                "id": attempt_id,
                "user_id": user_id,
                "title": assignment.title if on_assignment else "Demo quiz",
                "topic_slug": None,
                "assignment_id": assignment.id if on_assignment else None,
                "attempt_number": 1 if on_assignment else None,
                "deadline": None,
                "started_at": started,
                "finished_at": started + timedelta(minutes=6),
                "score": score,
                "max_score": len(drawn),
                "feedback": "each",
            }
        )
        if len(response_rows) >= BATCH:
            _flush(session, attempt_rows, item_rows, response_rows)
    _flush(session, attempt_rows, item_rows, response_rows)
    _advance_id_sequences(session, (User, Attempt, AttemptItem))
    tallies.rebuild(session, user_ids)
    session.commit()
    attempts = session.scalar(select(func.count(Attempt.id)).where(Attempt.user_id.in_(user_ids)))
    return DemoReport(
        study_class.id, assignment.id, study_class.join_code, students, attempts or 0, written
    )


def _current_versions(session: DbSession) -> dict[int, QuestionVersion]:
    rows = session.execute(
        select(Question.id, QuestionVersion).join(
            QuestionVersion,
            (QuestionVersion.question_id == Question.id)
            & (QuestionVersion.number == Question.current_number),
        )
    )
    return {question_id: version for question_id, version in rows}


def _answer(version: QuestionVersion, correct: bool, rng: random.Random) -> object:
    """Return an answer as the app stores it: choice indexes, or the typed text."""
    if not version.choices:
        return version.answers[0] if correct and version.answers else "not sure"
    right = [i for i, choice in enumerate(version.choices) if choice["correct"]]
    wrong = [i for i in range(len(version.choices)) if i not in right]
    if correct or not wrong:
        return right
    if version.type == "multi":  # a near miss: one wrong option ticked as well
        return sorted([*right, rng.choice(wrong)])
    return [rng.choice(wrong)]


def _advance_id_sequences(session: DbSession, models: tuple[type[Any], ...]) -> None:
    """Move PostgreSQL's id sequences past the ids written here by hand.

    The rows above carry their own ids (so that items can point at attempts without a
    round trip each); SQLite's next id follows the largest one, but a PostgreSQL
    sequence does not, and the next account or attempt made the usual way would collide.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def _flush(
    session: DbSession,
    attempts: list[dict[str, object]],
    items: list[dict[str, object]],
    responses: list[dict[str, object]],
) -> None:
    for model, rows in ((Attempt, attempts), (AttemptItem, items), (Response, responses)):
        if rows:
            session.execute(insert(model), rows)
            rows.clear()
