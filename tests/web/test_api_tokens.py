"""Personal API tokens: the JSON API takes a bearer token as well as the session cookie."""

from __future__ import annotations

import hashlib
import re

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from quiz import create_app
from quiz.config import TEST_CONFIG
from quiz.extensions import db
from quiz.models import User
from quiz.services.accounts import PasswordPolicy, create_user
from quiz.services.api_tokens import (
    TOKEN_PREFIX,
    hash_api_token,
    issue_api_token,
    revoke_api_token,
    user_for_api_token,
)

PROGRESS = "/api/v1/me/progress"
POLICY = PasswordPolicy(hash_method="pbkdf2:sha256:1000")


def new_token(client: FlaskClient) -> str:
    """Create (or replace) the logged-in user's token on its page; return it."""
    response = client.post("/account/api-token")
    assert response.status_code == 200
    match = re.search(r'id="api-token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, "no token on the page"
    return match.group(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def answer_a_question(client: FlaskClient) -> None:
    response = client.post("/quiz", data={"topic": "naming", "length": 5})
    path = re.search(r"/attempts/\d+/1", response.headers["Location"])
    assert path
    page = client.get(path.group(0)).get_data(as_text=True)
    data = {"answer": "nope"} if 'name="answer"' in page else {"choice": "0"}
    client.post(path.group(0), data=data)


def assert_refused(response: TestResponse) -> None:
    assert response.status_code == 401
    assert response.is_json and response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    assert "Set-Cookie" not in response.headers


def stored_hash(app: Flask, username: str = "alice") -> str | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user is not None
        return user.api_token_hash


# --- the service ----------------------------------------------------------------------


def test_a_token_is_issued_once_and_stored_only_as_its_hash(app: Flask) -> None:
    with app.app_context():
        user = create_user(db.session, "carol", "correct horse 1", POLICY)
        token = issue_api_token(db.session, user)
        assert token.startswith(TOKEN_PREFIX) and len(token) == len(TOKEN_PREFIX) + 43
        assert user.api_token_hash == hashlib.sha256(token.encode()).hexdigest() != token
        assert user_for_api_token(db.session, token) is user
        replacement = issue_api_token(db.session, user)
        assert replacement != token and user.api_token_hash == hash_api_token(replacement)
        assert user_for_api_token(db.session, token) is None
        assert user_for_api_token(db.session, replacement) is user
        revoke_api_token(db.session, user)
        assert user.api_token_hash is None
        assert user_for_api_token(db.session, replacement) is None


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "quiz_",
        "quiz_short",
        "not_a_quiz_token_at_all_but_long_enough_to_pass_a_length_check",
        "quiz_" + "a" * 200,
        "quiz_" + "a" * 42 + "!",
        "quiz_" + "a" * 42 + "\n",
        "quiz_" + "é" * 43,
    ],
)
def test_input_that_cannot_be_a_token_finds_nobody(app: Flask, token: str | None) -> None:
    with app.app_context():
        assert user_for_api_token(db.session, token) is None


def test_no_user_without_a_token_matches_anything(app: Flask) -> None:
    with app.app_context():
        create_user(db.session, "dave", "correct horse 1", POLICY)
        assert user_for_api_token(db.session, TOKEN_PREFIX + "A" * 43) is None


# --- bearer authentication on the API ---------------------------------------------------


def test_a_bearer_token_reads_its_owners_progress(app: Flask, auth, client: FlaskClient) -> None:
    auth.register("alice")
    answer_a_question(client)
    alice_token = new_token(client)
    auth.logout()
    auth.register("bob")
    bob_token = new_token(client)
    auth.logout()

    script = app.test_client()  # no cookies at all
    response = script.get(PROGRESS, headers=bearer(alice_token))
    assert response.status_code == 200 and response.is_json
    assert response.get_json()["answers"] == 1
    assert script.get(PROGRESS, headers=bearer(bob_token)).get_json()["answers"] == 0
    # The scheme is case-insensitive, as HTTP says.
    lower = script.get(PROGRESS, headers={"Authorization": f"bearer {alice_token}"})
    assert lower.status_code == 200


