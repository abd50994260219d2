"""Flashcard review pages, the quiz feed, leeches, workload and Anki export."""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz.domain import scheduling
from quiz.extensions import db
from quiz.models import Card, PlainCard, Question, ReviewLog, User
from quiz.services import cards


@pytest.fixture
def student(auth) -> FlaskClient:
    auth.register()
    return auth.client


def review_form(html: str) -> dict[str, str]:
    """The hidden fields of the rating form on a review page."""
    form = html[html.index('id="rating-form"') :]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def the_user(app: Flask) -> User:
    user = db.session.scalar(select(User).where(User.username == "alice"))
    assert user is not None
    return user


def card_rows(app: Flask) -> list[Card]:
    with app.app_context():
        rows = list(db.session.scalars(select(Card).order_by(Card.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_decks_page_lists_every_topic_and_home_shows_due_today(student: FlaskClient) -> None:
    html = student.get("/cards/").get_data(as_text=True)
    for title in ("All topics", "Naming metastatic cancer", "Where cancer spreads"):
        assert title in html
    assert 'id="due-today"' in student.get("/").get_data(as_text=True)


def test_a_new_card_flips_rates_and_gets_scheduled(app: Flask, student: FlaskClient) -> None:
    page = student.get("/cards/naming/review").get_data(as_text=True)
    assert 'id="card-back" hidden' in page and "Show answer" in page
    assert "10m" in page  # Good on a new card comes back in ten minutes
    flipped = student.get("/cards/naming/review?flipped=1").get_data(as_text=True)
    assert 'id="card-back" hidden' not in flipped and "<blockquote" in flipped
    fields = review_form(page)
    response = student.post("/cards/naming/review", data={**fields, "rating": "3"})
    assert response.status_code == 302
    (card,) = card_rows(app)
    assert card.reps == 1 and card.stage == "learning"
    assert card.due > datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=9)


def test_undo_restores_the_previous_state_exactly(app: Flask, student: FlaskClient) -> None:
    page = student.get("/cards/naming/review").get_data(as_text=True)
    question_id = int(review_form(page)["question_id"])
    start = datetime.now(UTC) - timedelta(days=5)
    with app.app_context():
        user = the_user(app)
        for step, (rating, at) in enumerate([(3, start), (3, start + timedelta(minutes=15))]):
            card_id = db.session.scalar(select(Card.id).where(Card.question_id == question_id))
            cards.rate(
                db.session,
                user,
                card_id=card_id,
                question_id=None if card_id else question_id,
                plain_card_id=None,
                rating=rating,
                token=f"t{step}",
                now=at,
            )
    (before,) = card_rows(app)
    assert before.stage == "review"
    page = student.get("/cards/naming/review").get_data(as_text=True)
    assert review_form(page)["card_id"] == str(before.id)  # due again by now
    student.post("/cards/naming/review", data={**review_form(page), "rating": "1"})
    assert card_rows(app)[0].lapses == 1
    assert student.post("/cards/naming/undo").status_code == 302
    (after,) = card_rows(app)
    for name in (
        "stage",
        "step",
        "stability",
        "difficulty",
        "due",
        "last_review",
        "reps",
        "lapses",
    ):
        assert getattr(after, name) == getattr(before, name), name


def test_undoing_a_first_rating_makes_the_card_new_again(app: Flask, student: FlaskClient) -> None:
    page = student.get("/cards/naming/review").get_data(as_text=True)
    student.post("/cards/naming/review", data={**review_form(page), "rating": "4"})
    student.post("/cards/naming/undo")
    assert card_rows(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewLog.id))) == 0


def test_finish_screen_when_nothing_is_due(app: Flask, student: FlaskClient) -> None:
    student.post("/cards/settings", data={"desired_retention": 90, "new_cards_per_day": 1})
    page = student.get("/cards/naming/review").get_data(as_text=True)
    student.post("/cards/naming/review", data={**review_form(page), "rating": "4"})
    done = student.get("/cards/naming/review").get_data(as_text=True)
    assert 'id="finish"' in done and "You reviewed <strong>1</strong> card" in done
    assert "The next card is due" in done and "limit of new cards" in done


