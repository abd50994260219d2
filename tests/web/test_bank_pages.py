"""The instructors' question bank pages: list, write, preview, edit, retire, delete."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import (
    Attempt,
    AttemptItem,
    Passage,
    Question,
    QuestionVersion,
    Source,
    User,
)
from quiz.services import attempts
from quiz.services.accounts import PasswordPolicy, create_user
from quiz.web import bank

SOURCE = "what-is-metastasis"
PASSAGE = "the-naming-rule-7def79"  # "Lung cancer that has travelled to the bones is called ..."
EXISTING = "naming-breast-liver-misconception"  # a bundled, approved mcq
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def app(app: Flask) -> Flask:
    """The shared app, with the bank's blueprint until the factory registers it."""
    if "bank" not in app.blueprints:
        app.register_blueprint(bank.bp)
    return app


def make_user(app: Flask, username: str, role: str) -> int:
    with app.app_context():
        user = create_user(
            db.session, username, "a long password", PasswordPolicy("pbkdf2:sha256:1000"), role=role
        )
        return int(user.id)


def log_in(client: FlaskClient, username: str) -> None:
    client.post("/login", data={"username": username, "password": "a long password"})


@pytest.fixture
def instructor(app: Flask, client: FlaskClient) -> FlaskClient:
    make_user(app, "teacher", "instructor")
    log_in(client, "teacher")
    return client


def passage_text(app: Flask, key: str = PASSAGE) -> str:
    with app.app_context():
        return db.session.scalar(select(Passage.text).where(Passage.passage_key == key))


BASE: dict[str, dict[str, Any]] = {
    "mcq": {
        "prompt": "Lung cancer cells are found growing in a bone. What is this called?",
        "choices-0-text": "Lung cancer metastatic to the bones",
        "choices-0-correct": "y",
        "choices-1-text": "Bone cancer",
        "choices-1-feedback": "The cells are lung cells.",
        "choices-2-text": "Primary bone cancer",
    },
    "multi": {
        "prompt": "Which are true of lung cancer cells found in a bone?",
        "choices-0-text": "They are lung cells",
        "choices-0-correct": "y",
        "choices-1-text": "It is still lung cancer",
        "choices-1-correct": "y",
        "choices-2-text": "It is bone cancer",
    },
    "truefalse": {
        "prompt": "Lung cancer that has spread to the bones is called bone cancer.",
        "choices-0-text": "True",
        "choices-1-text": "False",
        "choices-1-correct": "y",
    },
    "short": {
        "prompt": "Lung cancer that has travelled to the bones is called what?",
        "answers": "lung cancer metastatic to the bones\nmetastatic lung cancer",
    },
    "cloze": {
        "prompt": "Lung cancer in the bones is called lung cancer {{blank}} to the bones.",
        "answers": "metastatic",
    },
}


def form_for(app: Flask, question_type: str, **changes: Any) -> dict[str, Any]:
    """A complete, valid editor post for a type; `changes` set or (None) drop fields."""
    data: dict[str, Any] = {
        "key": f"test-{question_type}",
        **BASE[question_type],
        "explanation": "A cancer keeps the name of the organ where it began.",
        "topics": ["naming"],
        "difficulty": "1",
        "status": "draft",
        "source": SOURCE,
        "document": SOURCE,
        "passage": PASSAGE,
        "quote": passage_text(app),
        "save": "1",
    }
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def question_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Question.id))) or 0


def get_row(app: Flask, key: str) -> Question | None:
    with app.app_context():
        row = db.session.scalar(select(Question).where(Question.key == key))
        if row is not None:
            db.session.expunge(row)
        return row


def error_beside(page: str, field_id: str) -> str:
    """Return the error shown beside a field (its `<id>-error` element), unescaped."""
    match = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


def listed_keys(page: str) -> list[str]:
    return re.findall(r'<a href="/author/bank/([a-z0-9-]+)/edit"><code>', page)


# --- access -------------------------------------------------------------------------

