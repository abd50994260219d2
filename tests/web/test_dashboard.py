"""A student's progress dashboard, as a page and as JSON."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient


def take_naming_quiz(
    client: FlaskClient, right: bool, topic: str = "naming", length: int = 5
) -> None:
    response = client.post("/quiz", data={"topic": topic, "length": length})
    attempt_id = int(re.search(r"/attempts/(\d+)/1", response.headers["Location"]).group(1))
    for position in range(1, length + 1):
        page = client.get(f"/attempts/{attempt_id}/{position}").get_data(as_text=True)
        if 'name="answer"' in page:
            client.post(
                f"/attempts/{attempt_id}/{position}", data={"answer": "nope" if not right else "x"}
            )
        else:
            client.post(f"/attempts/{attempt_id}/{position}", data={"choice": "0"})


def test_progress_needs_a_login(client: FlaskClient) -> None:
    assert client.get("/progress").status_code == 302
    assert client.get("/api/v1/me/progress").status_code == 401


def test_an_empty_dashboard_says_so(auth, client: FlaskClient) -> None:
    auth.register()
    html = client.get("/progress").get_data(as_text=True)
    assert "No finished quiz yet." in html and "not yet" in html and 'id="streak">0<' in html


def test_after_a_quiz_the_dashboard_shows_scores_mastery_activity_and_the_concept_map(
    app: Flask, auth, client: FlaskClient
) -> None:
    auth.register()
    take_naming_quiz(client, right=False)
    html = client.get("/progress").get_data(as_text=True)
    assert "<polyline" in html and "<table" in html  # the chart and its table
    assert 'id="streak">1<' in html
    assert "Weakest topics" in html and "Practise with a quiz" in html
    data = client.get("/api/v1/me/progress").get_json()
    naming = next(t for t in data["topics"] if t["slug"] == "naming")
    assert naming["mastery"]["answers"] == 5 and 0 < naming["mastery"]["score"] < 0.75
    assert data["streak"] == 1 and data["answers"] == 5 and len(data["scores"]) == 1
    assert sum(day["count"] for day in data["calendar"]) >= 5
    assert any(cell["mastery"] for cell in data["concept_map"]) or not data["concept_map"]


def test_each_student_sees_only_their_own_progress(auth, client: FlaskClient) -> None:
    auth.register("alice")
    take_naming_quiz(client, right=False)
    auth.logout()
    auth.register("bob")
    assert client.get("/api/v1/me/progress").get_json()["answers"] == 0


def test_the_api_is_described_by_openapi(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and "/api/v1/me/progress" in spec["paths"]


def test_the_weakest_topics_are_one_click_from_a_quiz_or_cards_on_exactly_them(
    auth, client: FlaskClient
) -> None:
    from quiz.extensions import db
    from quiz.models import Attempt, Question, QuestionVersion

    auth.register()
    take_naming_quiz(client, right=False)
    for topic in ("sites", "symptoms"):
        take_naming_quiz(client, right=False, topic=topic, length=5)
    html = client.get("/progress").get_data(as_text=True)
    assert 'id="practise-weakest"' in html
    weakest = re.findall(r'<input type="hidden" name="topic" value="([a-z-]+)">', html)
    assert len(weakest) == 3
    started = client.post("/progress/practise", data={"topic": weakest, "mode": "quiz"})
    attempt_id = int(re.search(r"/attempts/(\d+)/1", started.headers["Location"]).group(1))
    with client.application.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.topic_slug == "+".join(weakest)
        for item in attempt.items:
            version = db.session.get(QuestionVersion, item.question_version_id)
            question = db.session.get(Question, version.question_id)
            assert {t.slug for t in question.topics} & set(weakest)
    cards = client.post("/progress/practise", data={"topic": weakest, "mode": "cards"})
    assert cards.headers["Location"].endswith("/cards/" + "+".join(weakest) + "/review")
    page = client.get(cards.headers["Location"])
    assert page.status_code == 200
    assert (
        client.post("/progress/practise", data={"topic": "nope", "mode": "quiz"}).status_code == 302
    )
    assert client.get("/cards/nope+naming/review").status_code in (302, 404)
