"""`quiz generate`: candidate questions from texts, in the bank's interchange schema.

A plain click command with no app context, so it runs without a database; the app's
command group attaches it.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import click
import yaml

from quiz.domain.bank import Question, parse_topics
from quiz.domain.generate import GenerateInputErrors, Generation, generate_from_paths
from quiz.domain.generate.decisions import Decisions, apply_decisions, parse_decisions

TOPICS_FILE = "topics.yaml"


@click.command("generate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "yaml"]),
    default="json",
    show_default=True,
    help="Write a JSON array or a YAML list of questions.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (replaced only when generation succeeds) instead of stdout.",
)
@click.option(
    "--decisions",
    "decisions_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Reviewers' decisions (approved and rejected ids) to apply to the output.",
)
@click.option(
    "--topics-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Topics questions may carry (default: the bundled questions/topics.yaml).",
)
def generate_command(
    paths: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    decisions_file: Path | None,
    topics_file: Path | None,
) -> None:
    """Generate draft questions from Markdown or plain-text files (PATHS)."""
    topics = _read_topics(topics_file or _default_topics_file())
    decisions = _read_decisions(decisions_file) if decisions_file else None
    try:
        generation = generate_from_paths(paths, topics)
    except GenerateInputErrors as exc:
        for error in exc.errors:
            click.echo(f"{error.path}: {error.reason}", err=True)
        sys.exit(1)
    questions = list(generation.questions)
    if decisions is not None:
        questions, stale = apply_decisions(questions, decisions)
        for question_id in stale:
            click.echo(f"{decisions_file}: '{question_id}' is no longer generated", err=True)
    text = render(questions, output_format)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)
    click.echo(summary(generation, len(paths), output), err=True)


def render(questions: Sequence[Question], output_format: str) -> str:
    """Return the questions as JSON or YAML text in the interchange schema."""
    data = [question.to_dict() for question in questions]
    if output_format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def summary(generation: Generation, file_count: int, output: Path | None) -> str:
    """Return the one-line report: questions per family, and where they went."""
    counts = ", ".join(f"{family} {count}" for family, count in generation.counts().items())
    where = f" to {output}" if output is not None else ""
    files = "file" if file_count == 1 else "files"
    return f"Generated {len(generation.questions)} questions from {file_count} {files}{where}" + (
        f" ({counts})." if counts else "."
    )


def write_atomically(path: Path, text: str) -> None:
    """Write text to path through a temporary file in the same folder, then rename it,
    so a reader never sees a half-written file."""
    directory = path.resolve().parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _default_topics_file() -> Path:
    from quiz import resource_dir

    return resource_dir("questions") / TOPICS_FILE


def _read_decisions(path: Path) -> Decisions:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: cannot read the decisions file ({exc})") from None
    decisions, problems = parse_decisions(text, str(path))
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    return decisions


def _read_topics(path: Path) -> Sequence[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        click.echo(f"{path}: cannot read the topics file ({exc})", err=True)
        sys.exit(1)
    topics, problems = parse_topics(text, str(path))
    if problems or not topics:
        for problem in problems:
            click.echo(str(problem), err=True)
        if not problems:
            click.echo(f"{path}: the topics file lists no topics", err=True)
        sys.exit(1)
    return [topic.slug for topic in topics]