ROUTES = [
    ("get", "/author/bank/"),
    ("get", "/author/bank/new"),
    ("get", "/author/bank/new?type=short"),
    ("post", "/author/bank/new?type=short"),
    ("get", f"/author/bank/{EXISTING}/edit"),
    ("post", f"/author/bank/{EXISTING}/edit"),
    ("get", f"/author/bank/passages?source={SOURCE}"),
    ("post", f"/author/bank/{EXISTING}/delete"),
    ("post", f"/author/bank/{EXISTING}/retire"),
]


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_anonymous_users_are_sent_to_log_in(app: Flask, method: str, url: str) -> None:
    response = getattr(app.test_client(), method)(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_students_get_403_and_change_nothing(
    app: Flask, client: FlaskClient, auth, method: str, url: str
) -> None:
    auth.register()
    assert getattr(client, method)(url, data={"save": "1"}).status_code == 403
    row = get_row(app, EXISTING)
    assert row is not None and row.status == "approved" and row.current_number == 1


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_staff_reach_every_route_and_share_every_question(
    app: Flask, client: FlaskClient, role: str
) -> None:
    make_user(app, "author", "instructor")
    make_user(app, "colleague", role)
    log_in(client, "author")
    assert (
        client.post("/author/bank/new?type=short", data=form_for(app, "short")).status_code == 302
    )
    client.post("/logout")
    # Questions belong to all staff: a colleague reaches and changes the author's question.
    log_in(client, "colleague")
    for url in (
        "/author/bank/",
        "/author/bank/new",
        "/author/bank/new?type=short",
        "/author/bank/test-short/edit",
        f"/author/bank/passages?source={SOURCE}",
    ):
        assert client.get(url).status_code == 200, url
    edited = form_for(app, "short", key=None, prompt="Lung cancer in a bone is known as what?")
    assert client.post("/author/bank/test-short/edit", data=edited).status_code == 302
    assert client.post("/author/bank/test-short/retire").status_code == 302
    assert client.post("/author/bank/test-short/delete").status_code == 302
    assert get_row(app, "test-short") is None


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/author/bank/no-such-question/edit"),
        ("post", "/author/bank/no-such-question/edit"),
        ("post", "/author/bank/no-such-question/delete"),
        ("post", "/author/bank/no-such-question/retire"),
        ("get", "/author/bank/passages?source=no-such-source"),
        ("get", "/author/bank/passages"),
    ],
)
def test_unknown_questions_and_sources_are_404(
    instructor: FlaskClient, method: str, url: str
) -> None:
    assert getattr(instructor, method)(url).status_code == 404


# --- creating every type -------------------------------------------------------------


@pytest.mark.parametrize("question_type", ["mcq", "multi", "truefalse", "short", "cloze"])
def test_instructor_creates_each_type_as_a_draft(
    app: Flask, instructor: FlaskClient, question_type: str
) -> None:
    assert instructor.get(f"/author/bank/new?type={question_type}").status_code == 200
    quote = passage_text(app)
    response = instructor.post(
        f"/author/bank/new?type={question_type}", data=form_for(app, question_type)
    )
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    assert response.headers["Location"].endswith(f"/author/bank/test-{question_type}/edit")
    with app.app_context():
        row = db.session.scalar(select(Question).where(Question.key == f"test-{question_type}"))
        assert row is not None
        assert (row.status, row.origin, row.current_number) == ("draft", "authored", 1)
        assert row.approved_by_id is None and [t.slug for t in row.topics] == ["naming"]
        version = row.current
        assert version.type == question_type
        assert (version.document, version.passage_key) == (SOURCE, PASSAGE)
        assert version.quote == quote
        if question_type in ("short", "cloze"):
            assert version.answers and version.choices == []
        else:
            assert version.answers == [] and len(version.choices) in (2, 3)


def error_summary(page: str) -> str:
    return " | ".join(html.unescape(m) for m in re.findall(r'class="error"[^>]*>(.*?)</p>', page))


def test_truefalse_choices_are_always_true_and_false(app: Flask, instructor: FlaskClient) -> None:
    data = form_for(app, "truefalse", **{"choices-0-text": "Maybe", "choices-2-text": "Sometimes"})
    assert instructor.post("/author/bank/new?type=truefalse", data=data).status_code == 302
    with app.app_context():
        version = db.session.scalar(
            select(Question).where(Question.key == "test-truefalse")
        ).current
        assert [(c["text"], c["correct"]) for c in version.choices] == [
            ("True", False),
            ("False", True),
        ]


def test_new_choice_questions_offer_six_rows(instructor: FlaskClient) -> None:
    page = instructor.get("/author/bank/new?type=mcq").get_data(as_text=True)
    assert 'name="choices-5-text"' in page and 'name="choices-6-text"' not in page
    page = instructor.get("/author/bank/new?type=truefalse").get_data(as_text=True)
    assert 'name="choices-1-text"' in page and 'name="choices-2-text"' not in page
    page = instructor.get("/author/bank/new?type=short").get_data(as_text=True)
    assert 'name="answers"' in page and 'name="choices-0-text"' not in page


def test_choosing_a_type(instructor: FlaskClient) -> None:
    page = instructor.get("/author/bank/new").get_data(as_text=True)
    for kind in ("mcq", "multi", "truefalse", "short", "cloze"):
        assert f"/author/bank/new?type={kind}" in page
    assert instructor.get("/author/bank/new?type=essay").status_code == 400


# --- validation, beside each field, nothing saved -------------------------------------


def _long(n: int) -> str:
    return ("word " * n)[:n]


