"""Flashcards: decks, the next card to review, rating, undo, leeches, workload, export."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import IO

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quiz.domain import bank
from quiz.domain import scheduling as fsrs
from quiz.domain.formats.anki import FlashcardFace, export_apkg, faces_from_questions
from quiz.models import (
    Card,
    PlainCard,
    Question,
    QuestionVersion,
    ReviewLog,
    Source,
    Topic,
    User,
    question_topics,
)
from quiz.services import DbSession

ALL_TOPICS = "all"
# A deck of several topics names them joined by "+" ("naming+sites"): the dashboard's
# "practise my weakest topics" session.
TOPIC_JOIN = "+"
MAX_DECK_TOPICS = 8


def deck_slugs(deck: str) -> list[str]:
    """Return the topic slugs a deck name stands for."""
    return deck.split(TOPIC_JOIN)


# Learning steps are minutes long; like Anki, show them a little early rather than
# ending a session while a card is about to come back.
LEARN_AHEAD = timedelta(minutes=20)


class CardError(ValueError):
    """A card action that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class Deck:
    slug: str
    title: str
    due: int
    new: int  # new cards available today, within the daily limit
    total: int


@dataclass(frozen=True)
class CardFace:
    """What a review page shows: the front, and the back once flipped."""

    front: str
    is_cloze: bool
    answer: str
    also_accepted: tuple[str, ...]
    explanation: str
    quote: str
    document: str
    passage: str
    source_title: str


@dataclass(frozen=True)
class NextCard:
    """The card to review next: an existing card, or a new question not yet seen."""

    card_id: int | None
    question_id: int | None
    plain_card_id: int | None
    state: fsrs.CardState
    face: CardFace
    intervals: dict[fsrs.Rating, str]
    token: str  # one-time: a replayed rating request is applied once


@dataclass(frozen=True)
class SessionCounts:
    reviewed_today: int
    due_now: int
    new_left: int
    next_due: datetime | None


def utc(moment: datetime) -> datetime:
    """Attach UTC to the naive UTC datetimes the database gives back."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def card_state(card: Card) -> fsrs.CardState:
    return fsrs.CardState(
        due=utc(card.due),
        stage=fsrs.Stage(card.stage),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        last_review=utc(card.last_review) if card.last_review else None,
        reps=card.reps,
        lapses=card.lapses,
        suspended=card.suspended,
        leech=card.leech,
    )


def store_state(card: Card, state: fsrs.CardState) -> None:
    card.stage, card.step = state.stage.value, state.step
    card.stability, card.difficulty = state.stability, state.difficulty
    card.due = naive(state.due)
    card.last_review = naive(state.last_review) if state.last_review else None
    card.reps, card.lapses = state.reps, state.lapses
    card.suspended, card.leech = state.suspended, state.leech


def _topic_filter(query: Select, deck: str, question_column: object) -> Select:  # type: ignore[type-arg]
    if deck == ALL_TOPICS:
        return query
    topic_ids = select(Topic.id).where(Topic.slug.in_(deck_slugs(deck)))
    in_topic = select(question_topics.c.question_id).where(
        question_topics.c.topic_id.in_(topic_ids)
    )
    plain_in_topic = select(PlainCard.id).where(PlainCard.topic_id.in_(topic_ids))
    return query.where(
        or_(
            question_column.in_(in_topic),  # type: ignore[attr-defined]
            Card.plain_card_id.in_(plain_in_topic),
        )
    )


def check_deck(session: DbSession, deck: str) -> str:
    """Return the deck's title, or raise CardError for an unknown deck."""
    if deck == ALL_TOPICS:
        return "All topics"
    slugs = deck_slugs(deck)
    titles = dict(
        session.execute(select(Topic.slug, Topic.title).where(Topic.slug.in_(slugs))).all()
    )
    if not slugs or len(slugs) > MAX_DECK_TOPICS or any(slug not in titles for slug in slugs):
        raise CardError("That deck does not exist.")
    return ", ".join(titles[slug] for slug in slugs)


def new_left_today(session: DbSession, user: User, now: datetime) -> int:
    """How many new cards the student may still start today (UTC day)."""
    start = naive(now).replace(hour=0, minute=0, second=0, microsecond=0)
    started = session.scalar(
        select(func.count(Card.id)).where(Card.user_id == user.id, Card.created_at >= start)
    )
    return max(0, user.new_cards_per_day - (started or 0))


