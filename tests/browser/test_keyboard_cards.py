"""A student reviews flashcards with the keyboard only, in real Chromium."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import Card, ReviewLog

pytestmark = pytest.mark.browser


def test_review_cards_with_the_keyboard_only(page, live_app, register_with_keyboard) -> None:  # type: ignore[no-untyped-def]
    app, base = live_app
    register_with_keyboard(page, base, "cardstudent")

    page.goto(f"{base}/cards/naming/review")
    for rating in ("3", "1", "4", "2", "3"):
        assert page.locator("#card-back").is_hidden()
        page.keyboard.press(" ")  # flip
        assert page.locator("#card-back").is_visible()
        assert page.locator("button.rate").count() == 4
        labels = page.locator("button.rate .interval").all_inner_texts()
        assert all(labels), labels
        with page.expect_navigation():
            page.keyboard.press(rating)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewLog.id))) == 5
        assert db.session.scalar(select(func.count(Card.id))) >= 4

    progress = page.locator("#progress-label").inner_text()
    assert re.match(r"5 reviewed today", progress), progress
