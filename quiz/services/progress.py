"""Progress figures for dashboards, read from the database and computed by the domain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from quiz.domain import analytics
from quiz.models import Attempt, Question, QuestionVersion, Response, ReviewLog, Topic, User
from quiz.models import question_topics as qt
from quiz.services import DbSession
from quiz.services.cards import decks

# "lung cancer metastatic to the bones": the naming answers give the concept map its cells.
_NAMING = re.compile(r"^(?P<primary>.+?) metastatic to (?:the )?(?P<site>.+)$", re.IGNORECASE)
WEAKEST_SHOWN = 3


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
    rows = session.execute(
        select(Topic.slug, Response.correct, Response.answered_at)
        .join(qt, qt.c.question_id == Response.question_id)
        .join(Topic, Topic.id == qt.c.topic_id)
        .where(Response.user_id == user.id)
    ).all()
    by_topic = analytics.mastery(
        (analytics.Answer(slug, correct, _utc(at)) for slug, correct, at in rows), now
    )
    topics = [
        TopicMastery(t.slug, t.title, by_topic.get(t.slug))
        for t in session.scalars(select(Topic).order_by(Topic.position))
    ]
    answered = [t for t in topics if t.mastery is not None]
    weakest = sorted(answered, key=lambda t: (t.mastery.score if t.mastery else 0, t.slug))
    answered_at = [
        _utc(at)
        for (at,) in session.execute(
            select(Response.answered_at).where(Response.user_id == user.id)
        )
    ]
    moments = answered_at + [
        _utc(at)
        for (at,) in session.execute(
            select(ReviewLog.reviewed_at).where(
                ReviewLog.user_id == user.id, ReviewLog.origin == "review"
            )
        )
    ]
    today = now.date()
    all_decks = decks(session, user, now)
    concept, primaries, sites = _concept_map(session, user, now)
    return StudentDashboard(
        scores=scores,
        topics=topics,
        weakest=weakest[:WEAKEST_SHOWN],
        calendar=analytics.activity_calendar(moments, today),
        streak=analytics.streak(analytics.local_days(moments), today),
        cards_due=all_decks[0].due if all_decks else 0,
        cards_new=all_decks[0].new if all_decks else 0,
        concept=concept,
        primaries=primaries,
        sites=sites,
        answers=len(answered_at),
    )


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
