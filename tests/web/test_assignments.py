"""Assigned quizzes: setting them, drawing per student, windows, attempts, time limits,
feedback at the end, and the student's home page."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from quiz.extensions import db
from quiz.models import Assignment, Attempt, AttemptItem, Question, Response, StudyClass, User
from quiz.services import attempts
from quiz.services import classes as service
from quiz.services.accounts import PasswordPolicy, create_user
from quiz.services.attempts import AttemptClosed, TimeUp
from quiz.services.classes import AssignmentFields, ClassError
from quiz.web import classes as classes_web
from quiz.web import study as study_web

PASSWORD = "a long password"
T0 = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def app(app: Flask) -> Flask:
    """The app with the classes blueprint, until quiz/__init__.py registers it."""
    if "classes" not in app.blueprints:
        app.register_blueprint(classes_web.bp)
    return app


@dataclass
class World:
    """A class owned by "teacher" with members alice and bob; carol is in no class."""

    app: Flask
    class_id: int
    teacher_id: int
    alice_id: int
    bob_id: int
    carol_id: int

    def user(self, user_id: int) -> User:
        found = db.session.get(User, user_id)
        assert found is not None
        return found

    def context(self) -> AbstractContextManager[object]:
        """An app context for database work, unless the test already holds one."""
        return nullcontext() if has_app_context() else self.app.app_context()

    def assign(self, now: datetime = T0, **fields: object) -> int:
        """Set a quiz through the service; return its id."""
        values = {"title": "Week 1", "question_count": 5, **fields}
        with self.context():
            assignment = service.create_assignment(
                db.session,
                self.user(self.teacher_id),
                self.class_id,
                AssignmentFields(**values),  # type: ignore[arg-type]
                now,
            )
            return int(assignment.id)

    def item(self, attempt_id: int, position: int) -> AttemptItem:
        """Return an attempt's item with its question version loaded, usable after."""
        with self.app.app_context():
            found = item_at(attempt_id, position)
            _ = found.version.choices, found.version.answers, found.version.type
            _ = found.version.explanation, found.version.quote
            db.session.expunge(found)
            return found

    def attempt_row(self, attempt_id: int) -> tuple[datetime | None, float | None]:
        """Return an attempt's finish time and score, read fresh."""
        with self.app.app_context():
            found = db.session.get(Attempt, attempt_id)
            assert found is not None
            return found.finished_at, found.score

    def count(self, model: type) -> int:
        with self.context():
            return int(db.session.scalar(select(func.count(model.id))) or 0)

    def start(self, user_id: int, assignment_id: int, now: datetime = T0, seed: int = 0) -> Attempt:
        return service.start_assignment_attempt(
            db.session, self.user(user_id), assignment_id, now, random.Random(seed)
        )


def _make_user(username: str, role: str = "student") -> int:
    user = create_user(
        db.session, username, PASSWORD, PasswordPolicy("pbkdf2:sha256:1000"), role=role
    )
    return int(user.id)


@pytest.fixture
def site(app: Flask) -> World:
    """The class and its people, for tests that go through the web pages (no app
    context is held, so each request gets its own, as in production)."""
    with app.app_context():
        teacher_id = _make_user("teacher", "instructor")
        alice_id, bob_id, carol_id = _make_user("alice"), _make_user("bob"), _make_user("carol")
        teacher = db.session.get(User, teacher_id)
        study_class = service.create_class(db.session, teacher, "Biology 101")
        for student_id in (alice_id, bob_id):
            student = db.session.get(User, student_id)
            service.join_class(db.session, student, study_class.join_code)
        return World(app, study_class.id, teacher_id, alice_id, bob_id, carol_id)


@pytest.fixture
def world(site: World) -> Iterator[World]:
    """The same, for tests that call the services directly inside one app context."""
    with site.app.app_context():
        yield site


