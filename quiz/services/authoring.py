"""The instructors' question bank: list, save, delete or retire, and pick passages."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quiz.domain import bank
from quiz.domain.generate.sentences import sentence_texts
from quiz.models import (
    Assignment,
    AttemptItem,
    Card,
    Passage,
    Question,
    QuestionVersion,
    Response,
    Source,
    Topic,
    User,
    question_topics,
    utcnow,
)
from quiz.services import DbSession
from quiz.services.loading import content_hash, store_question
from quiz.services.review import domain_source

PER_PAGE = 25
MAX_SEARCH = 200
MAX_PAGE = 100_000
SORTS = ("key", "updated", "type", "status")


class AuthoringError(LookupError):
    """A question or source that is not there; the message says which."""


@dataclass(frozen=True)
class BankFilters:
    """What the bank list is narrowed to and ordered by; empty strings mean "any"."""

    search: str = ""
    topic: str = ""
    question_type: str = ""
    status: str = ""
    origin: str = ""
    source: str = ""
    sort: str = "key"
    descending: bool = False
    page: int = 1


@dataclass(frozen=True)
class BankRow:
    key: str
    question_type: str
    prompt: str
    topics: tuple[str, ...]
    status: str
    stale: bool
    origin: str
    document: str
    responses: int
    updated_at: datetime


@dataclass(frozen=True)
class BankPage:
    rows: list[BankRow]
    total: int
    page: int
    pages: int
    per_page: int = PER_PAGE

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class PassageOption:
    """A passage an author can quote: its whole text, or one of its sentences."""

    document: str
    passage_key: str
    section_title: str
    text: str
    sentences: tuple[str, ...] = field(default=())

    def quotes(self, extra: str = "") -> list[str]:
        """Return the quotes that may be taken from it: whole text first, then sentences."""
        options = [self.text, *[s for s in self.sentences if s != self.text]]
        extra = " ".join(extra.split())
        if extra and extra not in options and extra in self.text:
            options.append(extra)  # a narrower quote saved before, kept as it was
        return options


@dataclass(frozen=True)
class PassageGroup:
    section_title: str
    passages: list[PassageOption]


@dataclass(frozen=True)
class QuestionRecord:
    """A question's current version with what the edit page shows about it."""

    question: bank.Question
    status: str
    stale: bool
    number: int
    versions: int
    responses: int
    approved_by: str | None
    approved_at: datetime | None
    approved_source_version: str | None


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so a search for "50%" finds the text "50%"."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _current_join() -> ColumnElement[bool]:
    return and_(
        QuestionVersion.question_id == Question.id,
        QuestionVersion.number == Question.current_number,
    )


