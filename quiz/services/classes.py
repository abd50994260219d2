"""Classes and the quizzes assigned to them: create, join, assign, start, follow up.

An instructor owns classes and sees only those; a student joins with the class's code.
Every time here is naive UTC in the database; callers pass `now` (aware or naive UTC)
and a `random.Random`, so tests control both.
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quiz.domain import bank
from quiz.models import (
    Assignment,
    Attempt,
    ClassMember,
    Question,
    QuestionVersion,
    StudyClass,
    Topic,
    User,
    question_topics,
)
from quiz.services import DbSession
from quiz.services.attempts import as_db_time, build_attempt, finish_attempt, is_overdue

# No 0/O or 1/I, so a code read aloud or off a projector is typed right the first time.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8
NAME_MAX = 120
TITLE_MAX = 200
KEYS_MAX_CHARS = 5000
MAX_QUESTIONS = 50
MAX_ATTEMPTS = 10
MAX_TIME_LIMIT = 300
SELECTIONS = ("draw", "picked")
FEEDBACK_TIMES = ("each", "end")
DIFFICULTIES = (1, 2, 3)
QUESTION_KEY = re.compile(r"[a-z0-9-]{1,80}")


class ClassError(ValueError):
    """A class or assignment request that cannot be carried out.

    `errors` maps form field names to messages ("" for the form as a whole).
    """

    def __init__(self, errors: dict[str, str] | str) -> None:
        self.errors = {"": errors} if isinstance(errors, str) else dict(errors)
        super().__init__(" ".join(self.errors.values()))


@dataclass(frozen=True)
class AssignmentFields:
    """What an instructor chose for an assigned quiz, before validation."""

    title: str
    selection: str = "draw"
    topic_slugs: Sequence[str] = ()
    types: Sequence[str] = ()
    difficulties: Sequence[int] = ()
    question_keys: Sequence[str] = ()
    question_count: int | None = 10
    shuffle: bool = True
    time_limit_minutes: int | None = None
    attempts_allowed: int = 1
    feedback: str = "each"
    opens_at: datetime | None = None  # None: open now
    closes_at: datetime | None = None  # None: never closes


@dataclass(frozen=True)
class AssignedQuiz:
    """An open assigned quiz as one student sees it."""

    assignment: Assignment
    class_name: str
    attempts_used: int
    attempts_left: int
    best_percent: int | None
    in_progress: bool  # an unfinished attempt within its time: "Continue"

    @property
    def can_start(self) -> bool:
        return self.in_progress or self.attempts_left > 0


@dataclass(frozen=True)
class StudentProgress:
    """One member's attempts at an assignment, for its instructor."""

    username: str
    attempts_used: int
    best_score: float | None
    best_percent: int | None
    max_score: int | None
    last_finished_at: datetime | None
    in_progress: bool


@dataclass
class _Problems:
    errors: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)


