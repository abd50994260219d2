"""A student's own progress dashboard; its JSON is in `quiz.web.api`."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from quiz.domain import analytics
from quiz.extensions import db
from quiz.services import attempts
from quiz.services.attempts import QuizError
from quiz.services.progress import student_dashboard
from quiz.web import study
from quiz.web.forms import EmptyForm

bp = Blueprint("dashboard", __name__)
bp.add_app_template_filter(analytics.mastery_level, "mastery_level")

PRACTICE_LENGTH = 10


@bp.route("/progress")
@login_required
def mine() -> ResponseReturnValue:
    """Show my scores, mastery per topic, activity, cards due and concept map."""
    data = student_dashboard(db.session, current_user._get_current_object(), datetime.now(UTC))
    return render_template("dashboard/student.html", d=data, form=EmptyForm())


@bp.route("/progress/practise", methods=["POST"])
@login_required
def practise() -> ResponseReturnValue:
    """Start a quiz or a card session on exactly the topics posted (my weakest)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    slugs = [slug for slug in request.form.getlist("topic") if slug]
    if not slugs:
        abort(400)
    joined = "+".join(slugs)
    if request.form.get("mode") == "cards":
        return redirect(url_for("cards.review", deck=joined))
    try:
        attempt = attempts.start_attempt(
            db.session,
            current_user.id,
            joined,
            PRACTICE_LENGTH,
            study.fresh_rng(),
        )
    except QuizError as exc:
        flash(str(exc), "error")
        return redirect(url_for("dashboard.mine"))
    return redirect(url_for("study.question", attempt_id=attempt.id, position=1))
