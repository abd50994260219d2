"""Load sources, topics and questions into the database in one transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select

from quiz.domain import bank
from quiz.domain.bundle import Bundle
from quiz.domain.sources import Source as DomainSource
from quiz.models import Passage, Question, QuestionVersion, Source, Topic, utcnow
from quiz.services import DbSession, tallies


@dataclass
class LoadReport:
    sources: int = 0
    passages: int = 0
    topics: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.sources} sources ({self.passages} passages), {self.topics} topics; "
            f"questions: {self.added} added, {self.updated} updated, {self.unchanged} unchanged"
        )


def content_hash(question: bank.Question) -> str:
    """Hash what a student sees and is graded on; status and origin are not content."""
    data = question.to_dict()
    for key in ("status", "origin"):
        data.pop(key)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def load_bundle(session: DbSession, bundle: Bundle) -> LoadReport:
    """Store a bundle; re-loading the same bundle changes nothing.

    Raises:
        bank.BankError: the bundle has problems; nothing is written.
    """
    if bundle.problems:
        raise bank.BankError(bundle.problems)
    report = LoadReport()
    try:
        for position, source in enumerate(bundle.sources.values()):
            store_source(session, source, position)
            report.sources += 1
            report.passages += len(source.passages)
        topics = _store_topics(session, bundle.topics)
        report.topics = len(topics)
        for question in bundle.questions:
            outcome = store_question(session, question, topics)
            setattr(report, outcome, getattr(report, outcome) + 1)
        _sign_off_bundled(session, bundle)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return report


def store_source(
    session: DbSession, source: DomainSource, position: int, origin: str = "bundled"
) -> Source:
    """Insert or update a source and, when its text changed, its passages."""
    row = session.scalar(select(Source).where(Source.slug == source.slug))
    if row is None:
        row = Source(slug=source.slug, version="", origin=origin)
        session.add(row)
    row.title, row.summary, row.credits = source.title, source.summary, list(source.credits)
    row.position = position
    if row.version == source.version and row.text:
        return row
    row.version, row.text = source.version, source.text
    row.passages.clear()
    session.flush()  # drop old passages before new ones reuse their keys
    index = 0
    for section in source.sections:
        for passage in section.passages:
            row.passages.append(
                Passage(
                    passage_key=passage.passage_id,
                    section_slug=section.slug,
                    section_title=section.title,
                    section_level=section.level,
                    kind=passage.kind,
                    position=index,
                    text=passage.text,
                )
            )
            index += 1
        if not section.passages:
            # A heading with no text of its own still titles the page's outline.
            row.passages.append(
                Passage(
                    passage_key=f"{section.slug}-heading",
                    section_slug=section.slug,
                    section_title=section.title,
                    section_level=section.level,
                    kind="heading",
                    position=index,
                    text="",
                )
            )
            index += 1
    mark_stale_questions(session, source)
    return row


def mark_stale_questions(session: DbSession, source: DomainSource) -> int:
    """Flag questions whose quoted passage changed or vanished in this text of the source.

    Passage ids are hashes of their text, so an unchanged passage keeps its id and its
    questions stay as they are; returns how many questions became stale.
    """
    passages = {p.passage_id: p.text for p in source.passages}
    rows = session.execute(
        select(Question, QuestionVersion.passage_key, QuestionVersion.quote)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == Question.id)
            & (QuestionVersion.number == Question.current_number),
        )
        .where(QuestionVersion.document == source.slug, Question.stale.is_(False))
    ).all()
    marked = 0
    for question, passage_key, quote in rows:
        text = passages.get(passage_key)
        if text is None or " ".join(quote.split()) not in text:
            question.stale = True
            marked += 1
    return marked


def _store_topics(session: DbSession, topics: list[bank.Topic]) -> dict[str, Topic]:
    rows = {t.slug: t for t in session.scalars(select(Topic))}
    for position, topic in enumerate(topics):
        row = rows.get(topic.slug)
        if row is None:
            row = rows[topic.slug] = Topic(slug=topic.slug)
            session.add(row)
        row.title, row.description, row.position = topic.title, topic.description, position
    return rows


def store_question(session: DbSession, question: bank.Question, topics: dict[str, Topic]) -> str:
    """Insert or update one question; returns "added", "updated" or "unchanged"."""
    digest = content_hash(question)
    row = session.scalar(select(Question).where(Question.key == question.id))
    if row is None:
        row = Question(key=question.id, current_number=0)
        session.add(row)
        outcome = "added"
    else:
        outcome = "unchanged"
    current = row.current if row.current_number else None
    if current is None or current.content_hash != digest:
        number = row.current_number + 1
        session.add(
            QuestionVersion(
                question=row,
                number=number,
                type=question.type,
                prompt=question.prompt,
                explanation=question.explanation,
                choices=[
                    {"text": c.text, "correct": c.correct, "feedback": c.feedback}
                    for c in question.choices
                ],
                answers=list(question.answers),
                topic_slugs=list(question.topics),
                document=question.source.document,
                passage_key=question.source.passage,
                quote=question.source.quote,
                difficulty=question.difficulty,
                content_hash=digest,
            )
        )
        row.current_number = number
        outcome = "added" if outcome == "added" else "updated"
    if row.status != question.status or row.origin != question.origin:
        row.status, row.origin = question.status, question.origin
        outcome = "updated" if outcome == "unchanged" else outcome
    wanted = [topics[slug] for slug in question.topics]
    if [t.slug for t in row.topics] != [t.slug for t in wanted]:
        moved = {t.slug for t in row.topics} ^ {t.slug for t in wanted}
        row.topics = wanted
        if row.id is not None:
            tallies.recount_question_topics(session, row.id, moved)
    return outcome


def _sign_off_bundled(session: DbSession, bundle: Bundle) -> None:
    """Settle the bundled questions against the text just loaded.

    The bundle was validated against these notes, so none of its questions is stale;
    an approval the app has not dated yet is dated now, against this source version
    (the bank file approved it; no one person signed it off in the app).
    """
    versions = {slug: source.version for slug, source in bundle.sources.items()}
    documents = {q.id: q.source.document for q in bundle.questions}
    for row in session.scalars(select(Question).where(Question.key.in_(documents))):
        row.stale = False
        if row.status == "approved" and row.approved_at is None:
            row.approved_at = utcnow()
            row.approved_source_version = versions.get(documents[row.key])
