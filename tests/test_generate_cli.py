"""`quiz generate`: questions to stdout or a file, one `path: reason` line per bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from quiz.domain.bank import parse_bank, validate
from quiz.domain.generate import load_input
from quiz.generate_cli import generate_command

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "generate"
OTHER_CANCERS = FIXTURES / "other-cancers.md"
TOPICS = ["basics", "naming", "spread", "sites", "symptoms", "diagnosis", "treatment", "outlook"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_prints_a_json_array_of_bank_questions_and_a_summary(runner: CliRunner) -> None:
    result = runner.invoke(generate_command, [str(OTHER_CANCERS)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data and all(item["origin"] == "generated" for item in data)
    assert {"id", "type", "prompt", "explanation", "source", "topics"} <= set(data[0])
    assert result.stderr.startswith(f"Generated {len(data)} questions from 1 file (naming ")


def test_the_output_reads_back_as_a_valid_bank(runner: CliRunner) -> None:
    result = runner.invoke(generate_command, [str(OTHER_CANCERS), "--format", "yaml"])
    assert result.exit_code == 0, result.stderr
    assert isinstance(yaml.safe_load(result.stdout), list)
    questions, problems = parse_bank(result.stdout, "generated.yaml")
    assert problems == []
    source = load_input(OTHER_CANCERS, "other-cancers")
    assert validate(questions, {"other-cancers": source}, TOPICS) == []


def test_writes_the_output_file_only_on_success(runner: CliRunner, tmp_path: Path) -> None:
    output = tmp_path / "generated.json"
    result = runner.invoke(generate_command, [str(OTHER_CANCERS), "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(output.read_text())
    assert f"to {output}" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["generated.json"]  # no temporary left


def test_the_same_input_gives_the_same_output(runner: CliRunner) -> None:
    first = runner.invoke(generate_command, [str(OTHER_CANCERS)]).stdout
    second = runner.invoke(generate_command, [str(OTHER_CANCERS)]).stdout
    assert first == second


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Notes on the caf\u00e9 menu.".encode("latin-1"))
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse, so the test stays cheap
    folder = tmp_path / "folder"
    folder.mkdir()
    no_sentences = tmp_path / "list.txt"
    no_sentences.write_text("Liver\nBones\n42\n")
    return {
        "empty": (empty, "file is empty"),
        "binary": (binary, "binary file (it contains NUL bytes), not text"),
        "latin": (latin, "not UTF-8 text (byte 0xe9 at offset 16)"),
        "huge": (huge, "file is too large (50.0 MB; the limit is 10 MB)"),
        "folder": (folder, "is a directory, not a text file"),
        "no sentences": (no_sentences, "no sentences found, so nothing to ask about"),
    }


@pytest.mark.parametrize("case", ["empty", "binary", "latin", "huge", "folder", "no sentences"])
def test_a_bad_input_gives_one_line_naming_file_and_reason(
    runner: CliRunner, tmp_path: Path, case: str
) -> None:
    path, reason = bad_inputs(tmp_path)[case]
    output = tmp_path / "out.json"
    result = runner.invoke(generate_command, [str(path), "-o", str(output)])
    assert result.exit_code == 1
    assert result.stderr == f"{path}: {reason}\n"
    assert result.stdout == ""
    assert not output.exists()


def test_every_bad_file_is_reported_and_an_existing_output_is_left_alone(
    runner: CliRunner, tmp_path: Path
) -> None:
    cases = bad_inputs(tmp_path)
    output = tmp_path / "out.json"
    output.write_text("previous run\n")
    paths = [str(OTHER_CANCERS), *(str(path) for path, _ in cases.values())]
    result = runner.invoke(generate_command, [*paths, "-o", str(output)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{path}: {reason}" for path, reason in cases.values()]
    assert output.read_text() == "previous run\n"


def test_a_missing_topics_file_is_reported(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "topics.yaml"
    result = runner.invoke(generate_command, [str(OTHER_CANCERS), "--topics-file", str(missing)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{missing}: cannot read the topics file")


def test_topics_come_from_the_topics_file(runner: CliRunner, tmp_path: Path) -> None:
    topics = tmp_path / "topics.yaml"
    topics.write_text("- slug: cancer\n  title: Cancer\n")
    result = runner.invoke(generate_command, [str(OTHER_CANCERS), "--topics-file", str(topics)])
    assert result.exit_code == 0, result.stderr
    assert {t for item in json.loads(result.stdout) for t in item["topics"]} == {"cancer"}
