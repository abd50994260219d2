"""The committed migrations build exactly the schema the models describe."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from quiz import create_app
from quiz.extensions import db


def test_migrations_match_the_models(tmp_path: Path) -> None:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}", "SECRET_KEY": "x"}
    )
    with app.app_context():
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert differences == []


def test_the_progress_migration_counts_the_answers_already_given(tmp_path: Path, bundle) -> None:  # type: ignore[no-untyped-def]
    """Answers given before the running tallies existed are counted when they arrive."""
    import random
    from datetime import UTC, datetime, timedelta

    from flask_migrate import downgrade
    from sqlalchemy import select

    from quiz.models import QuestionProgress, TopicProgress, User
    from quiz.services import attempts
    from quiz.services.accounts import PasswordPolicy, create_user
    from quiz.services.loading import load_bundle

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}", "SECRET_KEY": "x"}
    )
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)

    def snapshot() -> list[tuple[object, ...]]:
        rows = []
        for model, key in ((QuestionProgress, "question_id"), (TopicProgress, "topic_id")):
            for row in db.session.scalars(select(model)):
                rows.append(
                    (
                        model.__tablename__,
                        row.user_id,
                        getattr(row, key),
                        row.answers,
                        row.correct,
                        round(row.weight, 9),
                        round(row.weighted_correct, 9),
                        round(row.last_answered_day, 6),
                        row.last_correct,
                    )
                )
        return sorted(rows)

    with app.app_context():
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        load_bundle(db.session, bundle)
        user = create_user(
            db.session, "ann", "a long password", PasswordPolicy("pbkdf2:sha256:1000")
        )
        for day in range(3):
            at = start + timedelta(days=day * 9)
            attempt = attempts.start_attempt(db.session, user.id, "naming", 4, random.Random(day))
            for position in range(1, 5):
                item = attempt.items[position - 1]
                typed = "metastatic" if item.version.type in ("short", "cloze") else None
                attempts.submit_answer(
                    db.session, user.id, attempt.id, position, [] if typed else ["0"], typed, at
                )
        live = snapshot()
        user_id = user.id
        assert live and sum(r[3] for r in live if r[0] == "question_progress") == 12
        db.session.remove()
        downgrade(directory=app.config["MIGRATIONS_DIR"], revision="2bc5fbe14914")
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        assert snapshot() == live
        assert db.session.get(User, user_id) is not None  # the users table was rebuilt, kept
        db.session.remove()
        db.engine.dispose()
