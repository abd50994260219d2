"""The instructors' review queue: generate drafts from a source, edit, approve, reject."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from quiz.domain import bank
from quiz.domain.generate import generate
from quiz.domain.generate.plaintext import parse_plain_text
from quiz.domain.generate.reader import (
    GenerateInputError,
    decode_input,
    is_markdown,
    parse_input,
)
from quiz.domain.sources import Source as DomainSource
from quiz.domain.sources import parse_source, slugify
from quiz.models import (
    Passage,
    Question,
    QuestionVersion,
    RejectedCandidate,
    Response,
    Source,
    Topic,
    utcnow,
)
from quiz.services import DbSession
from quiz.services.loading import store_question, store_source

UPLOAD_SUFFIXES = (".md", ".markdown", ".txt")


class ReviewError(ValueError):
    """A review action that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class GenerationReport:
    source_title: str
    new: int
    already_in_bank: int
    rejected_before: int


@dataclass(frozen=True)
class Draft:
    """A draft beside its passage, split so the quoted words can be highlighted."""

    question: bank.Question
    source_title: str
    before: str
    quote: str
    after: str


def domain_source(row: Source) -> DomainSource:
    """Parse a stored source again from its text: passage ids come out the same."""
    if row.format == "text":
        return parse_plain_text(row.text, row.slug)
    return parse_source(row.text, row.slug, default_title=row.title)


def upload_source(session: DbSession, filename: str, data: bytes) -> Source:
    """Store an uploaded .md or .txt text as a new source with browsable passages.

    Raises:
        ReviewError: wrong kind of file, unreadable text, or a name already taken.
    """
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem, dot, suffix = name.rpartition(".")
    if not dot or f".{suffix.lower()}" not in UPLOAD_SUFFIXES:
        raise ReviewError(f"{name}: upload a .md or .txt file")
    try:
        text = decode_input(name, data)
        source = parse_input(name, text, slugify(stem) or "uploaded")
    except GenerateInputError as exc:
        raise ReviewError(str(exc)) from None
    if session.scalar(select(Source.id).where(Source.slug == source.slug)) is not None:
        raise ReviewError(f"{name}: a source named '{source.slug}' exists already; rename the file")
    position = (session.scalar(select(func.max(Source.position))) or 0) + 1
    row = store_source(session, source, position, origin="uploaded")
    row.format = "markdown" if is_markdown(name, text) else "text"
    row.text = text  # as uploaded: parsing it again must give the same passage ids
    session.commit()
    return row


def generate_drafts(session: DbSession, source_slug: str) -> GenerationReport:
    """Run the generator on a stored source and queue its new candidates as drafts.

    Candidates already in the bank (any status) or rejected before are left out, so
    a re-run brings back nothing an instructor has already decided on.
    """
    row = session.scalar(select(Source).where(Source.slug == source_slug))
    if row is None:
        raise ReviewError("That source does not exist.")
    topics = {t.slug: t for t in session.scalars(select(Topic))}
    candidates = generate([domain_source(row)], list(topics))
    keys = [c.id for c in candidates]
    existing = set(session.scalars(select(Question.key).where(Question.key.in_(keys))))
    rejected = set(
        session.scalars(
            select(RejectedCandidate.question_key).where(RejectedCandidate.question_key.in_(keys))
        )
    )
    new = 0
    for candidate in candidates:
        if candidate.id in existing or candidate.id in rejected:
            continue
        store_question(session, replace(candidate, status="draft", origin="generated"), topics)
        new += 1
    session.commit()
    return GenerationReport(row.title, new, len(existing), len(rejected))


def list_drafts(session: DbSession, source_slug: str | None = None) -> list[Draft]:
    """Return generated drafts awaiting review, with their passages, in a stable order."""
    query = (
        select(Question)
        .options(selectinload(Question.current).selectinload(QuestionVersion.question))
        .where(Question.status == "draft")
        .order_by(Question.key)
    )
    rows = list(session.scalars(query))
    versions = [row.current for row in rows]
    if source_slug:
        versions = [v for v in versions if v.document == source_slug]
    passages = _passages_for(session, versions)
    titles = dict(session.execute(select(Source.slug, Source.title)).all())
    drafts = []
    for version in versions:
        question = version.to_domain()
        text = passages.get((version.document, version.passage_key), "")
        before, quote, after = _split_around(text, version.quote)
        drafts.append(
            Draft(question, titles.get(version.document, version.document), before, quote, after)
        )
    return drafts


def _passages_for(
    session: DbSession, versions: Sequence[QuestionVersion]
) -> dict[tuple[str, str], str]:
    keys = {v.passage_key for v in versions}
    if not keys:
        return {}
    rows = session.execute(
        select(Source.slug, Passage.passage_key, Passage.text)
        .join(Passage.source)
        .where(Passage.passage_key.in_(keys))
    )
    return {(slug, key): text for slug, key, text in rows}


def _split_around(text: str, quote: str) -> tuple[str, str, str]:
    start = text.find(quote)
    if start < 0:
        return text, "", ""
    return text[:start], quote, text[start + len(quote) :]


