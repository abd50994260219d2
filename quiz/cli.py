"""The `quiz` command: a FlaskGroup, so `quiz run`, `quiz shell` and `quiz routes` work too."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import yaml
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from quiz import create_app
from quiz.domain.bank import BankError
from quiz.domain.bundle import Bundle, read_bundle
from quiz.domain.grading import InvalidResponse, grade
from quiz.extensions import db


@click.group(cls=FlaskGroup, create_app=create_app)
def main() -> None:
    """Learn the facts of a source text through quizzes grounded in quoted passages."""


def register(app: Flask) -> None:
    """Attach the commands to the app, where FlaskGroup and the test runner find them."""
    from quiz.generate_cli import generate_command

    commands = (
        init_command,
        bank_group,
        grade_command,
        create_user_command,
        generate_command,
        demo_data_command,
        rebuild_progress_command,
    )
    for command in commands:
        app.cli.add_command(command)


def _questions_dir() -> Path:
    return Path(current_app.config["QUESTIONS_DIR"])


def _fail_with_problems(bundle: Bundle) -> None:
    for problem in bundle.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(bundle.problems)} problem(s) found.", err=True)
    sys.exit(1)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database and load the bundled sources and bank."""
    from flask_migrate import upgrade

    from quiz.services.loading import load_bundle

    bundle = read_bundle(_questions_dir())
    if bundle.problems:
        _fail_with_problems(bundle)
    upgrade(directory=current_app.config["MIGRATIONS_DIR"])
    report = load_bundle(db.session, bundle)
    click.echo(f"Database ready. Loaded {report}.")


@click.group("bank", cls=AppGroup)
def bank_group() -> None:
    """Check, import and export the question bank."""


@bank_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@with_appcontext
def bank_check(paths: tuple[Path, ...]) -> None:
    """Validate bank files (default: the bundled bank); print file:line: message per problem."""
    files = _expand(paths) if paths else None
    bundle = read_bundle(_questions_dir(), files)
    if bundle.problems:
        _fail_with_problems(bundle)
    click.echo(
        f"OK: {len(bundle.questions)} questions, {len(bundle.sources)} sources, "
        f"{len(bundle.topics)} topics."
    )


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
            )
        else:
            files.append(path)
    return files


EXPORT_FORMATS = ("json", "yaml", "csv", "gift", "apkg")


@bank_group.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def bank_export(fmt: str, output: Path | None) -> None:
    """Export the database's questions (json, yaml, csv, gift; apkg needs -o)."""
    from datetime import UTC, datetime

    from quiz.domain.formats.anki import export_apkg, faces_from_questions
    from quiz.domain.formats.csvformat import dump_csv
    from quiz.domain.formats.gift import dump_gift
    from quiz.services.catalog import all_questions, source_titles

    questions = all_questions(db.session)
    if fmt == "apkg":
        if output is None:
            raise click.UsageError("an Anki package is binary: give -o FILE.apkg")
        faces = faces_from_questions(
            [q for q in questions if q.status == "approved"], source_titles(db.session)
        )
        with output.open("wb") as handle:
            count = export_apkg("quiz", faces, handle, exported_at=datetime.now(UTC))
        click.echo(f"Wrote {count} notes to {output}.", err=True)
        return
    data = [question.to_dict() for question in questions]
    if fmt == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "yaml":
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    elif fmt == "csv":
        text = dump_csv(questions)
    else:
        text = dump_gift(questions)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {len(data)} questions to {output}.", err=True)


@bank_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def bank_import(paths: tuple[Path, ...]) -> None:
    """Import bank files (YAML, JSON, CSV or GIFT) all or nothing; re-importing changes nothing."""
    from quiz.services.loading import load_bundle

    bundle = read_bundle(_questions_dir(), _expand(paths))
    if bundle.problems:
        _fail_with_problems(bundle)
    try:
        report = load_bundle(db.session, bundle)
    except BankError as exc:  # pragma: no cover - read_bundle reports the same problems
        raise click.ClickException(str(exc)) from None
    click.echo(f"Imported: {report}.")


@click.command("grade")
@click.argument("question_id")
@click.argument("answer", nargs=-1, required=True)
@with_appcontext
def grade_command(question_id: str, answer: tuple[str, ...]) -> None:
    """Grade ANSWER to QUESTION_ID and print the verdict as JSON.

    Typed questions take the answer as text; choice questions take the text (or the
    1-based number) of each picked choice.
    """
    from quiz.services.catalog import find_question, known_words

    question = find_question(db.session, question_id)
    if question is None:
        raise click.ClickException(f"no question with id '{question_id}'")
    response: object
    if question.choices:
        picked = [_choice_index(question.choices, a) for a in answer]
        response = picked if question.type == "multi" else picked[0]
    else:
        response = " ".join(answer)
    try:
        verdict = grade(question, response, known_words(db.session))
    except InvalidResponse as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(verdict.to_dict(), ensure_ascii=False))


def _choice_index(choices: tuple[object, ...], answer: str) -> int:
    from quiz.domain.answers import normalise_answer

    wanted = normalise_answer(answer)
    for index, choice in enumerate(choices):
        if normalise_answer(getattr(choice, "text", "")) == wanted:
            return index
    if answer.isdigit() and 1 <= int(answer) <= len(choices):
        return int(answer) - 1
    raise click.ClickException(f"'{answer}' is not one of the choices")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["student", "instructor", "admin"]), default="student")
@click.option(
    "--password-file",
    type=click.File("r"),
    help="Read the password from the first line of this file ('-' for standard input).",
)
@with_appcontext
def create_user_command(username: str, role: str, password_file: click.File | None) -> None:
    """Create a user; the password comes from a prompt or --password-file."""
    from quiz.services.accounts import AccountError, create_user
    from quiz.web.auth import password_policy

    if password_file is not None:
        password = password_file.readline().rstrip("\r\n")  # type: ignore[attr-defined]
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(db.session, username, password, password_policy(), role=role)
    except AccountError as exc:
        raise click.ClickException(f"{exc.field}: {exc.message}") from None
    click.echo(f"Created {user.role} '{user.username}'.")


@click.command("demo-data")
@click.option("--students", type=click.IntRange(1, 100_000), default=30, show_default=True)
@click.option("--responses", type=click.IntRange(0, 20_000_000), default=3_000, show_default=True)
@click.option("--seed", type=int, default=20261121, show_default=True, help="Same seed, same data.")
@click.option(
    "--owner", default=None, help="An instructor's username: the class is theirs to view."
)
@with_appcontext
def demo_data_command(students: int, responses: int, seed: int, owner: str | None) -> None:
    """Add a demo class of students with realistic quiz answers (for dashboards)."""
    from datetime import UTC, datetime

    from quiz.services.demo import fill

    try:
        report = fill(
            db.session, students, responses, datetime.now(UTC).replace(tzinfo=None), seed, owner
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Class {report.class_id} (join code {report.join_code}): {report.students} students, "
        f"{report.attempts} attempts, {report.responses} responses."
    )


@click.command("rebuild-progress")
@with_appcontext
def rebuild_progress_command() -> None:
    """Recount every student's running progress from their answers (after bulk loads)."""
    from quiz.services import tallies

    counted = tallies.rebuild(db.session)
    db.session.commit()
    click.echo(f"Recounted {counted} answers.")