INVALID = [
    # (type, changes, field id whose error shows it, words of the message)
    ("mcq", {"choices-1-correct": "y"}, "choices", "exactly one choice correct"),
    (
        "mcq",
        {"choices-1-text": "", "choices-1-feedback": "", "choices-2-text": ""},
        "choices",
        "at least two choices",
    ),
    (
        "mcq",
        {"choices-1-text": "lung cancer metastatic to the BONES."},
        "choices",
        "equals a correct answer",
    ),
    ("mcq", {"choices-2-text": "bone cancer"}, "choices", "say the same thing"),
    ("mcq", {"choices-4-correct": "y"}, "choices", "needs its text"),
    (
        "multi",
        {"choices-0-correct": None, "choices-1-correct": None},
        "choices",
        "at least one choice correct",
    ),
    ("multi", {"choices-2-text": "It is still lung cancer"}, "choices", "equals a correct answer"),
    ("truefalse", {"choices-1-correct": None}, "choices", "Mark either True or False"),
    ("truefalse", {"choices-0-correct": "y"}, "choices", "Mark either True or False"),
    ("short", {"answers": ""}, "answers", "at least one accepted answer"),
    ("short", {"answers": " \n \n"}, "answers", "at least one accepted answer"),
    ("short", {"answers": "x" * 301}, "answers", "under 300 characters"),
    ("short", {"answers": "\n".join(f"answer {i}" for i in range(21))}, "answers", "at most 20"),
    ("cloze", {"answers": None}, "answers", "at least one accepted answer"),
    (
        "cloze",
        {"prompt": "Lung cancer in the bones is called what?"},
        "prompt",
        "exactly one {{blank}}",
    ),
    ("cloze", {"prompt": "{{blank}} and {{blank}}"}, "prompt", "exactly one {{blank}}"),
    (
        "short",
        {"prompt": "Is lung cancer metastatic to the bones the right name?"},
        "prompt",
        "gives away its answer",
    ),
    ("short", {"prompt": None}, "prompt", "Write the prompt"),
    ("short", {"prompt": "   "}, "prompt", "Write the prompt"),
    ("short", {"prompt": _long(1001)}, "prompt", "longer than 1000 characters"),
    ("short", {"explanation": ""}, "explanation", "Explain the answer"),
    ("short", {"explanation": _long(3001)}, "explanation", "longer than 3000 characters"),
    ("short", {"difficulty": "abc"}, "difficulty", "Not a valid integer"),
    ("short", {"difficulty": "7"}, "difficulty", "between 1 and 3"),
    ("short", {"difficulty": "2.5"}, "difficulty", "Not a valid integer"),
    ("short", {"difficulty": None}, "difficulty", "Give a difficulty"),
    ("short", {"topics": ["no-such-topic"]}, "topics", "not a valid choice"),
    ("short", {"topics": None}, "topics", "Choose a topic"),
    ("short", {"status": "published"}, "status", "Not a valid choice"),
    ("short", {"key": "Bad Id!"}, "key", "lowercase letters"),
    ("short", {"key": "trailing-"}, "key", "lowercase letters"),
    ("short", {"key": "a" * 81}, "key", "longer than 80 characters"),
    ("short", {"key": None}, "key", "Give the question an id"),
    ("short", {"key": EXISTING}, "key", "exists already"),
    ("short", {"passage": None, "document": None, "quote": None}, "passage", "Pick the passage"),
    ("short", {"passage": "no-such-passage"}, "passage", "not in the source any more"),
    ("short", {"document": "symptoms"}, "passage", "not in the source any more"),
    (
        "short",
        {"quote": "Lung cancer is bone cancer."},
        "passage",
        "whole passage or one of its sentences",
    ),
]


