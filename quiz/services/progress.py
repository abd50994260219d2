"""Progress figures for dashboards, read from the database and computed by the domain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, func, select

from quiz.domain import analytics
from quiz.models import (
    Attempt,
    AttemptItem,
    Question,
    QuestionVersion,
    Response,
    ReviewLog,
    Topic,
    User,
)
from quiz.models import question_topics as qt
from quiz.services import DbSession
from quiz.services.cards import due_and_new

# "lung cancer metastatic to the bones": the naming answers give the concept map its cells.
_NAMING = re.compile(r"^(?P<primary>.+?) metastatic to (?:the )?(?P<site>.+)$", re.IGNORECASE)
WEAKEST_SHOWN = 3
CALENDAR_WEEKS = 12


@dataclass(frozen=True)
class ScorePoint:
    attempt_id: int
    title: str
    finished_at: datetime
    percent: int


@dataclass(frozen=True)
class TopicMastery:
    slug: str
    title: str
    mastery: analytics.Mastery | None  # None: never answered


@dataclass(frozen=True)
class StudentDashboard:
    scores: list[ScorePoint]
    topics: list[TopicMastery]
    weakest: list[TopicMastery]
    calendar: list[tuple[date, int]]
    streak: int
    cards_due: int
    cards_new: int
    concept: dict[tuple[str, str], analytics.Mastery]
    primaries: list[str]
    sites: list[str]
    answers: int


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def student_dashboard(session: DbSession, user: User, now: datetime) -> StudentDashboard:
    """Gather one student's progress: scores, mastery, activity, cards and concept map."""
    scores = [
        ScorePoint(a.id, a.title, _utc(a.finished_at), a.percent or 0)
        for a in session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.finished_at.is_not(None))
            .order_by(Attempt.finished_at)
        )
        if a.finished_at is not None
    ]
    # Grouped per topic and day in SQL: the work follows the days a student was active,
    # not the number of answers they gave.
    day = func.date(Response.answered_at)
    groups = session.execute(
        select(
            Topic.slug,
            func.max(Response.answered_at),
            func.count(),
            func.sum(case((Response.correct, 1), else_=0)),
        )
        .join(qt, qt.c.question_id == Response.question_id)
        .join(Topic, Topic.id == qt.c.topic_id)
        .where(Response.user_id == user.id)
        .group_by(Topic.slug, day)
    ).all()
    by_topic = analytics.mastery_from_counts(
        (analytics.AnswerCount(slug, _utc(last), n, int(right)) for slug, last, n, right in groups),
        now,
    )
    topics = [
        TopicMastery(t.slug, t.title, by_topic.get(t.slug))
        for t in session.scalars(select(Topic).order_by(Topic.position))
    ]
    answered = [t for t in topics if t.mastery is not None]
    weakest = sorted(answered, key=lambda t: (t.mastery.score if t.mastery else 0, t.slug))
    per_day = _activity_per_day(session, user)
    today = now.date()
    start = today - timedelta(weeks=CALENDAR_WEEKS) + timedelta(days=1)
    calendar = [
        (start + timedelta(days=offset), per_day.get(start + timedelta(days=offset), 0))
        for offset in range(CALENDAR_WEEKS * 7)
    ]
    cards_due, cards_new = due_and_new(session, user, now)
    concept, primaries, sites = _concept_map(session, user, now)
    return StudentDashboard(
        scores=scores,
        topics=topics,
        weakest=weakest[:WEAKEST_SHOWN],
        calendar=calendar,
        streak=analytics.streak(per_day, today),
        cards_due=cards_due,
        cards_new=cards_new,
        concept=concept,
        primaries=primaries,
        sites=sites,
        answers=session.scalar(select(func.count(Response.id)).where(Response.user_id == user.id))
        or 0,
    )


def _activity_per_day(session: DbSession, user: User) -> dict[date, int]:
    """Answers and card reviews per UTC day, counted by the database."""
    per_day: dict[date, int] = {}
    for column, table_filter in (
        (Response.answered_at, Response.user_id == user.id),
        (ReviewLog.reviewed_at, (ReviewLog.user_id == user.id) & (ReviewLog.origin == "review")),
    ):
        for day, count in session.execute(
            select(func.date(column), func.count()).where(table_filter).group_by(func.date(column))
        ):
            key = day if isinstance(day, date) else date.fromisoformat(str(day))
            per_day[key] = per_day.get(key, 0) + count
    return per_day


def _concept_map(
    session: DbSession, user: User, now: datetime
) -> tuple[dict[tuple[str, str], analytics.Mastery], list[str], list[str]]:
    """Mastery per (primary cancer, site), from the typed naming questions answered."""
    cells: dict[int, tuple[str, str]] = {}
    for question_id, accepted in session.execute(
        select(Question.id, QuestionVersion.answers)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == Question.id)
            & (QuestionVersion.number == Question.current_number),
        )
        .where(Question.status == "approved", QuestionVersion.type == "short")
    ):
        match = _NAMING.match(accepted[0]) if accepted else None
        if match:
            primary = match["primary"].strip().lower()
            cells[question_id] = (primary, match["site"].strip().lower())
    answered = [
        analytics.ConceptAnswer(*cells[question_id], correct, _utc(at))
        for question_id, correct, at in session.execute(
            select(Response.question_id, Response.correct, Response.answered_at).where(
                Response.user_id == user.id, Response.question_id.in_(cells)
            )
        )
    ]
    grid = analytics.concept_grid(answered, now)
    primaries = sorted({p for p, _ in cells.values()})
    sites = sorted({s for _, s in cells.values()})
    return grid, primaries, sites


def assignment_item_analysis(session: DbSession, assignment_id: int) -> analytics.QuizStatistics:
    """Moodle-style item statistics over the finished attempts of one assigned quiz.

    Every question of an attempt counts, unanswered ones as 0, as Moodle does; the rows
    come ordered by attempt so the domain holds one attempt in memory at a time.
    """
    rows = session.execute(
        select(AttemptItem.attempt_id, Question.key, func.coalesce(Response.score, 0.0))
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .outerjoin(Response, Response.attempt_item_id == AttemptItem.id)
        .where(Attempt.assignment_id == assignment_id, Attempt.finished_at.is_not(None))
        .order_by(AttemptItem.attempt_id)
    )
    return analytics.item_statistics(
        analytics.ItemResponse(attempt_id, key, float(score)) for attempt_id, key, score in rows
    )