def client_for(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Set the server's clock, which every page reads through quiz.web.study.clock."""
    moment = [T0]
    monkeypatch.setattr(study_web, "clock", lambda: moment[0])

    def set_clock(now: datetime) -> None:
        moment[0] = now

    return set_clock


def item_at(attempt_id: int, position: int) -> AttemptItem:
    item = db.session.scalar(
        select(AttemptItem).where(
            AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
        )
    )
    assert item is not None
    return item


def answer_form(item: AttemptItem, right: bool) -> dict[str, object]:
    """Build the POST a student would send, right or wrong on purpose."""
    version = item.version
    if version.type in ("short", "cloze"):
        return {"answer": version.answers[0] if right else "certainly not this"}
    correct = [i for i, c in enumerate(version.choices) if c["correct"]]
    wrong = [i for i, c in enumerate(version.choices) if not c["correct"]]
    picked = correct if right else wrong[:1]
    shown = [str(item.choice_order.index(i)) for i in picked]
    return {"choice": shown if version.type == "multi" else shown[0]}


def answer(world: World, user_id: int, attempt_id: int, position: int, right: bool, now: datetime):  # type: ignore[no-untyped-def]
    form = answer_form(item_at(attempt_id, position), right)
    picked = form.get("choice", [])
    return attempts.submit_answer(
        db.session,
        user_id,
        attempt_id,
        position,
        picked if isinstance(picked, list) else [str(picked)],
        form.get("answer"),  # type: ignore[arg-type]
        now=now,
    )


def question_ids(attempt: Attempt) -> list[int]:
    return [item.version.question_id for item in attempt.items]


def keys_of(attempt: Attempt) -> list[str]:
    return [item.version.question.key for item in attempt.items]


# --- Setting a quiz: the service's rules -----------------------------------------------


def test_an_assignment_stores_every_option(world: World) -> None:
    assignment_id = world.assign(
        title="  Week 1  ",
        topic_slugs=["naming"],
        types=["short", "mcq"],
        difficulties=[1],
        question_count=4,
        shuffle=False,
        time_limit_minutes=15,
        attempts_allowed=2,
        feedback="end",
        opens_at=T0 + timedelta(hours=1),
        closes_at=T0 + timedelta(days=7),
    )
    stored = db.session.get(Assignment, assignment_id)
    assert stored is not None
    assert (stored.title, stored.selection, stored.topic_slugs) == ("Week 1", "draw", ["naming"])
    assert (stored.types, stored.difficulties, stored.question_count) == (["short", "mcq"], [1], 4)
    assert (stored.shuffle, stored.time_limit_minutes, stored.attempts_allowed) == (False, 15, 2)
    assert stored.feedback == "end" and stored.created_by_id == world.teacher_id
    assert stored.opens_at == datetime(2030, 1, 7, 10, 0)  # naive UTC in the database
    assert stored.closes_at == datetime(2030, 1, 14, 9, 0)


def test_an_assignment_opens_now_when_no_time_is_given(world: World) -> None:
    stored = db.session.get(Assignment, world.assign())
    assert stored is not None and stored.opens_at == datetime(2030, 1, 7, 9, 0)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "Give the quiz a title"),
        ({"title": " \t "}, "title", "Give the quiz a title"),
        ({"title": "x" * 201}, "title", "200 characters"),
        ({"selection": "random"}, "selection", "random draw or hand-picked"),
        ({"feedback": "never"}, "feedback", "when students see feedback"),
        ({"attempts_allowed": 0}, "attempts_allowed", "from 1 to 10"),
        ({"attempts_allowed": 11}, "attempts_allowed", "from 1 to 10"),
        ({"attempts_allowed": True}, "attempts_allowed", "from 1 to 10"),
        ({"time_limit_minutes": 0}, "time_limit_minutes", "1 to 300"),
        ({"time_limit_minutes": 301}, "time_limit_minutes", "1 to 300"),
        ({"question_count": None}, "question_count", "how many"),
        ({"question_count": 0}, "question_count", "from 1 to 50"),
        ({"question_count": 51}, "question_count", "from 1 to 50"),
        ({"topic_slugs": ["astrology"]}, "topic_slugs", "Unknown topic"),
        ({"types": ["essay"]}, "types", "question types"),
        ({"difficulties": [4]}, "difficulties", "1 to 3"),
        (
            {"topic_slugs": ["naming"], "types": ["truefalse"], "question_count": 50},
            "question_count",
            "Only 1 approved questions match",
        ),
        (
            {"opens_at": T0 + timedelta(days=2), "closes_at": T0 + timedelta(days=1)},
            "closes_at",
            "after the opening",
        ),
        ({"opens_at": T0, "closes_at": T0}, "closes_at", "after the opening"),
        (
            {"opens_at": T0 - timedelta(days=9), "closes_at": T0 - timedelta(days=1)},
            "closes_at",
            "already passed",
        ),
        ({"selection": "picked", "question_keys": []}, "question_keys", "List the ids"),
        (
            {"selection": "picked", "question_keys": ["no-such-question"]},
            "question_keys",
            "Not approved",
        ),
        (
            {"selection": "picked", "question_keys": ["<b>bad</b>"]},
            "question_keys",
            "Not a question id",
        ),
        (
            {"selection": "picked", "question_keys": [f"q-{i}" for i in range(51)]},
            "question_keys",
            "at most 50",
        ),
    ],
)
def test_bad_assignment_fields_are_refused(
    world: World, fields: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ClassError) as caught:
        world.assign(**fields)
    assert message in caught.value.errors[field]
    assert db.session.scalar(select(func.count(Assignment.id))) == 0


def test_every_problem_is_reported_at_once(world: World) -> None:
    with pytest.raises(ClassError) as caught:
        world.assign(title="", attempts_allowed=0, feedback="x", question_count=99)
    assert set(caught.value.errors) == {"title", "attempts_allowed", "feedback", "question_count"}


def test_only_the_owner_can_set_a_quiz(world: World) -> None:
    other = _make_user("other", "instructor")
    with pytest.raises(LookupError):
        service.create_assignment(
            db.session, world.user(other), world.class_id, AssignmentFields(title="X"), T0
        )


def test_picked_questions_must_be_approved_and_current(world: World) -> None:
    draft, stale = db.session.scalars(select(Question).order_by(Question.id).limit(2)).all()
    draft.status = "draft"
    stale.stale = True
    db.session.commit()
    for key in (draft.key, stale.key):
        with pytest.raises(ClassError, match="Not approved"):
            world.assign(selection="picked", question_keys=[key])


def test_stale_and_draft_questions_never_match_a_draw(world: World) -> None:
    only = service.matching_question_ids(db.session, ["naming"], ["truefalse"], [1])
    assert len(only) == 1
    question = db.session.get(Question, only[0])
    assert question is not None
    question.stale = True
    db.session.commit()
    with pytest.raises(ClassError, match="No approved questions match"):
        world.assign(
            topic_slugs=["naming"], types=["truefalse"], difficulties=[1], question_count=1
        )


# --- Drawing questions per student ---------------------------------------------------


def test_each_student_gets_their_own_random_draw(world: World) -> None:
    assignment_id = world.assign(question_count=10)
    alice = world.start(world.alice_id, assignment_id, seed=1)
    bob = world.start(world.bob_id, assignment_id, seed=2)
    assert len(alice.items) == len(bob.items) == 10
    assert set(question_ids(alice)) != set(question_ids(bob))


