"""Register, log in and log out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
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
