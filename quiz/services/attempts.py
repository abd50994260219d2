"""Taking a quiz: start an attempt, answer its questions one by one, finish, retry."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quiz.domain import bank
from quiz.domain.grading import InvalidResponse, Verdict, grade
from quiz.models import (
    Attempt,
    AttemptItem,
    Question,
    QuestionVersion,
    Response,
    Source,
    Topic,
    User,
    question_topics,
    utcnow,
)
from quiz.services import DbSession
from quiz.services.cards import record_quiz_answer, weakest_questions
from quiz.services.catalog import known_words

MAX_LENGTH = 50
MAX_TYPED_ANSWER = 300


class QuizError(ValueError):
    """A quiz that cannot be started as asked."""


@dataclass(frozen=True)
class ShownChoice:
    value: int  # position as shown; the form posts this, never the choice's own index
    text: str
    key_hint: int  # the number key that picks it


@dataclass(frozen=True)
class ChoiceOutcome:
    text: str
    correct: bool
    picked: bool
    feedback: str


@dataclass(frozen=True)
class ItemView:
    """What the question page shows; `outcome` is None until the item is answered, so
    nothing about the answer reaches the page before then."""

    attempt: Attempt
    item: AttemptItem
    position: int
    total: int
    answered_count: int
    question: bank.Question
    choices: tuple[ShownChoice, ...]
    outcome: Outcome | None
    source_title: str


@dataclass(frozen=True)
class Outcome:
    correct: bool
    score: float
    expected: tuple[str, ...]
    typed_answer: str
    choices: tuple[ChoiceOutcome, ...]


def start_attempt(
    session: DbSession, user_id: int, topic_slug: str | None, length: int, rng: random.Random
) -> Attempt:
    """Draw `length` approved questions (of one topic, or mixed) into a new attempt."""
    if not 1 <= length <= MAX_LENGTH:
        raise QuizError(f"Choose between 1 and {MAX_LENGTH} questions.")
    query = select(Question.id).where(Question.status == "approved", Question.stale.is_(False))
    title = "Mixed quiz"
    if topic_slug:
        topic = session.scalar(select(Topic).where(Topic.slug == topic_slug))
        if topic is None:
            raise QuizError("That topic does not exist.")
        title = topic.title
        query = query.join(question_topics).where(question_topics.c.topic_id == topic.id)
    candidates = sorted(session.scalars(query))
    if not candidates:
        raise QuizError("There are no questions on that topic yet.")
    chosen = rng.sample(candidates, min(length, len(candidates)))
    return _create_attempt(session, user_id, title, topic_slug, chosen, rng)


def start_retry(session: DbSession, user_id: int, attempt_id: int, rng: random.Random) -> Attempt:
    """Start a new attempt on the questions missed in a finished attempt."""
    attempt = get_attempt(session, user_id, attempt_id)
    if attempt is None or attempt.finished_at is None:
        raise QuizError("Only a finished quiz can be retried.")
    missed = [
        item.version.question_id
        for item in attempt.items
        if item.response is not None and not item.response.correct
    ]
    if not missed:
        raise QuizError("You missed nothing in that quiz.")
    rng.shuffle(missed)
    title = attempt.title if attempt.title.startswith("Retry: ") else f"Retry: {attempt.title}"
    return _create_attempt(session, user_id, title, attempt.topic_slug, missed, rng)


def start_forgetting_quiz(
    session: DbSession, user_id: int, length: int, now: datetime, rng: random.Random
) -> Attempt:
    """Start a quiz on the questions the student is closest to forgetting."""
    user = session.get(User, user_id)
    assert user is not None
    weakest = weakest_questions(session, user, now, length)
    if not weakest:
        raise QuizError("Review some cards or take a quiz first: nothing is being forgotten yet.")
    return _create_attempt(session, user_id, "About to forget", None, weakest, rng)


def _create_attempt(
    session: DbSession,
    user_id: int,
    title: str,
    topic_slug: str | None,
    question_ids: Sequence[int],
    rng: random.Random,
) -> Attempt:
    questions = {
        q.id: q
        for q in session.scalars(
            select(Question)
            .options(selectinload(Question.current))
            .where(Question.id.in_(question_ids))
        )
    }
    attempt = Attempt(user_id=user_id, title=title[:200], topic_slug=topic_slug)
    for position, question_id in enumerate(question_ids, start=1):
        version = questions[question_id].current
        order = list(range(len(version.choices)))
        if version.type != "truefalse":
            rng.shuffle(order)
        attempt.items.append(AttemptItem(position=position, version=version, choice_order=order))
    attempt.max_score = len(attempt.items)
    session.add(attempt)
    session.commit()
    return attempt


def utcnow_aware() -> datetime:
    return datetime.now(UTC)


def get_attempt(session: DbSession, user_id: int, attempt_id: int) -> Attempt | None:
    """Return the user's own attempt, or None (another student's attempt does not exist)."""
    return session.scalar(
        select(Attempt)
        .options(
            selectinload(Attempt.items)
            .selectinload(AttemptItem.version)
            .selectinload(QuestionVersion.question),
            selectinload(Attempt.items).selectinload(AttemptItem.response),
        )
        .where(Attempt.id == attempt_id, Attempt.user_id == user_id)
    )


def view_item(session: DbSession, user_id: int, attempt_id: int, position: int) -> ItemView | None:
    """Return what the page for one question of an attempt shows, or None."""
    attempt = get_attempt(session, user_id, attempt_id)
    if attempt is None or not 1 <= position <= len(attempt.items):
        return None
    item = attempt.items[position - 1]
    question = item.version.to_domain()
    shown = tuple(
        ShownChoice(value=i, text=question.choices[index].text, key_hint=i + 1)
        for i, index in enumerate(item.choice_order)
    )
    return ItemView(
        attempt=attempt,
        item=item,
        position=position,
        total=len(attempt.items),
        answered_count=sum(1 for i in attempt.items if i.response is not None),
        question=question,
        choices=shown,
        outcome=_outcome(item, question) if item.response is not None else None,
        source_title=session.scalar(
            select(Source.title).where(Source.slug == question.source.document)
        )
        or question.source.document,
    )


def _outcome(item: AttemptItem, question: bank.Question) -> Outcome:
    response = item.response
    assert response is not None
    picked = set(response.answer) if isinstance(response.answer, list) else set()
    choices = tuple(
        ChoiceOutcome(
            text=question.choices[index].text,
            correct=question.choices[index].correct,
            picked=index in picked,
            feedback=question.choices[index].feedback,
        )
        for index in item.choice_order
    )
    return Outcome(
        correct=response.correct,
        score=response.score,
        expected=tuple(c.text for c in question.choices if c.correct) or question.answers[:1],
        typed_answer=response.answer if isinstance(response.answer, str) else "",
        choices=choices,
    )


def parse_response(
    question: bank.Question, choice_order: Sequence[int], picked: Sequence[str], typed: str | None
) -> int | list[int] | str:
    """Turn posted form values into a grader's response, mapping shown positions back to
    the question's own choice indexes.

    Raises:
        InvalidResponse: the values do not fit the question.
    """
    if question.type in bank.TYPED_TYPES:
        text = (typed or "").strip()
        if not text:
            raise InvalidResponse("Type an answer before submitting.")
        if len(text) > MAX_TYPED_ANSWER:
            raise InvalidResponse(f"Keep the answer under {MAX_TYPED_ANSWER} characters.")
        return text
    if not picked:
        raise InvalidResponse("Pick an answer before submitting.")
    if len(picked) > len(choice_order) or len(set(picked)) != len(picked):
        raise InvalidResponse("That is not a valid set of choices.")
    indexes = []
    for value in picked:
        if not value.isdigit() or not 0 <= int(value) < len(choice_order):
            raise InvalidResponse("That choice is not part of this question.")
        indexes.append(choice_order[int(value)])
    if question.type == "multi":
        return sorted(indexes)
    if len(indexes) != 1:
        raise InvalidResponse("Pick exactly one answer.")
    return indexes[0]


def submit_answer(
    session: DbSession,
    user_id: int,
    attempt_id: int,
    position: int,
    picked: Sequence[str],
    typed: str | None,
    now: datetime | None = None,
) -> Verdict | None:
    """Grade and store an answer; an item already answered keeps its first answer.

    The answer also reviews the question's flashcard (wrong is Again, right is Good).

    Returns:
        The verdict for a new answer, or None when the item had been answered already.

    Raises:
        LookupError: no such attempt or item for this user.
        InvalidResponse: the posted values do not fit the question.
    """
    attempt = get_attempt(session, user_id, attempt_id)
    if attempt is None or not 1 <= position <= len(attempt.items):
        raise LookupError("no such question in your attempts")
    item = attempt.items[position - 1]
    if item.response is not None:
        return None
    question = item.version.to_domain()
    response = parse_response(question, item.choice_order, picked, typed)
    verdict = grade(question, response, known_words(session))
    session.add(
        Response(
            attempt_item_id=item.id,
            user_id=user_id,
            question_id=item.version.question_id,
            answer=response if not isinstance(response, int) else [response],
            correct=verdict.correct,
            score=verdict.score,
        )
    )
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # a concurrent submit of the same item won; it counts once
        return None
    user = session.get(User, user_id)
    assert user is not None
    record_quiz_answer(
        session, user, item.version.question_id, verdict.correct, now or utcnow_aware()
    )
    _finish_if_complete(session, attempt)
    session.commit()
    return verdict


def _finish_if_complete(session: DbSession, attempt: Attempt) -> None:
    answered, total_score = session.execute(
        select(func.count(Response.id), func.coalesce(func.sum(Response.score), 0.0))
        .join(AttemptItem, AttemptItem.id == Response.attempt_item_id)
        .where(AttemptItem.attempt_id == attempt.id)
    ).one()
    if answered == len(attempt.items) and attempt.finished_at is None:
        attempt.finished_at = utcnow()
        attempt.score = round(float(total_score), 4)


def user_attempts(session: DbSession, user_id: int) -> list[Attempt]:
    """Return a user's attempts, newest first."""
    return list(
        session.scalars(
            select(Attempt)
            .options(selectinload(Attempt.items).selectinload(AttemptItem.response))
            .where(Attempt.user_id == user_id)
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        )
    )
