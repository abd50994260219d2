"""The `quiz` command."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from flask import Flask
from sqlalchemy import delete, func, select

from quiz import create_app
from quiz.extensions import db
from quiz.models import Question, User


def test_bank_check_passes_on_the_bundled_bank(runner) -> None:
    result = runner.invoke(args=["bank", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: ")


def test_bank_check_reports_file_line_message_and_exits_1(runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- id: naming-x\n"
        "  type: mcq\n"
        "  prompt: Which?\n"
        "  choices:\n"
        "    - {text: a, correct: true}\n"
        "    - {text: b, correct: true}\n"
        "  explanation: Because.\n"
        "  source: {document: what-is-metastasis, passage: nowhere-123456, quote: x}\n"
        "  topics: [naming]\n"
    )
    result = runner.invoke(args=["bank", "check", str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        line.endswith("bad.yaml:4: an mcq needs exactly one correct choice (has 2)")
        for line in lines
    )
    assert any("bad.yaml:8: unknown passage 'nowhere-123456'" in line for line in lines)


def test_export_json_round_trips_through_bank_check(runner, tmp_path: Path) -> None:
    result = runner.invoke(args=["bank", "export", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert len(data) >= 80 and {"id", "type", "prompt", "source", "topics"} <= set(data[0])
    exported = tmp_path / "export.json"
    exported.write_text(result.output)
    check = runner.invoke(args=["bank", "check", str(exported)])
    assert check.exit_code == 0, check.output


def test_grade_prints_the_verdict_as_json(runner, app: Flask) -> None:
    with app.app_context():
        key = db.session.scalar(select(Question.key).where(Question.key == "naming-lung-bones"))
    assert key is not None
    result = runner.invoke(args=["grade", key, "Lung cancer metastatic to bone"])
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output)
    assert verdict["correct"] is True and verdict["score"] == 1.0 and verdict["expected"]
    wrong = json.loads(runner.invoke(args=["grade", key, "bone cancer"]).output)
    assert wrong["correct"] is False


def test_grade_unknown_question_fails_clearly(runner) -> None:
    result = runner.invoke(args=["grade", "no-such-question", "x"])
    assert result.exit_code == 1 and "no question with id 'no-such-question'" in result.output


def test_create_user_reads_the_password_file(runner, app: Flask, tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a long enough password\n")
    result = runner.invoke(
        args=["create-user", "Teacher", "--role", "instructor", "--password-file", str(secret)]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "teacher"))
        assert user is not None and user.role == "instructor"
    again = runner.invoke(args=["create-user", "teacher", "--password-file", str(secret)])
    assert again.exit_code == 1 and "taken" in again.output


def test_init_migrates_a_file_database_and_is_idempotent(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("QUIZ_DATABASE_URL", f"sqlite:///{tmp_path / 'quiz.db'}")
    monkeypatch.setenv("QUIZ_SECRET_KEY", "cli-test")
    app = create_app()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    assert "added" in first.output
    second = runner.invoke(args=["init"])
    assert second.exit_code == 0 and " 0 added, 0 updated" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id))) >= 80
        db.session.remove()
        db.engine.dispose()


def test_every_format_round_trips_through_export_and_import(runner, tmp_path: Path) -> None:
    for fmt in ("json", "yaml", "csv", "gift"):
        path = tmp_path / f"bank.{fmt}"
        exported = runner.invoke(args=["bank", "export", "--format", fmt, "-o", str(path)])
        assert exported.exit_code == 0, exported.output
        imported = runner.invoke(args=["bank", "import", str(path)])
        assert imported.exit_code == 0, (fmt, imported.output)
        assert "0 added, 0 updated" in imported.output, (fmt, imported.output)


def test_a_broken_import_is_refused_whole(runner, app: Flask, tmp_path: Path) -> None:
    exported = tmp_path / "bank.csv"
    runner.invoke(args=["bank", "export", "--format", "csv", "-o", str(exported)])
    with exported.open(newline="") as handle:
        header, first, second, *_ = list(csv.reader(handle))
    first[header.index("status")] = "draft"  # a valid change, which must not land either
    second[header.index("type")] = "essay"
    broken = tmp_path / "broken.csv"
    with broken.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, first, second])
    result = runner.invoke(args=["bank", "import", str(broken)])
    assert result.exit_code == 1 and "broken.csv:3: " in result.output, result.output
    with app.app_context():
        assert (
            db.session.scalar(select(func.count(Question.id)).where(Question.status == "draft"))
            == 0
        )


def test_apkg_export_needs_a_file(runner, tmp_path: Path) -> None:
    assert runner.invoke(args=["bank", "export", "--format", "apkg"]).exit_code != 0
    result = runner.invoke(
        args=["bank", "export", "--format", "apkg", "-o", str(tmp_path / "b.apkg")]
    )
    assert result.exit_code == 0 and (tmp_path / "b.apkg").stat().st_size > 1000


def test_demo_data_is_reproducible_and_feeds_item_analysis(runner, app: Flask) -> None:
    from quiz.models import QuestionProgress, Response, StudyClass, TopicProgress
    from quiz.services.class_progress import item_analysis

    def topic_rows() -> list[tuple[object, ...]]:
        columns = (TopicProgress.user_id, TopicProgress.topic_id, TopicProgress.answers)
        return sorted(db.session.execute(select(*columns, TopicProgress.weight)).all())

    result = runner.invoke(
        args=["demo-data", "--students", "12", "--responses", "600", "--seed", "7"]
    )
    assert result.exit_code == 0, result.output
    assert "12 students" in result.output and "600 responses" in result.output
    with app.app_context():
        study_class = db.session.scalar(select(StudyClass))
        assert len(study_class.members) == 12
        stats = item_analysis(db.session, study_class.id, study_class.assignments[0].id)
        assert stats.attempts == 12 and len(stats.questions) == 30
        # Choice questions carry the options picked, so choice counts fill in.
        assert any(q.choice_responses for q in stats.questions.values())
        # The running tallies count every answer, as live answers would.
        counted = db.session.scalar(select(func.sum(QuestionProgress.answers)))
        assert counted == 600
        assert db.session.scalar(select(func.count()).select_from(TopicProgress)) > 12
        before = topic_rows()
        db.session.execute(delete(TopicProgress))
        db.session.commit()
    rebuilt = runner.invoke(args=["rebuild-progress"])
    assert rebuilt.exit_code == 0 and "Recounted 600 answers." in rebuilt.output
    with app.app_context():
        assert topic_rows() == before
        first = sorted(db.session.scalars(select(Response.correct).order_by(Response.id)))
    again = runner.invoke(
        args=["demo-data", "--students", "12", "--responses", "600", "--seed", "7"]
    )
    assert again.exit_code == 0
    with app.app_context():
        rows = list(db.session.scalars(select(Response.correct).order_by(Response.id)))
        assert sorted(rows[len(first) :]) == first  # the same seed gives the same answers


def test_demo_data_refuses_an_empty_bank(tmp_path: Path) -> None:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.db'}", "SECRET_KEY": "x"}
    )
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(
        args=["demo-data", "--students", "2", "--responses", "10"]
    )
    assert result.exit_code == 1 and "load the bank first" in result.output
    with app.app_context():
        db.engine.dispose()


def test_demo_data_can_belong_to_an_instructor_who_can_then_view_it(runner, app: Flask) -> None:
    from quiz.models import StudyClass, User
    from quiz.services.accounts import PasswordPolicy, create_user

    with app.app_context():
        policy = PasswordPolicy("pbkdf2:sha256:1000")
        create_user(db.session, "teacher", "a long password", policy, role="instructor")
        create_user(db.session, "student", "a long password", policy)
    refused = runner.invoke(args=["demo-data", "--students", "2", "--owner", "student"])
    assert refused.exit_code == 1 and "no instructor called 'student'" in refused.output
    result = runner.invoke(
        args=["demo-data", "--students", "3", "--responses", "90", "--owner", "teacher"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        study_class = db.session.scalar(select(StudyClass))
        owner = db.session.get(User, study_class.owner_id)
        assert owner.username == "teacher"
        # No stray demo instructor was made alongside.
        assert db.session.scalar(select(func.count(User.id)).where(User.role == "instructor")) == 1
