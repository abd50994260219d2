"""An instructor's view of one class: mastery grid, each student, quiz results, item analysis.

Mastery comes from the running tallies (a row per student and topic), quiz results from
each student's best finished attempt, item analysis from the attempts at the class's quizzes.
Callers check that the class is the instructor's own (`classes.class_for_owner`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from quiz.domain import analytics
from quiz.models import (
    Assignment,
    Attempt,
    AttemptItem,
    ClassMember,
    Question,
    QuestionProgress,
    QuestionVersion,
    Response,
    StudyClass,
    Topic,
    User,
)
from quiz.services import DbSession, as_utc, tallies
from quiz.services.progress import (
    ConceptMap,
    concept_masteries,
    concept_shape,
    naming_cells,
    topic_masteries,
)

MISSED_SHOWN = 30
GRID_PAGE_SIZE = 100
DISTRIBUTION_BINS = 10


def member_ids(class_id: int) -> Select[Any]:
    """The class's members, as a subquery the database filters by."""
    return select(ClassMember.user_id).where(ClassMember.class_id == class_id)


@dataclass(frozen=True)
class StudentRow:
    user_id: int
    username: str
    topics: dict[str, analytics.Mastery]
    last_active: datetime | None


@dataclass(frozen=True)
class QuizResult:
    """How the class did on one quiz it was set: each student's best finished attempt."""

    assignment_id: int
    title: str
    members: int
    best_percent: dict[int, float]  # by student id; absent: not finished
    distribution: list[int]  # students per 10-point band, 0-9 … 90-100
    mean: float | None
    median: float | None

    @property
    def finished(self) -> int:
        return len(self.best_percent)

    @property
    def completion(self) -> float | None:
        """Return the share of members with a finished attempt (0-1)."""
        return self.finished / self.members if self.members else None


@dataclass(frozen=True)
class ClassDashboard:
    study_class: StudyClass
    topics: list[tuple[str, str]]  # (slug, title) in teaching order
    students: list[StudentRow]  # this page of the grid, by username
    student_count: int
    page: int
    pages: int
    topic_means: dict[str, tuple[float | None, int]]  # mean mastery, students behind it
    quizzes: list[QuizResult]
    concept: ConceptMap  # the class's cells only: per-student maps are in the drill-down
    concept_means: dict[tuple[str, str], tuple[float | None, int]]


def class_dashboard(
    session: DbSession, study_class: StudyClass, now: datetime, page: int | None = 1
) -> ClassDashboard:
    """Gather the class's grid of students × topics, quiz results and concept map.

    The grid shows GRID_PAGE_SIZE students a page (`page` None: all of them); the class
    means, quiz results and concept map always cover every member.
    """
    members = member_ids(study_class.id)
    topics = [(t.slug, t.title) for t in session.scalars(select(Topic).order_by(Topic.position))]
    masteries = topic_masteries(session, members, now)
    roster = session.execute(
        select(User.id, User.username)
        .join(ClassMember, ClassMember.user_id == User.id)
        .where(ClassMember.class_id == study_class.id)
        .order_by(User.username)
    ).all()
    pages = max(1, math.ceil(len(roster) / GRID_PAGE_SIZE))
    if page is None:
        shown = roster
    else:
        page = min(max(page, 1), pages)
        shown = roster[(page - 1) * GRID_PAGE_SIZE : page * GRID_PAGE_SIZE]
    students = []
    for user_id, username in shown:
        topics_known = masteries.get(user_id, {})
        last = max((m.last_answered_at for m in topics_known.values()), default=None)
        students.append(StudentRow(user_id, username, topics_known, last))
    concept, concept_means = class_concept_map(session, study_class.id, now)
    return ClassDashboard(
        study_class=study_class,
        topics=topics,
        students=students,
        student_count=len(roster),
        page=page or 1,
        pages=1 if page is None else pages,
        topic_means={
            slug: analytics.mean_mastery(known.get(slug) for known in masteries.values())
            for slug, _ in topics
        },
        quizzes=quiz_results(session, study_class.id, len(roster)),
        concept=concept,
        concept_means=concept_means,
    )


