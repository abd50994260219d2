"""A live server and real Chromium for the journeys a person clicks through."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from quiz import create_app
from quiz.config import TEST_CONFIG
from quiz.domain.bundle import Bundle
from quiz.extensions import db
from quiz.services.loading import load_bundle

INSTALL_HINT = "install Debian's Chromium (apt-get install chromium) or set QUIZ_CHROMIUM_PATH"


def chromium_path() -> str | None:
    return (
        os.environ.get("QUIZ_CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        if os.environ.get("QUIZ_REQUIRE_BROWSER") == "1":
            pytest.fail(f"QUIZ_REQUIRE_BROWSER=1 but no Chromium found: {INSTALL_HINT}")
        pytest.skip(f"browser tests need Chromium: {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_app(bundle: Bundle, tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    """Serve the app on a free loopback port from a file database."""
    config = {
        **TEST_CONFIG,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.db'}",
        "WTF_CSRF_ENABLED": True,
    }
    app = create_app(config)
    with app.app_context():
        db.create_all()
        load_bundle(db.session, bundle)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def page(browser, live_app):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def register_with_keyboard():  # type: ignore[no-untyped-def]
    """Return a function that creates an account using only the keyboard."""
    return _register_with_keyboard


def _register_with_keyboard(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/register")  # the username field has focus on load
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("a long password")
    page.keyboard.press("Tab")
    page.keyboard.type("a long password")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