def new_join_code() -> str:
    """Return a random join code that is easy to read and type."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(raw: str) -> str:
    """Return a typed code in the stored form: upper case, without spaces or hyphens."""
    return re.sub(r"[\s-]+", "", raw).upper()


def create_class(session: DbSession, owner: User, name: str) -> StudyClass:
    """Create a class owned by `owner`, with a fresh join code.

    Raises:
        ClassError: the name is empty or too long.
    """
    name = name.strip()
    if not name:
        raise ClassError({"name": "Give the class a name."})
    if len(name) > NAME_MAX:
        raise ClassError({"name": f"Keep the name to {NAME_MAX} characters."})
    for _ in range(10):
        code = new_join_code()
        if session.scalar(select(StudyClass.id).where(StudyClass.join_code == code)) is None:
            break
    else:  # pragma: no cover - 32**8 codes make ten collisions in a row unthinkable
        raise ClassError("Could not make a unique join code; try again.")
    study_class = StudyClass(name=name, join_code=code, owner_id=owner.id)
    session.add(study_class)
    session.commit()
    return study_class


def join_class(session: DbSession, user: User, code: str) -> tuple[StudyClass, bool]:
    """Add `user` to the class with this code (any case, spaces ignored).

    Returns:
        The class, and whether the user was newly added (False: already a member).

    Raises:
        ClassError: no class has this code, or the user owns it.
    """
    normalised = normalise_join_code(code)
    study_class = None
    if normalised and len(normalised) <= 16:
        study_class = session.scalar(select(StudyClass).where(StudyClass.join_code == normalised))
    if study_class is None:
        raise ClassError({"code": "No class has that code. Check it with your instructor."})
    if study_class.owner_id == user.id:
        raise ClassError({"code": "You teach this class, so you cannot join it as a student."})
    if is_member(session, user.id, study_class.id):
        return study_class, False
    session.add(ClassMember(class_id=study_class.id, user_id=user.id))
    try:
        session.commit()
    except IntegrityError:  # the same join sent twice at once: the other one won
        session.rollback()
        return study_class, False
    return study_class, True


def is_member(session: DbSession, user_id: int, class_id: int) -> bool:
    return (
        session.scalar(
            select(ClassMember.id).where(
                ClassMember.class_id == class_id, ClassMember.user_id == user_id
            )
        )
        is not None
    )


def classes_of_owner(session: DbSession, owner: User) -> list[tuple[StudyClass, int]]:
    """Return the owner's classes, newest first, each with its number of members."""
    counts = (
        select(ClassMember.class_id, func.count().label("n"))
        .group_by(ClassMember.class_id)
        .subquery()
    )
    rows = session.execute(
        select(StudyClass, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.class_id == StudyClass.id)
        .where(StudyClass.owner_id == owner.id)
        .order_by(StudyClass.created_at.desc(), StudyClass.id.desc())
    )
    return [(study_class, int(n)) for study_class, n in rows]


def classes_of_member(session: DbSession, user: User) -> list[StudyClass]:
    """Return the classes a user has joined, by name."""
    return list(
        session.scalars(
            select(StudyClass)
            .options(selectinload(StudyClass.owner))
            .join(ClassMember, ClassMember.class_id == StudyClass.id)
            .where(ClassMember.user_id == user.id)
            .order_by(StudyClass.name, StudyClass.id)
        )
    )


def class_for_owner(session: DbSession, owner: User, class_id: int) -> StudyClass | None:
    """Return the class if `owner` owns it; another instructor's class does not exist."""
    study_class: StudyClass | None = session.scalar(
        select(StudyClass).where(StudyClass.id == class_id, StudyClass.owner_id == owner.id)
    )
    return study_class


def members(session: DbSession, study_class: StudyClass) -> list[ClassMember]:
    """Return the class's members by username, each with its user loaded."""
    return list(
        session.scalars(
            select(ClassMember)
            .join(User, User.id == ClassMember.user_id)
            .options(selectinload(ClassMember.user))
            .where(ClassMember.class_id == study_class.id)
            .order_by(User.username)
        )
    )


def assignment_for_owner(
    session: DbSession, owner: User, class_id: int, assignment_id: int
) -> Assignment | None:
    """Return the assignment if it belongs to this class and `owner` owns the class."""
    assignment: Assignment | None = session.scalar(
        select(Assignment)
        .join(StudyClass, StudyClass.id == Assignment.class_id)
        .where(
            Assignment.id == assignment_id,
            Assignment.class_id == class_id,
            StudyClass.owner_id == owner.id,
        )
    )
    return assignment


def matching_question_ids(
    session: DbSession,
    topic_slugs: Iterable[str] = (),
    types: Iterable[str] = (),
    difficulties: Iterable[int] = (),
) -> list[int]:
    """Return the ids of approved, current questions that match every filter given (an
    empty filter matches all); within a filter any value matches."""
    topic_slugs, types, difficulties = list(topic_slugs), list(types), list(difficulties)
    query = (
        select(Question.id)
        .join(
            QuestionVersion,
            and_(
                QuestionVersion.question_id == Question.id,
                QuestionVersion.number == Question.current_number,
            ),
        )
        .where(Question.status == "approved", Question.stale.is_(False))
    )
    if topic_slugs:
        query = query.where(
            Question.id.in_(
                select(question_topics.c.question_id)
                .join(Topic, Topic.id == question_topics.c.topic_id)
                .where(Topic.slug.in_(topic_slugs))
            )
        )
    if types:
        query = query.where(QuestionVersion.type.in_(types))
    if difficulties:
        query = query.where(QuestionVersion.difficulty.in_(difficulties))
    return sorted(session.scalars(query))


