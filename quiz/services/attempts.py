"""Taking a quiz: start an attempt, answer its questions one by one, finish, retry.

An attempt moves one way only: in progress, then finished (every question answered,
the student pressed "Finish quiz", or its deadline passed). A finished attempt takes no
more answers, and an answer after the deadline is refused on the server's clock.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
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
)
from quiz.services import DbSession, tallies
from quiz.services.cards import record_quiz_answer, weakest_questions
from quiz.services.catalog import known_words

MAX_LENGTH = 50
MAX_QUIZ_TOPICS = 8
TOPIC_SLUG_LENGTH = 80  # Attempt.topic_slug's width, which a set of topics must fit
MAX_TYPED_ANSWER = 300


class QuizError(ValueError):
    """A quiz that cannot be started as asked."""


class AttemptClosed(QuizError):
    """An answer to an attempt that is already finished."""

    def __init__(self, message: str = "This quiz is finished: it takes no more answers.") -> None:
        super().__init__(message)


class TimeUp(AttemptClosed):
    """An answer that arrived after the attempt's deadline; the attempt is now finished."""

    def __init__(
        self, message: str = "Time is up: answers after the deadline are not counted."
    ) -> None:
        super().__init__(message)


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
    """What the question page shows; `outcome` is None until the item is answered (and,
    for a quiz whose feedback comes at the end, until the attempt is finished), so
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
    answered: bool = False  # the student has answered this item (outcome may be hidden)
    reviewed_on: datetime | None = None  # when an instructor (or the bank) approved it

    @property
    def finished(self) -> bool:
        return self.attempt.finished_at is not None

    @property
    def feedback_hidden(self) -> bool:
        """True for an answered item whose outcome waits for the end of the quiz."""
        return self.answered and self.outcome is None


@dataclass(frozen=True)
class Outcome:
    correct: bool
    score: float
    expected: tuple[str, ...]
    typed_answer: str
    choices: tuple[ChoiceOutcome, ...]
    unanswered: bool = False  # the attempt finished before this item was answered


def start_attempt(
    session: DbSession, user_id: int, topic_slug: str | None, length: int, rng: random.Random
) -> Attempt:
    """Draw `length` approved questions (of one topic, several joined by "+", or mixed)
    into a new attempt."""
    if not 1 <= length <= MAX_LENGTH:
        raise QuizError(f"Choose between 1 and {MAX_LENGTH} questions.")
    query = select(Question.id).where(Question.status == "approved", Question.stale.is_(False))
    title = "Mixed quiz"
    if topic_slug:
        slugs = topic_slug.split("+")
        topics = {t.slug: t for t in session.scalars(select(Topic).where(Topic.slug.in_(slugs)))}
        if len(slugs) > MAX_QUIZ_TOPICS or len(topic_slug) > TOPIC_SLUG_LENGTH:
            raise QuizError("Choose fewer topics for one quiz.")
        if any(slug not in topics for slug in slugs):
            raise QuizError("That topic does not exist.")
        title = ", ".join(topics[slug].title for slug in slugs)
        query = query.where(
            Question.id.in_(
                select(question_topics.c.question_id).where(
                    question_topics.c.topic_id.in_([t.id for t in topics.values()])
                )
            )
        )
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
        if item.response is None or not item.response.correct
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
    attempt = build_attempt(session, user_id, title, topic_slug, question_ids, rng)
    session.add(attempt)
    session.commit()
    return attempt


def build_attempt(
    session: DbSession,
    user_id: int,
    title: str,
    topic_slug: str | None,
    question_ids: Sequence[int],
    rng: random.Random,
    *,
    shuffle_choices: bool = True,
) -> Attempt:
    """Return a new, unsaved attempt asking these questions in this order."""
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
        if shuffle_choices and version.type != "truefalse":
            rng.shuffle(order)
        attempt.items.append(AttemptItem(position=position, version=version, choice_order=order))
    attempt.max_score = len(attempt.items)
    return attempt


def utcnow_aware() -> datetime:
    return datetime.now(UTC)


def as_db_time(moment: datetime) -> datetime:
    """Return `moment` as the database stores times: naive UTC (a naive value is UTC)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def is_overdue(attempt: Attempt, now: datetime) -> bool:
    """Return whether an unfinished attempt's deadline has passed at `now`."""
    return (
        attempt.finished_at is None
        and attempt.deadline is not None
        and as_db_time(now) > attempt.deadline
    )


def first_open_position(attempt: Attempt) -> int:
    """Return the position of the first unanswered question (the last one if none)."""
    for item in attempt.items:
        if item.response is None:
            return item.position
    return len(attempt.items) or 1


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
    finished = attempt.finished_at is not None
    outcome = None
    if item.response is not None and (finished or attempt.feedback != "end"):
        outcome = _outcome(item, question)
    elif item.response is None and finished:
        outcome = _unanswered_outcome(item, question)
    return ItemView(
        attempt=attempt,
        item=item,
        position=position,
        total=len(attempt.items),
        answered_count=sum(1 for i in attempt.items if i.response is not None),
        question=question,
        choices=shown,
        outcome=outcome,
        source_title=session.scalar(
            select(Source.title).where(Source.slug == question.source.document)
        )
        or question.source.document,
        answered=item.response is not None,
        reviewed_on=item.version.question.approved_at,
    )