@pytest.mark.parametrize("rating", ["0", "5", "-1", "easy", "2.5", ""])
def test_a_rating_outside_1_to_4_is_refused_and_changes_nothing(
    app: Flask, student: FlaskClient, rating: str
) -> None:
    page = student.get("/cards/naming/review").get_data(as_text=True)
    response = student.post("/cards/naming/review", data={**review_form(page), "rating": rating})
    assert response.status_code == 400
    assert card_rows(app) == []


def test_a_replayed_rating_is_applied_once(app: Flask, student: FlaskClient) -> None:
    page = student.get("/cards/naming/review").get_data(as_text=True)
    fields = {**review_form(page), "rating": "3"}
    student.post("/cards/naming/review", data=fields)
    student.post("/cards/naming/review", data=fields)
    (card,) = card_rows(app)
    assert card.reps == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewLog.id))) == 1


def test_a_card_that_is_not_due_is_refused(app: Flask, student: FlaskClient) -> None:
    page = student.get("/cards/naming/review").get_data(as_text=True)
    student.post(
        "/cards/naming/review", data={**review_form(page), "rating": "4"}
    )  # Easy: days away
    (card,) = card_rows(app)
    response = student.post(
        "/cards/naming/review", data={"card_id": card.id, "token": "fresh-token", "rating": "3"}
    )
    assert response.status_code == 302
    assert "not due yet" in student.get("/cards/naming/review").get_data(as_text=True)
    (unchanged,) = card_rows(app)
    assert unchanged.reps == 1 and unchanged.due == card.due


def test_another_students_card_is_404(app: Flask, client: FlaskClient, auth) -> None:
    auth.register("alice")
    page = client.get("/cards/naming/review").get_data(as_text=True)
    client.post("/cards/naming/review", data={**review_form(page), "rating": "1"})
    (card,) = card_rows(app)
    auth.logout()
    auth.register("bob")
    response = client.post(
        "/cards/naming/review", data={"card_id": card.id, "token": "bobs", "rating": "3"}
    )
    assert response.status_code == 404
    assert card_rows(app)[0].reps == 1


def test_unknown_deck_is_404(student: FlaskClient) -> None:
    assert student.get("/cards/astrology/review").status_code == 404
    assert student.get("/cards/astrology.apkg").status_code == 404


def test_a_wrong_quiz_answer_makes_the_card_due_now_and_feeds_the_forgetting_quiz(
    app: Flask, student: FlaskClient
) -> None:
    response = student.post("/quiz", data={"topic": "naming", "length": 5})
    attempt_id = int(re.search(r"/attempts/(\d+)/1", response.headers["Location"]).group(1))
    for position in range(1, 6):
        page = student.get(f"/attempts/{attempt_id}/{position}").get_data(as_text=True)
        data = {"answer": "not it"} if 'name="answer"' in page else {"choice": "0"}
        student.post(f"/attempts/{attempt_id}/{position}", data=data)
    rows = card_rows(app)
    assert len(rows) == 5 and all(row.reps == 1 for row in rows)
    with app.app_context():
        origins = set(db.session.scalars(select(ReviewLog.origin)))
        assert origins == {"quiz"}
    wrong = [row for row in rows if row.stage == "learning" and row.step == 0]
    assert wrong, "a wrong answer should put its card back at the first learning step"
    answered_at = datetime.now(UTC).replace(tzinfo=None)
    assert all(row.due <= answered_at for row in wrong), "a mistake makes its card due now"
    page = student.get("/cards/naming/review").get_data(as_text=True)
    assert review_form(page).get("card_id") in {str(row.id) for row in wrong}
    quiz = student.post("/cards/forgetting-quiz")
    assert quiz.status_code == 302 and "/attempts/" in quiz.headers["Location"]


def test_eight_lapses_flag_and_suspend_a_leech(app: Flask, student: FlaskClient) -> None:
    with app.app_context():
        user = the_user(app)
        question_id = db.session.scalar(select(Question.id).where(Question.status == "approved"))
        moment = datetime.now(UTC)
        cards.record_quiz_answer(db.session, user, question_id, True, moment)
        db.session.commit()
        for _ in range(8):
            for correct in (True, True, True, False):  # graduate to review, then forget
                moment += timedelta(days=30)
                cards.record_quiz_answer(db.session, user, question_id, correct, moment)
            db.session.commit()
        card = db.session.scalar(select(Card))
        assert card.lapses >= 8 and card.leech and card.suspended
    html = student.get("/cards/").get_data(as_text=True)
    assert "Leeches" in html and "lapses)" in html and "Review it again" in html


