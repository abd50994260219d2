"""Shared fixtures: an app on an in-memory database holding the bundled bank."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz import create_app, resource_dir
from quiz.config import TEST_CONFIG
from quiz.domain.bundle import Bundle, read_bundle
from quiz.extensions import db
from quiz.services.loading import load_bundle

QUESTIONS_DIR = resource_dir("questions")


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    """The bundled sources, topics and bank, read once per run."""
    return read_bundle(QUESTIONS_DIR)


# QUIZ_TEST_DATABASE_URL runs the tests on another database, PostgreSQL say
# (postgresql+psycopg://postgres@127.0.0.1:5432/quiztest); each test empties it.
TEST_DATABASE_URL = os.environ.get("QUIZ_TEST_DATABASE_URL")


@pytest.fixture
def app(bundle: Bundle) -> Iterator[Flask]:
    config = {**TEST_CONFIG}
    if TEST_DATABASE_URL:
        config["SQLALCHEMY_DATABASE_URI"] = TEST_DATABASE_URL
    app = create_app(config)
    with app.app_context():
        db.create_all()
        load_bundle(db.session, bundle)
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()  # a server database's pooled connections close now, not in GC


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def register(self, username: str = "alice", password: str = "correct horse 1"):  # type: ignore[no-untyped-def]
        return self.client.post(
            "/register",
            data={"username": username, "password": password, "confirm": password},
        )

    def login(self, username: str = "alice", password: str = "correct horse 1"):  # type: ignore[no-untyped-def]
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):  # type: ignore[no-untyped-def]
        return self.client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


def csrf_token(html: str) -> str:
    """Pull the CSRF token out of a rendered form."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in page"
    return match.group(1)