def _expected(question: bank.Question) -> tuple[str, ...]:
    return tuple(c.text for c in question.choices if c.correct) or question.answers[:1]


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
        expected=_expected(question),
        typed_answer=response.answer if isinstance(response.answer, str) else "",
        choices=choices,
    )


def _unanswered_outcome(item: AttemptItem, question: bank.Question) -> Outcome:
    choices = tuple(
        ChoiceOutcome(
            text=question.choices[index].text,
            correct=question.choices[index].correct,
            picked=False,
            feedback="",
        )
        for index in item.choice_order
    )
    return Outcome(
        correct=False,
        score=0.0,
        expected=_expected(question),
        typed_answer="",
        choices=choices,
        unanswered=True,
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
    `now` is the server's clock: an answer after the attempt's deadline is not counted,
    and the attempt is finished with the answers it had.

    Returns:
        The verdict for a new answer, or None when the item had been answered already.

    Raises:
        LookupError: no such attempt or item for this user.
        TimeUp: the deadline has passed; the attempt is now finished.
        AttemptClosed: the attempt was already finished.
        InvalidResponse: the posted values do not fit the question.
    """
    now = now or utcnow_aware()
    attempt = get_attempt(session, user_id, attempt_id)
    if attempt is None or not 1 <= position <= len(attempt.items):
        raise LookupError("no such question in your attempts")
    item = attempt.items[position - 1]
    if item.response is not None:
        return None
    if attempt.finished_at is not None:
        raise AttemptClosed()
    if is_overdue(attempt, now):
        assert attempt.deadline is not None
        _close(session, attempt, attempt.deadline)
        session.commit()
        raise TimeUp()
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
            answered_at=as_db_time(now),
        )
    )
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # a concurrent submit of the same item won; it counts once
        return None
    user = session.get(User, user_id)
    assert user is not None
    record_quiz_answer(session, user, item.version.question_id, verdict.correct, now)
    tallies.record_answer(session, user_id, item.version.question_id, verdict.correct, now)
    _finish_if_complete(session, attempt, now)
    session.commit()
    return verdict


def finish_attempt(session: DbSession, user_id: int, attempt_id: int, now: datetime) -> Attempt:
    """Finish an attempt now, scoring what was answered (unanswered questions score 0).

    Finishing a finished attempt changes nothing, so a double click counts once. An
    attempt whose deadline has passed is finished as of its deadline.

    Raises:
        LookupError: no such attempt for this user.
    """
    attempt: Attempt | None = session.scalar(
        select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user_id)
    )
    if attempt is None:
        raise LookupError("no such attempt")
    if attempt.finished_at is None:
        moment = as_db_time(now)
        if attempt.deadline is not None:
            moment = min(moment, attempt.deadline)
        _close(session, attempt, moment)
        session.commit()
    return attempt


def expire_if_overdue(session: DbSession, user_id: int, attempt_id: int, now: datetime) -> None:
    """Finish the user's attempt as of its deadline if that has passed.

    Pages call this before showing an attempt, so a student who left a timed quiz sees it
    finished on return. It is best effort: if the database is busy the next request (or
    the refused answer) finishes it instead.
    """
    attempt = session.scalar(
        select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user_id)
    )
    if attempt is None or not is_overdue(attempt, now):
        return
    assert attempt.deadline is not None
    try:
        _close(session, attempt, attempt.deadline)
        session.commit()
    except OperationalError:
        session.rollback()


def _finish_if_complete(session: DbSession, attempt: Attempt, now: datetime) -> None:
    answered = session.scalar(
        select(func.count(Response.id))
        .join(AttemptItem, AttemptItem.id == Response.attempt_item_id)
        .where(AttemptItem.attempt_id == attempt.id)
    )
    if answered == len(attempt.items) and attempt.finished_at is None:
        _close(session, attempt, as_db_time(now))


def _close(session: DbSession, attempt: Attempt, finished_at: datetime) -> bool:
    """Finish an attempt once: score its answers and stamp the time, only if it is still
    in progress (the WHERE clause makes a concurrent second finish a no-op).

    Returns:
        Whether this call finished it. The caller commits.
    """
    total_score = session.scalar(
        select(func.coalesce(func.sum(Response.score), 0.0))
        .join(AttemptItem, AttemptItem.id == Response.attempt_item_id)
        .where(AttemptItem.attempt_id == attempt.id)
    )
    result = session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.finished_at.is_(None))
        .values(finished_at=finished_at, score=round(float(total_score or 0.0), 4))
        .execution_options(synchronize_session=False)
    )
    session.expire(attempt, ["finished_at", "score"])
    return bool(getattr(result, "rowcount", 0))


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