def test_a_bearer_request_sets_no_cookie(app: Flask, auth, client: FlaskClient) -> None:
    auth.register()
    token = new_token(client)
    script = app.test_client()
    response = script.get(PROGRESS, headers=bearer(token))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert script.get_cookie("session") is None
    # Still nothing after a 404 or a refusal under /api/.
    assert "Set-Cookie" not in script.get("/api/v1/nothing", headers=bearer(token)).headers
    assert "Set-Cookie" not in script.get(PROGRESS, headers=bearer("quiz_" + "x" * 43)).headers
    assert script.get_cookie("session") is None


def test_the_token_decides_over_a_session_cookie_sent_along(
    app: Flask, auth, client: FlaskClient
) -> None:
    auth.register("alice")
    answer_a_question(client)
    auth.logout()
    auth.register("bob")
    bob_token = new_token(client)
    auth.logout()
    auth.login("alice")
    assert client.get(PROGRESS).get_json()["answers"] == 1
    cookie_before = client.get_cookie("session")
    assert cookie_before is not None
    as_bob = client.get(PROGRESS, headers=bearer(bob_token))
    assert as_bob.get_json()["answers"] == 0 and "Set-Cookie" not in as_bob.headers
    assert_refused(client.get(PROGRESS, headers=bearer("wrong")))
    # Flask-Login's session protection would mark a cookie from another browser as not
    # fresh, and so rewrite it; a bearer request saves no session at all.
    elsewhere = {**bearer(bob_token), "User-Agent": "a script"}
    assert "Set-Cookie" not in client.get(PROGRESS, headers=elsewhere).headers
    # The session itself is untouched and still works.
    assert client.get_cookie("session").value == cookie_before.value
    assert client.get(PROGRESS).get_json()["answers"] == 1


def test_a_remember_me_cookie_does_not_get_in_the_tokens_way(
    app: Flask, auth, client: FlaskClient
) -> None:
    auth.register()
    answer_a_question(client)
    token = new_token(client)
    script = app.test_client()
    script.set_cookie("remember_token", "junk")
    response = script.get(PROGRESS, headers=bearer(token))
    assert response.status_code == 200 and response.get_json()["answers"] == 1
    assert_refused(script.get(PROGRESS, headers=bearer("quiz_" + "y" * 43)))


def test_wrong_revoked_and_replaced_tokens_are_refused(
    app: Flask, auth, client: FlaskClient
) -> None:
    auth.register()
    old = new_token(client)
    current = new_token(client)
    script = app.test_client()
    refused = script.get(PROGRESS, headers=bearer(old))
    assert_refused(refused)
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    assert_refused(script.get(PROGRESS, headers=bearer(current[:-1] + "x")))
    assert_refused(script.get(PROGRESS, headers=bearer("")))
    assert_refused(script.get(PROGRESS, headers={"Authorization": "Bearer"}))
    assert script.get(PROGRESS, headers=bearer(current)).status_code == 200

    response = client.post("/account/api-token/revoke")
    assert response.status_code == 302 and response.headers["Location"] == "/account/api-token"
    assert stored_hash(app) is None
    assert_refused(script.get(PROGRESS, headers=bearer(current)))


def test_without_credentials_the_api_answers_401_json(client: FlaskClient) -> None:
    response = client.get(PROGRESS)
    assert_refused(response)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="quiz"'
    # Other schemes are not bearer tokens (and not a way in either).
    assert_refused(client.get(PROGRESS, headers={"Authorization": "Basic YWxpY2U6eA=="}))


def test_a_session_still_works_for_the_api_with_another_authorization_scheme(
    auth, client: FlaskClient
) -> None:
    # e.g. a proxy's Basic auth in front of the app: the session cookie still counts.
    auth.register()
    response = client.get(PROGRESS, headers={"Authorization": "Basic YWxpY2U6eA=="})
    assert response.status_code == 200 and response.is_json


