"""Register, log in and log out; a personal API token for the JSON API."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from quiz.extensions import db
from quiz.services.accounts import (
    AccountError,
    PasswordPolicy,
    TooManyAttempts,
    authenticate,
    create_user,
    end_all_sessions,
)
from quiz.services.api_tokens import has_api_token, issue_api_token, revoke_api_token
from quiz.web.forms import EmptyForm, LoginForm, RegisterForm

bp = Blueprint("auth", __name__)


def password_policy() -> PasswordPolicy:
    config = current_app.config
    return PasswordPolicy(
        hash_method=config["PASSWORD_HASH_METHOD"],
        min_length=config["PASSWORD_MIN_LENGTH"],
        max_length=config["PASSWORD_MAX_LENGTH"],
    )


def safe_next(target: str | None) -> str:
    """Return `target` if it is a path on this site, else the home page."""
    if not target or "\\" in target or any(ord(ch) < 32 for ch in target):
        return url_for("main.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("main.index")
    return target


def _start_session(user: object) -> None:
    # A fresh session on login: nothing planted before login survives it.
    session.clear()
    login_user(user)


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    """Create a student account and log it in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                db.session, form.username.data or "", form.password.data or "", password_policy()
            )
        except AccountError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            _start_session(user)
            flash("Welcome! Your account is ready.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Log in with username and password."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(
                db.session,
                form.username.data or "",
                form.password.data or "",
                password_policy(),
                address=request.remote_addr or "",
            )
        except TooManyAttempts as exc:
            form.password.errors.append(exc.message)
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            _start_session(user)
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append("Wrong username or password.")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> ResponseReturnValue:
    """End the session everywhere: the old cookie stops working even if copied."""
    form = EmptyForm()
    if form.validate_on_submit():
        end_all_sessions(db.session, current_user._get_current_object())
        logout_user()
        session.clear()
        flash("You are logged out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/account/api-token", methods=["GET", "POST"])
@login_required
def api_token() -> ResponseReturnValue:
    """Show whether I have an API token; POST makes a new one, replacing the old, and
    shows it this once (only its SHA-256 is kept)."""
    user = current_user._get_current_object()
    form = EmptyForm()
    token = None
    if form.validate_on_submit():
        token = issue_api_token(db.session, user)
    response = make_response(
        render_template(
            "auth/api_token.html",
            form=form,
            revoke_form=EmptyForm(prefix="revoke"),
            token=token,
            has_token=has_api_token(user),
            example_url=url_for("api.my_progress", _external=True),
        )
    )
    # The page may hold the token in the clear: keep it out of every cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/api-token/revoke", methods=["POST"])
@login_required
def revoke_token() -> ResponseReturnValue:
    """Revoke my API token: it stops working at once."""
    if EmptyForm(prefix="revoke").validate_on_submit():
        revoke_api_token(db.session, current_user._get_current_object())
        flash("Your API token is revoked: it no longer works.", "info")
    return redirect(url_for("auth.api_token"))