def list_questions(session: DbSession, filters: BankFilters) -> BankPage:
    """Return one page of the bank, searched, filtered and sorted as asked."""
    conditions: list[ColumnElement[bool]] = []
    search = filters.search.strip()[:MAX_SEARCH]
    if search:
        pattern = f"%{escape_like(search.lower())}%"
        conditions.append(func.lower(QuestionVersion.prompt).like(pattern, escape="\\"))
    if filters.topic:
        conditions.append(
            exists()
            .where(question_topics.c.question_id == Question.id)
            .where(question_topics.c.topic_id == Topic.id)
            .where(Topic.slug == filters.topic)
        )
    if filters.question_type:
        conditions.append(QuestionVersion.type == filters.question_type)
    if filters.status:
        conditions.append(Question.status == filters.status)
    if filters.origin:
        conditions.append(Question.origin == filters.origin)
    if filters.source:
        conditions.append(QuestionVersion.document == filters.source)

    total = (
        session.scalar(
            select(func.count(Question.id))
            .join(QuestionVersion, _current_join())
            .where(*conditions)
        )
        or 0
    )
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, filters.page), pages)

    columns: dict[str, Any] = {
        "key": Question.key,
        "updated": Question.updated_at,
        "type": QuestionVersion.type,
        "status": Question.status,
    }
    column = columns.get(filters.sort, Question.key)
    order = [column.desc() if filters.descending else column.asc()]
    if column is not Question.key:
        order.append(Question.key.asc())
    answered = (
        select(Response.question_id, func.count(Response.id).label("n"))
        .group_by(Response.question_id)
        .subquery()
    )
    result = session.execute(
        select(Question, QuestionVersion, func.coalesce(answered.c.n, 0))
        .join(QuestionVersion, _current_join())
        .outerjoin(answered, answered.c.question_id == Question.id)
        .options(selectinload(Question.topics))
        .where(*conditions)
        .order_by(*order)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    rows = [
        BankRow(
            key=question.key,
            question_type=version.type,
            prompt=version.prompt,
            topics=tuple(t.slug for t in question.topics),
            status=question.status,
            stale=question.stale,
            origin=question.origin,
            document=version.document,
            responses=int(count),
            updated_at=question.updated_at,
        )
        for question, version, count in result
    ]
    return BankPage(rows=rows, total=total, page=page, pages=pages)


def get_question(session: DbSession, question_key: str) -> QuestionRecord | None:
    """Return a question's current version and its review record, or None."""
    row = session.scalar(
        select(Question)
        .options(selectinload(Question.current).selectinload(QuestionVersion.question))
        .where(Question.key == question_key)
    )
    if row is None:
        return None
    approver = session.get(User, row.approved_by_id) if row.approved_by_id is not None else None
    versions = session.scalar(
        select(func.count(QuestionVersion.id)).where(QuestionVersion.question_id == row.id)
    )
    responses = session.scalar(
        select(func.count(Response.id)).where(Response.question_id == row.id)
    )
    return QuestionRecord(
        question=row.current.to_domain(),
        status=row.status,
        stale=row.stale,
        number=row.current_number,
        versions=versions or 0,
        responses=responses or 0,
        approved_by=approver.username if approver is not None else None,
        approved_at=row.approved_at,
        approved_source_version=row.approved_source_version,
    )


def check_question(
    session: DbSession, question: bank.Question, *, is_new: bool
) -> list[bank.Problem]:
    """Return every problem of a question: a taken id, the bank's rules, its source."""
    taken = session.scalar(select(Question.id).where(Question.key == question.id))
    problems = []
    if is_new and taken is not None:
        problems.append(
            bank.Problem(
                question.file,
                question.line_of("id"),
                f"a question with the id '{question.id}' exists already",
            )
        )
    source = session.scalar(select(Source).where(Source.slug == question.source.document))
    topics = list(session.scalars(select(Topic.slug)))
    sources = {source.slug: domain_source(source)} if source is not None else {}
    return problems + bank.validate([question], sources, topics)


def save_question(
    session: DbSession, question: bank.Question, user_id: int, *, is_new: bool
) -> list[bank.Problem]:
    """Check a question against every bank rule and its source, and save it if sound.

    A change of content becomes a new version; earlier versions stay, so the results
    of students who answered them stay true. Saving it as approved signs it off: who,
    when, and against which version of its source's text.

    Returns:
        The problems found, each on the question's line for its field; nothing is
        saved unless the list is empty.

    Raises:
        AuthoringError: an edit of a question that does not exist.
    """
    row = session.scalar(select(Question).where(Question.key == question.id))
    if not is_new and row is None:
        raise AuthoringError(f"no question '{question.id}'")
    if row is not None and not is_new:
        question = replace(question, origin=row.origin)
    problems = check_question(session, question, is_new=is_new)
    if problems:
        return problems
    source = session.scalar(select(Source).where(Source.slug == question.source.document))
    assert source is not None  # check_question reports an unknown source
    was_signed_off = (
        row is not None
        and row.status == "approved"
        and not row.stale
        and row.approved_source_version == source.version
        and row.current.content_hash == content_hash(question)
    )
    topics = {t.slug: t for t in session.scalars(select(Topic))}
    try:
        store_question(session, question, topics)
        row = session.scalar(select(Question).where(Question.key == question.id))
        assert row is not None
        if question.status == "approved" and not was_signed_off:
            row.approved_by_id, row.approved_at = user_id, utcnow()
            row.approved_source_version, row.stale = source.version, False
        elif question.status == "draft":
            row.approved_by_id = row.approved_at = row.approved_source_version = None
        session.commit()
    except IntegrityError:
        # Someone saved the same id or version in the same moment; theirs stands.
        session.rollback()
        return [
            bank.Problem(
                question.file,
                question.line_of("id"),
                f"'{question.id}' was saved by someone else just now; check it and save again",
            )
        ]
    return []


def _in_use(session: DbSession, row: Question) -> bool:
    """Tell whether students met the question: answers, quiz items, cards, assignments."""
    versions = select(QuestionVersion.id).where(QuestionVersion.question_id == row.id)
    checks = (
        select(Response.id).where(Response.question_id == row.id),
        select(AttemptItem.id).where(AttemptItem.question_version_id.in_(versions)),
        select(Card.id).where(Card.question_id == row.id),
    )
    if any(session.scalar(check.limit(1)) is not None for check in checks):
        return True
    picked = session.scalars(
        select(Assignment.question_keys).where(Assignment.selection == "picked")
    )
    return any(row.key in (keys or ()) for keys in picked)


def delete_or_refuse(session: DbSession, question_key: str) -> bool:
    """Delete a question no student has met; refuse (False) when one has.

    A question that was asked, answered, reviewed as a card or set in an assignment
    must be retired instead, so those records keep the exact version they used.

    Raises:
        AuthoringError: no such question.
    """
    row = session.scalar(select(Question).where(Question.key == question_key))
    if row is None:
        raise AuthoringError(f"no question '{question_key}'")
    if _in_use(session, row):
        return False
    session.execute(delete(QuestionVersion).where(QuestionVersion.question_id == row.id))
    session.delete(row)
    session.commit()
    return True


def retire(session: DbSession, question_key: str) -> None:
    """Retire a question: it is never asked again, and its versions stay for old results.

    Raises:
        AuthoringError: no such question.
    """
    row = session.scalar(select(Question).where(Question.key == question_key))
    if row is None:
        raise AuthoringError(f"no question '{question_key}'")
    row.status = "retired"
    session.commit()


def _option(slug: str, passage: Passage) -> PassageOption:
    sentences = tuple(sentence_texts(passage.text))
    return PassageOption(
        document=slug,
        passage_key=passage.passage_key,
        section_title=passage.section_title,
        text=passage.text,
        sentences=sentences if len(sentences) > 1 else (),
    )


def passages_of(session: DbSession, source_slug: str, search: str = "") -> list[PassageGroup]:
    """Return a source's passages grouped by section, those containing `search` only.

    Raises:
        AuthoringError: no such source.
    """
    source_id = session.scalar(select(Source.id).where(Source.slug == source_slug))
    if source_id is None:
        raise AuthoringError(f"no source '{source_slug}'")
    query = (
        select(Passage)
        .where(Passage.source_id == source_id, Passage.kind != "heading", Passage.text != "")
        .order_by(Passage.position)
    )
    search = search.strip()[:MAX_SEARCH]
    if search:
        pattern = f"%{escape_like(search.lower())}%"
        query = query.where(func.lower(Passage.text).like(pattern, escape="\\"))
    passages = session.scalars(query)
    return [
        PassageGroup(title, [_option(source_slug, p) for p in group])
        for (_slug, title), group in groupby(
            passages, key=lambda p: (p.section_slug, p.section_title)
        )
    ]


def find_passage(session: DbSession, source_slug: str, passage_key: str) -> PassageOption | None:
    """Return one passage of a source, or None when either is not there."""
    passage = session.scalar(
        select(Passage)
        .join(Passage.source)
        .where(Source.slug == source_slug, Passage.passage_key == passage_key)
    )
    return _option(source_slug, passage) if passage is not None else None


def source_choices(session: DbSession) -> list[tuple[str, str]]:
    """Return (slug, title) of every source, in their reading order."""
    rows = session.execute(select(Source.slug, Source.title).order_by(Source.position, Source.slug))
    return [(slug, title) for slug, title in rows]


def topic_choices(session: DbSession) -> list[tuple[str, str]]:
    """Return (slug, title) of every topic, in their order."""
    rows = session.execute(select(Topic.slug, Topic.title).order_by(Topic.position))
    return [(slug, title) for slug, title in rows]