def test_a_bearer_token_does_not_log_in_to_the_pages(app: Flask, auth, client: FlaskClient) -> None:
    auth.register()
    token = new_token(client)
    script = app.test_client()
    for url in ("/progress", "/account/api-token", "/results"):
        response = script.get(url, headers=bearer(token))
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    # Nor can it mint a new token.
    assert script.post("/account/api-token", headers=bearer(token)).status_code == 302
    assert stored_hash(app) == hash_api_token(token)


def test_api_errors_are_json(app: Flask, auth, client: FlaskClient) -> None:
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.is_json and missing.get_json()["error"]
    wrong_method = client.post(PROGRESS)
    assert wrong_method.status_code == 405 and wrong_method.is_json
    assert "GET" in wrong_method.headers["Allow"]
    # Pages keep their HTML error page.
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_api_forbidden_and_server_errors_are_json() -> None:
    app = create_app({**TEST_CONFIG, "PROPAGATE_EXCEPTIONS": False})

    @app.route("/api/v1/test-forbidden")
    def forbidden() -> str:
        abort(403)

    @app.route("/api/v1/test-busy")
    def busy() -> str:
        abort(429)

    @app.route("/api/v1/test-broken")
    def broken() -> str:
        raise RuntimeError("boom")

    with app.app_context():
        db.create_all()
    client = app.test_client()
    for url, code in (
        ("/api/v1/test-forbidden", 403),
        ("/api/v1/test-busy", 429),
        ("/api/v1/test-broken", 500),
    ):
        response = client.get(url)
        assert response.status_code == code and response.is_json, url
        assert set(response.get_json()) == {"error"}
    assert "boom" not in client.get("/api/v1/test-broken").get_data(as_text=True)


# --- the token page ----------------------------------------------------------------------


def test_the_token_page_needs_a_login(client: FlaskClient) -> None:
    response = client.get("/account/api-token")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    assert client.post("/account/api-token").status_code == 302
    assert client.post("/account/api-token/revoke").status_code == 302


def test_the_token_page_shows_a_new_token_once(app: Flask, auth, client: FlaskClient) -> None:
    auth.register()
    html = client.get("/account/api-token").get_data(as_text=True)
    assert "You have no API token" in html and "Create a token" in html
    assert 'href="/account/api-token"' in html  # in the navigation

    response = client.post("/account/api-token")
    html = response.get_data(as_text=True)
    match = re.search(r'id="api-token"[^>]*value="([^"]+)"', html)
    assert match
    token = match.group(1)
    assert token.startswith(TOKEN_PREFIX)
    assert 'role="status"' in html and "Copy your new token now" in html
    assert '<label for="api-token">' in html
    assert f'curl -H "Authorization: Bearer {token}" http://localhost/api/v1/me/progress' in html
    assert "no-store" in response.headers["Cache-Control"]

    stored = stored_hash(app)
    assert stored != token and stored == hashlib.sha256(token.encode()).hexdigest()

    again = client.get("/account/api-token").get_data(as_text=True)
    assert token not in again and "You have an API token" in again
    assert "Replace token" in again and "Revoke token" in again


def test_the_token_forms_are_refused_without_csrf() -> None:
    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.create_all()
    client = app.test_client()
    page = client.get("/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    form = {"username": "erin", "password": "correct horse 1", "confirm": "correct horse 1"}
    assert client.post("/register", data={**form, "csrf_token": token.group(1)}).status_code == 302

    assert client.post("/account/api-token").status_code == 400
    assert client.post("/account/api-token/revoke").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User.api_token_hash)) is None

    html = client.get("/account/api-token").get_data(as_text=True)
    create = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert create
    made = client.post("/account/api-token", data={"csrf_token": create.group(1)})
    assert made.status_code == 200 and "Copy your new token now" in made.get_data(as_text=True)
    html = client.get("/account/api-token").get_data(as_text=True)
    revoke = re.search(r'name="revoke-csrf_token" type="hidden" value="([^"]+)"', html)
    assert revoke
    gone = client.post("/account/api-token/revoke", data={"revoke-csrf_token": revoke.group(1)})
    assert gone.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.api_token_hash)) is None
