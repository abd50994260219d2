"""An instructor writes a question by clicking its passage; a student then answers it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import Question, Source, Topic, User
from quiz.services.accounts import PasswordPolicy, create_user
from quiz.web import bank

pytestmark = pytest.mark.browser

KEY = "naming-lung-bones-browser"
PROMPT = "What do we call lung cancer that has travelled to the bones?"
ANSWER = "lung cancer metastatic to the bones"
PASSAGE = "the-naming-rule-7def79"
SENTENCE = "Seen under a microscope, the cells in the bone are cancerous lung cells"


def test_instructor_writes_a_question_by_picking_its_passage_and_a_student_answers_it(  # type: ignore[no-untyped-def]
    page, live_app, register_with_keyboard
) -> None:
    app, base = live_app
    if "bank" not in app.blueprints:  # until the factory registers the bank's blueprint
        app.register_blueprint(bank.bp)
    with app.app_context():
        create_user(
            db.session,
            "teacher",
            "a long password",
            PasswordPolicy("pbkdf2:sha256:1000"),
            role="instructor",
        )
        # Retire the other naming questions, so a naming quiz can only ask the new one.
        naming = db.session.scalar(select(Topic).where(Topic.slug == "naming"))
        for question in db.session.scalars(
            select(Question).where(Question.topics.contains(naming))
        ):
            question.status = "retired"
        db.session.commit()

    page.goto(f"{base}/login")
    page.fill("#username", "teacher")
    page.fill("#password", "a long password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/author/bank/new?type=short")
    page.fill("#key", KEY)
    page.fill("#prompt", PROMPT)
    page.fill("#answers", f"{ANSWER}\nmetastatic lung cancer")
    page.fill("#explanation", "A cancer keeps the name of the organ where it began.")
    page.select_option("#topics", ["naming"])
    page.fill("#difficulty", "1")

    # Choose the source, search its passages, click the one that grounds the question.
    page.select_option("#source", "what-is-metastasis")
    page.wait_for_selector("button.passage-pick[data-document='what-is-metastasis']")
    page.fill("#passage_search", "microscope")
    picks = page.locator("button.passage-pick")
    expect(picks).to_have_count(1)
    assert picks.first.get_attribute("data-passage") == PASSAGE
    picks.first.click()
    assert SENTENCE in page.locator("#chosen-text").inner_text()
    assert page.locator("#passage").input_value() == PASSAGE
    assert page.locator("#document").input_value() == "what-is-metastasis"
    assert page.locator("#quote option").count() == 3  # the whole passage or either sentence
    assert page.url.endswith("/author/bank/new?type=short")  # filled in place, not posted

    # Preview it and try an answer, as a student would type it.
    page.click("#preview-button")
    page.wait_for_selector("#preview")
    assert page.locator("#preview .prompt").inner_text() == PROMPT
    page.fill("#try_answer", "Lung cancer metastatic to the bone")
    page.click("button[name=preview][value=try]")
    page.wait_for_selector("#preview-verdict")
    assert "Correct." in page.locator("#preview-verdict").inner_text()
    assert SENTENCE in page.locator("#preview blockquote.quote").inner_text()

    page.select_option("#status", "approved")
    page.click("#save")
    page.wait_for_url(f"{base}/author/bank/{KEY}/edit")
    assert "approved by teacher" in page.locator("#approval").inner_text()
    with app.app_context():
        row = db.session.scalar(select(Question).where(Question.key == KEY))
        teacher = db.session.scalar(select(User).where(User.username == "teacher"))
        version = db.session.scalar(
            select(Source.version).where(Source.slug == "what-is-metastasis")
        )
        assert row is not None and row.status == "approved"
        assert row.approved_by_id == teacher.id and row.approved_at is not None
        assert row.approved_source_version == version
        assert row.current.passage_key == PASSAGE and SENTENCE in row.current.quote

    page.click("text=Log out")
    page.wait_for_url(re.compile(rf"{re.escape(base)}/.*"))

    register_with_keyboard(page, base, "learner")
    page.goto(f"{base}/quiz?topic=naming")
    page.click("text=Start quiz")
    page.wait_for_url(re.compile(r".*/attempts/\d+/1$"))
    assert page.locator("#prompt").inner_text() == PROMPT
    page.fill("#answer", "lung cancer metastatic to the bones")
    page.keyboard.press("Enter")
    page.wait_for_selector("#verdict")
    assert "Correct." in page.locator("#verdict").inner_text()
    assert SENTENCE in page.locator("blockquote.quote").inner_text()