def class_concept_map(
    session: DbSession, class_id: int, now: datetime
) -> tuple[ConceptMap, dict[tuple[str, str], tuple[float | None, int]]]:
    """Return the concept map's shape (no per-student cells) and each cell's mean mastery
    over the students who answered it."""
    cells = naming_cells(session)
    rows = session.execute(
        select(
            QuestionProgress.question_id,
            QuestionProgress.user_id,
            *tallies.stored_columns(QuestionProgress),
        ).where(
            QuestionProgress.user_id.in_(member_ids(class_id)),
            QuestionProgress.question_id.in_(cells),
        )
    )
    found = analytics.group_mean_scores(
        ((cells[question], user, a, c, w, wc, day) for question, user, a, c, w, wc, day in rows),
        now,
    )
    means: dict[tuple[str, str], tuple[float | None, int]] = {
        cell: found.get(cell, (None, 0)) for cell in set(cells.values())
    }
    return concept_shape(cells), means


def quiz_results(session: DbSession, class_id: int, members: int) -> list[QuizResult]:
    """Return each quiz set for the class with its members' best finished scores."""
    best: dict[int, dict[int, float]] = {}
    for assignment_id, user_id, percent in session.execute(
        select(
            Attempt.assignment_id,
            Attempt.user_id,
            func.max(Attempt.score * 100.0 / Attempt.max_score),
        )
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .where(
            Assignment.class_id == class_id,
            Attempt.finished_at.is_not(None),
            Attempt.max_score > 0,
            Attempt.user_id.in_(member_ids(class_id)),
        )
        .group_by(Attempt.assignment_id, Attempt.user_id)
    ):
        if assignment_id is not None and percent is not None:
            best.setdefault(assignment_id, {})[user_id] = float(percent)
    results = []
    for assignment_id, title in session.execute(
        select(Assignment.id, Assignment.title)
        .where(Assignment.class_id == class_id)
        .order_by(Assignment.opens_at, Assignment.id)
    ):
        scores = best.get(assignment_id, {})
        mean, median = analytics.mean_median(scores.values())
        results.append(
            QuizResult(
                assignment_id,
                title,
                members,
                scores,
                analytics.score_distribution(scores.values(), DISTRIBUTION_BINS),
                mean,
                median,
            )
        )
    return results


# --- one student ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    attempt_id: int
    title: str
    attempt_number: int | None
    finished_at: datetime
    percent: int


@dataclass(frozen=True)
class MissedQuestion:
    key: str
    prompt: str
    answers: int
    correct: int
    last_correct: bool
    last_answered_at: datetime


@dataclass(frozen=True)
class StudentReport:
    user_id: int
    username: str
    joined_at: datetime
    topics: list[tuple[str, str, analytics.Mastery | None]]
    history: list[HistoryRow]
    practice_attempts: int
    missed: list[MissedQuestion]
    concept: ConceptMap


def student_report(
    session: DbSession, study_class: StudyClass, user_id: int, now: datetime
) -> StudentReport | None:
    """Return one member's progress for the class's instructor, or None for a non-member."""
    member = session.execute(
        select(ClassMember.joined_at, User.username)
        .join(User, User.id == ClassMember.user_id)
        .where(ClassMember.class_id == study_class.id, ClassMember.user_id == user_id)
    ).first()
    if member is None:
        return None
    joined_at, username = member
    mine = topic_masteries(session, [user_id], now).get(user_id, {})
    topics = [
        (t.slug, t.title, mine.get(t.slug))
        for t in session.scalars(select(Topic).order_by(Topic.position))
    ]
    history = [
        HistoryRow(a.id, a.title, a.attempt_number, as_utc(a.finished_at), a.percent or 0)
        for a in session.scalars(
            select(Attempt)
            .join(Assignment, Assignment.id == Attempt.assignment_id)
            .where(
                Attempt.user_id == user_id,
                Assignment.class_id == study_class.id,
                Attempt.finished_at.is_not(None),
            )
            .order_by(Attempt.finished_at)
        )
        if a.finished_at is not None
    ]
    practice = session.scalar(
        select(func.count(Attempt.id)).where(
            Attempt.user_id == user_id,
            Attempt.assignment_id.is_(None),
            Attempt.finished_at.is_not(None),
        )
    )
    missed = [
        MissedQuestion(
            key,
            prompt,
            row.answers,
            row.correct,
            row.last_correct,
            analytics.from_epoch_days(row.last_answered_day),
        )
        for row, key, prompt in session.execute(
            select(QuestionProgress, Question.key, QuestionVersion.prompt)
            .join(Question, Question.id == QuestionProgress.question_id)
            .join(
                QuestionVersion,
                (QuestionVersion.question_id == Question.id)
                & (QuestionVersion.number == Question.current_number),
            )
            .where(
                QuestionProgress.user_id == user_id,
                QuestionProgress.correct < QuestionProgress.answers,
            )
            # Still wrong on the latest try first, then the most often missed.
            .order_by(
                QuestionProgress.last_correct,
                (QuestionProgress.correct - QuestionProgress.answers),
                Question.key,
            )
            .limit(MISSED_SHOWN)
        )
    ]
    return StudentReport(
        user_id,
        username,
        as_utc(joined_at),
        topics,
        history,
        practice or 0,
        missed,
        concept_masteries(session, [user_id], now),
    )


