"""Scheduling: FSRS reviews on a controlled clock, undo, leeches, intervals and workload."""

import json
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from quiz.domain.scheduling import (
    LEECH_LAPSES,
    CardState,
    InvalidRating,
    Rating,
    ReviewRecord,
    Stage,
    StaleUndo,
    check_retention,
    format_interval,
    preview_intervals,
    rating_for_quiz_answer,
    retrievability,
    review,
    undo,
    weakest_first,
    workload,
)

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


def graduated(retention: float = 0.9) -> CardState:
    """Return a card learnt with Good, Good: in the review stage, due in two days."""
    first = review(CardState.new(NOW), Rating.Good, NOW, retention).card
    return review(first, Rating.Good, NOW + 10 * MINUTE, retention).card


def test_new_card_is_due_now_and_learning() -> None:
    card = CardState.new(NOW)
    assert card.due == NOW
    assert (card.stage, card.step, card.reps, card.lapses) == (Stage.LEARNING, 0, 0, 0)
    assert card.is_new
    assert not card.suspended and not card.leech


def test_first_good_takes_the_second_learning_step_with_default_memory() -> None:
    outcome = review(CardState.new(NOW), Rating.Good, NOW)
    card = outcome.card
    assert outcome.interval == 10 * MINUTE  # default learning steps are 1m, 10m
    assert (card.stage, card.step, card.reps) == (Stage.LEARNING, 1, 1)
    assert card.stability == pytest.approx(2.3065)  # w2, initial stability for Good
    assert card.difficulty == pytest.approx(6.4133 - 2.718281828 ** (0.8334 * 2) + 1)
    assert card.last_review == NOW
    assert outcome.record.elapsed_days is None


def test_good_at_the_last_step_graduates_to_two_days() -> None:
    card = graduated()
    assert card.stage is Stage.REVIEW and card.step is None
    assert card.due == NOW + 10 * MINUTE + 2 * DAY  # round(S = 2.3065 days) at 90%


def test_good_after_good_lengthens_the_interval() -> None:
    card = graduated()
    outcome = review(card, Rating.Good, card.due)
    assert outcome.interval == 11 * DAY
    assert outcome.interval > card.due - card.last_review  # type: ignore[operator]
    assert outcome.card.stability > card.stability  # type: ignore[operator]
    assert outcome.record.elapsed_days == pytest.approx(2.0)


def test_again_after_a_review_shortens_the_interval_and_counts_a_lapse() -> None:
    card = review(graduated(), Rating.Good, NOW + 10 * MINUTE + 2 * DAY).card
    outcome = review(card, Rating.Again, card.due)
    assert outcome.interval == 10 * MINUTE  # the relearning step
    assert outcome.card.stage is Stage.RELEARNING
    assert outcome.card.stability < card.stability  # type: ignore[operator]
    assert outcome.card.lapses == 1


def test_again_while_learning_is_not_a_lapse() -> None:
    card = review(CardState.new(NOW), Rating.Again, NOW).card
    card = review(card, Rating.Again, NOW + MINUTE).card
    assert card.lapses == 0
    assert card.stage is Stage.LEARNING


def test_undo_restores_the_previous_state_exactly() -> None:
    before = review(graduated(), Rating.Hard, NOW + 3 * DAY).card
    outcome = review(before, Rating.Again, NOW + 20 * DAY)
    assert outcome.card != before
    assert undo(outcome.record) == before
    assert undo(outcome.record, current=outcome.card) == before


def test_undo_survives_a_json_round_trip_of_the_log() -> None:
    before = graduated()
    outcome = review(before, Rating.Easy, NOW + 5 * DAY, duration_ms=4200)
    stored = json.loads(json.dumps(outcome.record.to_dict()))
    record = ReviewRecord.from_dict(stored)
    assert record == outcome.record
    assert undo(record) == before
    assert undo(record).to_dict() == before.to_dict()


def test_undo_refuses_a_review_that_is_no_longer_the_latest() -> None:
    first = review(graduated(), Rating.Good, NOW + 2 * DAY)
    second = review(first.card, Rating.Good, NOW + 15 * DAY)
    with pytest.raises(StaleUndo):
        undo(first.record, current=second.card)
    with pytest.raises(StaleUndo):
        undo(second.record, current=undo(second.record))  # a second click on undo


def test_card_state_round_trips_through_json() -> None:
    card = review(graduated(), Rating.Again, NOW + 4 * DAY).card
    data = json.loads(json.dumps(card.to_dict()))
    assert data["stage"] == "relearning"
    assert data["due"].endswith("+00:00")
    assert CardState.from_dict(data) == card