def _askable_ids_by_key(session: DbSession, keys: Sequence[str]) -> dict[str, int]:
    rows = session.execute(
        select(Question.key, Question.id).where(
            Question.key.in_(list(keys)),
            Question.status == "approved",
            Question.stale.is_(False),
        )
    )
    return {key: question_id for key, question_id in rows}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_assignment(
    session: DbSession, fields: AssignmentFields, now: datetime
) -> dict[str, object]:
    """Check an assignment's fields and return the column values to store.

    Raises:
        ClassError: with a message for every field at fault.
    """
    problems = _Problems()
    title = fields.title.strip() if isinstance(fields.title, str) else ""
    if not title:
        problems.add("title", "Give the quiz a title.")
    elif len(title) > TITLE_MAX:
        problems.add("title", f"Keep the title to {TITLE_MAX} characters.")
    if fields.selection not in SELECTIONS:
        problems.add("selection", "Choose a random draw or hand-picked questions.")
    if fields.feedback not in FEEDBACK_TIMES:
        problems.add("feedback", "Choose when students see feedback.")
    if not _is_int(fields.attempts_allowed) or not 1 <= fields.attempts_allowed <= MAX_ATTEMPTS:
        problems.add("attempts_allowed", f"Allow from 1 to {MAX_ATTEMPTS} attempts.")
    limit = fields.time_limit_minutes
    if limit is not None and (not _is_int(limit) or not 1 <= limit <= MAX_TIME_LIMIT):
        problems.add(
            "time_limit_minutes", f"Set a time limit of 1 to {MAX_TIME_LIMIT} minutes, or none."
        )
    opens_at = as_db_time(fields.opens_at or now)
    closes_at = as_db_time(fields.closes_at) if fields.closes_at is not None else None
    if closes_at is not None:
        if closes_at <= opens_at:
            problems.add("closes_at", "The closing time must be after the opening time.")
        elif closes_at <= as_db_time(now):
            problems.add("closes_at", "The closing time has already passed.")

    topic_slugs = list(dict.fromkeys(fields.topic_slugs))
    types = list(dict.fromkeys(fields.types))
    difficulties = list(dict.fromkeys(fields.difficulties))
    question_keys: list[str] = []
    count = fields.question_count
    if fields.selection == "draw":
        known = set(session.scalars(select(Topic.slug).where(Topic.slug.in_(topic_slugs))))
        if unknown := [slug for slug in topic_slugs if slug not in known]:
            problems.add("topic_slugs", f"Unknown topic: {', '.join(unknown[:5])}.")
        if any(t not in bank.QUESTION_TYPES for t in types):
            problems.add("types", "Choose question types from the list.")
        if any(not _is_int(d) or d not in DIFFICULTIES for d in difficulties):
            problems.add("difficulties", "Choose difficulties from 1 to 3.")
        if count is None:
            problems.add("question_count", "Say how many questions to draw.")
        elif not _is_int(count) or not 1 <= count <= MAX_QUESTIONS:
            problems.add("question_count", f"Draw from 1 to {MAX_QUESTIONS} questions.")
        elif not problems.errors.keys() & {"topic_slugs", "types", "difficulties"}:
            available = len(matching_question_ids(session, topic_slugs, types, difficulties))
            if available == 0:
                problems.add("question_count", "No approved questions match these filters.")
            elif available < count:
                problems.add(
                    "question_count",
                    f"Only {available} approved questions match these filters: "
                    "ask for fewer or widen the filters.",
                )
    elif fields.selection == "picked":
        topic_slugs, types, difficulties = [], [], []
        question_keys = list(dict.fromkeys(k.strip().lower() for k in fields.question_keys))
        question_keys = [k for k in question_keys if k]
        if not question_keys:
            problems.add("question_keys", "List the ids of the questions to ask.")
        elif len(question_keys) > MAX_QUESTIONS:
            problems.add("question_keys", f"Pick at most {MAX_QUESTIONS} questions.")
        elif bad := [k for k in question_keys if not QUESTION_KEY.fullmatch(k)]:
            problems.add("question_keys", f"Not a question id: {', '.join(bad[:5])[:200]}.")
        else:
            askable = _askable_ids_by_key(session, question_keys)
            if missing := [k for k in question_keys if k not in askable]:
                problems.add(
                    "question_keys",
                    f"Not approved questions: {', '.join(missing[:5])}"
                    f"{' …' if len(missing) > 5 else ''}.",
                )
        count = len(question_keys)
    if problems.errors:
        raise ClassError(problems.errors)
    return {
        "title": title,
        "selection": fields.selection,
        "topic_slugs": topic_slugs,
        "types": types,
        "difficulties": difficulties,
        "question_keys": question_keys,
        "question_count": count,
        "shuffle": bool(fields.shuffle),
        "time_limit_minutes": limit,
        "attempts_allowed": fields.attempts_allowed,
        "feedback": fields.feedback,
        "opens_at": opens_at,
        "closes_at": closes_at,
    }