# --- item analysis -------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionInfo:
    key: str
    type: str
    prompt: str
    choices: list[str]
    correct_choices: set[int]
    origin: str


def question_details(session: DbSession, keys: list[str]) -> dict[str, QuestionInfo]:
    """Return the current wording of the questions an analysis covers, by key."""
    details = {}
    for question, version in session.execute(
        select(Question, QuestionVersion)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == Question.id)
            & (QuestionVersion.number == Question.current_number),
        )
        .where(Question.key.in_(keys))
    ):
        details[question.key] = QuestionInfo(
            question.key,
            version.type,
            version.prompt,
            [choice["text"] for choice in version.choices],
            {i for i, choice in enumerate(version.choices) if choice["correct"]},
            question.origin,
        )
    return details


# Which attempts item analysis reads, as Moodle's report offers: each student's best
# (our gradebook's rule, and Moodle's default "highest grade"), their first, or all.
ATTEMPT_CHOICES = ("best", "first", "all")


def analysed_attempts(class_id: int, assignment_id: int | None, which: str = "best") -> Select[Any]:
    """The ids of the finished attempts item analysis reads: current members' only, one
    per student and quiz unless `which` is "all"."""
    if which not in ATTEMPT_CHOICES:
        raise ValueError(f"which must be one of {', '.join(ATTEMPT_CHOICES)}")
    conditions = [
        Assignment.class_id == class_id,
        Attempt.finished_at.is_not(None),
        Attempt.max_score > 0,
        Attempt.user_id.in_(member_ids(class_id)),
    ]
    if assignment_id is not None:
        conditions.append(Attempt.assignment_id == assignment_id)
    if which == "all":
        return (
            select(Attempt.id)
            .join(Assignment, Assignment.id == Attempt.assignment_id)
            .where(*conditions)
        )
    order = (
        [(Attempt.score * 1.0 / Attempt.max_score).desc(), Attempt.finished_at, Attempt.id]
        if which == "best"
        else [Attempt.started_at, Attempt.id]
    )
    ranked = (
        select(
            Attempt.id.label("id"),
            func.row_number()
            .over(partition_by=(Attempt.user_id, Attempt.assignment_id), order_by=order)
            .label("rank"),
        )
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .where(*conditions)
        .subquery()
    )
    return select(ranked.c.id).where(ranked.c.rank == 1)


def item_analysis(
    session: DbSession, class_id: int, assignment_id: int | None = None, which: str = "best"
) -> analytics.QuizStatistics:
    """Moodle-style item statistics over the attempts at one quiz set for the class, or at
    all of them (`which`: see `analysed_attempts`).

    Every question of an attempt counts, unanswered ones as 0, as Moodle does; the rows
    come ordered by attempt so the domain holds one attempt in memory at a time. Choices
    are counted only for answers to the question's current version, the one whose
    choices the report shows: an edit may have reordered or replaced them.
    """
    query = (
        select(
            AttemptItem.attempt_id,
            Question.key,
            func.coalesce(Response.score, 0.0),
            Response.answer,
            QuestionVersion.number == Question.current_number,
        )
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .outerjoin(Response, Response.attempt_item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id.in_(analysed_attempts(class_id, assignment_id, which)))
        .order_by(AttemptItem.attempt_id)
    )
    return analytics.item_statistics(
        analytics.ItemResponse(
            attempt_id,
            key,
            float(score),
            choice_indexes=_choices(answer) if current else None,
        )
        for attempt_id, key, score, answer, current in session.execute(query)
    )


def _choices(answer: Any) -> tuple[int, ...] | None:
    if isinstance(answer, list) and all(type(i) is int and i >= 0 for i in answer):
        return tuple(answer)
    return None
