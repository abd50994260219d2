"""The instructors' review queue for generated questions."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import Question, QuestionVersion, RejectedCandidate, Source
from quiz.services.accounts import PasswordPolicy, create_user

WEB_TEXT = """Kidney cancer: where it spreads

Share on Facebook
Share on Twitter

Kidney cancer most often spreads to the lungs, the bones, the liver and the brain.

Bone metastases can cause pain in the affected bone and can make it more likely to break.

A biopsy confirms that cancer cells are present in a suspicious area.

Was this article helpful to you?
Read the article
"""


def make_user(app: Flask, username: str, role: str) -> None:
    with app.app_context():
        create_user(
            db.session, username, "a long password", PasswordPolicy("pbkdf2:sha256:1000"), role=role
        )


@pytest.fixture
def instructor(app: Flask, client: FlaskClient) -> FlaskClient:
    make_user(app, "teacher", "instructor")
    client.post("/login", data={"username": "teacher", "password": "a long password"})
    return client


def drafts(app: Flask) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Question.key).where(Question.status == "draft").order_by(Question.key)
            )
        )


ROUTES = [
    ("get", "/author/review"),
    ("post", "/author/generate"),
    ("post", "/author/upload"),
    ("post", "/author/review/decide"),
    ("get", "/author/review/some-draft/edit"),
]


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_anonymous_users_are_sent_to_log_in(client: FlaskClient, method: str, url: str) -> None:
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_students_get_403(app: Flask, client: FlaskClient, auth, method: str, url: str) -> None:
    auth.register()
    assert getattr(client, method)(url).status_code == 403


def test_generate_approve_reject_and_rerun(app: Flask, instructor: FlaskClient) -> None:
    response = instructor.post("/author/generate", data={"source": "where-cancer-spreads"})
    assert response.status_code == 302
    waiting = drafts(app)
    assert len(waiting) >= 3
    page = instructor.get("/author/review?source=where-cancer-spreads").get_data(as_text=True)
    assert "<mark>" in page and waiting[0] in page

    approved, rejected = waiting[0], waiting[1]
    instructor.post("/author/review/decide", data={"action": "approve", "keys": [approved]})
    instructor.post(f"/author/review/decide?action=reject&keys={rejected}")
    with app.app_context():
        row = db.session.scalar(select(Question).where(Question.key == approved))
        assert (
            row.status == "approved"
            and row.approved_by_id is not None
            and row.approved_at is not None
        )
        assert db.session.scalar(select(Question).where(Question.key == rejected)) is None
        assert db.session.scalar(select(RejectedCandidate.question_key)) == rejected

    instructor.post("/author/generate", data={"source": "where-cancer-spreads"})
    again = drafts(app)
    assert rejected not in again and approved not in again
    assert set(again) == set(waiting) - {approved, rejected}


def test_bulk_reject_every_ticked_draft(app: Flask, instructor: FlaskClient) -> None:
    instructor.post("/author/generate", data={"source": "symptoms"})
    waiting = drafts(app)
    instructor.post("/author/review/decide", data={"action": "reject", "keys": waiting})
    assert drafts(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count(RejectedCandidate.id))) == len(waiting)


def test_upload_web_text_ignores_chrome_and_feeds_the_queue(
    app: Flask, instructor: FlaskClient
) -> None:
    response = instructor.post(
        "/author/upload",
        data={"upload": (io.BytesIO(WEB_TEXT.encode()), "kidney-cancer.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        source = db.session.scalar(select(Source).where(Source.slug == "kidney-cancer"))
        assert source is not None and source.origin == "uploaded"
    assert drafts(app), "no drafts from an uploaded text"
    with app.app_context():
        quotes = db.session.scalars(
            select(QuestionVersion.quote).where(QuestionVersion.document == "kidney-cancer")
        ).all()
    assert quotes
    for quote in quotes:
        for chrome in ("Share on", "Was this article helpful", "Read the article"):
            assert chrome not in quote


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("notes.txt", "caf\xe9 au lait est une boisson.".encode("latin-1"), "not UTF-8"),
        ("notes.txt", b"", "file is empty"),
        ("notes.txt", b"\x00\x01\x02binary", "binary"),
        ("notes.pdf", b"%PDF-1.4", ".md or .txt"),
        ("notes.txt", b"Cancer spreads. " * 200, "upload at most 1 KB"),
        (
            "what-is-metastasis.md",
            b"## A\n\nSome sentence about cancer that spreads to bone.\n",
            "exists already",
        ),
    ],
)
def test_bad_uploads_get_a_message_and_store_nothing(
    app: Flask, instructor: FlaskClient, filename: str, data: bytes, message: str
) -> None:
    app.config["UPLOAD_MAX_BYTES"] = 1024
    with app.app_context():
        before = db.session.scalar(select(func.count(Source.id)))
    response = instructor.post(
        "/author/upload",
        data={"upload": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Source.id))) == before


def test_editing_a_draft_saves_a_new_version_or_shows_errors(
    app: Flask, instructor: FlaskClient
) -> None:
    instructor.post("/author/generate", data={"source": "where-cancer-spreads"})
    with app.app_context():
        row = db.session.scalar(
            select(Question).where(Question.status == "draft").order_by(Question.key).limit(1)
        )
        key, version = row.key, row.current
        kind, choices, answers = version.type, version.choices, version.answers
        topics, difficulty = version.topic_slugs, version.difficulty
    form: dict[str, object] = {
        "prompt": "An edited prompt about where cancer spreads?",
        "explanation": "Edited.",
        "topics": topics,
        "difficulty": difficulty,
        "answers": "\n".join(answers),
    }
    for i, choice in enumerate(choices):
        form[f"choices-{i}-text"] = choice["text"]
        if choice["correct"]:
            form[f"choices-{i}-correct"] = "y"
    response = instructor.post(f"/author/review/{key}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(Question).where(Question.key == key))
        assert row.current_number == 2 and row.current.prompt.startswith("An edited prompt")

    form["difficulty"] = 9
    bad = instructor.post(f"/author/review/{key}/edit", data=form)
    assert bad.status_code == 400 and "Number must be between 1 and 3" in bad.get_data(as_text=True)
    if kind in ("mcq",):
        form["difficulty"] = 2
        for i in range(len(choices)):
            form[f"choices-{i}-correct"] = "y"
        bad = instructor.post(f"/author/review/{key}/edit", data=form)
        assert "exactly one correct choice" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Question).where(Question.key == key)).current_number == 2
