"""Schedule flashcard reviews with FSRS, as Anki does, and keep a log that undo can replay.

Every function takes the clock (`now`) and returns new values; nothing here reads the time,
touches a database or keeps state between calls. Datetimes must be timezone-aware; they are
stored and returned in UTC.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import IntEnum, StrEnum
from typing import Any, TypeVar

import fsrs

MIN_RETENTION = 0.80
MAX_RETENTION = 0.97  # Anki: above 97% the workload "can be overwhelming"
DEFAULT_RETENTION = 0.90  # FSRS's and Anki's default

# Anki tags and suspends a card at 8 lapses, then acts again every 4 (half the threshold)
# if the student unsuspends it and keeps forgetting.
LEECH_LAPSES = 8
LEECH_REPEAT = LEECH_LAPSES // 2

T = TypeVar("T")


class InvalidRating(ValueError):
    """A rating that is not one of the four answer buttons."""


class StaleUndo(ValueError):
    """An undo of a review that is no longer the card's latest."""


class Rating(IntEnum):
    """The four answer buttons, numbered as the keys 1–4 that press them."""

    Again = 1
    Hard = 2
    Good = 3
    Easy = 4

    @classmethod
    def parse(cls, value: object) -> Rating:
        """Read a rating from a form field, JSON value or key press.

        Args:
            value: a Rating, the whole number 1–4 or the text "1"–"4".

        Returns:
            The rating.

        Raises:
            InvalidRating: anything else, including booleans, fractions and button names.
        """
        if isinstance(value, cls):
            return value
        number: int | None = None
        # bool is an int subclass: True must not pass as Again.
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and value.strip() in ("1", "2", "3", "4"):
            number = int(value.strip())
        if number is None or not 1 <= number <= 4:
            shown = repr(value)
            if len(shown) > 40:
                shown = shown[:37] + "..."
            raise InvalidRating(
                f"a rating is 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), not {shown}"
            )
        return cls(number)


class Stage(StrEnum):
    """Where a card is in FSRS's cycle; FSRS 6 has no separate "new" stage."""

    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


_TO_FSRS = {
    Stage.LEARNING: fsrs.State.Learning,
    Stage.REVIEW: fsrs.State.Review,
    Stage.RELEARNING: fsrs.State.Relearning,
}
_FROM_FSRS = {state: stage for stage, state in _TO_FSRS.items()}


def _utc(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got a naive datetime)")
    # fsrs insists on timezone.utc itself, not merely a zero offset (ZoneInfo("UTC")).
    return moment.astimezone(UTC)


def _parse_datetime(text: Any, name: str) -> datetime:
    if not isinstance(text, str):
        raise ValueError(f"{name} must be an ISO 8601 datetime string")
    return _utc(datetime.fromisoformat(text), name)


def _flag(value: Any, name: str) -> bool:
    # bool("false") is True: a flag read from storage must be a real boolean.
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    return value