@pytest.mark.parametrize(("question_type", "changes", "field_id", "message"), INVALID)
def test_invalid_questions_show_the_error_beside_the_field_and_save_nothing(
    app: Flask,
    instructor: FlaskClient,
    question_type: str,
    changes: dict[str, Any],
    field_id: str,
    message: str,
) -> None:
    before = question_count(app)
    response = instructor.post(
        f"/author/bank/new?type={question_type}", data=form_for(app, question_type, **changes)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message.lower() in error_beside(page, field_id).lower(), error_summary(page)
    assert question_count(app) == before


def test_a_choice_too_long_is_shown_on_its_row(app: Flask, instructor: FlaskClient) -> None:
    before = question_count(app)
    data = form_for(app, "mcq", **{"choices-2-text": "x" * 301})
    response = instructor.post("/author/bank/new?type=mcq", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    row = re.search(r'<div class="choice-row has-error">(.*?)</div>', page, re.S)
    assert row and 'name="choices-2-text"' in row.group(1)
    assert "longer than 300 characters" in row.group(1)
    assert question_count(app) == before


def test_every_field_missing(app: Flask, instructor: FlaskClient) -> None:
    response = instructor.post("/author/bank/new?type=mcq", data={"save": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field_id in ("key", "prompt", "choices", "explanation", "topics", "difficulty", "passage"):
        assert error_beside(page, field_id), field_id
    assert get_row(app, "test-mcq") is None


def test_fields_of_the_wrong_kind_are_refused_or_ignored(
    app: Flask, instructor: FlaskClient
) -> None:
    # Choices posted to a typed question, answers to a choice question: ignored.
    data = form_for(app, "short", **{"choices-0-text": "Bone", "choices-0-correct": "y"})
    assert instructor.post("/author/bank/new?type=short", data=data).status_code == 302
    data = form_for(app, "mcq", answers="bone cancer")
    assert instructor.post("/author/bank/new?type=mcq", data=data).status_code == 302
    with app.app_context():
        short = db.session.scalar(select(Question).where(Question.key == "test-short")).current
        mcq = db.session.scalar(select(Question).where(Question.key == "test-mcq")).current
        assert short.choices == [] and mcq.answers == []
    # Far too many choice rows: only the first twelve are read.
    data = form_for(app, "multi", key="many-rows")
    for i in range(3, 40):
        data[f"choices-{i}-text"] = f"Choice number {i}"
    response = instructor.post("/author/bank/new?type=multi", data=data)
    assert response.status_code == 302
    with app.app_context():
        version = db.session.scalar(select(Question).where(Question.key == "many-rows")).current
        assert len(version.choices) == 12


# --- the passage picker (without JavaScript) -----------------------------------------


def test_picking_a_passage_fills_the_hidden_fields_and_saves_nothing(
    app: Flask, instructor: FlaskClient
) -> None:
    data = form_for(app, "short", document=None, passage=None, quote=None, save=None)
    data["pick_passage"] = f"{SOURCE}/{PASSAGE}"
    response = instructor.post("/author/bank/new?type=short", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="document" name="document" type="hidden" value="{SOURCE}"' in page
    assert f'id="passage" name="passage" type="hidden" value="{PASSAGE}"' in page
    assert str(escape(passage_text(app))) in page
    assert 'aria-pressed="true"' in page
    # The quote is a choice of the whole passage or one of its sentences, never typed.
    quote_select = re.search(r'<select id="quote" name="quote">(.*?)</select>', page, re.S)
    assert quote_select and quote_select.group(1).count("<option") == 3
    assert 'name="quote" type="text"' not in page and '<textarea id="quote"' not in page
    assert get_row(app, "test-short") is None


def test_browsing_and_searching_a_source_without_javascript(
    app: Flask, instructor: FlaskClient
) -> None:
    data = form_for(app, "short", save=None, source="symptoms", passage_search="BONE")
    data["browse"] = "1"
    response = instructor.post("/author/bank/new?type=short", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    texts = [html.unescape(t) for t in re.findall(r'data-text="([^"]*)"', page)]
    assert texts and all("bone" in t.lower() for t in texts)
    assert all(
        v.startswith("symptoms/") for v in re.findall(r'name="pick_passage" value="([^"]*)"', page)
    )
    # The passage picked before stays picked while browsing another source.
    assert f'name="passage" type="hidden" value="{PASSAGE}"' in page


def test_passage_fragment_filters_by_text_and_escapes_the_search(
    app: Flask, instructor: FlaskClient
) -> None:
    page = instructor.get(f"/author/bank/passages?source={SOURCE}&q=NAMED").get_data(as_text=True)
    texts = [html.unescape(t) for t in re.findall(r'data-text="([^"]*)"', page)]
    with app.app_context():
        expected = [
            p.text
            for p in db.session.scalars(
                select(Passage).join(Passage.source).where(Source.slug == SOURCE)
            )
            if "named" in p.text.lower()
        ]
    assert texts == expected and "<h3>" in page
    for search in ("%", "_", SCRIPT):
        response = instructor.get(f"/author/bank/passages?source={SOURCE}&q={search}")
        assert response.status_code == 200
        assert "data-text" not in response.get_data(as_text=True)
        assert SCRIPT not in response.get_data(as_text=True)


def test_narrowing_the_quote_to_one_sentence(app: Flask, instructor: FlaskClient) -> None:
    sentence = "Seen under a microscope, the cells in the bone are cancerous lung cells rather than bone cells."
    assert sentence in passage_text(app)
    response = instructor.post(
        "/author/bank/new?type=short", data=form_for(app, "short", quote=sentence)
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(Question).where(Question.key == "test-short"))
        assert row.current.quote == sentence


# --- preview ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_type", "tried", "verdict"),
    [
        ("short", {"try_answer": "Lung cancer metastatic to the bone"}, "Correct."),
        ("short", {"try_answer": "bone cancer"}, "Not quite."),
        ("cloze", {"try_answer": "metastatic"}, "Correct."),
        ("mcq", {"try_choice": "0"}, "Correct."),
        ("mcq", {"try_choice": "1"}, "Not quite."),
        ("multi", {"try_choice": ["0"]}, "Partly right"),
        ("truefalse", {"try_choice": "1"}, "Correct."),
    ],
)
def test_preview_grades_a_tried_answer_and_saves_nothing(
    app: Flask, instructor: FlaskClient, question_type: str, tried: dict[str, Any], verdict: str
) -> None:
    data = form_for(app, question_type, save=None, preview="1", **tried)
    response = instructor.post(f"/author/bank/new?type={question_type}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="preview"' in page and 'class="card question"' in page
    verdict_html = re.search(r'id="preview-verdict">(.*?)</div>', page, re.S)
    assert verdict_html and verdict in verdict_html.group(1)
    assert 'blockquote class="quote"' in page
    assert get_row(app, f"test-{question_type}") is None


def test_preview_without_an_answer_shows_the_question_only(
    app: Flask, instructor: FlaskClient
) -> None:
    data = form_for(app, "cloze", save=None, preview="1")
    page = instructor.post("/author/bank/new?type=cloze", data=data).get_data(as_text=True)
    assert 'class="blank"' in page and "preview-verdict" not in page
    assert 'name="try_answer"' in page


def test_preview_of_an_unfinished_question_shows_its_problems(
    app: Flask, instructor: FlaskClient
) -> None:
    data = form_for(app, "short", save=None, preview="1", answers="", try_answer="bone")
    response = instructor.post("/author/bank/new?type=short", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="preview"' in page
    assert "at least one accepted answer" in error_beside(page, "answers")


# --- editing, versions, approval ---------------------------------------------------------


def answer_existing(app: Flask, username: str = "student") -> tuple[int, int]:
    """Have a student answer the bundled question; return (attempt id, version id)."""
    user_id = make_user(app, username, "student")
    with app.app_context():
        row = db.session.scalar(select(Question).where(Question.key == EXISTING))
        version = row.current
        attempt = Attempt(user_id=user_id, title="A quiz", max_score=1)
        attempt.items.append(
            AttemptItem(position=1, version=version, choice_order=list(range(len(version.choices))))
        )
        db.session.add(attempt)
        db.session.commit()
        attempt_id, version_id = attempt.id, version.id
        attempts.submit_answer(db.session, user_id, attempt_id, 1, ["0"], None)
        return attempt_id, version_id


def edit_form(app: Flask, **changes: Any) -> dict[str, Any]:
    with app.app_context():
        question = db.session.scalar(select(Question).where(Question.key == EXISTING))
        version, status = question.current, question.status
    data: dict[str, Any] = {
        "prompt": version.prompt,
        "explanation": version.explanation,
        "topics": version.topic_slugs,
        "difficulty": str(version.difficulty),
        "status": status,
        "source": version.document,
        "document": version.document,
        "passage": version.passage_key,
        "quote": version.quote,
        "save": "1",
    }
    for i, choice in enumerate(version.choices):
        data[f"choices-{i}-text"] = choice["text"]
        data[f"choices-{i}-feedback"] = choice.get("feedback", "")
        if choice["correct"]:
            data[f"choices-{i}-correct"] = "y"
    data.update(changes)
    return data


def test_the_edit_form_shows_the_current_version(instructor: FlaskClient) -> None:
    page = instructor.get(f"/author/bank/{EXISTING}/edit").get_data(as_text=True)
    assert "Breast cancer cells are found growing in the liver" in page
    assert 'value="Breast cancer metastatic to the liver"' in page
    assert 'name="key"' not in page  # an id never changes
    assert 'aria-pressed="true"' in page  # its passage is shown as chosen


def test_editing_saves_a_new_version_and_old_attempts_keep_theirs(
    app: Flask, instructor: FlaskClient
) -> None:
    attempt_id, old_version_id = answer_existing(app)
    unchanged = instructor.post(f"/author/bank/{EXISTING}/edit", data=edit_form(app))
    assert unchanged.status_code == 302
    assert get_row(app, EXISTING).current_number == 1  # nothing changed, no new version

    new_prompt = "Breast cancer cells now grow in the liver. What is the right name?"
    response = instructor.post(
        f"/author/bank/{EXISTING}/edit", data=edit_form(app, prompt=new_prompt)
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(Question).where(Question.key == EXISTING))
        assert row.current_number == 2 and row.current.prompt == new_prompt
        assert (
            db.session.scalar(
                select(func.count(QuestionVersion.id)).where(QuestionVersion.question_id == row.id)
            )
            == 2
        )
        item = db.session.scalar(select(AttemptItem).where(AttemptItem.attempt_id == attempt_id))
        assert item.question_version_id == old_version_id
        student_id = db.session.scalar(select(User.id).where(User.username == "student"))
        view = attempts.view_item(db.session, student_id, attempt_id, 1)
        assert view is not None and view.question.prompt.startswith("Breast cancer cells are found")
        assert view.outcome is not None and view.outcome.correct
    page = instructor.get(f"/author/bank/{EXISTING}/edit").get_data(as_text=True)
    assert "version 2" in page and "1 earlier version kept" in page and "Answered 1 time" in page


def test_an_invalid_edit_changes_nothing(app: Flask, instructor: FlaskClient) -> None:
    data = edit_form(app, **{"choices-1-correct": "y"})
    response = instructor.post(f"/author/bank/{EXISTING}/edit", data=data)
    assert response.status_code == 400
    assert "exactly one choice correct" in error_beside(response.get_data(as_text=True), "choices")
    assert get_row(app, EXISTING).current_number == 1


def test_approving_records_who_when_and_which_source_version(
    app: Flask, instructor: FlaskClient
) -> None:
    instructor.post("/author/bank/new?type=short", data=form_for(app, "short"))
    row = get_row(app, "test-short")
    assert row.status == "draft" and row.approved_at is None

    with app.app_context():  # pretend its passage changed in a new version of the source
        db.session.get(Question, row.id).stale = True
        db.session.commit()
        teacher_id = db.session.scalar(select(User.id).where(User.username == "teacher"))
        source_version = db.session.scalar(select(Source.version).where(Source.slug == SOURCE))
    approved = form_for(app, "short", key=None, status="approved")
    assert instructor.post("/author/bank/test-short/edit", data=approved).status_code == 302
    row = get_row(app, "test-short")
    assert row.status == "approved" and row.approved_by_id == teacher_id
    assert row.approved_at is not None and row.approved_source_version == source_version
    assert row.stale is False
    page = instructor.get("/author/bank/test-short/edit").get_data(as_text=True)
    assert "approved by teacher" in page and source_version in page

    # Saving it approved again, unchanged, keeps the first sign-off.
    first_at = row.approved_at
    instructor.post("/author/bank/test-short/edit", data=approved)
    assert get_row(app, "test-short").approved_at == first_at

    back = form_for(app, "short", key=None, status="draft")
    assert instructor.post("/author/bank/test-short/edit", data=back).status_code == 302
    row = get_row(app, "test-short")
    assert row.status == "draft" and row.approved_by_id is None and row.approved_at is None


def test_edits_keep_the_origin_of_generated_questions(app: Flask, instructor: FlaskClient) -> None:
    with app.app_context():
        db.session.scalar(select(Question).where(Question.key == EXISTING)).origin = "generated"
        db.session.commit()
    data = edit_form(app, prompt="Breast cancer cells are in the liver. What is it called?")
    assert instructor.post(f"/author/bank/{EXISTING}/edit", data=data).status_code == 302
    assert get_row(app, EXISTING).origin == "generated"


# --- delete or retire ------------------------------------------------------------------


def test_a_question_nobody_answered_can_be_deleted(app: Flask, instructor: FlaskClient) -> None:
    instructor.post("/author/bank/new?type=mcq", data=form_for(app, "mcq"))
    question_id = get_row(app, "test-mcq").id
    response = instructor.post("/author/bank/test-mcq/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/author/bank/")
    with app.app_context():
        assert db.session.scalar(select(Question).where(Question.key == "test-mcq")) is None
        assert not db.session.scalar(
            select(func.count(QuestionVersion.id)).where(QuestionVersion.question_id == question_id)
        )


def test_an_answered_question_is_retired_not_deleted(app: Flask, instructor: FlaskClient) -> None:
    attempt_id, version_id = answer_existing(app)
    response = instructor.post(f"/author/bank/{EXISTING}/delete")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert f'action="/author/bank/{EXISTING}/retire"' in page
    assert get_row(app, EXISTING).status == "approved"

    response = instructor.post(f"/author/bank/{EXISTING}/retire")
    assert response.status_code == 302
    assert get_row(app, EXISTING).status == "retired"
    with app.app_context():
        student_id = db.session.scalar(select(User.id).where(User.username == "student"))
        view = attempts.view_item(db.session, student_id, attempt_id, 1)
        assert view is not None and view.item.question_version_id == version_id
        assert view.outcome is not None and view.outcome.correct


def test_a_question_in_an_unanswered_quiz_is_not_deleted(
    app: Flask, instructor: FlaskClient
) -> None:
    user_id = make_user(app, "student", "student")
    with app.app_context():
        version = db.session.scalar(select(Question).where(Question.key == EXISTING)).current
        attempt = Attempt(user_id=user_id, title="A quiz", max_score=1)
        attempt.items.append(AttemptItem(position=1, version=version, choice_order=[0, 1, 2, 3]))
        db.session.add(attempt)
        db.session.commit()
    assert instructor.post(f"/author/bank/{EXISTING}/delete").status_code == 409


# --- the list ----------------------------------------------------------------------------


def all_versions(app: Flask) -> list[tuple[str, str, str, str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(Question))
        return [
            (r.key, r.current.type, r.current.prompt, r.status, r.origin, r.current.document)
            for r in rows
        ]


def every_key(client: FlaskClient, query: str) -> list[str]:
    keys: list[str] = []
    for number in range(1, 50):
        page = client.get(f"/author/bank/?{query}&page={number}").get_data(as_text=True)
        found = listed_keys(page)
        if not found or (keys and found[0] in keys):
            break
        keys += found
    return keys


def test_search_is_case_insensitive_and_treats_wildcards_as_text(
    app: Flask, instructor: FlaskClient
) -> None:
    rows = all_versions(app)
    expected = sorted(k for k, _, prompt, *_ in rows if "lung" in prompt.lower())
    assert expected and every_key(instructor, "q=LuNg") == expected
    for wildcard in ("%", "_", "\\"):
        wanted = sorted(k for k, _, prompt, *_ in rows if wildcard in prompt)
        assert every_key(instructor, f"q={wildcard.replace('%', '%25')}") == wanted


@pytest.mark.parametrize(
    ("query", "column", "value"),
    [
        ("type=truefalse", 1, "truefalse"),
        ("type=short", 1, "short"),
        ("status=approved", 3, "approved"),
        ("origin=authored", 4, "authored"),
        ("source=symptoms", 5, "symptoms"),
    ],
)
def test_filters(app: Flask, instructor: FlaskClient, query: str, column: int, value: str) -> None:
    expected = sorted(row[0] for row in all_versions(app) if row[column] == value)
    assert expected and every_key(instructor, query) == expected


def test_topic_filter_and_combined_filters(app: Flask, instructor: FlaskClient) -> None:
    with app.app_context():
        rows = db.session.scalars(select(Question))
        naming = sorted(r.key for r in rows if "naming" in [t.slug for t in r.topics])
    assert every_key(instructor, "topic=naming") == naming
    instructor.post("/author/bank/new?type=short", data=form_for(app, "short"))
    assert every_key(instructor, "topic=naming&status=draft&type=short&q=travelled") == [
        "test-short"
    ]


def test_sorting(app: Flask, instructor: FlaskClient) -> None:
    keys = sorted(row[0] for row in all_versions(app))
    assert every_key(instructor, "sort=key&dir=desc") == keys[::-1]
    instructor.post("/author/bank/new?type=short", data=form_for(app, "short"))
    page = instructor.get("/author/bank/?sort=updated&dir=desc").get_data(as_text=True)
    assert listed_keys(page)[0] == "test-short"
    by_type = every_key(instructor, "sort=type")
    types = dict((row[0], row[1]) for row in all_versions(app))
    assert [types[k] for k in by_type] == sorted(types[k] for k in by_type)


def test_pagination_shows_25_a_page_with_links(app: Flask, instructor: FlaskClient) -> None:
    total = len(all_versions(app))
    assert total > 50
    first = instructor.get("/author/bank/").get_data(as_text=True)
    assert len(listed_keys(first)) == 25 and f"{total} questions" in first
    assert 'href="/author/bank/?page=2"' in first
    pages = -(-total // 25)
    last = instructor.get(f"/author/bank/?page={pages}").get_data(as_text=True)
    assert len(listed_keys(last)) == total - 25 * (pages - 1)
    filtered = instructor.get("/author/bank/?type=short&sort=type&dir=desc").get_data(as_text=True)
    if "page=2" in filtered:
        assert "type=short" in re.search(r'href="([^"]*page=2[^"]*)"', filtered).group(1)


@pytest.mark.parametrize(
    "query",
    [
        "type=essay",
        "status=published",
        "origin=scraped",
        "topic=nope",
        "source=nope",
        "sort=password_hash",
        "dir=sideways",
        "page=abc",
        "page=-3",
        "page=99999999999999999999",
        "page=500",
        "q=" + "x" * 5000,
        "q=%00",
    ],
)
def test_bad_list_parameters_are_ignored(instructor: FlaskClient, query: str) -> None:
    response = instructor.get(f"/author/bank/?{query}")
    assert response.status_code == 200


def test_the_list_shows_each_questions_details(app: Flask, instructor: FlaskClient) -> None:
    answer_existing(app)
    with app.app_context():
        db.session.scalar(select(Question).where(Question.key == EXISTING)).stale = True
        db.session.commit()
    page = instructor.get("/author/bank/?q=breast+cancer+cells+are+found").get_data(as_text=True)
    row = re.search(rf"<tr>\s*<td><a href=\"/author/bank/{EXISTING}/edit\">(.*?)</tr>", page, re.S)
    assert row
    cells = [
        html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]
    assert cells[0] == "mcq" and cells[1].startswith("Breast cancer cells")
    assert cells[2] == "naming" and "approved" in cells[3] and "stale" in cells[3]
    assert cells[4] == "authored" and cells[5] == "1" and re.match(r"\d{4}-\d\d-\d\d", cells[6])


def test_long_prompts_are_truncated_in_the_list(app: Flask, instructor: FlaskClient) -> None:
    prompt = "Lung cancer that has travelled to the bones, " + "far away " * 20 + "is called what?"
    instructor.post("/author/bank/new?type=short", data=form_for(app, "short", prompt=prompt))
    page = instructor.get("/author/bank/?q=far+away").get_data(as_text=True)
    cell = re.search(r'<td class="bank-prompt">(.*?)</td>', page, re.S)
    assert cell and cell.group(1).endswith("…") and len(cell.group(1)) <= 91


# --- HTML in text fields is shown as text ------------------------------------------------


def test_html_in_any_text_field_is_shown_as_text(app: Flask, instructor: FlaskClient) -> None:
    data = form_for(
        app,
        "mcq",
        prompt=f"{SCRIPT} Lung cancer cells are found in a bone. What is this called?",
        explanation=f"{SCRIPT} A cancer keeps its first name.",
        **{
            "choices-0-text": f"{SCRIPT} Lung cancer metastatic to the bones",
            "choices-1-feedback": f"<img src=x onerror=alert(1)>{SCRIPT}",
        },
    )
    assert instructor.post("/author/bank/new?type=mcq", data=data).status_code == 302
    escaped = html.escape(SCRIPT, quote=False)
    pages = {
        "list": instructor.get("/author/bank/?q=script").get_data(as_text=True),
        "form": instructor.get("/author/bank/test-mcq/edit").get_data(as_text=True),
        "preview": instructor.post(
            "/author/bank/test-mcq/edit",
            data={
                **form_for(app, "mcq", key=None, save=None),
                **{k: v for k, v in data.items() if k != "save"},
                "preview": "1",
                "try_choice": "1",
            },
        ).get_data(as_text=True),
    }
    for name, page in pages.items():
        assert SCRIPT not in page, name
        assert "<img src=x" not in page, name
        assert escaped in page or html.escape(SCRIPT) in page, name
    assert "onerror" in pages["preview"]  # shown, as text


def test_html_in_a_refused_form_is_shown_as_text(app: Flask, instructor: FlaskClient) -> None:
    data = form_for(app, "short", key=SCRIPT, answers=SCRIPT, passage_search=SCRIPT)
    page = instructor.post("/author/bank/new?type=short", data=data).get_data(as_text=True)
    assert SCRIPT not in page


def test_a_save_racing_another_is_reported_not_a_500(
    app: Flask, instructor: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import IntegrityError

    from quiz.services import authoring

    def collide(*_args: Any) -> str:
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(authoring, "store_question", collide)
    response = instructor.post("/author/bank/new?type=short", data=form_for(app, "short"))
    assert response.status_code == 400
    assert "saved by someone else" in error_beside(response.get_data(as_text=True), "key")
    assert get_row(app, "test-short") is None


def test_truefalse_marks_follow_their_text_not_their_row(
    app: Flask, instructor: FlaskClient
) -> None:
    data = form_for(app, "truefalse", **{"choices-0-text": "false", "choices-1-text": "TRUE"})
    data["choices-1-feedback"] = "It is still lung cancer."
    # Row 0 says false and is marked correct; row 1 says true.
    data["choices-0-correct"], data["choices-1-correct"] = "y", None
    data = {k: v for k, v in data.items() if v is not None}
    assert instructor.post("/author/bank/new?type=truefalse", data=data).status_code == 302
    with app.app_context():
        version = db.session.scalar(
            select(Question).where(Question.key == "test-truefalse")
        ).current
        assert version.choices == [
            {"text": "True", "correct": False, "feedback": "It is still lung cancer."},
            {"text": "False", "correct": True, "feedback": ""},
        ]


def test_posts_without_a_csrf_token_change_nothing(app: Flask, instructor: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    response = instructor.post("/author/bank/new?type=short", data=form_for(app, "short"))
    assert response.status_code == 400 and "The form expired" in response.get_data(as_text=True)
    assert get_row(app, "test-short") is None
    assert instructor.post(f"/author/bank/{EXISTING}/delete").status_code == 400
    assert instructor.post(f"/author/bank/{EXISTING}/retire").status_code == 400
    assert get_row(app, EXISTING).status == "approved"