def test_card_state_keeps_utc_whatever_zone_it_was_given() -> None:
    paris = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    card = CardState.new(paris)
    assert card.due == NOW and card.due.tzinfo is UTC
    outcome = review(card, Rating.Good, datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("UTC")))
    assert outcome.record.reviewed_at.tzinfo is UTC


@pytest.mark.parametrize(
    "data",
    [
        {},
        {**CardState.new(NOW).to_dict(), "due": "2025-03-03T09:00:00"},
        {**CardState.new(NOW).to_dict(), "stage": "new"},
        {**CardState.new(NOW).to_dict(), "due": None},
        {**CardState.new(NOW).to_dict(), "suspended": "false"},
    ],
)
def test_malformed_card_states_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        CardState.from_dict(data)


def lapse_until(card: CardState, lapses: int, start: datetime) -> tuple[CardState, datetime]:
    """Forget a review card, relearn it and wait for it, until it has `lapses` lapses."""
    now = start
    while card.lapses < lapses:
        card = review(card, Rating.Again, now).card
        now = card.due
        card = review(card, Rating.Good, now).card
        now = card.due
    return card, now


def test_eight_lapses_make_a_leech_and_suspend_it() -> None:
    card, now = lapse_until(graduated(), LEECH_LAPSES - 1, NOW + 2 * DAY)
    assert not card.leech and not card.suspended
    outcome = review(card, Rating.Again, now)
    assert outcome.card.lapses == LEECH_LAPSES
    assert outcome.card.leech and outcome.card.suspended
    assert outcome.became_leech
    assert undo(outcome.record) == card


def test_an_unsuspended_leech_is_suspended_again_four_lapses_later() -> None:
    card, now = lapse_until(graduated(), LEECH_LAPSES, NOW + 2 * DAY)
    card = CardState.from_dict({**card.to_dict(), "suspended": False})
    card, now = lapse_until(card, LEECH_LAPSES + 3, now)
    assert card.leech and not card.suspended
    outcome = review(card, Rating.Again, now)
    assert outcome.card.suspended and outcome.became_leech


def test_higher_retention_gives_shorter_intervals() -> None:
    card = review(graduated(), Rating.Good, NOW + 10 * MINUTE + 2 * DAY).card
    strict = review(card, Rating.Good, card.due, 0.97).interval
    relaxed = review(card, Rating.Good, card.due, 0.80).interval
    assert strict < relaxed


@pytest.mark.parametrize("retention", [0.79, 0.98, 0.0, 1.0, float("nan"), True, "0.9", None])
def test_retention_outside_the_allowed_range_is_refused(retention: object) -> None:
    with pytest.raises(ValueError):
        review(CardState.new(NOW), Rating.Good, NOW, retention)  # type: ignore[arg-type]


@pytest.mark.parametrize("retention", [0.80, 0.9, 0.97])
def test_retention_at_the_limits_is_accepted(retention: float) -> None:
    assert check_retention(retention) == retention


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, Rating.Again),
        (2, Rating.Hard),
        (3, Rating.Good),
        (4, Rating.Easy),
        ("1", Rating.Again),
        (" 4 ", Rating.Easy),
        (Rating.Hard, Rating.Hard),
    ],
)
def test_ratings_one_to_four_are_read(value: object, expected: Rating) -> None:
    assert Rating.parse(value) is expected


@pytest.mark.parametrize(
    "value", [0, 5, -1, True, False, 2.5, 3.0, "easy", "Good", "", "0", "3.0", None, [3]]
)
def test_invalid_ratings_are_refused_clearly(value: object) -> None:
    with pytest.raises(InvalidRating, match=r"1 \(Again\), 2 \(Hard\), 3 \(Good\) or 4 \(Easy\)"):
        Rating.parse(value)


