"""Flashcards: decks, review with FSRS, undo, leeches, workload, settings, Anki export."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from quiz.domain.scheduling import MAX_RETENTION, MIN_RETENTION, InvalidRating, Rating
from quiz.extensions import db
from quiz.services import attempts, cards
from quiz.services.attempts import QuizError
from quiz.services.cards import CardError
from quiz.web import study
from quiz.web.access import STAFF_ROLES, role_required
from quiz.web.forms import EmptyForm, PlainCardForm, StudySettingsForm

bp = Blueprint("cards", __name__, url_prefix="/cards")
# Room for a deck of several topics joined by "+" (cards.MAX_DECK_TOPICS of them).
DECK = "<string(maxlength=700):deck>"


def now() -> datetime:
    return datetime.now(UTC)


def _optional_id(name: str) -> int | None:
    value = request.form.get(name, "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 9:
        abort(400)
    return int(value)


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    """Show decks with what is due, the 30-day workload, leeches and settings."""
    user = current_user._get_current_object()
    moment = now()
    settings = StudySettingsForm(
        data={
            "desired_retention": round(user.desired_retention * 100),
            "new_cards_per_day": user.new_cards_per_day,
        }
    )
    days = cards.workload(db.session, user, moment)
    return render_template(
        "cards/index.html",
        decks=cards.decks(db.session, user, moment),
        workload=days,
        workload_max=max((n for _, n in days), default=0),
        leeches=[leech for _, leech in cards.leeches(db.session, [user.id])],
        settings=settings,
        form=EmptyForm(),
        min_retention=round(MIN_RETENTION * 100),
        max_retention=round(MAX_RETENTION * 100),
    )


@bp.route(f"/{DECK}/review", methods=["GET", "POST"])
@login_required
def review(deck: str) -> ResponseReturnValue:
    """Show the next card; a POST rates the card shown."""
    try:
        title = cards.check_deck(db.session, deck)
    except CardError:
        abort(404)
    user = current_user._get_current_object()
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            flash("The page expired; here is the card again.", "info")
            return redirect(url_for("cards.review", deck=deck))
        try:
            result = cards.rate(
                db.session,
                user,
                card_id=_optional_id("card_id"),
                question_id=_optional_id("question_id"),
                plain_card_id=_optional_id("plain_card_id"),
                rating=request.form.get("rating"),
                token=request.form.get("token", ""),
                now=now(),
            )
        except InvalidRating as exc:
            abort(400, description=str(exc))
        except LookupError:
            abort(404)
        except CardError as exc:
            flash(str(exc), "error")
            return redirect(url_for("cards.review", deck=deck))
        if result.became_leech:
            flash(
                "You have forgotten this card 8 times, so it is suspended as a leech. "
                "Reread its passage; it may hide a misconception.",
                "info",
            )
        return redirect(url_for("cards.review", deck=deck))
    moment = now()
    card = cards.next_card(db.session, user, deck, moment)
    progress = cards.counts(db.session, user, deck, moment)
    if card is None:
        return render_template(
            "cards/done.html", deck=deck, title=title, progress=progress, form=EmptyForm()
        )
    return render_template(
        "cards/review.html",
        deck=deck,
        title=title,
        card=card,
        progress=progress,
        ratings=list(Rating),
        form=EmptyForm(),
    )


@bp.route(f"/{DECK}/undo", methods=["POST"])
@login_required
def undo(deck: str) -> ResponseReturnValue:
    """Take back the latest rating."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    if cards.undo_last(db.session, current_user._get_current_object()):
        flash("Last rating undone.", "info")
    else:
        flash("There is no rating to undo.", "info")
    return redirect(url_for("cards.review", deck=deck))


@bp.route("/settings", methods=["POST"])
@login_required
def settings() -> ResponseReturnValue:
    """Save desired retention and the daily new-card limit."""
    form = StudySettingsForm()
    if form.validate_on_submit():
        cards.set_retention(
            db.session,
            current_user._get_current_object(),
            form.desired_retention.data / 100,
            form.new_cards_per_day.data,
        )
        flash("Settings saved.", "success")
    else:
        for field_errors in form.errors.values():
            for error in field_errors:
                flash(str(error), "error")
    return redirect(url_for("cards.index"))


@bp.route("/forgetting-quiz", methods=["POST"])
@login_required
def forgetting_quiz() -> ResponseReturnValue:
    """Start a quiz on what I am about to forget."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempt = attempts.start_forgetting_quiz(
            db.session, current_user.id, 10, now(), study.fresh_rng()
        )
    except QuizError as exc:
        flash(str(exc), "info")
        return redirect(url_for("cards.index"))
    return redirect(url_for("study.question", attempt_id=attempt.id, position=1))


@bp.route("/leeches/<int(max=2147483647):card_id>/unsuspend", methods=["POST"])
@login_required
def unsuspend(card_id: int) -> ResponseReturnValue:
    """Put a leech back into reviews."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        cards.unsuspend(db.session, current_user._get_current_object(), card_id)
    except LookupError:
        abort(404)
    flash("The card is back in your reviews.", "info")
    return redirect(url_for("cards.index"))


@bp.route(f"/{DECK}.apkg")
@login_required
def export(deck: str) -> ResponseReturnValue:
    """Download the deck as an Anki package."""
    buffer = io.BytesIO()
    try:
        cards.export_deck(db.session, deck, buffer, now())
    except CardError:
        abort(404)
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=f"quiz-{deck}.apkg",
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def new_plain_card() -> ResponseReturnValue:
    """Write a plain front/back card for a topic."""
    form = PlainCardForm()
    form.topic.choices = [
        SelectChoice(d.slug, d.title) for d in cards.decks(db.session, current_user, now())[1:]
    ]
    if form.validate_on_submit():
        cards.add_plain_card(
            db.session,
            form.topic.data,
            form.front.data or "",
            form.back.data or "",
            current_user.id,
        )
        flash("Card added to the deck.", "success")
        return redirect(url_for("cards.new_plain_card"))
    return render_template("cards/new.html", form=form), 400 if form.errors else 200