def _due_query(user_id: int, deck: str, now: datetime, learn_ahead: bool = False) -> Select:  # type: ignore[type-arg]
    """Cards due now; with `learn_ahead`, also learning cards due within LEARN_AHEAD."""
    due_now = Card.due <= naive(now)
    if learn_ahead:
        soon = and_(Card.stage != fsrs.Stage.REVIEW.value, Card.due <= naive(now + LEARN_AHEAD))
        due_now = or_(due_now, soon)
    live = or_(Card.question_id.is_(None), Card.question_id.not_in(_retired_or_stale()))
    query = select(Card).where(Card.user_id == user_id, Card.suspended.is_(False), due_now, live)
    return _topic_filter(query, deck, Card.question_id)


def _retired_or_stale() -> Select:  # type: ignore[type-arg]
    """Questions a card must not show: no longer approved, or waiting for re-approval."""
    return select(Question.id).where(or_(Question.status != "approved", Question.stale.is_(True)))


def _new_questions_query(user_id: int, deck: str) -> Select:  # type: ignore[type-arg]
    seen = select(Card.question_id).where(Card.user_id == user_id, Card.question_id.is_not(None))
    query = select(Question.id).where(
        Question.status == "approved", Question.stale.is_(False), Question.id.not_in(seen)
    )
    if deck != ALL_TOPICS:
        topic_ids = select(Topic.id).where(Topic.slug.in_(deck_slugs(deck)))
        query = query.where(
            Question.id.in_(
                select(question_topics.c.question_id).where(
                    question_topics.c.topic_id.in_(topic_ids)
                )
            )
        )
    return query


def _new_plain_query(user_id: int, deck: str) -> Select:  # type: ignore[type-arg]
    seen = select(Card.plain_card_id).where(
        Card.user_id == user_id, Card.plain_card_id.is_not(None)
    )
    query = select(PlainCard.id).where(PlainCard.id.not_in(seen))
    if deck != ALL_TOPICS:
        query = query.join(Topic, Topic.id == PlainCard.topic_id).where(
            Topic.slug.in_(deck_slugs(deck))
        )
    return query


def decks(session: DbSession, user: User, now: datetime) -> list[Deck]:
    """Return "all topics" and one deck per topic, with due and new counts."""
    new_limit = new_left_today(session, user, now)
    result = []
    topics = [(ALL_TOPICS, "All topics")] + [
        (t.slug, t.title) for t in session.scalars(select(Topic).order_by(Topic.position))
    ]
    for slug, title in topics:
        due = session.scalar(
            select(func.count()).select_from(_due_query(user.id, slug, now).subquery())
        )
        unseen = (
            session.scalar(
                select(func.count()).select_from(_new_questions_query(user.id, slug).subquery())
            )
            or 0
        ) + (
            session.scalar(
                select(func.count()).select_from(_new_plain_query(user.id, slug).subquery())
            )
            or 0
        )
        seen = session.scalar(
            select(func.count()).select_from(
                _topic_filter(
                    select(Card.id).where(Card.user_id == user.id), slug, Card.question_id
                ).subquery()
            )
        )
        result.append(Deck(slug, title, due or 0, min(unseen, new_limit), unseen + (seen or 0)))
    return result


def due_and_new(session: DbSession, user: User, now: datetime) -> tuple[int, int]:
    """Cards due now across all topics, and new ones the student may start today."""
    due = session.scalar(
        select(func.count()).select_from(_due_query(user.id, ALL_TOPICS, now).subquery())
    )
    unseen = session.scalar(
        select(func.count()).select_from(_new_questions_query(user.id, ALL_TOPICS).subquery())
    )
    return due or 0, min(unseen or 0, new_left_today(session, user, now))


def next_card(session: DbSession, user: User, deck: str, now: datetime) -> NextCard | None:
    """Return the card to review now: the most overdue first, then a new one within the
    daily limit, or None when the deck is done for now."""
    card = session.scalar(_due_query(user.id, deck, now).order_by(Card.due, Card.id).limit(1))
    if card is None and new_left_today(session, user, now) > 0:
        new_card = _next_new_card(session, user, deck, now)
        if new_card is not None:
            return new_card
    if card is None:  # nothing due and nothing new: learn ahead, as Anki does
        card = session.scalar(
            _due_query(user.id, deck, now, learn_ahead=True).order_by(Card.due, Card.id).limit(1)
        )
    if card is None:
        return None
    state = card_state(card)
    face = _face_of_card(session, card)
    return NextCard(card.id, None, None, state, face, _labels(state, now, user), _token())