def create_assignment(
    session: DbSession, owner: User, class_id: int, fields: AssignmentFields, now: datetime
) -> Assignment:
    """Set a quiz for one of the owner's classes.

    Raises:
        LookupError: the class is not the owner's.
        ClassError: the fields do not make a quiz that can be taken.
    """
    study_class = class_for_owner(session, owner, class_id)
    if study_class is None:
        raise LookupError("no such class")
    values = validate_assignment(session, fields, now)
    assignment = Assignment(class_id=study_class.id, created_by_id=owner.id, **values)
    session.add(assignment)
    session.commit()
    return assignment


def assignments_for_student(session: DbSession, user: User, now: datetime) -> list[AssignedQuiz]:
    """Return the open assigned quizzes of the user's classes, soonest due first."""
    moment = as_db_time(now)
    rows = session.execute(
        select(Assignment, StudyClass.name)
        .join(StudyClass, StudyClass.id == Assignment.class_id)
        .join(ClassMember, ClassMember.class_id == Assignment.class_id)
        .where(
            ClassMember.user_id == user.id,
            Assignment.opens_at <= moment,
            or_(Assignment.closes_at.is_(None), Assignment.closes_at > moment),
        )
        .order_by(
            Assignment.closes_at.is_(None), Assignment.closes_at, Assignment.opens_at, Assignment.id
        )
    ).all()
    ids = [assignment.id for assignment, _ in rows]
    by_assignment: dict[int, list[Attempt]] = {}
    if ids:
        for attempt in session.scalars(
            select(Attempt).where(Attempt.user_id == user.id, Attempt.assignment_id.in_(ids))
        ):
            assert attempt.assignment_id is not None
            by_assignment.setdefault(attempt.assignment_id, []).append(attempt)
    quizzes = []
    for assignment, class_name in rows:
        taken = by_assignment.get(assignment.id, [])
        percents = [a.percent for a in taken if a.finished_at is not None and a.percent is not None]
        quizzes.append(
            AssignedQuiz(
                assignment=assignment,
                class_name=class_name,
                attempts_used=len(taken),
                attempts_left=max(0, assignment.attempts_allowed - len(taken)),
                best_percent=max(percents) if percents else None,
                in_progress=any(a.finished_at is None and not is_overdue(a, now) for a in taken),
            )
        )
    return quizzes


def _attempts_used(session: DbSession, user_id: int, assignment_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Attempt.id)).where(
                Attempt.user_id == user_id, Attempt.assignment_id == assignment_id
            )
        )
        or 0
    )


def _in_progress(session: DbSession, user_id: int, assignment_id: int) -> Attempt | None:
    attempt: Attempt | None = session.scalar(
        select(Attempt)
        .where(
            Attempt.user_id == user_id,
            Attempt.assignment_id == assignment_id,
            Attempt.finished_at.is_(None),
        )
        .order_by(Attempt.attempt_number.desc())
        .limit(1)
    )
    return attempt


