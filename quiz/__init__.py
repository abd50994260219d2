"""quiz: learn the facts of a source text through quizzes grounded in quoted passages."""

from __future__ import annotations

import gc
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return a bundled folder: inside the package when installed from a wheel, at the
    top of the repository in a checkout."""
    packaged = PACKAGE_DIR / name
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / name


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the Flask app: config, extensions, blueprints, errors, CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    from quiz.web.request import QuizRequest

    app.request_class = QuizRequest
    register_config(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_cli(app)
    register_proxy(app)
    if not app.testing:
        freeze_startup_objects()
    return app


def freeze_startup_objects() -> None:
    """Take the objects made at start-up out of the garbage collector's full passes.

    A full collection walks every tracked object, and a request that builds a big
    dashboard (a class of hundreds) sets one off; walking the hundred thousand objects
    Flask, SQLAlchemy and the compiled templates leave behind cost 60-90 ms each time on
    our 2-core machine. Frozen, they are skipped; they live as long as the process
    anyway. Tests build many apps and leave this out.
    """
    gc.collect()
    gc.freeze()


def register_proxy(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto from this many proxies (QUIZ_PROXY_HOPS), so the
    login throttle and HTTPS detection see the real client; 0, the default, trusts none."""
    hops = int(app.config.get("PROXY_HOPS", 0))
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_config(app: Flask, config: Mapping[str, Any] | None) -> None:
    from quiz.config import Config

    app.config.from_object(Config)
    app.config["QUESTIONS_DIR"] = str(resource_dir("questions"))
    app.config["MIGRATIONS_DIR"] = str(resource_dir("migrations"))
    app.config.from_prefixed_env("QUIZ")
    if config:
        app.config.update(config)
    if app.config.get("DATABASE_URL") and not (config and "SQLALCHEMY_DATABASE_URI" in config):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'quiz.db'}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))


def _instance_secret_key(instance: Path) -> str:
    """Read the key kept in the instance folder, creating it (owner-only) the first time,
    so a self-hosted install is safe without the operator inventing a key."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def register_extensions(app: Flask) -> None:
    from quiz.extensions import configure_sqlite, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"], render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    with app.app_context():
        configure_sqlite(db.engine)

    # Pages go by the session cookie; /api/ also takes a personal bearer token.
    from quiz.web import api_auth

    api_auth.register(app)


def register_blueprints(app: Flask) -> None:
    from quiz.web import (
        admin,
        api,
        auth,
        author,
        bank,
        cards,
        class_reports,
        classes,
        dashboard,
        main,
        sources,
        study,
    )

    for module in (
        main,
        auth,
        sources,
        study,
        cards,
        author,
        bank,
        admin,
        dashboard,
        classes,
        class_reports,
        api,
    ):
        app.register_blueprint(module.bp)


def register_cli(app: Flask) -> None:
    from quiz import cli

    cli.register(app)


def register_errors(app: Flask) -> None:
    from quiz.web import errors

    errors.register(app)