def _next_new_card(session: DbSession, user: User, deck: str, now: datetime) -> NextCard | None:
    question_id = session.scalar(
        _new_questions_query(user.id, deck).order_by(Question.key).limit(1)
    )
    state = fsrs.CardState.new(now)
    if question_id is not None:
        question = session.get(Question, question_id)
        assert question is not None
        face = _face_of_question(session, question.current.to_domain())
        return NextCard(None, question_id, None, state, face, _labels(state, now, user), _token())
    plain_id = session.scalar(_new_plain_query(user.id, deck).order_by(PlainCard.id).limit(1))
    if plain_id is not None:
        plain = session.get(PlainCard, plain_id)
        assert plain is not None
        return NextCard(
            None, None, plain_id, state, _face_of_plain(plain), _labels(state, now, user), _token()
        )
    return None


def _token() -> str:
    return secrets.token_urlsafe(24)


def _labels(state: fsrs.CardState, now: datetime, user: User) -> dict[fsrs.Rating, str]:
    intervals = fsrs.preview_intervals(state, now, user.desired_retention)
    return {rating: fsrs.format_interval(interval) for rating, interval in intervals.items()}


def _face_of_card(session: DbSession, card: Card) -> CardFace:
    if card.plain_card is not None:
        return _face_of_plain(card.plain_card)
    assert card.question is not None
    return _face_of_question(session, card.question.current.to_domain())


def _face_of_plain(plain: PlainCard) -> CardFace:
    return CardFace(plain.front, False, plain.back, (), "", "", "", "", "")


def _face_of_question(session: DbSession, question: bank.Question) -> CardFace:
    also: tuple[str, ...] = ()
    if question.type in bank.CHOICE_TYPES:
        answer = "; ".join(c.text for c in question.choices if c.correct)
    else:
        answer, also = question.answers[0], question.answers[1:]
    title = session.scalar(select(Source.title).where(Source.slug == question.source.document))
    return CardFace(
        front=question.prompt,
        is_cloze=question.type == "cloze",
        answer=answer,
        also_accepted=tuple(also),
        explanation=question.explanation,
        quote=question.source.quote,
        document=question.source.document,
        passage=question.source.passage,
        source_title=title or question.source.document,
    )


@dataclass(frozen=True)
class RateResult:
    state: fsrs.CardState
    became_leech: bool
    replayed: bool


def rate(
    session: DbSession,
    user: User,
    *,
    card_id: int | None,
    question_id: int | None,
    plain_card_id: int | None,
    rating: object,
    token: str,
    now: datetime,
) -> RateResult:
    """Apply a rating from a review page.

    Raises:
        fsrs.InvalidRating: the rating is not 1-4.
        LookupError: no such card for this student.
        CardError: the card is not due, the new-card limit is reached, or the token is bad.
    """
    parsed = fsrs.Rating.parse(rating)
    if not token or len(token) > 64:
        raise CardError("This review page is out of date; reload it.")
    replay = session.scalar(select(ReviewLog).where(ReviewLog.request_token == token))
    if replay is not None:
        if replay.user_id != user.id:
            raise LookupError("no such card")
        card = session.get(Card, replay.card_id)
        assert card is not None
        return RateResult(card_state(card), False, True)
    card = _card_to_rate(session, user, card_id, question_id, plain_card_id, now)
    previous = card_state(card)
    if card.id is not None and previous.due > now + LEARN_AHEAD:
        raise CardError("That card is not due yet.")
    outcome = _review_and_log(session, user, card, parsed, now, origin="review", token=token)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # the same request won a race: it counts once
        raise CardError("That rating was already recorded.") from None
    return RateResult(outcome.card, outcome.became_leech, False)


def _card_to_rate(
    session: DbSession,
    user: User,
    card_id: int | None,
    question_id: int | None,
    plain_card_id: int | None,
    now: datetime,
) -> Card:
    if card_id is not None:
        card: Card | None = session.scalar(
            select(Card).where(Card.id == card_id, Card.user_id == user.id)
        )
        if card is None:
            raise LookupError("no such card")
        if card.suspended:
            raise CardError("That card is suspended.")
        return card
    if new_left_today(session, user, now) <= 0:
        raise CardError("You have started all the new cards for today.")
    if question_id is not None:
        exists = session.scalar(
            select(Question.id).where(Question.id == question_id, Question.status == "approved")
        )
        if exists is None:
            raise LookupError("no such question")
        if session.scalar(
            select(Card.id).where(Card.user_id == user.id, Card.question_id == question_id)
        ):
            raise CardError("You have already started that card.")
        card = Card(user_id=user.id, question_id=question_id)
    elif plain_card_id is not None:
        if session.get(PlainCard, plain_card_id) is None:
            raise LookupError("no such card")
        if session.scalar(
            select(Card.id).where(Card.user_id == user.id, Card.plain_card_id == plain_card_id)
        ):
            raise CardError("You have already started that card.")
        card = Card(user_id=user.id, plain_card_id=plain_card_id)
    else:
        raise LookupError("no card named")
    store_state(card, fsrs.CardState.new(now))
    card.created_at = naive(now)
    return card