def _draw(assignment: Assignment, session: DbSession, rng: random.Random) -> list[int]:
    """Return the question ids for one student's attempt, in the order they are asked."""
    if assignment.selection == "picked":
        by_key = _askable_ids_by_key(session, assignment.question_keys)
        chosen = [by_key[k] for k in assignment.question_keys if k in by_key]
        if assignment.shuffle:
            rng.shuffle(chosen)
        return chosen
    candidates = matching_question_ids(
        session, assignment.topic_slugs, assignment.types, assignment.difficulties
    )
    chosen = rng.sample(candidates, min(assignment.question_count, len(candidates)))
    return chosen if assignment.shuffle else sorted(chosen)


def start_assignment_attempt(
    session: DbSession,
    user: User,
    assignment_id: int,
    now: datetime,
    rng: random.Random,
    class_id: int | None = None,
) -> Attempt:
    """Start the student's next attempt at an assigned quiz, or return the one in progress.

    Raises:
        LookupError: no such assignment (in class `class_id`, if given) in a class the
            user belongs to.
        ClassError: not open yet, closed, no attempts left, or no questions to ask.
    """
    assignment: Assignment | None = session.get(Assignment, assignment_id)
    if (
        assignment is None
        or (class_id is not None and assignment.class_id != class_id)
        or not is_member(session, user.id, assignment.class_id)
    ):
        raise LookupError("no such assignment")
    moment = as_db_time(now)
    if moment < assignment.opens_at:
        raise ClassError(
            f"“{assignment.title}” opens on {assignment.opens_at:%Y-%m-%d at %H:%M} UTC."
        )
    if assignment.closes_at is not None and moment >= assignment.closes_at:
        raise ClassError(
            f"“{assignment.title}” closed on {assignment.closes_at:%Y-%m-%d at %H:%M} UTC."
        )
    current = _in_progress(session, user.id, assignment.id)
    if current is not None:
        if not is_overdue(current, now):
            return current
        finish_attempt(session, user.id, current.id, now)  # time ran out while away
    used = _attempts_used(session, user.id, assignment.id)
    if used >= assignment.attempts_allowed:
        raise ClassError(
            f"You have used all {assignment.attempts_allowed} attempt(s) at “{assignment.title}”."
        )
    question_ids = _draw(assignment, session, rng)
    if not question_ids:
        raise ClassError("This quiz has no questions that can be asked right now.")
    attempt = build_attempt(
        session,
        user.id,
        assignment.title,
        None,
        question_ids,
        rng,
        shuffle_choices=assignment.shuffle,
    )
    deadlines = [d for d in (assignment.closes_at,) if d is not None]
    if assignment.time_limit_minutes:
        deadlines.append(moment + timedelta(minutes=assignment.time_limit_minutes))
    attempt.assignment_id = assignment.id
    attempt.attempt_number = used + 1
    attempt.started_at = moment
    attempt.deadline = min(deadlines) if deadlines else None
    attempt.feedback = assignment.feedback
    session.add(attempt)
    try:
        session.commit()
    except IntegrityError:
        # A second start sent at the same moment took this attempt number: use its attempt.
        session.rollback()
        existing = _in_progress(session, user.id, assignment_id)
        if existing is None:
            raise ClassError("That quiz was just started elsewhere; reload the page.") from None
        return existing
    return attempt


def assignment_progress(
    session: DbSession, assignment: Assignment, now: datetime
) -> list[StudentProgress]:
    """Return every member's attempts at the assignment, by username."""
    attempts_by_user: dict[int, list[Attempt]] = {}
    for attempt in session.scalars(select(Attempt).where(Attempt.assignment_id == assignment.id)):
        attempts_by_user.setdefault(attempt.user_id, []).append(attempt)
    rows = []
    for member in members(session, assignment.study_class):
        taken = attempts_by_user.get(member.user_id, [])
        finished = [a for a in taken if a.finished_at is not None and a.score is not None]
        best = max(finished, key=lambda a: (a.percent or 0, a.score or 0), default=None)
        rows.append(
            StudentProgress(
                username=member.user.username,
                attempts_used=len(taken),
                best_score=best.score if best else None,
                best_percent=best.percent if best else None,
                max_score=best.max_score if best else None,
                last_finished_at=max(
                    (a.finished_at for a in finished if a.finished_at), default=None
                ),
                in_progress=any(a.finished_at is None and not is_overdue(a, now) for a in taken),
            )
        )
    return rows
