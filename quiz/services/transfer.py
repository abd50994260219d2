"""Import and export the question bank through the web: all or nothing, every problem listed."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath

import yaml
from sqlalchemy import select

from quiz.domain import bank
from quiz.domain.bundle import parse_bank_file
from quiz.domain.formats.anki import export_apkg, faces_from_questions
from quiz.domain.formats.csvformat import dump_csv
from quiz.domain.formats.gift import dump_gift
from quiz.models import Source, Topic
from quiz.services import DbSession
from quiz.services.catalog import all_questions, source_titles
from quiz.services.loading import LoadReport, store_question
from quiz.services.review import domain_source

IMPORT_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".gift")
EXPORTS = {
    "json": ("application/json", "json"),
    "yaml": ("application/yaml", "yaml"),
    "csv": ("text/csv", "csv"),
    "gift": ("text/plain", "gift"),
    "apkg": ("application/octet-stream", "apkg"),
}


class ImportRefused(ValueError):
    """A file refused whole; `problems` says every reason, with its line."""

    def __init__(self, problems: list[bank.Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def import_bank_file(session: DbSession, filename: str, data: bytes) -> LoadReport:
    """Import a YAML, JSON, CSV or GIFT bank file against the stored sources and topics.

    Raises:
        ImportRefused: any problem at all; nothing is written.
    """
    name = PurePath(filename.replace("\\", "/")).name or "upload"
    suffix = PurePath(name).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise ImportRefused([bank.Problem(name, 1, "upload a .yaml, .json, .csv or .gift file")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused([bank.Problem(name, 1, f"not UTF-8 text (byte {exc.start})")]) from None
    if "\x00" in text:
        raise ImportRefused([bank.Problem(name, 1, "binary file, not text")])
    questions, problems = parse_bank_file(PurePath(name), text, name)
    topics = {t.slug: t for t in session.scalars(select(Topic))}
    sources = {row.slug: domain_source(row) for row in session.scalars(select(Source))}
    problems += bank.validate(questions, sources, list(topics))
    if problems or not questions:
        raise ImportRefused(problems or [bank.Problem(name, 1, "file holds no questions")])
    report = LoadReport()
    try:
        for question in questions:
            outcome = store_question(session, question, topics)
            setattr(report, outcome, getattr(report, outcome) + 1)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return report


def export_bank(session: DbSession, fmt: str) -> tuple[bytes, str, str]:
    """Return (content, mimetype, file name) of the whole bank in a format."""
    mimetype, suffix = EXPORTS[fmt]
    questions = all_questions(session)
    if fmt == "apkg":
        buffer = io.BytesIO()
        approved = [q for q in questions if q.status == "approved"]
        export_apkg(
            "quiz",
            faces_from_questions(approved, source_titles(session)),
            buffer,
            exported_at=datetime.now(UTC),
        )
        return buffer.getvalue(), mimetype, f"quiz-bank.{suffix}"
    if fmt == "json":
        text = json.dumps([q.to_dict() for q in questions], indent=2, ensure_ascii=False) + "\n"
    elif fmt == "yaml":
        text = yaml.safe_dump(
            [q.to_dict() for q in questions], sort_keys=False, allow_unicode=True, width=100
        )
    elif fmt == "csv":
        text = dump_csv(questions)
    else:
        text = dump_gift(questions)
    return text.encode("utf-8"), mimetype, f"quiz-bank.{suffix}"


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str


EXPORT_CHOICES = (
    ExportFormat("yaml", "YAML (this app's own schema)"),
    ExportFormat("json", "JSON (the same schema)"),
    ExportFormat("csv", "CSV (one row per question)"),
    ExportFormat("gift", "Moodle GIFT"),
    ExportFormat("apkg", "Anki deck (approved questions)"),
)
