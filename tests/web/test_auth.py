"""Registering, logging in and out, and the session rules around them."""

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quiz import create_app
from quiz.config import Config
from quiz.extensions import db
from quiz.models import User


def test_register_creates_a_hashed_account_and_logs_in(
    client: FlaskClient, auth, app: Flask
) -> None:
    response = auth.register()
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "alice"))
        assert user is not None and user.role == "student"
        assert (
            user.password_hash.startswith("pbkdf2:sha256:")
            and "correct horse" not in user.password_hash
        )
    assert "alice" in client.get("/").get_data(as_text=True)


def test_default_password_hash_meets_owasp_asvs() -> None:
    method, _, iterations = Config.PASSWORD_HASH_METHOD.partition(":sha256:")
    assert method == "pbkdf2" and int(iterations) >= 600_000


@pytest.mark.parametrize(
    ("username", "password", "confirm", "field_error"),
    [
        ("", "correct horse 1", "correct horse 1", "This field is required."),
        (
            "al",
            "correct horse 1",
            "correct horse 1",
            "Field must be between 3 and 40 characters long.",
        ),
        ("bad name!", "correct horse 1", "correct horse 1", "Use 3 to 40 characters"),
        ("bob", "short", "short", "Field must be between 8 and 256 characters long."),
        ("bob", "correct horse 1", "other horse 12", "The passwords differ."),
        ("bob", "x" * 300, "x" * 300, "Field must be between 8 and 256 characters long."),
    ],
)
def test_registration_errors_show_beside_the_field(
    client: FlaskClient, username: str, password: str, confirm: str, field_error: str
) -> None:
    response = client.post(
        "/register", data={"username": username, "password": password, "confirm": confirm}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error"' in html and field_error in html


def test_usernames_are_unique_regardless_of_case(client: FlaskClient, auth) -> None:
    auth.register("alice")
    auth.logout()
    html = auth.register("ALICE").get_data(as_text=True)
    assert "That username is taken." in html


def test_login_with_wrong_password_or_unknown_user_says_the_same(client: FlaskClient, auth) -> None:
    auth.register()
    auth.logout()
    wrong = auth.login(password="wrong password").get_data(as_text=True)
    unknown = auth.login(username="nobody").get_data(as_text=True)
    assert "Wrong username or password." in wrong and "Wrong username or password." in unknown


def test_login_clears_what_was_in_the_session_before(client: FlaskClient, auth) -> None:
    auth.register()
    auth.logout()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session


def test_a_copied_session_cookie_stops_working_after_logout(app: Flask, auth) -> None:
    client = auth.client
    auth.register()
    stolen = client.get_cookie("session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/results")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/results", "/results"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("%2F%2Fevil.example", "/"),
    ],
)
def test_next_redirects_stay_on_this_site(
    client: FlaskClient, auth, target: str, expected: str
) -> None:
    auth.register()
    auth.logout()
    response = client.post(
        f"/login?next={target}", data={"username": "alice", "password": "correct horse 1"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_pages_that_need_login_send_anonymous_users_to_login(client: FlaskClient) -> None:
    for url in ("/quiz", "/results", "/attempts/1/1", "/attempts/1/results"):
        response = client.get(url)
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_forms_are_refused_without_a_csrf_token() -> None:
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite:///:memory:"}
    )
    with app.app_context():
        db.create_all()
    client = app.test_client()
    response = client.post(
        "/register", data={"username": "mallory", "password": "p" * 10, "confirm": "p" * 10}
    )
    assert response.status_code == 400 and "The form expired" in response.get_data(as_text=True)
    assert client.post("/logout").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_oversized_requests_are_refused(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "a", "password": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_security_headers_are_on_every_response(client: FlaskClient) -> None:
    for response in (client.get("/"), client.get("/no-such-page")):
        assert "object-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_repeated_wrong_passwords_are_throttled_even_for_the_right_one(
    client: FlaskClient, auth
) -> None:
    auth.register()
    auth.logout()
    for _ in range(10):
        assert auth.login(password="wrong password").status_code == 200
    blocked = auth.login()
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.get_data(as_text=True)


def test_a_successful_login_clears_the_failures(client: FlaskClient, auth) -> None:
    auth.register()
    auth.logout()
    for _ in range(9):
        auth.login(password="wrong password")
    assert auth.login().status_code == 302
    auth.logout()
    for _ in range(9):
        auth.login(password="wrong password")
    assert auth.login().status_code == 302