def test_review_refuses_an_invalid_rating() -> None:
    with pytest.raises(InvalidRating):
        review(CardState.new(NOW), 5, NOW)  # type: ignore[arg-type]


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2025, 3, 3, 9, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        CardState.new(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        review(CardState.new(NOW), Rating.Good, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        retrievability(graduated(), naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        workload([NOW], naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        workload([naive], NOW)


def test_preview_intervals_match_what_each_button_gives() -> None:
    card = graduated()
    previews = preview_intervals(card, card.due)
    assert previews == {r: review(card, r, card.due).interval for r in Rating}


def test_preview_intervals_increase_from_again_to_easy_for_a_review_card() -> None:
    card = graduated()
    previews = preview_intervals(card, card.due)
    assert previews[Rating.Again] < previews[Rating.Hard] < previews[Rating.Good]
    assert previews[Rating.Good] < previews[Rating.Easy]
    labels = {r: format_interval(i) for r, i in previews.items()}
    assert labels == {
        Rating.Again: "10m",
        Rating.Hard: "8d",
        Rating.Good: "11d",
        Rating.Easy: "19d",
    }


def test_preview_intervals_for_a_new_card_follow_the_learning_steps() -> None:
    previews = preview_intervals(CardState.new(NOW), NOW)
    labels = {r: format_interval(i) for r, i in previews.items()}
    assert labels == {Rating.Again: "1m", Rating.Hard: "6m", Rating.Good: "10m", Rating.Easy: "8d"}


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(0), "<1m"),
        (timedelta(seconds=-5), "<1m"),
        (timedelta(seconds=59), "<1m"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=5, seconds=30), "6m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(minutes=59, seconds=50), "1h"),
        (timedelta(hours=1), "1h"),
        (timedelta(hours=23), "23h"),
        (timedelta(hours=23, minutes=40), "1d"),
        (timedelta(days=1), "1d"),
        (timedelta(days=3), "3d"),
        (timedelta(days=29), "29d"),
        (timedelta(days=30), "1mo"),
        (timedelta(days=36), "1.2mo"),
        (timedelta(days=364), "12.1mo"),
        (timedelta(days=365), "1y"),
        (timedelta(days=767), "2.1y"),
        (timedelta(days=36500), "100y"),
    ],
)
def test_intervals_are_formatted_as_anki_shows_them(interval: timedelta, label: str) -> None:
    assert format_interval(interval) == label


def test_retrievability_is_zero_for_a_new_card_and_falls_with_time() -> None:
    assert retrievability(CardState.new(NOW), NOW) == 0.0
    card = graduated()
    assert retrievability(card, NOW + 10 * MINUTE) == pytest.approx(1.0)
    at_due = retrievability(card, card.due)
    later = retrievability(card, card.due + 30 * DAY)
    assert 0.85 < at_due < 1.0  # the interval is S rounded down, so just above 90%
    assert 0.0 < later < at_due


def test_weakest_first_orders_by_retrievability_and_skips_new_and_suspended() -> None:
    recent = graduated()
    old = review(recent, Rating.Hard, NOW + 2 * DAY).card
    strong = review(recent, Rating.Easy, NOW + 2 * DAY).card
    suspended = CardState.from_dict({**old.to_dict(), "suspended": True})
    cards = [("strong", strong), ("new", CardState.new(NOW)), ("old", old), ("off", suspended)]
    assert weakest_first(cards, NOW + 60 * DAY) == ["old", "strong"]
    assert weakest_first(cards, NOW + 60 * DAY, limit=1) == ["old"]


@pytest.mark.parametrize(("correct", "rating"), [(False, Rating.Again), (True, Rating.Good)])
def test_quiz_answers_rate_as_again_or_good(correct: bool, rating: Rating) -> None:
    assert rating_for_quiz_answer(correct) is rating


def test_quiz_answer_rating_needs_a_bool() -> None:
    with pytest.raises(TypeError):
        rating_for_quiz_answer(1)  # type: ignore[arg-type]


def test_workload_counts_reviews_per_utc_day_with_overdue_ones_today() -> None:
    now = datetime(2025, 3, 3, 22, 0, tzinfo=UTC)
    dues = [
        now - 5 * DAY,  # overdue
        now,
        datetime(2025, 3, 3, 23, 59, tzinfo=UTC),
        datetime(2025, 3, 4, 0, 0, tzinfo=UTC),
        datetime(2025, 3, 5, 1, 0, tzinfo=timezone(timedelta(hours=2))),  # 4 March in UTC
        datetime(2025, 4, 1, 12, 0, tzinfo=UTC),  # day 29, the last one counted
        datetime(2025, 4, 2, 0, 0, tzinfo=UTC),  # beyond the window
    ]
    days = workload(dues, now)
    assert len(days) == 30
    assert days[0] == (date(2025, 3, 3), 3)
    assert days[1] == (date(2025, 3, 4), 2)
    assert days[29] == (date(2025, 4, 1), 1)
    assert sum(count for _, count in days) == 6


def test_workload_can_use_the_students_day_boundary() -> None:
    now = datetime(2025, 3, 3, 22, 0, tzinfo=UTC)  # already 4 March in Tokyo
    tokyo = ZoneInfo("Asia/Tokyo")
    days = workload([datetime(2025, 3, 4, 16, 0, tzinfo=UTC)], now, days=3, tz=tokyo)
    assert days == [(date(2025, 3, 4), 0), (date(2025, 3, 5), 1), (date(2025, 3, 6), 0)]


def test_workload_of_no_days_is_empty_and_negative_days_are_refused() -> None:
    assert workload([NOW], NOW, days=0) == []
    with pytest.raises(ValueError):
        workload([NOW], NOW, days=-1)
