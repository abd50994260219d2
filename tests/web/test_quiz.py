"""Taking a quiz from start to finish through the web pages."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import Attempt, AttemptItem, Response


def start_quiz(client: FlaskClient, topic: str = "", length: int = 5) -> int:
    response = client.post("/quiz", data={"topic": topic, "length": length})
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.fullmatch(r"/attempts/(\d+)/1", response.headers["Location"])
    assert match
    return int(match.group(1))


def item_at(app: Flask, attempt_id: int, position: int) -> AttemptItem:
    with app.app_context():
        item = db.session.scalar(
            select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        )
        assert item is not None
        _ = item.version.choices, item.version.answers, item.version.type
        db.session.expunge(item)
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


def take_quiz(app: Flask, client: FlaskClient, attempt_id: int, pattern: list[bool]) -> None:
    for position, right in enumerate(pattern, start=1):
        item = item_at(app, attempt_id, position)
        response = client.post(f"/attempts/{attempt_id}/{position}", data=answer_form(item, right))
        assert response.status_code == 302


@pytest.fixture
def student(auth) -> FlaskClient:
    auth.register()
    return auth.client


def test_home_offers_topics_and_a_quiz(student: FlaskClient) -> None:
    html = student.get("/").get_data(as_text=True)
    assert "Start a quiz" in html and "Naming metastatic cancer" in html


def test_a_quiz_from_start_to_finish_stores_the_score(app: Flask, student: FlaskClient) -> None:
    attempt_id = start_quiz(student, length=10)
    page = student.get(f"/attempts/{attempt_id}/1").get_data(as_text=True)
    assert "Question 1 of 10" in page and "<progress" in page
    pattern = [True, False] * 5
    take_quiz(app, student, attempt_id, pattern)

    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.finished_at is not None
        assert attempt.score == 5 and attempt.max_score == 10
        responses = db.session.scalar(select(func.count(Response.id)))
        assert responses == 10

    results = student.get(f"/attempts/{attempt_id}/results").get_data(as_text=True)
    assert "5 / 10" in results and "(50%)" in results
    assert "Retry the 5 I missed" in results
    history = student.get("/results").get_data(as_text=True)
    assert f"/attempts/{attempt_id}/results" in history and "5 / 10 (50%)" in history


def test_feedback_shows_verdict_explanation_quote_and_link(
    app: Flask, student: FlaskClient
) -> None:
    attempt_id = start_quiz(student)
    item = item_at(app, attempt_id, 1)
    student.post(f"/attempts/{attempt_id}/1", data=answer_form(item, right=False))
    html = student.get(f"/attempts/{attempt_id}/1").get_data(as_text=True)
    version = item.version
    assert "Not quite." in html
    assert "Correct answer:" in html
    assert _escaped(version.explanation) in html
    assert "<blockquote" in html and _escaped(version.quote) in html
    assert f'href="/sources/{version.document}#{version.passage_key}"' in html


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_answer_keys_are_not_in_the_page_before_answering(app: Flask, student: FlaskClient) -> None:
    attempt_id = start_quiz(student, length=20)
    for position in range(1, 21):
        item = item_at(app, attempt_id, position)
        page = student.get(f"/attempts/{attempt_id}/{position}").get_data(as_text=True)
        article = page[page.index('<article class="card question"') : page.index("</article>")]
        # A true/false prompt may be its quoted sentence: look everywhere but the prompt.
        html = re.sub(r'<h1 class="prompt".*?</h1>', "", article, flags=re.S)
        version = item.version
        assert _escaped(version.explanation) not in html
        assert _escaped(version.quote) not in html
        form = html[html.index("<form") :]
        assert "correct" not in form.lower()
        for answer in version.answers:
            assert not re.search(rf"\b{re.escape(str(_escaped(answer)))}\b", form, re.IGNORECASE)
        # choice values are positions as shown, not indexes that reveal the key
        values = re.findall(r'name="choice" value="(\d+)"', html)
        assert values == [str(i) for i in range(len(version.choices))]


def test_a_double_submitted_answer_counts_once(app: Flask, student: FlaskClient) -> None:
    attempt_id = start_quiz(student)
    item = item_at(app, attempt_id, 1)
    first = student.post(f"/attempts/{attempt_id}/1", data=answer_form(item, right=False))
    second = student.post(f"/attempts/{attempt_id}/1", data=answer_form(item, right=True))
    assert first.status_code == second.status_code == 302
    with app.app_context():
        stored = db.session.scalars(select(Response)).all()
        assert len(stored) == 1 and stored[0].correct is False
    assert "already answered" in student.get(f"/attempts/{attempt_id}/1").get_data(as_text=True)


def test_another_students_attempt_answers_404(app: Flask, client: FlaskClient, auth) -> None:
    auth.register("alice")
    attempt_id = start_quiz(client)
    auth.logout()
    auth.register("bob")
    for url in (f"/attempts/{attempt_id}/1", f"/attempts/{attempt_id}/results"):
        assert client.get(url).status_code == 404
    item = item_at(app, attempt_id, 1)
    assert client.post(f"/attempts/{attempt_id}/1", data=answer_form(item, True)).status_code == 404
    assert client.post(f"/attempts/{attempt_id}/retry").status_code in (302, 404)
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 0


@pytest.mark.parametrize(
    "url",
    [
        "/attempts/0/1",
        "/attempts/99999/1",
        "/attempts/1/0",
        "/attempts/18446744073709551616/1",
        "/attempts/1/x",
    ],
)
def test_bad_ids_are_404_not_500(student: FlaskClient, url: str) -> None:
    assert student.get(url).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"choice": "99"},
        {"choice": "-1"},
        {"choice": "abc"},
        {"choice": ["0", "0"]},
        {"answer": ""},
        {"answer": "x" * 301},
    ],
)
def test_malformed_answers_get_a_message_and_store_nothing(
    app: Flask, student: FlaskClient, data: dict
) -> None:
    attempt_id = start_quiz(student, length=20)
    for position in range(1, 21):
        item = item_at(app, attempt_id, position)
        response = student.post(f"/attempts/{attempt_id}/{position}", data=data)
        if response.status_code == 400:
            assert 'class="error"' in response.get_data(as_text=True)
        else:  # e.g. an empty "answer" on a choice question is simply no choice
            pytest.fail(f"{item.version.type} accepted {data}")
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 0


def test_retry_the_missed_questions(app: Flask, student: FlaskClient) -> None:
    attempt_id = start_quiz(student)
    take_quiz(app, student, attempt_id, [True, False, True, False, False])
    missed = {item_at(app, attempt_id, p).version.question_id for p in (2, 4, 5)}
    response = student.post(f"/attempts/{attempt_id}/retry")
    retry_id = int(re.fullmatch(r"/attempts/(\d+)/1", response.headers["Location"]).group(1))
    retried = {item_at(app, retry_id, p).version.question_id for p in (1, 2, 3)}
    assert retried == missed
    with app.app_context():
        retry = db.session.get(Attempt, retry_id)
        assert retry.title.startswith("Retry: ") and len(retry.items) == 3


def test_topic_quiz_draws_only_that_topic(app: Flask, student: FlaskClient) -> None:
    attempt_id = start_quiz(student, topic="naming", length=5)
    for position in range(1, 6):
        assert "naming" in item_at(app, attempt_id, position).version.topic_slugs


def test_choices_are_shuffled_per_attempt(app: Flask, student: FlaskClient) -> None:
    orders = set()
    for _ in range(6):
        attempt_id = start_quiz(student, length=20)
        orders.add(tuple(tuple(item_at(app, attempt_id, p).choice_order) for p in range(1, 21)))
    assert len(orders) > 1


def test_unknown_topic_or_length_is_an_error_beside_the_field(student: FlaskClient) -> None:
    html = student.post("/quiz", data={"topic": "astrology", "length": 10}).get_data(as_text=True)
    assert "Not a valid choice" in html
    html = student.post("/quiz", data={"topic": "", "length": 7}).get_data(as_text=True)
    assert "Not a valid choice" in html


def test_the_explanation_says_when_the_question_was_reviewed(
    app: Flask, student: FlaskClient
) -> None:
    attempt_id = start_quiz(student)
    item = item_at(app, attempt_id, 1)
    student.post(f"/attempts/{attempt_id}/1", data=answer_form(item, right=True))
    html = student.get(f"/attempts/{attempt_id}/1").get_data(as_text=True)
    assert re.search(r"Reviewed on \d{1,2} \w+ \d{4}\.", html)


def test_a_20_mb_request_is_refused_before_it_is_read(student: FlaskClient) -> None:
    response = student.post("/quiz", data={"topic": "x" * (20 * 1024 * 1024), "length": 5})
    assert response.status_code == 413