def test_the_draw_is_reproducible_from_its_seed(world: World) -> None:
    assignment_id = world.assign(question_count=10, attempts_allowed=2)
    first = question_ids(world.start(world.alice_id, assignment_id, seed=7))
    attempts.finish_attempt(db.session, world.alice_id, first and _latest(world.alice_id), T0)
    second = question_ids(world.start(world.bob_id, assignment_id, seed=7))
    assert first == second


def _latest(user_id: int) -> int:
    found = db.session.scalar(
        select(Attempt.id).where(Attempt.user_id == user_id).order_by(Attempt.id.desc())
    )
    assert found is not None
    return int(found)


def test_a_draw_follows_the_filters(world: World) -> None:
    assignment_id = world.assign(
        topic_slugs=["naming"], types=["short", "mcq"], difficulties=[1], question_count=10
    )
    attempt = world.start(world.alice_id, assignment_id)
    assert len(attempt.items) == 10
    for item in attempt.items:
        assert "naming" in item.version.topic_slugs
        assert item.version.type in ("short", "mcq") and item.version.difficulty == 1


def test_a_draw_without_shuffle_keeps_bank_order_and_choice_order(world: World) -> None:
    assignment_id = world.assign(question_count=20, shuffle=False)
    attempt = world.start(world.alice_id, assignment_id, seed=3)
    assert question_ids(attempt) == sorted(question_ids(attempt))
    for item in attempt.items:
        assert item.choice_order == list(range(len(item.version.choices)))


def test_a_draw_with_shuffle_shuffles_choices(world: World) -> None:
    assignment_id = world.assign(types=["mcq"], question_count=20)
    attempt = world.start(world.alice_id, assignment_id, seed=3)
    orders = [item.choice_order for item in attempt.items]
    assert any(order != sorted(order) for order in orders)


def test_picked_questions_are_exactly_those_listed(world: World) -> None:
    keys = list(db.session.scalars(select(Question.key).order_by(Question.key.desc()).limit(4)))
    assignment_id = world.assign(
        selection="picked", question_keys=[keys[2], keys[0], keys[3], keys[1]], shuffle=False
    )
    stored = db.session.get(Assignment, assignment_id)
    assert stored is not None and stored.question_count == 4
    for student_id in (world.alice_id, world.bob_id):
        attempt = world.start(student_id, assignment_id, seed=student_id)
        assert keys_of(attempt) == [keys[2], keys[0], keys[3], keys[1]]


def test_picked_questions_with_shuffle_keep_the_same_set(world: World) -> None:
    keys = list(db.session.scalars(select(Question.key).order_by(Question.key).limit(8)))
    assignment_id = world.assign(selection="picked", question_keys=keys)
    attempt = world.start(world.alice_id, assignment_id, seed=5)
    assert sorted(keys_of(attempt)) == sorted(keys) and keys_of(attempt) != keys


def test_a_picked_question_that_went_stale_is_left_out(world: World) -> None:
    keys = list(db.session.scalars(select(Question.key).order_by(Question.key).limit(3)))
    assignment_id = world.assign(selection="picked", question_keys=keys, shuffle=False)
    question = db.session.scalar(select(Question).where(Question.key == keys[1]))
    assert question is not None
    question.stale = True
    db.session.commit()
    assert keys_of(world.start(world.alice_id, assignment_id)) == [keys[0], keys[2]]


# --- Who may start, when, and how often ----------------------------------------------


def test_only_members_can_start(world: World) -> None:
    assignment_id = world.assign()
    for outsider in (world.carol_id, world.teacher_id):
        with pytest.raises(LookupError):
            world.start(outsider, assignment_id)
    with pytest.raises(LookupError):
        service.start_assignment_attempt(
            db.session,
            world.user(world.alice_id),
            assignment_id,
            T0,
            random.Random(0),
            class_id=world.class_id + 1,
        )
    assert db.session.scalar(select(func.count(Attempt.id))) == 0


def test_a_quiz_cannot_be_started_before_it_opens_or_after_it_closes(world: World) -> None:
    opens, closes = T0 + timedelta(hours=1), T0 + timedelta(days=1)
    assignment_id = world.assign(opens_at=opens, closes_at=closes, attempts_allowed=3)
    with pytest.raises(ClassError, match="opens on 2030-01-07 at 10:00 UTC"):
        world.start(world.alice_id, assignment_id, now=opens - timedelta(seconds=1))
    assert world.start(world.alice_id, assignment_id, now=opens).attempt_number == 1
    with pytest.raises(ClassError, match="closed on 2030-01-08 at 09:00 UTC"):
        world.start(world.bob_id, assignment_id, now=closes)
    assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_one_attempt_allowed_means_one(world: World) -> None:
    assignment_id = world.assign(attempts_allowed=1)
    first = world.start(world.alice_id, assignment_id)
    assert world.start(world.alice_id, assignment_id).id == first.id  # carry on, not a new one
    attempts.finish_attempt(db.session, world.alice_id, first.id, T0 + timedelta(minutes=1))
    with pytest.raises(ClassError, match="used all 1 attempt"):
        world.start(world.alice_id, assignment_id, now=T0 + timedelta(minutes=2))
    count = db.session.scalar(
        select(func.count(Attempt.id)).where(Attempt.user_id == world.alice_id)
    )
    assert count == 1