def undo_last(session: DbSession, user: User) -> bool:
    """Take back the student's latest card rating; True when there was one to undo."""
    log = session.scalar(
        select(ReviewLog)
        .where(ReviewLog.user_id == user.id, ReviewLog.origin == "review")
        .order_by(ReviewLog.reviewed_at.desc(), ReviewLog.id.desc())
        .limit(1)
    )
    if log is None:
        return False
    card = session.get(Card, log.card_id)
    assert card is not None
    record = fsrs.ReviewRecord(
        rating=fsrs.Rating(log.rating),
        reviewed_at=utc(log.reviewed_at),
        previous=fsrs.CardState.from_dict(log.previous_state),
        next_due=utc(card.due),
        elapsed_days=None,
    )
    try:
        restored = fsrs.undo(record, current=card_state(card))
    except fsrs.StaleUndo:
        return False
    session.delete(log)
    if restored.is_new and card.reps == 1 and not _other_logs(session, card.id, log.id):
        session.delete(card)  # back to a new card, as if never started
    else:
        store_state(card, restored)
    session.commit()
    return True


def _other_logs(session: DbSession, card_id: int, log_id: int) -> bool:
    return (
        session.scalar(
            select(func.count(ReviewLog.id)).where(
                ReviewLog.card_id == card_id, ReviewLog.id != log_id
            )
        )
        or 0
    ) > 0


def counts(session: DbSession, user: User, deck: str, now: datetime) -> SessionCounts:
    """Return today's progress for a deck: reviewed, due now, new left, next due time."""
    start = naive(now).replace(hour=0, minute=0, second=0, microsecond=0)
    reviewed = session.scalar(
        _topic_filter(
            select(func.count(ReviewLog.id))
            .join(Card, Card.id == ReviewLog.card_id)
            .where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= start),
            deck,
            Card.question_id,
        )
    )
    due = session.scalar(
        select(func.count()).select_from(_due_query(user.id, deck, now).subquery())
    )
    unseen = (
        session.scalar(
            select(func.count()).select_from(_new_questions_query(user.id, deck).subquery())
        )
        or 0
    )
    next_due = session.scalar(
        _topic_filter(
            select(func.min(Card.due)).where(Card.user_id == user.id, Card.suspended.is_(False)),
            deck,
            Card.question_id,
        )
    )
    return SessionCounts(
        reviewed or 0,
        due or 0,
        min(unseen, new_left_today(session, user, now)),
        utc(next_due) if next_due else None,
    )


def record_quiz_answer(
    session: DbSession, user: User, question_id: int, correct: bool, now: datetime
) -> None:
    """Let a quiz answer review the question's card: wrong is Again, right is Good.

    The caller commits, so the answer and its card change land together.
    """
    card = session.scalar(
        select(Card).where(Card.user_id == user.id, Card.question_id == question_id)
    )
    if card is None:
        card = Card(user_id=user.id, question_id=question_id, created_at=naive(now))
        store_state(card, fsrs.CardState.new(now))
    rating = fsrs.rating_for_quiz_answer(correct)
    outcome = _review_and_log(session, user, card, rating, now, origin="quiz")
    if not correct:  # a mistake is what the student should see next, not after a step
        store_state(card, replace(outcome.card, due=min(outcome.card.due, now)))


def _review_and_log(
    session: DbSession,
    user: User,
    card: Card,
    rating: fsrs.Rating,
    now: datetime,
    *,
    origin: str,
    token: str | None = None,
) -> fsrs.ReviewOutcome:
    """Review a card and log the rating with the state it replaced (for undo)."""
    previous = card_state(card)
    outcome = fsrs.review(previous, rating, now, user.desired_retention)
    store_state(card, outcome.card)
    session.add(card)
    session.flush()
    session.add(
        ReviewLog(
            card_id=card.id,
            user_id=user.id,
            rating=int(rating),
            origin=origin,
            reviewed_at=naive(now),
            previous_state=previous.to_dict(),
            request_token=token,
        )
    )
    return outcome


