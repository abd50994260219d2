"""The home page."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory
from flask.typing import ResponseReturnValue
from flask_login import current_user

from quiz.extensions import db
from quiz.services import attempts, cards, catalog, classes
from quiz.web import study
from quiz.web.study import start_form

bp = Blueprint("main", __name__)


@bp.route("/")
def index() -> ResponseReturnValue:
    """Show what there is to study and, for a student, their quizzes in progress and
    the quizzes set for their classes with due dates."""
    topics = catalog.topics_with_counts(db.session)
    in_progress = []
    decks = []
    assigned = []
    if current_user.is_authenticated:
        now = study.clock()
        user = current_user._get_current_object()
        decks = cards.decks(db.session, user, now)
        in_progress = [
            a
            for a in attempts.user_attempts(db.session, current_user.id)
            if a.finished_at is None and not attempts.is_overdue(a, now)
        ]
        assigned = classes.assignments_for_student(db.session, user, now)
    return render_template(
        "main/index.html",
        topics=topics,
        form=start_form(topics) if current_user.is_authenticated else None,
        in_progress=in_progress[:5],
        question_count=catalog.approved_count(db.session),
        sources=catalog.list_sources(db.session),
        decks=decks,
        assigned=assigned,
    )


@bp.route("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Serve the icon where browsers look for it unasked (on JSON and file responses)."""
    return send_from_directory(
        current_app.static_folder or "static", "favicon.svg", mimetype="image/svg+xml"
    )
