"""A student takes a whole quiz with the keyboard in real Chromium."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import Attempt

pytestmark = pytest.mark.browser


def test_take_a_quiz_with_the_keyboard_only(page, live_app, register_with_keyboard) -> None:  # type: ignore[no-untyped-def]
    app, base = live_app
    register_with_keyboard(page, base, "keyboarder")

    page.goto(f"{base}/quiz")
    page.focus("#topic")
    page.keyboard.press("Tab")  # the first length radio
    page.keyboard.press("ArrowRight")  # 10 questions is the default; move to 20 and back
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/attempts/\d+/1$"))

    for number in range(1, 11):
        assert page.locator("#progress-label").inner_text() == f"Question {number} of 10"
        if page.locator("#answer").count():
            page.keyboard.type("lung cancer metastatic to the bones")
        else:
            page.keyboard.press("2")
            assert page.locator('input[data-key="2"]').is_checked()
        page.keyboard.press("Enter")
        page.wait_for_selector("#verdict")
        assert page.locator("blockquote.quote").inner_text().strip()
        assert page.locator("a.source-link").get_attribute("href").startswith("/sources/")
        page.keyboard.press("Enter")
        if number < 10:
            page.wait_for_url(re.compile(rf".*/attempts/\d+/{number + 1}$"))

    page.wait_for_url(re.compile(r".*/attempts/\d+/results$"))
    score = page.locator("#score").inner_text()
    assert re.search(r"Score: \d+(\.\d+)? / 10", score)
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert attempt is not None and attempt.finished_at is not None and attempt.max_score == 10


def test_passage_link_opens_the_note_with_the_passage_highlighted(page, live_app) -> None:  # type: ignore[no-untyped-def]
    _, base = live_app
    page.goto(f"{base}/sources/")
    page.locator(".source-list a").first.click()
    first = page.locator("p.passage").first
    passage_id = first.get_attribute("id")
    page.goto(f"{page.url}#{passage_id}")
    background = first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
