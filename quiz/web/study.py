"""Taking quizzes: start, one question per page, feedback, results, finish, retry, history."""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from quiz.domain.grading import InvalidResponse
from quiz.extensions import db
from quiz.models import Topic
from quiz.services import attempts, catalog
from quiz.services.attempts import AttemptClosed, QuizError
from quiz.web.forms import EmptyForm, StartQuizForm

bp = Blueprint("study", __name__)

# Ids are bounded so that a huge number is a 404, never a database overflow.
ATTEMPT = "<int(max=2147483647):attempt_id>"
POSITION = "<int(min=1, max=1000):position>"


def start_form(topics: Sequence[tuple[Topic, int]]) -> StartQuizForm:
    form = StartQuizForm()
    form.topic.choices = [SelectChoice("", "Mixed: all topics")] + [
        SelectChoice(topic.slug, f"{topic.title} ({count})") for topic, count in topics if count
    ]
    lengths = current_app.config["QUIZ_LENGTHS"]
    form.length.choices = [SelectChoice(n, f"{n} questions") for n in lengths]
    if not form.is_submitted():
        form.length.data = current_app.config["DEFAULT_QUIZ_LENGTH"]
    return form


def fresh_rng() -> random.Random:
    """A random source for drawing questions, seeded from the OS for each request."""
    return random.Random(secrets.randbits(64))


def clock() -> datetime:
    """Return the server's time (UTC): the only clock deadlines are checked against.

    Tests replace this one function to move time; the classes and home pages read it too.
    """
    return datetime.now(UTC)


def seconds_left(view: attempts.ItemView | None, now: datetime) -> int | None:
    """Return the whole seconds before the attempt's deadline, or None without one."""
    if view is None or view.attempt.deadline is None or view.finished:
        return None
    remaining = view.attempt.deadline - attempts.as_db_time(now)
    return max(0, int(remaining.total_seconds()))


def _after_answer(attempt_id: int, position: int) -> ResponseReturnValue:
    """Where to go after an answer: its feedback, or for end-of-quiz feedback the next
    unanswered question (the results once the attempt is finished)."""
    attempt = attempts.get_attempt(db.session, current_user.id, attempt_id)
    if attempt is None or attempt.feedback != "end":
        return redirect(url_for("study.question", attempt_id=attempt_id, position=position))
    if attempt.finished_at is not None:
        return redirect(url_for("study.results", attempt_id=attempt_id))
    unanswered = [item.position for item in attempt.items if item.response is None]
    following = [p for p in unanswered if p > position] or unanswered
    return redirect(url_for("study.question", attempt_id=attempt_id, position=following[0]))


@bp.route("/quiz", methods=["GET", "POST"])
@login_required
def new_quiz() -> ResponseReturnValue:
    """Choose a topic (or a mix) and a length, and start."""
    topics = catalog.topics_with_counts(db.session)
    form = start_form(topics)
    if request.method == "GET" and request.args.get("topic"):
        form.topic.data = request.args["topic"]
    if form.validate_on_submit():
        try:
            attempt = attempts.start_attempt(
                db.session, current_user.id, form.topic.data or None, form.length.data, fresh_rng()
            )
        except QuizError as exc:
            form.topic.errors = [str(exc)]
        else:
            return redirect(url_for("study.question", attempt_id=attempt.id, position=1))
    return render_template("study/new.html", form=form)


@bp.route(f"/attempts/{ATTEMPT}/{POSITION}", methods=["GET", "POST"])
@login_required
def question(attempt_id: int, position: int) -> ResponseReturnValue:
    """Show one question; on POST grade it, then show the feedback on the same page."""
    form = EmptyForm()
    error = None
    status = 200
    now = clock()
    if request.method == "POST" and form.validate_on_submit():
        try:
            verdict = attempts.submit_answer(
                db.session,
                current_user.id,
                attempt_id,
                position,
                request.form.getlist("choice"),
                request.form.get("answer"),
                now=now,
            )
        except LookupError:
            abort(404)
        except AttemptClosed as exc:  # finished, or its time is up: the answer is refused
            error, status = str(exc), 409
        except InvalidResponse as exc:
            error, status = str(exc), 400
        else:
            if verdict is None:
                flash("That question was already answered; your first answer counts.", "info")
            return _after_answer(attempt_id, position)
    elif request.method == "POST":
        error, status = "The form expired. Please answer again.", 400
    else:
        attempts.expire_if_overdue(db.session, current_user.id, attempt_id, now)
    view = attempts.view_item(db.session, current_user.id, attempt_id, position)
    if view is None:
        abort(404)
    return render_template(
        "study/question.html",
        view=view,
        form=form,
        error=error,
        closed=status == 409,
        seconds_left=seconds_left(view, now),
    ), status


@bp.route(f"/attempts/{ATTEMPT}/results")
@login_required
def results(attempt_id: int) -> ResponseReturnValue:
    """Show the score and every question with the student's answer."""
    now = clock()
    attempts.expire_if_overdue(db.session, current_user.id, attempt_id, now)
    attempt = attempts.get_attempt(db.session, current_user.id, attempt_id)
    if attempt is None:
        abort(404)
    views = [
        attempts.view_item(db.session, current_user.id, attempt_id, i)
        for i in range(1, len(attempt.items) + 1)
    ]
    missed = sum(1 for v in views if v and v.outcome and not v.outcome.correct)
    return render_template(
        "study/results.html",
        attempt=attempt,
        views=views,
        missed=missed,
        answered=sum(1 for v in views if v and v.answered),
        form=EmptyForm(),
        seconds_left=seconds_left(views[0] if views else None, now),
    )


@bp.route(f"/attempts/{ATTEMPT}/finish", methods=["POST"])
@login_required
def finish(attempt_id: int) -> ResponseReturnValue:
    """Finish my quiz now; unanswered questions score nothing. Finishing twice is harmless."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempts.finish_attempt(db.session, current_user.id, attempt_id, clock())
    except LookupError:
        abort(404)
    return redirect(url_for("study.results", attempt_id=attempt_id))


@bp.route(f"/attempts/{ATTEMPT}/retry", methods=["POST"])
@login_required
def retry(attempt_id: int) -> ResponseReturnValue:
    """Start a new quiz on the questions missed in this one."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempt = attempts.start_retry(db.session, current_user.id, attempt_id, fresh_rng())
    except QuizError as exc:
        flash(str(exc), "info")
        return redirect(url_for("study.results", attempt_id=attempt_id))
    return redirect(url_for("study.question", attempt_id=attempt.id, position=1))


@bp.route("/results")
@login_required
def history() -> ResponseReturnValue:
    """List my past and unfinished quizzes."""
    return render_template(
        "study/history.html", attempts=attempts.user_attempts(db.session, current_user.id)
    )