def test_workload_covers_the_next_30_days(app: Flask, student: FlaskClient) -> None:
    page = student.get("/cards/all/review").get_data(as_text=True)
    student.post("/cards/all/review", data={**review_form(page), "rating": "4"})
    html = student.get("/cards/").get_data(as_text=True)
    assert html.count("<rect ") == 30
    with app.app_context():
        days = cards.workload(db.session, the_user(app), datetime.now(UTC))
    assert len(days) == 30 and sum(n for _, n in days) == 1


@pytest.mark.parametrize(("retention", "ok"), [(85, True), (97, True), (79, False), (99, False)])
def test_desired_retention_is_kept_between_80_and_97(
    app: Flask, student: FlaskClient, retention: int, ok: bool
) -> None:
    student.post("/cards/settings", data={"desired_retention": retention, "new_cards_per_day": 20})
    with app.app_context():
        stored = the_user(app).desired_retention
    assert (stored == retention / 100) is ok


def test_anki_export_opens_as_a_collection_with_every_card(
    app: Flask, student: FlaskClient, tmp_path
) -> None:
    response = student.get("/cards/naming.apkg")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as package:
        name = next(n for n in package.namelist() if n.startswith("collection.anki2"))
        data = package.read(name)
    path = tmp_path / "collection.anki2"
    with open(path, "wb") as handle:
        handle.write(data)
    with sqlite3.connect(path) as collection:
        notes = collection.execute("select count(*) from notes").fetchone()[0]
    with app.app_context():
        naming = db.session.scalar(
            select(func.count(Question.id)).where(
                Question.status == "approved", Question.topics.any(slug="naming")
            )
        )
    assert notes == naming


def test_instructors_write_plain_cards_that_students_review(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.register("alice")
    assert client.get("/cards/new").status_code == 403
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "alice")).role = "instructor"
        db.session.commit()
    response = client.post(
        "/cards/new", data={"topic": "naming", "front": "Front <b>x</b>", "back": "Back"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(PlainCard.id))) == 1
    client.post("/cards/settings", data={"desired_retention": 90, "new_cards_per_day": 500})
    seen = set()
    for _ in range(40):
        page = client.get("/cards/naming/review").get_data(as_text=True)
        if "Front &lt;b&gt;x&lt;/b&gt;" in page:
            break
        fields = review_form(page)
        seen.add(tuple(fields.items()))
        client.post("/cards/naming/review", data={**fields, "rating": "4"})
    else:
        pytest.fail("the plain card never came up")


def test_scheduling_rating_parse_is_what_the_page_uses() -> None:
    assert scheduling.Rating.parse("3") is scheduling.Rating.Good


def test_instructors_see_students_leeches(app: Flask, client: FlaskClient, auth) -> None:
    auth.register("alice")
    with app.app_context():
        user = the_user(app)
        question_id = db.session.scalar(select(Question.id).where(Question.status == "approved"))
        moment = datetime.now(UTC)
        cards.record_quiz_answer(db.session, user, question_id, True, moment)
        for _ in range(8):
            for correct in (True, True, True, False):
                moment += timedelta(days=30)
                cards.record_quiz_answer(db.session, user, question_id, correct, moment)
        db.session.commit()
        prompt = db.session.get(Question, question_id).current.prompt
    assert client.get("/author/leeches").status_code == 403
    auth.logout()
    with app.app_context():
        from quiz.services.accounts import PasswordPolicy, create_user

        create_user(
            db.session,
            "teacher",
            "a long password",
            PasswordPolicy("pbkdf2:sha256:1000"),
            role="instructor",
        )
    client.post("/login", data={"username": "teacher", "password": "a long password"})
    html = client.get("/author/leeches").get_data(as_text=True)
    from markupsafe import escape

    assert str(escape(prompt)) in html


def test_stale_or_retired_questions_leave_quizzes_and_decks(
    app: Flask, student: FlaskClient
) -> None:
    with app.app_context():
        naming = db.session.scalars(
            select(Question).where(Question.topics.any(slug="naming"))
        ).all()
        for question in naming:
            question.stale = True
        db.session.commit()
    html = student.post("/quiz", data={"topic": "naming", "length": 5}).get_data(as_text=True)
    assert "There are no questions on that topic yet." in html
    done = student.get("/cards/naming/review").get_data(as_text=True)
    assert 'id="finish"' in done
