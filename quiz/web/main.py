"""The home page."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from quiz.extensions import db
from quiz.services import attempts, cards, catalog
from quiz.web.study import start_form

bp = Blueprint("main", __name__)


@bp.route("/")
def index() -> ResponseReturnValue:
    """Show what there is to study and, for a student, their quizzes in progress."""
    topics = catalog.topics_with_counts(db.session)
    in_progress = []
    decks = []
    if current_user.is_authenticated:
        decks = cards.decks(db.session, current_user._get_current_object(), datetime.now(UTC))
        in_progress = [
            a for a in attempts.user_attempts(db.session, current_user.id) if a.finished_at is None
        ]
    return render_template(
        "main/index.html",
        topics=topics,
        form=start_form(topics) if current_user.is_authenticated else None,
        in_progress=in_progress[:5],
        question_count=catalog.approved_count(db.session),
        sources=catalog.list_sources(db.session),
        decks=decks,
    )
