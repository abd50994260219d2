"""Who is calling the JSON API: the session cookie or a personal bearer token.

Under /api/ a request may carry `Authorization: Bearer <token>`; the token then decides
alone (a session cookie sent along is ignored), and the session is neither read for the
user nor saved, so a bearer request never sets or changes a cookie. Elsewhere bearer
tokens count for nothing: the pages go by the session only. Refusals under /api/ are
JSON (`{"error": ...}`); a 401 names the Bearer scheme in WWW-Authenticate.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, flash, g, jsonify, redirect, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask.typing import ResponseReturnValue
from flask_login import login_url

from quiz.extensions import db, login_manager
from quiz.models import User
from quiz.services.accounts import load_user_by_session_token
from quiz.services.api_tokens import user_for_api_token

API_PREFIX = "/api/"
REALM = "quiz"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def bearer_token() -> str | None:
    """The bearer token of an API request ("" if the header names Bearer but holds no
    token), or None: not an API request, or no Bearer credentials."""
    if not is_api_request():
        return None
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip()


def load_user_from_session(token: str) -> User | None:
    """Flask-Login's user loader: a bearer request is not logged in by its cookie."""
    if bearer_token() is not None:
        return None
    return load_user_by_session_token(token)


def authenticate_bearer() -> None:
    """Settle who a bearer request is before Flask-Login looks at any cookie.

    Flask-Login consults its request loader only when no remember-me cookie came along,
    so a stray cookie would make a valid token fail; deciding here, first, lets the
    token alone decide.
    """
    if bearer_token() is not None:
        login_manager._update_request_context_with_user(load_user_from_bearer(request))


def load_user_from_bearer(_request: Request) -> User | None:
    """Flask-Login's request loader: the owner of a valid bearer token, under /api/ only."""
    token = bearer_token()
    if token is None:
        return None
    user = user_for_api_token(db.session, token)
    if user is None:
        g.bearer_token_refused = True
    return user


def api_error(code: int, message: str) -> Response:
    """A JSON error for the API; a 401 says how to authenticate."""
    response = jsonify({"error": message})
    response.status_code = code
    if code == 401:
        challenge = f'Bearer realm="{REALM}"'
        if g.get("bearer_token_refused"):
            challenge += ', error="invalid_token"'
        response.headers["WWW-Authenticate"] = challenge
    return response


def unauthorized() -> ResponseReturnValue:
    """Not logged in: 401 JSON under /api/; elsewhere Flask-Login's usual redirect to
    the login page, with its message."""
    if is_api_request():
        if g.get("bearer_token_refused"):
            return api_error(
                401, "The bearer token is not valid: it is wrong, revoked or replaced."
            )
        return api_error(
            401, "Log in, or send a personal API token as 'Authorization: Bearer <token>'."
        )
    if login_manager.login_message:
        flash(login_manager.login_message, category=login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


class BearerAwareSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, except that a bearer API request never saves it."""

    def save_session(self, app: Flask, session: SessionMixin, response: Any) -> None:
        if bearer_token() is not None:
            return
        super().save_session(app, session, response)


def register(app: Flask) -> None:
    """Wire the loaders and the unauthorized handler into the login manager."""
    login_manager.user_loader(load_user_from_session)
    login_manager.request_loader(load_user_from_bearer)
    login_manager.unauthorized_handler(unauthorized)
    app.before_request(authenticate_bearer)
    app.session_interface = BearerAwareSessionInterface()
