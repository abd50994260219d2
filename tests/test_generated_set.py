"""The committed generated set is what the generator makes from the notes today."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from quiz import resource_dir
from quiz.generate_cli import generate_command

QUESTIONS = resource_dir("questions")
GENERATED = QUESTIONS / "generated" / "notes.yaml"
DECISIONS = QUESTIONS / "review" / "generated.yaml"


def test_generated_set_is_fresh_against_the_notes(tmp_path: Path) -> None:
    output = tmp_path / "notes.yaml"
    notes = sorted(str(p) for p in (QUESTIONS / "sources").glob("*.md"))
    result = CliRunner().invoke(
        generate_command,
        [*notes, "--format", "yaml", "--decisions", str(DECISIONS), "-o", str(output)],
    )
    assert result.exit_code == 0, result.output
    assert "no longer generated" not in result.output, result.output
    assert output.read_text() == GENERATED.read_text(), (
        "questions/generated/notes.yaml is stale: run `make generated` and review the changes"
    )


def test_every_generated_question_has_been_decided(tmp_path: Path) -> None:
    text = GENERATED.read_text()
    assert "status: draft" not in text, (
        "review the new drafts and record them in questions/review/generated.yaml"
    )
