"""Read a questions folder (sources, topics and bank files) and check it as a whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from quiz.domain.bank import Problem, Question, Topic, parse_bank, parse_topics, validate
from quiz.domain.sources import Source, SourceError, load_source_file, source_files

TOPICS_FILE = "topics.yaml"
BANK_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Bundle:
    """Everything a questions folder holds; usable only when `problems` is empty."""

    sources: dict[str, Source] = field(default_factory=dict)
    topics: list[Topic] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def display_name(path: Path) -> str:
    """Name a file as the user would type it: relative to the working folder if inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def bank_files(questions_dir: Path) -> list[Path]:
    """Return the bank files of a questions folder, generated ones included."""
    found = [
        p
        for folder in (questions_dir, questions_dir / "generated")
        if folder.is_dir()
        for p in sorted(folder.iterdir())
        if p.suffix.lower() in BANK_SUFFIXES and p.name != TOPICS_FILE
    ]
    return found


def parse_bank_file(path: PurePath, text: str, name: str) -> tuple[list[Question], list[Problem]]:
    """Parse a bank file in the format its suffix names: CSV, GIFT, or YAML/JSON."""
    from quiz.domain.formats.csvformat import parse_csv
    from quiz.domain.formats.gift import parse_gift

    suffix = path.suffix.lower()
    if suffix == ".csv":
        return parse_csv(text, name)
    if suffix in (".gift", ".txt"):
        return parse_gift(text, name)
    return parse_bank(text, name)


def read_bundle(questions_dir: Path, bank_paths: Sequence[Path] | None = None) -> Bundle:
    """Read sources, topics and bank files of a questions folder and validate them.

    Args:
        questions_dir: folder holding sources/, topics.yaml and the bank files.
        bank_paths: bank files to check instead of the folder's own.

    Returns:
        The bundle, with every problem found across all files.
    """
    bundle = Bundle()
    sources_dir = questions_dir / "sources"
    for path in source_files(sources_dir) if sources_dir.is_dir() else []:
        try:
            source = load_source_file(path)
        except SourceError as exc:
            bundle.problems.append(Problem(display_name(path), exc.line, exc.message))
            continue
        except UnicodeDecodeError:
            bundle.problems.append(Problem(display_name(path), 1, "not UTF-8 text"))
            continue
        bundle.sources[source.slug] = source

    topics_path = questions_dir / TOPICS_FILE
    if topics_path.is_file():
        topics, problems = parse_topics(topics_path.read_text("utf-8"), display_name(topics_path))
        bundle.topics, bundle.problems = topics, bundle.problems + problems
    else:
        bundle.problems.append(Problem(display_name(topics_path), 1, "topics file is missing"))

    for path in bank_paths if bank_paths is not None else bank_files(questions_dir):
        name = display_name(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError) as exc:
            reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else "cannot be read"
            bundle.problems.append(Problem(name, 1, reason))
            continue
        questions, problems = parse_bank_file(path, text, name)
        bundle.questions.extend(questions)
        bundle.problems.extend(problems)
    bundle.problems.extend(
        validate(bundle.questions, bundle.sources, [t.slug for t in bundle.topics])
    )
    return bundle