@dataclass(frozen=True)
class CardState:
    """One student's memory of one card: FSRS's state plus our own counters.

    A card that has never been reviewed is in the learning stage at step 0 with no
    stability or difficulty (`is_new`).
    """

    due: datetime
    stage: Stage = Stage.LEARNING
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    leech: bool = False

    def __post_init__(self) -> None:
        # Stored in UTC so that equal states have equal dict forms.
        object.__setattr__(self, "due", _utc(self.due, "due"))
        if self.last_review is not None:
            object.__setattr__(self, "last_review", _utc(self.last_review, "last_review"))
        object.__setattr__(self, "stage", Stage(self.stage))
        if self.reps < 0 or self.lapses < 0:
            raise ValueError("reps and lapses cannot be negative")

    @classmethod
    def new(cls, now: datetime) -> CardState:
        """Return the state of a card never reviewed, due at once.

        Raises:
            ValueError: `now` is naive.
        """
        return cls(due=now)

    @property
    def is_new(self) -> bool:
        """Return whether the card has never been reviewed."""
        return self.last_review is None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (ISO 8601 datetimes) that `from_dict` reads back exactly."""
        return {
            "stage": self.stage.value,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat(),
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": self.suspended,
            "leech": self.leech,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CardState:
        """Read a state written by `to_dict`.

        Raises:
            ValueError: a field is missing or of the wrong kind.
        """
        try:
            last_review = data["last_review"]
            return cls(
                due=_parse_datetime(data["due"], "due"),
                stage=Stage(data["stage"]),
                step=None if data["step"] is None else int(data["step"]),
                stability=None if data["stability"] is None else float(data["stability"]),
                difficulty=None if data["difficulty"] is None else float(data["difficulty"]),
                last_review=(
                    None if last_review is None else _parse_datetime(last_review, "last_review")
                ),
                reps=int(data["reps"]),
                lapses=int(data["lapses"]),
                suspended=_flag(data["suspended"], "suspended"),
                leech=_flag(data["leech"], "leech"),
            )
        except KeyError as exc:
            raise ValueError(f"card state is missing '{exc.args[0]}'") from None
        except TypeError as exc:
            raise ValueError(f"card state is malformed: {exc}") from None


@dataclass(frozen=True)
class ReviewRecord:
    """One line of the review log: what was pressed, when, and the state it replaced."""

    rating: Rating
    reviewed_at: datetime
    previous: CardState
    next_due: datetime
    elapsed_days: float | None  # since the previous review; None for a card's first
    duration_ms: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict; `previous` is nested as `CardState.to_dict()`."""
        return {
            "rating": int(self.rating),
            "reviewed_at": self.reviewed_at.isoformat(),
            "previous": self.previous.to_dict(),
            "next_due": self.next_due.isoformat(),
            "elapsed_days": self.elapsed_days,
            "duration_ms": self.duration_ms,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReviewRecord:
        """Read a record written by `to_dict`.

        Raises:
            ValueError: a field is missing or of the wrong kind.
        """
        try:
            elapsed = data["elapsed_days"]
            duration = data["duration_ms"]
            return cls(
                rating=Rating.parse(data["rating"]),
                reviewed_at=_parse_datetime(data["reviewed_at"], "reviewed_at"),
                previous=CardState.from_dict(data["previous"]),
                next_due=_parse_datetime(data["next_due"], "next_due"),
                elapsed_days=None if elapsed is None else float(elapsed),
                duration_ms=None if duration is None else int(duration),
            )
        except KeyError as exc:
            raise ValueError(f"review record is missing '{exc.args[0]}'") from None


@dataclass(frozen=True)
class ReviewOutcome:
    """The card's new state and the log record that can undo it."""

    card: CardState
    record: ReviewRecord

    @property
    def became_leech(self) -> bool:
        """Return whether this review suspended the card as a leech."""
        return self.card.suspended and not self.record.previous.suspended and self.card.leech

    @property
    def interval(self) -> timedelta:
        """Return the time until the card is next due."""
        return self.card.due - self.record.reviewed_at


def check_retention(desired_retention: float) -> float:
    """Check a desired retention is one a student may choose.

    Returns:
        The retention as a float.

    Raises:
        ValueError: it is not a number from 0.80 to 0.97.
    """
    if isinstance(desired_retention, bool) or not isinstance(desired_retention, (int, float)):
        raise ValueError("desired retention must be a number from 0.80 to 0.97")
    value = float(desired_retention)
    if math.isnan(value) or not MIN_RETENTION <= value <= MAX_RETENTION:
        raise ValueError(f"desired retention must be from 0.80 to 0.97, not {value:g}")
    return value


def _scheduler(desired_retention: float) -> fsrs.Scheduler:
    # Default FSRS-6 parameters and learning steps (1m, 10m; relearning 10m), as Anki ships.
    # Fuzzing is off: fsrs draws it from the global random(), so with it on the interval a
    # button shows would not be the one pressing it gives, replaying a review after undo
    # could land elsewhere, and tests could not pin intervals down. The cost is that cards
    # learnt together stay bunched on the same days.
    return fsrs.Scheduler(
        desired_retention=check_retention(desired_retention), enable_fuzzing=False
    )


def _to_fsrs(state: CardState) -> fsrs.Card:
    # card_id is irrelevant to scheduling; passing it stops fsrs reading the clock.
    return fsrs.Card(
        card_id=0,
        state=_TO_FSRS[state.stage],
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def review(
    state: CardState,
    rating: Rating,
    now: datetime,
    desired_retention: float = DEFAULT_RETENTION,
    *,
    duration_ms: int | None = None,
) -> ReviewOutcome:
    """Apply one answer-button press to a card.

    A card in the review stage rated Again counts a lapse; at `LEECH_LAPSES` lapses, and every
    `LEECH_REPEAT` after, it is marked a leech and suspended. A suspended card can still be
    reviewed (a quiz answer updates it) and stays suspended until the student lifts it.

    Args:
        state: the card's state before the review.
        rating: the button pressed (see `Rating.parse` for untrusted input).
        now: when the button was pressed (timezone-aware).
        desired_retention: the student's target probability of recall, 0.80–0.97.
        duration_ms: how long the student took, if measured; kept for the optimizer.

    Returns:
        The new state, and the record to log (it carries the old state for undo).

    Raises:
        InvalidRating: `rating` is not one of the four buttons.
        ValueError: `now` is naive, the retention is out of range, or the duration negative.
    """
    rating = Rating.parse(rating)
    moment = _utc(now, "now")
    scheduler = _scheduler(desired_retention)
    if duration_ms is not None and (
        isinstance(duration_ms, bool) or not isinstance(duration_ms, int) or duration_ms < 0
    ):
        raise ValueError("duration_ms must be a whole number of milliseconds, 0 or more")
    card, _log = scheduler.review_card(
        _to_fsrs(state), fsrs.Rating(int(rating)), review_datetime=moment
    )
    lapsed = state.stage is Stage.REVIEW and rating is Rating.Again
    lapses = state.lapses + 1 if lapsed else state.lapses
    turns_leech = lapsed and lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % LEECH_REPEAT == 0
    new_state = CardState(
        due=card.due,
        stage=_FROM_FSRS[card.state],
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        last_review=card.last_review,
        reps=state.reps + 1,
        lapses=lapses,
        suspended=state.suspended or turns_leech,
        leech=state.leech or turns_leech,
    )
    elapsed = (
        None if state.last_review is None else (moment - state.last_review) / timedelta(days=1)
    )
    record = ReviewRecord(
        rating=rating,
        reviewed_at=moment,
        previous=state,
        next_due=new_state.due,
        elapsed_days=elapsed,
        duration_ms=duration_ms,
    )
    return ReviewOutcome(new_state, record)


def undo(record: ReviewRecord, current: CardState | None = None) -> CardState:
    """Return the state a review replaced, exactly as it was.

    Only the card's latest review can be undone; the caller deletes the record afterwards.

    Args:
        record: the review to take back.
        current: the card's state now; when given, it must be the one this review produced
            (a second click on "undo" must not take back an older review by mistake).

    Returns:
        The card's state before the review.

    Raises:
        StaleUndo: `current` is not the state this review produced.
    """
    if current is not None and (
        current.last_review != record.reviewed_at or current.reps != record.previous.reps + 1
    ):
        raise StaleUndo("that review is no longer the card's latest, so it cannot be undone")
    return record.previous


def preview_intervals(
    state: CardState, now: datetime, desired_retention: float = DEFAULT_RETENTION
) -> dict[Rating, timedelta]:
    """Return how long each button would put the card away for, to label the buttons.

    Raises:
        ValueError: `now` is naive or the retention is out of range.
    """
    return {rating: review(state, rating, now, desired_retention).interval for rating in Rating}


def _half_up(value: float, places: int = 0) -> float:
    scale = 10.0**places
    return math.floor(value * scale + 0.5) / scale


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def format_interval(interval: timedelta) -> str:
    """Show an interval as Anki's buttons do: "<1m", "10m", "3h", "4d", "1.2mo", "2.1y".

    Minutes, hours and days are rounded to whole units, months (30 days) and years (365 days)
    to one decimal. The unit is chosen after rounding, so 59m50s shows as "1h", not "60m".
    A negative interval shows as "<1m".
    """
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1m"
    minutes = _half_up(seconds / 60)
    if minutes < 60:
        return f"{minutes:.0f}m"
    hours = _half_up(seconds / 3600)
    if hours < 24:
        return f"{hours:.0f}h"
    days = _half_up(seconds / 86400)
    if days < 30:
        return f"{days:.0f}d"
    if days < 365:
        return f"{_number(_half_up(days / 30, 1))}mo"
    return f"{_number(_half_up(days / 365, 1))}y"


def retrievability(state: CardState, now: datetime) -> float:
    """Return the probability the student recalls the card now, from 0 to 1.

    As in fsrs, a card never reviewed has 0.0: nothing has been learnt that could be
    recalled. Elapsed time counts in whole days, as FSRS schedules.

    Raises:
        ValueError: `now` is naive.
    """
    moment = _utc(now, "now")
    if state.is_new or state.stability is None:
        return 0.0
    # Retrievability does not depend on the desired retention; any valid scheduler will do.
    return float(_scheduler(DEFAULT_RETENTION).get_card_retrievability(_to_fsrs(state), moment))


def weakest_first(
    cards: Iterable[tuple[T, CardState]], now: datetime, limit: int | None = None
) -> list[T]:
    """Order cards for a "what I am about to forget" quiz: lowest retrievability first.

    Cards never reviewed (nothing to forget yet) and suspended cards are left out; ties go
    to the card due earliest, then to the order given.

    Args:
        cards: pairs of the caller's key (a card or question id) and the card's state.
        now: the time to measure retrievability at.
        limit: how many keys to return at most; all when None.

    Returns:
        The keys, weakest first.
    """
    scored = [
        (retrievability(state, now), state.due, index, key)
        for index, (key, state) in enumerate(cards)
        if not state.is_new and not state.suspended
    ]
    scored.sort(key=lambda item: item[:3])
    keys = [key for *_, key in scored]
    return keys if limit is None else keys[: max(limit, 0)]


def rating_for_quiz_answer(correct: bool) -> Rating:
    """Return the rating a quiz answer counts as: wrong is Again, right is Good.

    Raises:
        TypeError: `correct` is not a bool.
    """
    if not isinstance(correct, bool):
        raise TypeError("correct must be True or False")
    return Rating.Good if correct else Rating.Again


def workload(
    dues: Iterable[datetime], now: datetime, days: int = 30, tz: tzinfo = UTC
) -> list[tuple[date, int]]:
    """Count the reviews falling due on each of the next `days` days.

    Days are calendar days in `tz` (UTC unless the student's zone is given). Cards already
    overdue count on the first day, today; cards due after the window are left out. Pass the
    due times of cards that are not suspended.

    Args:
        dues: when each card is due (timezone-aware).
        now: the current time.
        days: how many days to count, starting with today.
        tz: the zone whose midnight starts a day.

    Returns:
        One (day, count) pair per day, in order, including days with no reviews.

    Raises:
        ValueError: a datetime is naive or `days` is negative.
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError("days must be a whole number, 0 or more")
    today = _utc(now, "now").astimezone(tz).date()
    counts = [0] * days
    for due in dues:
        offset = (_utc(due, "due").astimezone(tz).date() - today).days
        if offset < days and days:
            counts[max(offset, 0)] += 1
    return [(today + timedelta(days=i), count) for i, count in enumerate(counts)]