def approve(session: DbSession, question_keys: Sequence[str], user_id: int) -> int:
    """Approve drafts: they join the bank and can be asked from now on."""
    rows = _drafts_by_key(session, question_keys)
    now = utcnow()
    versions = dict(session.execute(select(Source.slug, Source.version)).all())
    for row in rows:
        row.status, row.approved_by_id, row.approved_at = "approved", user_id, now
        row.approved_source_version = versions.get(row.current.document)
        row.stale = False
    session.commit()
    return len(rows)


def reject(session: DbSession, question_keys: Sequence[str], user_id: int) -> int:
    """Reject drafts: they leave the queue and the generator never offers them again."""
    rows = _drafts_by_key(session, question_keys)
    for row in rows:
        session.add(
            RejectedCandidate(
                question_key=row.key,
                document=row.current.document,
                prompt=row.current.prompt,
                rejected_by_id=user_id,
            )
        )
    answered = set(
        session.scalars(
            select(Response.question_id).where(Response.question_id.in_([r.id for r in rows]))
        )
    )
    for row in rows:
        if row.id in answered:  # pragma: no cover - drafts are never asked
            row.status = "retired"
        else:
            session.execute(delete(QuestionVersion).where(QuestionVersion.question_id == row.id))
            session.delete(row)
    session.commit()
    return len(rows)


def _drafts_by_key(session: DbSession, question_keys: Sequence[str]) -> list[Question]:
    keys = list(dict.fromkeys(question_keys))[:500]
    rows = list(
        session.scalars(
            select(Question)
            .options(selectinload(Question.current))
            .where(Question.key.in_(keys), Question.status == "draft")
        )
    )
    if len(rows) != len(keys):
        raise ReviewError("Some of those questions are no longer waiting for review.")
    return rows


def get_draft(session: DbSession, question_key: str) -> bank.Question | None:
    row = session.scalar(
        select(Question)
        .options(selectinload(Question.current).selectinload(QuestionVersion.question))
        .where(Question.key == question_key, Question.status == "draft")
    )
    return row.current.to_domain() if row is not None else None


def update_draft(session: DbSession, edited: bank.Question) -> list[bank.Problem]:
    """Save an edited draft as its new version, if it passes every bank check.

    Returns:
        The problems found; nothing is saved unless the list is empty.
    """
    row = session.scalar(select(Source).where(Source.slug == edited.source.document))
    topics = {t.slug: t for t in session.scalars(select(Topic))}
    sources = {row.slug: domain_source(row)} if row is not None else {}
    problems = bank.validate([edited], sources, list(topics))
    if not problems:
        store_question(session, replace(edited, status="draft", origin="generated"), topics)
        session.commit()
    return problems


@dataclass(frozen=True)
class ReplaceReport:
    title: str
    passages_kept: int
    passages_new: int
    passages_gone: int
    questions_stale: int


def replace_source(session: DbSession, slug: str, filename: str, data: bytes) -> ReplaceReport:
    """Replace a source's text with a new version.

    Passages whose text is unchanged keep their ids (and their questions); questions
    whose quoted passage changed or vanished become stale until re-approved.

    Raises:
        ReviewError: no such source, or the new text is unusable.
    """
    row = session.scalar(select(Source).where(Source.slug == slug))
    if row is None:
        raise ReviewError("That source does not exist.")
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "upload.txt"
    if f".{name.rpartition('.')[2].lower()}" not in UPLOAD_SUFFIXES:
        raise ReviewError(f"{name}: upload a .md or .txt file")
    try:
        text = decode_input(name, data)
        source = parse_input(name, text, slug)
    except GenerateInputError as exc:
        raise ReviewError(str(exc)) from None
    before = {p.passage_key for p in row.passages if p.kind != "heading"}
    stale_before = _stale_count(session, slug)
    row = store_source(session, source, row.position, origin=row.origin)
    row.format = "markdown" if is_markdown(name, text) else "text"
    row.text = text
    after = {p.passage_id for p in source.passages}
    session.flush()
    report = ReplaceReport(
        row.title,
        len(before & after),
        len(after - before),
        len(before - after),
        _stale_count(session, slug) - stale_before,
    )
    session.commit()
    return report


def _stale_count(session: DbSession, slug: str) -> int:
    return (
        session.scalar(
            select(func.count(Question.id))
            .join(QuestionVersion, QuestionVersion.question_id == Question.id)
            .where(
                QuestionVersion.number == Question.current_number,
                QuestionVersion.document == slug,
                Question.stale.is_(True),
            )
        )
        or 0
    )


@dataclass(frozen=True)
class SourceSummary:
    slug: str
    title: str
    origin: str
    passages: int
    questions: int
    stale: tuple[tuple[str, str], ...]  # (question key, prompt)


def source_summaries(session: DbSession) -> list[SourceSummary]:
    """Every source with its passage and question counts and its stale questions."""
    summaries = []
    for row in session.scalars(select(Source).order_by(Source.position)):
        versions = session.execute(
            select(Question.key, Question.stale, QuestionVersion.prompt)
            .join(QuestionVersion, QuestionVersion.question_id == Question.id)
            .where(
                QuestionVersion.number == Question.current_number,
                QuestionVersion.document == row.slug,
            )
            .order_by(Question.key)
        ).all()
        summaries.append(
            SourceSummary(
                row.slug,
                row.title,
                row.origin,
                sum(1 for p in row.passages if p.kind != "heading"),
                len(versions),
                tuple((key, prompt) for key, stale, prompt in versions if stale),
            )
        )
    return summaries