def test_attempts_are_numbered_up_to_the_limit(world: World) -> None:
    assignment_id = world.assign(attempts_allowed=3)
    numbers = []
    for minute in range(3):
        attempt = world.start(world.alice_id, assignment_id, now=T0 + timedelta(minutes=minute))
        numbers.append(attempt.attempt_number)
        attempts.finish_attempt(
            db.session, world.alice_id, attempt.id, T0 + timedelta(minutes=minute)
        )
    assert numbers == [1, 2, 3]
    with pytest.raises(ClassError):
        world.start(world.alice_id, assignment_id, now=T0 + timedelta(minutes=5))


def test_a_concurrent_second_start_returns_the_first_attempt(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two starts at once both see 0 attempts used; the unique key lets one row in."""
    assignment_id = world.assign(attempts_allowed=1)
    first = world.start(world.alice_id, assignment_id)
    first_id = first.id
    real_in_progress = service._in_progress
    calls = []

    def blind_first_look(session, user_id, assignment_id):  # type: ignore[no-untyped-def]
        calls.append(1)
        return None if len(calls) == 1 else real_in_progress(session, user_id, assignment_id)

    monkeypatch.setattr(service, "_in_progress", blind_first_look)
    monkeypatch.setattr(service, "_attempts_used", lambda *args: 0)
    second = world.start(world.alice_id, assignment_id, seed=9)
    assert second.id == first_id
    rows = db.session.scalar(
        select(func.count(Attempt.id)).where(Attempt.user_id == world.alice_id)
    )
    assert rows == 1


def test_the_unique_key_refuses_a_duplicate_attempt_number(world: World) -> None:
    assignment_id = world.assign(attempts_allowed=2)
    world.start(world.alice_id, assignment_id)
    db.session.add(
        Attempt(user_id=world.alice_id, title="dup", assignment_id=assignment_id, attempt_number=1)
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


# --- Time limits ---------------------------------------------------------------------


def test_the_deadline_is_the_time_limit_or_the_closing_time_whichever_is_first(
    world: World,
) -> None:
    timed = world.assign(time_limit_minutes=30, closes_at=T0 + timedelta(days=1))
    assert world.start(world.alice_id, timed).deadline == datetime(2030, 1, 7, 9, 30)
    closing = world.assign(
        title="Near the close", time_limit_minutes=30, closes_at=T0 + timedelta(minutes=10)
    )
    assert world.start(world.alice_id, closing).deadline == datetime(2030, 1, 7, 9, 10)
    untimed = world.assign(title="No limit", closes_at=T0 + timedelta(days=2))
    assert world.start(world.alice_id, untimed).deadline == datetime(2030, 1, 9, 9, 0)
    open_ended = world.assign(title="Open-ended")
    assert world.start(world.alice_id, open_ended).deadline is None


def test_an_answer_after_the_deadline_is_refused_and_the_attempt_finished(world: World) -> None:
    assignment_id = world.assign(time_limit_minutes=10, question_count=3)
    attempt = world.start(world.alice_id, assignment_id)
    attempt_id = attempt.id
    assert answer(world, world.alice_id, attempt_id, 1, True, T0 + timedelta(minutes=9)) is not None
    assert (
        answer(world, world.alice_id, attempt_id, 2, True, T0 + timedelta(minutes=10)) is not None
    )
    with pytest.raises(TimeUp, match="Time is up: answers after the deadline are not counted"):
        answer(world, world.alice_id, attempt_id, 3, True, T0 + timedelta(minutes=10, seconds=1))
    db.session.expire_all()
    finished = db.session.get(Attempt, attempt_id)
    assert finished is not None
    assert finished.finished_at == datetime(2030, 1, 7, 9, 10)  # as of the deadline
    assert finished.score == 2 and finished.max_score == 3
    assert db.session.scalar(select(func.count(Response.id))) == 2
    with pytest.raises(AttemptClosed):  # and nothing more, ever
        answer(world, world.alice_id, attempt_id, 3, True, T0 + timedelta(minutes=11))


def test_an_answer_to_a_finished_attempt_is_refused(world: World) -> None:
    assignment_id = world.assign(question_count=3)
    attempt_id = world.start(world.alice_id, assignment_id).id
    attempts.finish_attempt(db.session, world.alice_id, attempt_id, T0)
    with pytest.raises(AttemptClosed, match="finished"):
        answer(world, world.alice_id, attempt_id, 1, True, T0)
    assert db.session.scalar(select(func.count(Response.id))) == 0


def test_finishing_is_idempotent_and_scores_unanswered_as_zero(world: World) -> None:
    assignment_id = world.assign(question_count=4)
    attempt_id = world.start(world.alice_id, assignment_id).id
    answer(world, world.alice_id, attempt_id, 1, True, T0)
    first = attempts.finish_attempt(
        db.session, world.alice_id, attempt_id, T0 + timedelta(minutes=1)
    )
    assert (first.score, first.max_score, first.percent) == (1, 4, 25)
    again = attempts.finish_attempt(db.session, world.alice_id, attempt_id, T0 + timedelta(hours=1))
    assert again.finished_at == datetime(2030, 1, 7, 9, 1) and again.score == 1
    with pytest.raises(LookupError):
        attempts.finish_attempt(db.session, world.bob_id, attempt_id, T0)


def test_an_attempt_left_past_its_deadline_is_finished_on_the_next_start(world: World) -> None:
    assignment_id = world.assign(time_limit_minutes=5, attempts_allowed=2)
    first = world.start(world.alice_id, assignment_id)
    first_id = first.id
    later = T0 + timedelta(minutes=20)
    second = world.start(world.alice_id, assignment_id, now=later)
    assert second.id != first_id and second.attempt_number == 2
    expired = db.session.get(Attempt, first_id)
    assert expired is not None and expired.finished_at == datetime(2030, 1, 7, 9, 5)


def test_practice_quizzes_keep_having_no_deadline(world: World) -> None:
    attempt = attempts.start_attempt(db.session, world.alice_id, None, 5, random.Random(1))
    assert attempt.deadline is None and attempt.feedback == "each" and attempt.assignment_id is None
    far_future = T0 + timedelta(days=3650)
    assert answer(world, world.alice_id, attempt.id, 1, True, far_future) is not None


# --- Feedback at the end -------------------------------------------------------------


def test_feedback_at_the_end_hides_the_outcome_until_finished(world: World) -> None:
    assignment_id = world.assign(feedback="end", question_count=3)
    attempt = world.start(world.alice_id, assignment_id)
    assert attempt.feedback == "end"
    answer(world, world.alice_id, attempt.id, 1, False, T0)
    view = attempts.view_item(db.session, world.alice_id, attempt.id, 1)
    assert view is not None and view.answered and view.outcome is None and view.feedback_hidden
    attempts.finish_attempt(db.session, world.alice_id, attempt.id, T0)
    shown = attempts.view_item(db.session, world.alice_id, attempt.id, 1)
    assert shown is not None and shown.outcome is not None and not shown.outcome.correct
    unanswered = attempts.view_item(db.session, world.alice_id, attempt.id, 2)
    assert unanswered is not None and unanswered.outcome is not None
    assert unanswered.outcome.unanswered and unanswered.outcome.expected


# --- The student's list ----------------------------------------------------------------


def test_a_student_sees_open_quizzes_soonest_due_first(world: World) -> None:
    world.assign(title="Later", closes_at=T0 + timedelta(days=9))
    world.assign(title="Sooner", closes_at=T0 + timedelta(days=2))
    world.assign(title="Whenever")
    world.assign(title="Not yet", opens_at=T0 + timedelta(days=1))
    listed = service.assignments_for_student(db.session, world.user(world.alice_id), T0)
    assert [q.assignment.title for q in listed] == ["Sooner", "Later", "Whenever"]
    assert all(q.class_name == "Biology 101" and q.attempts_left == 1 for q in listed)
    after = service.assignments_for_student(
        db.session, world.user(world.alice_id), T0 + timedelta(days=3)
    )
    assert [q.assignment.title for q in after] == ["Later", "Whenever", "Not yet"]
    assert service.assignments_for_student(db.session, world.user(world.carol_id), T0) == []


def test_the_list_counts_attempts_and_the_best_score(world: World) -> None:
    assignment_id = world.assign(question_count=2, attempts_allowed=3)
    for right in (False, True):
        attempt_id = world.start(world.alice_id, assignment_id).id
        answer(world, world.alice_id, attempt_id, 1, right, T0)
        answer(world, world.alice_id, attempt_id, 2, True, T0)
    (quiz,) = service.assignments_for_student(db.session, world.user(world.alice_id), T0)
    assert (quiz.attempts_used, quiz.attempts_left, quiz.best_percent) == (2, 1, 100)
    assert not quiz.in_progress and quiz.can_start


def test_the_owner_sees_each_students_attempts(world: World) -> None:
    assignment_id = world.assign(question_count=2)
    attempt_id = world.start(world.alice_id, assignment_id).id
    answer(world, world.alice_id, attempt_id, 1, True, T0)
    answer(world, world.alice_id, attempt_id, 2, False, T0)
    assignment = db.session.get(Assignment, assignment_id)
    rows = service.assignment_progress(db.session, assignment, T0)
    assert [(r.username, r.attempts_used, r.best_percent) for r in rows] == [
        ("alice", 1, 50),
        ("bob", 0, None),
    ]


# --- Through the web pages ---------------------------------------------------------------

VALID_FORM = {
    "title": "Week 1",
    "selection": "draw",
    "question_count": "5",
    "attempts_allowed": "1",
    "feedback": "each",
    "shuffle": "y",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": None}, "Give the quiz a title."),
        ({"title": "   "}, "Give the quiz a title."),
        ({"title": "x" * 201}, "longer than 200"),
        ({"title": ["a", "b"]}, None),  # a repeated field: the first counts, then refused below
        ({"selection": None}, "Choose how questions are chosen."),
        ({"selection": "random"}, "Not a valid choice"),
        ({"selection": "x" * 5000}, "Not a valid choice"),
        ({"topics": ["astrology"]}, "is not a valid choice"),
        ({"types": ["essay"]}, "is not a valid choice"),
        ({"difficulties": ["4"]}, "is not a valid choice"),
        ({"difficulties": ["hard"]}, "could not be coerced"),
        ({"question_count": None}, "Say how many questions to draw."),
        ({"question_count": "ten"}, "Not a valid integer value."),
        ({"question_count": "2.5"}, "Not a valid integer value."),
        ({"question_count": "0"}, "Draw from 1 to 50 questions."),
        ({"question_count": "51"}, "Draw from 1 to 50 questions."),
        ({"question_count": "9" * 40}, "Draw from 1 to 50 questions."),
        ({"question_count": "500", "topics": ["naming"]}, "Draw from 1 to 50 questions."),
        ({"question_count": "50", "topics": ["naming"]}, "Only 29 approved questions match"),
        ({"selection": "picked"}, "List the ids of the questions to ask."),
        (
            {"selection": "picked", "question_keys": "no-such-question"},
            "Not approved questions: no-such-question",
        ),
        ({"selection": "picked", "question_keys": "<script>x</script>"}, "Not a question id"),
        ({"selection": "picked", "question_keys": "a\n" * 2600}, "longer than 5000"),
        ({"time_limit_minutes": "soon"}, "Not a valid integer value."),
        ({"time_limit_minutes": "0"}, "Set 1 to 300 minutes"),
        ({"time_limit_minutes": "301"}, "Set 1 to 300 minutes"),
        ({"time_limit_minutes": "-5"}, "Set 1 to 300 minutes"),
        ({"attempts_allowed": None}, "Say how many attempts each student has."),
        ({"attempts_allowed": ""}, "Say how many attempts each student has."),
        ({"attempts_allowed": "two"}, "Not a valid integer value."),
        ({"attempts_allowed": "0"}, "Allow from 1 to 10 attempts."),
        ({"attempts_allowed": "11"}, "Allow from 1 to 10 attempts."),
        ({"feedback": None}, "Choose when students see feedback."),
        ({"feedback": "later"}, "Not a valid choice"),
        ({"opens_at": "tomorrow"}, "Not a valid datetime value."),
        ({"opens_at": "2099-01-01T00:00" + "0" * 300}, "Not a valid datetime value."),
        ({"closes_at": "2099-13-01T00:00"}, "Not a valid datetime value."),
        (
            {"opens_at": "1999-01-01T00:00", "closes_at": "2000-01-01T00:00"},
            "The closing time has already passed.",
        ),
        (
            {"opens_at": "2099-02-01T10:00", "closes_at": "2099-02-01T09:59"},
            "The closing time must be after the opening time.",
        ),
    ],
)
def test_the_assignment_form_refuses_bad_input(
    site: World, change: dict[str, object], message: str | None
) -> None:
    data = {**VALID_FORM, **change}
    data = {k: v for k, v in data.items() if v is not None}
    if message is None:  # a repeated title: WTForms takes the first; make it bad on purpose
        data["title"] = ["", "Week 1"]
        message = "Give the quiz a title."
    teacher = client_for(site.app, "teacher")
    response = teacher.post(f"/classes/{site.class_id}/assignments/new", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert str(escape(message)) in html or message in html
    assert "has-error" in html or "error-list" in html
    assert site.count(Assignment) == 0


def test_the_assignment_form_sets_a_quiz_with_every_option(site: World) -> None:
    with site.app.app_context():
        keys = list(db.session.scalars(select(Question.key).order_by(Question.key).limit(3)))
    teacher = client_for(site.app, "teacher")
    response = teacher.post(
        f"/classes/{site.class_id}/assignments/new",
        data={
            **VALID_FORM,
            "title": "Picked, <b>timed</b>",
            "selection": "picked",
            "question_keys": f"{keys[0]}, {keys[1]}\n{keys[2]}\n{keys[0]}",
            "time_limit_minutes": "20",
            "attempts_allowed": "3",
            "feedback": "end",
            "opens_at": "2099-03-01T08:00",
            "closes_at": "2099-03-08T17:30",
            "shuffle": "",  # an unticked box sends nothing
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with site.app.app_context():
        stored = db.session.scalar(select(Assignment))
        assert stored is not None
        assert stored.selection == "picked" and stored.shuffle is False
        assert stored.question_keys == keys and stored.question_count == 3
        assert (stored.time_limit_minutes, stored.attempts_allowed, stored.feedback) == (
            20,
            3,
            "end",
        )
        assert stored.opens_at == datetime(2099, 3, 1, 8, 0)
        assert stored.closes_at == datetime(2099, 3, 8, 17, 30)
    page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "Picked, &lt;b&gt;timed&lt;/b&gt;" in page and "<b>timed</b>" not in page


def test_the_class_page_offers_every_option_with_utc_times(site: World) -> None:
    html = client_for(site.app, "teacher").get(f"/classes/{site.class_id}").get_data(as_text=True)
    for name in (
        "title",
        "selection",
        "topics",
        "types",
        "difficulties",
        "question_keys",
        "question_count",
        "shuffle",
        "time_limit_minutes",
        "attempts_allowed",
        "feedback",
        "opens_at",
        "closes_at",
    ):
        assert f'name="{name}"' in html, name
    assert 'type="datetime-local"' in html and "Opens (UTC)" in html and "Closes (UTC)" in html
    assert "alice" in html and "bob" in html


def start_url(site: World, assignment_id: int, class_id: int | None = None) -> str:
    return f"/classes/{class_id or site.class_id}/assignments/{assignment_id}/start"


def started_attempt_id(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.fullmatch(r"/attempts/(\d+)/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def test_a_member_starts_from_the_web(site: World, clock) -> None:
    assignment_id = site.assign(question_count=3)
    alice = client_for(site.app, "alice")
    attempt_id = started_attempt_id(alice.post(start_url(site, assignment_id)))
    assert alice.get(f"/attempts/{attempt_id}/1").status_code == 200
    # starting again carries on with the same attempt
    assert started_attempt_id(alice.post(start_url(site, assignment_id))) == attempt_id


def test_start_is_refused_to_outsiders_with_404(site: World, clock) -> None:
    assignment_id = site.assign()
    carol = client_for(site.app, "carol")
    assert carol.post(start_url(site, assignment_id)).status_code == 404
    assert client_for(site.app, "teacher").post(start_url(site, assignment_id)).status_code == 404
    alice = client_for(site.app, "alice")
    assert alice.post(start_url(site, assignment_id, class_id=site.class_id + 1)).status_code == 404
    assert alice.post(start_url(site, 99999)).status_code == 404
    anonymous = site.app.test_client().post(start_url(site, assignment_id))
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert alice.get(start_url(site, assignment_id)).status_code == 405
    assert site.count(Attempt) == 0


def test_a_second_start_is_refused_when_one_attempt_is_allowed(site: World, clock) -> None:
    assignment_id = site.assign(question_count=2, attempts_allowed=1)
    alice = client_for(site.app, "alice")
    attempt_id = started_attempt_id(alice.post(start_url(site, assignment_id)))
    assert alice.post(f"/attempts/{attempt_id}/finish").status_code == 302
    response = alice.post(start_url(site, assignment_id), follow_redirects=True)
    assert "You have used all 1 attempt(s)" in response.get_data(as_text=True)
    assert site.count(Attempt) == 1


def test_start_outside_the_window_is_refused(site: World, clock) -> None:
    assignment_id = site.assign(opens_at=T0 + timedelta(hours=1), closes_at=T0 + timedelta(hours=2))
    alice = client_for(site.app, "alice")
    html = alice.post(start_url(site, assignment_id), follow_redirects=True).get_data(as_text=True)
    assert "opens on 2030-01-07 at 10:00 UTC" in html
    clock(T0 + timedelta(hours=2))
    html = alice.post(start_url(site, assignment_id), follow_redirects=True).get_data(as_text=True)
    assert "closed on 2030-01-07 at 11:00 UTC" in html
    assert site.count(Attempt) == 0


def test_the_web_refuses_an_answer_after_the_deadline(site: World, clock) -> None:
    assignment_id = site.assign(question_count=3, time_limit_minutes=10)
    alice = client_for(site.app, "alice")
    attempt_id = started_attempt_id(alice.post(start_url(site, assignment_id)))
    page = alice.get(f"/attempts/{attempt_id}/1").get_data(as_text=True)
    assert 'Time left: <strong id="time-left">10 min 00 s</strong>' in page
    assert "js/countdown.js" in page
    clock(T0 + timedelta(minutes=4, seconds=30))
    assert "5 min 30 s" in alice.get(f"/attempts/{attempt_id}/1").get_data(as_text=True)
    ok = alice.post(f"/attempts/{attempt_id}/1", data=answer_form(site.item(attempt_id, 1), True))
    assert ok.status_code == 302

    clock(T0 + timedelta(minutes=10, seconds=1))
    # a forged client timer changes nothing: only the server's clock counts
    late = alice.post(
        f"/attempts/{attempt_id}/2",
        data={**answer_form(site.item(attempt_id, 2), True), "time_left": "9999", "timeup": "0"},
    )
    assert late.status_code == 409
    assert "Time is up: answers after the deadline are not counted" in late.get_data(as_text=True)
    assert site.attempt_row(attempt_id) == (datetime(2030, 1, 7, 9, 10), 1)
    assert site.count(Response) == 1
    again = alice.post(
        f"/attempts/{attempt_id}/3", data=answer_form(site.item(attempt_id, 3), True)
    )
    assert again.status_code == 409
    results = alice.get(f"/attempts/{attempt_id}/results").get_data(as_text=True)
    assert "1 / 3" in results and "Not answered." in results


def test_opening_a_timed_quiz_after_its_deadline_finishes_it(site: World, clock) -> None:
    assignment_id = site.assign(question_count=2, time_limit_minutes=5)
    alice = client_for(site.app, "alice")
    attempt_id = started_attempt_id(alice.post(start_url(site, assignment_id)))
    clock(T0 + timedelta(hours=1))
    page = alice.get(f"/attempts/{attempt_id}/1").get_data(as_text=True)
    assert 'id="answer-form"' not in page and "Not answered." in page
    assert "Time left" not in page
    assert site.attempt_row(attempt_id) == (datetime(2030, 1, 7, 9, 5), 0)


def test_practice_pages_show_no_timer(app: Flask, site: World) -> None:
    alice = client_for(site.app, "alice")
    response = alice.post("/quiz", data={"topic": "", "length": 5})
    page = alice.get(response.headers["Location"]).get_data(as_text=True)
    assert "Time left" not in page and "countdown.js" not in page


def test_finish_from_the_web_is_idempotent_and_private(site: World, clock) -> None:
    assignment_id = site.assign(question_count=3)
    alice = client_for(site.app, "alice")
    attempt_id = started_attempt_id(alice.post(start_url(site, assignment_id)))
    assert 'id="finish-form"' in alice.get(f"/attempts/{attempt_id}/1").get_data(as_text=True)
    bob = client_for(site.app, "bob")
    assert bob.post(f"/attempts/{attempt_id}/finish").status_code == 404
    assert site.attempt_row(attempt_id) == (None, None)
    first = alice.post(f"/attempts/{attempt_id}/finish")
    clock(T0 + timedelta(minutes=3))
    second = alice.post(f"/attempts/{attempt_id}/finish")
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == f"/attempts/{attempt_id}/results"
    assert site.attempt_row(attempt_id) == (datetime(2030, 1, 7, 9, 0), 0)
    assert 'id="finish-form"' not in alice.get(f"/attempts/{attempt_id}/1").get_data(as_text=True)


def test_feedback_at_the_end_on_the_web(site: World, clock) -> None:
    assignment_id = site.assign(question_count=3, feedback="end")
    alice = client_for(site.app, "alice")
    attempt_id = started_attempt_id(alice.post(start_url(site, assignment_id)))
    item = site.item(attempt_id, 1)
    version = item.version
    explanation, quote = str(escape(version.explanation)), str(escape(version.quote))
    moved = alice.post(f"/attempts/{attempt_id}/1", data=answer_form(item, False))
    assert moved.headers["Location"] == f"/attempts/{attempt_id}/2"  # on to the next question
    page = alice.get(f"/attempts/{attempt_id}/1").get_data(as_text=True)
    assert "Answer saved" in page and 'id="answer-form"' not in page
    for hidden in (explanation, quote, "Not quite.", "Correct answer:", "Correct."):
        assert hidden not in page
    results = alice.get(f"/attempts/{attempt_id}/results").get_data(as_text=True)
    assert "Correct answer:" not in results and "Score:" not in results
    assert "You have answered 1 of 3" in results
    # answering the rest finishes the quiz and goes to the results, which show everything
    alice.post(f"/attempts/{attempt_id}/2", data=answer_form(site.item(attempt_id, 2), True))
    last = alice.post(f"/attempts/{attempt_id}/3", data=answer_form(site.item(attempt_id, 3), True))
    assert last.headers["Location"] == f"/attempts/{attempt_id}/results"
    page = alice.get(f"/attempts/{attempt_id}/1").get_data(as_text=True)
    assert "Not quite." in page and explanation in page and quote in page
    results = alice.get(f"/attempts/{attempt_id}/results").get_data(as_text=True)
    assert "2 / 3" in results and "Correct answer:" in results


def test_feedback_after_each_question_shows_at_once(site: World, clock) -> None:
    assignment_id = site.assign(question_count=2, feedback="each")
    alice = client_for(site.app, "alice")
    attempt_id = started_attempt_id(alice.post(start_url(site, assignment_id)))
    item = site.item(attempt_id, 1)
    response = alice.post(f"/attempts/{attempt_id}/1", data=answer_form(item, False))
    assert response.headers["Location"] == f"/attempts/{attempt_id}/1"
    page = alice.get(f"/attempts/{attempt_id}/1").get_data(as_text=True)
    assert "Not quite." in page and str(escape(item.version.explanation)) in page


def test_home_lists_assigned_quizzes_with_due_dates(site: World, clock) -> None:
    site.assign(
        title="Due soon", closes_at=datetime(2030, 1, 20, 17, 0, tzinfo=UTC), attempts_allowed=2
    )
    site.assign(title="Not open yet", opens_at=T0 + timedelta(days=1))
    alice = client_for(site.app, "alice")
    html = alice.get("/").get_data(as_text=True)
    assert "Quizzes set for you" in html and "Due soon" in html and "Biology 101" in html
    assert '<time datetime="2030-01-20T17:00Z">2030-01-20 17:00</time>' in html
    assert "2 of 2" in html and ">Start<" in html
    assert "Not open yet" not in html
    clock(datetime(2030, 1, 20, 17, 0, tzinfo=UTC))
    assert "Due soon" not in alice.get("/").get_data(as_text=True)
    assert "Quizzes set for you" not in client_for(site.app, "carol").get("/").get_data(
        as_text=True
    )


def test_home_shows_attempts_left_and_continue(site: World, clock) -> None:
    assignment_id = site.assign(question_count=2, attempts_allowed=1)
    alice = client_for(site.app, "alice")
    attempt_id = started_attempt_id(alice.post(start_url(site, assignment_id)))
    html = alice.get("/").get_data(as_text=True)
    assert "0 of 1" in html and ">Continue<" in html
    alice.post(f"/attempts/{attempt_id}/finish")
    html = alice.get("/").get_data(as_text=True)
    assert "No attempts left" in html and "0%" in html


def test_html_in_an_assignment_title_is_shown_as_text(site: World, clock) -> None:
    assignment_id = site.assign(title=XSS, question_count=2)
    teacher = client_for(site.app, "teacher")
    alice = client_for(site.app, "alice")
    attempt_id = started_attempt_id(alice.post(start_url(site, assignment_id)))
    pages = [
        alice.get("/").get_data(as_text=True),
        alice.get("/classes/").get_data(as_text=True),
        alice.get(f"/attempts/{attempt_id}/1").get_data(as_text=True),
        alice.get(f"/attempts/{attempt_id}/results").get_data(as_text=True),
        alice.get("/results").get_data(as_text=True),
        teacher.get(f"/classes/{site.class_id}").get_data(as_text=True),
        teacher.get(f"/classes/{site.class_id}/assignments/{assignment_id}").get_data(as_text=True),
    ]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html


def test_the_owner_summary_lists_every_member(site: World, clock) -> None:
    assignment_id = site.assign(question_count=2)
    alice = client_for(site.app, "alice")
    attempt_id = started_attempt_id(alice.post(start_url(site, assignment_id)))
    alice.post(f"/attempts/{attempt_id}/1", data=answer_form(site.item(attempt_id, 1), True))
    alice.post(f"/attempts/{attempt_id}/2", data=answer_form(site.item(attempt_id, 2), True))
    html = (
        client_for(site.app, "teacher")
        .get(f"/classes/{site.class_id}/assignments/{assignment_id}")
        .get_data(as_text=True)
    )
    assert re.search(r"alice</td>\s*<td>1 of 1</td>\s*<td>2 / 2 \(100%\)", html)
    assert re.search(r"bob</td>\s*<td>0 of 1</td>", html)


def test_a_class_of_another_owner_is_not_listed(world: World) -> None:
    other = _make_user("other", "instructor")
    assert service.classes_of_owner(db.session, world.user(other)) == []
    assert service.class_for_owner(db.session, world.user(other), world.class_id) is None
    owned = service.classes_of_owner(db.session, world.user(world.teacher_id))
    assert [(c.name, n) for c, n in owned] == [("Biology 101", 2)]
    assert isinstance(owned[0][0], StudyClass)


def test_replace_keeps_fields_frozen() -> None:
    fields = AssignmentFields(title="x")
    assert replace(fields, title="y").title == "y" and fields.title == "x"
