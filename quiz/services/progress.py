"""Progress figures for dashboards, read from the database and computed by the domain."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from quiz.domain import analytics
from quiz.models import (
    Attempt,
    Question,
    QuestionProgress,
    QuestionVersion,
    Response,
    ReviewLog,
    Topic,
    TopicProgress,
    User,
)
from quiz.services import DbSession, as_utc, tallies
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
    asked: frozenset[tuple[str, str]]
    answers: int


def student_dashboard(session: DbSession, user: User, now: datetime) -> StudentDashboard:
    """Gather one student's progress: scores, mastery, activity, cards and concept map."""
    scores = [
        ScorePoint(a.id, a.title, as_utc(a.finished_at), a.percent or 0)
        for a in session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.finished_at.is_not(None))
            .order_by(Attempt.finished_at)
        )
        if a.finished_at is not None
    ]
    by_topic = topic_masteries(session, [user.id], now).get(user.id, {})
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
    concept_map = concept_masteries(session, [user.id], now)
    return StudentDashboard(
        scores=scores,
        topics=topics,
        weakest=weakest[:WEAKEST_SHOWN],
        calendar=calendar,
        streak=analytics.streak(per_day, today),
        cards_due=cards_due,
        cards_new=cards_new,
        concept=concept_map.cells.get(user.id, {}),
        primaries=concept_map.primaries,
        sites=concept_map.sites,
        asked=concept_map.asked,
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


UserIds = Sequence[int] | Select[Any]


def topic_masteries(
    session: DbSession, user_ids: UserIds, now: datetime
) -> dict[int, dict[str, analytics.Mastery]]:
    """Return each student's mastery per topic slug, from the running tallies."""
    rows = session.execute(
        select(TopicProgress.user_id, Topic.slug, *tallies.stored_columns(TopicProgress))
        .join(Topic, Topic.id == TopicProgress.topic_id)
        .where(TopicProgress.user_id.in_(user_ids))
    )
    result: dict[int, dict[str, analytics.Mastery]] = {}
    found: dict[tuple[int, str], analytics.Mastery] = analytics.masteries_from_stored(
        (((user, slug), a, c, w, wc, day) for user, slug, a, c, w, wc, day in rows), now
    )
    for (user_id, slug), mastery in found.items():
        result.setdefault(user_id, {})[slug] = mastery
    return result


@dataclass(frozen=True)
class ConceptMap:
    """Mastery per (primary cancer, metastatic site), per student."""

    cells: dict[int, dict[tuple[str, str], analytics.Mastery]]
    primaries: list[str]
    sites: list[str]
    asked: frozenset[tuple[str, str]]  # the pairs a naming question asks about


def naming_cells(session: DbSession) -> dict[int, tuple[str, str]]:
    """Return the (primary, site) each approved typed naming question asks about, by id."""
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
            cells[question_id] = (match["primary"].strip().lower(), match["site"].strip().lower())
    return cells


def concept_masteries(session: DbSession, user_ids: UserIds, now: datetime) -> ConceptMap:
    """Return each student's concept map, from their tallies on the naming questions."""
    cells = naming_cells(session)
    rows = session.execute(
        select(
            QuestionProgress.user_id,
            QuestionProgress.question_id,
            *tallies.stored_columns(QuestionProgress),
        ).where(QuestionProgress.user_id.in_(user_ids), QuestionProgress.question_id.in_(cells))
    )
    found: dict[tuple[int, tuple[str, str]], analytics.Mastery] = analytics.masteries_from_stored(
        (((user, cells[question]), a, c, w, wc, day) for user, question, a, c, w, wc, day in rows),
        now,
    )
    maps: dict[int, dict[tuple[str, str], analytics.Mastery]] = {}
    for (user_id, cell), mastery in found.items():
        maps.setdefault(user_id, {})[cell] = mastery
    shape = concept_shape(cells)
    return ConceptMap(maps, shape.primaries, shape.sites, shape.asked)


def concept_shape(cells: dict[int, tuple[str, str]]) -> ConceptMap:
    """Return the rows, columns and asked cells of the concept map, with nobody's scores."""
    return ConceptMap(
        {},
        sorted({p for p, _ in cells.values()}),
        sorted({s for _, s in cells.values()}),
        frozenset(cells.values()),
    )