def weakest_questions(session: DbSession, user: User, now: datetime, limit: int) -> list[int]:
    """Return question ids the student is closest to forgetting, weakest first."""
    rows = session.scalars(
        select(Card).where(
            Card.user_id == user.id,
            Card.question_id.is_not(None),
            Card.suspended.is_(False),
            Card.reps > 0,
        )
    )
    pairs = [(card.question_id, card_state(card)) for card in rows if card.question_id is not None]
    return [q for q in fsrs.weakest_first(pairs, now, limit) if q is not None]


@dataclass(frozen=True)
class Leech:
    card_id: int
    front: str
    answer: str
    lapses: int
    document: str
    passage: str


def leeches(session: DbSession, user_ids: Sequence[int]) -> list[tuple[int, Leech]]:
    """Return flagged leeches for these students: likely misconceptions."""
    rows = session.scalars(
        select(Card)
        .options(
            selectinload(Card.question).selectinload(Question.current),
            selectinload(Card.plain_card),
        )
        .where(Card.user_id.in_(user_ids), Card.leech.is_(True))
        .order_by(Card.lapses.desc(), Card.id)
    )
    result = []
    for card in rows:
        if card.question is not None:
            version = card.question.current
            front, answer = (
                version.prompt,
                (version.answers or [""])[0]
                or "; ".join(c["text"] for c in version.choices if c["correct"]),
            )
            document, passage = version.document, version.passage_key
        else:
            assert card.plain_card is not None
            front, answer, document, passage = card.plain_card.front, card.plain_card.back, "", ""
        result.append((card.user_id, Leech(card.id, front, answer, card.lapses, document, passage)))
    return result


def unsuspend(session: DbSession, user: User, card_id: int) -> None:
    """Put a suspended card back into reviews (it stays flagged as a leech)."""
    card = session.scalar(select(Card).where(Card.id == card_id, Card.user_id == user.id))
    if card is None:
        raise LookupError("no such card")
    card.suspended = False
    session.commit()


def workload(
    session: DbSession, user: User, now: datetime, days: int = 30
) -> list[tuple[date, int]]:
    """Return how many reviews fall due on each of the next `days` days."""
    dues = session.scalars(
        select(Card.due).where(Card.user_id == user.id, Card.suspended.is_(False))
    )
    return fsrs.workload((utc(d) for d in dues), now, days)


def set_retention(
    session: DbSession, user: User, desired_retention: float, new_per_day: int
) -> None:
    user.desired_retention = fsrs.check_retention(desired_retention)
    if not 0 <= new_per_day <= 500:
        raise CardError("New cards a day must be between 0 and 500.")
    user.new_cards_per_day = new_per_day
    session.commit()


def export_deck(session: DbSession, deck: str, output: IO[bytes], now: datetime) -> int:
    """Write the deck's approved questions as an Anki package; return the note count."""
    title = check_deck(session, deck)
    query = (
        select(Question)
        .options(selectinload(Question.current).selectinload(QuestionVersion.question))
        .where(Question.status == "approved")
        .order_by(Question.key)
    )
    if deck != ALL_TOPICS:
        query = query.join(question_topics).join(Topic).where(Topic.slug == deck)
    questions = [row.current.to_domain() for row in session.scalars(query)]
    titles = dict(session.execute(select(Source.slug, Source.title)).all())
    faces: list[FlashcardFace] = faces_from_questions(questions, titles)
    plain = select(PlainCard).order_by(PlainCard.id)
    if deck != ALL_TOPICS:
        plain = plain.join(Topic).where(Topic.slug == deck)
    for card in session.scalars(plain):
        faces.append(FlashcardFace(f"plain-{card.id}", card.front, card.back))
    return export_apkg(f"quiz: {title}", faces, output, exported_at=now)


def add_plain_card(
    session: DbSession, topic_slug: str, front: str, back: str, author_id: int
) -> PlainCard:
    topic = session.scalar(select(Topic).where(Topic.slug == topic_slug))
    if topic is None:
        raise CardError("That topic does not exist.")
    card = PlainCard(
        topic_id=topic.id, front=front.strip(), back=back.strip(), created_by_id=author_id
    )
    session.add(card)
    session.commit()
    return card
