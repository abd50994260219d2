"""Database rows. Services turn them into the domain's dataclasses."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from quiz.domain import bank
from quiz.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="student")
    # Flask-Login's "alternative token": the cookie names this, not the row id, so
    # rotating it on logout makes every copy of an old session cookie worthless.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Flashcard settings: FSRS's target recall (0.80-0.97) and new cards a day.
    desired_retention: Mapped[float] = mapped_column(default=0.9, server_default="0.9")
    new_cards_per_day: Mapped[int] = mapped_column(default=20, server_default="20")
    # SHA-256 of the personal API token (shown once, never stored in the clear).
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    attempts: WriteOnlyMapped[Attempt] = relationship(back_populates="user")

    def get_id(self) -> str:
        return self.session_token


class LoginFailure(db.Model):  # type: ignore[name-defined,misc]
    """A failed login, kept briefly to slow down password guessing."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "failed_at"),
        Index("ix_login_failures_address_at", "address", "failed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Source(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    credits: Mapped[list[str]] = mapped_column(JSON, default=list)
    version: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    # "bundled" notes come from questions/sources; "uploaded" ones from an instructor.
    origin: Mapped[str] = mapped_column(String(20), default="bundled", server_default="bundled")
    # The text as given, and how to read it, so the generator can read it again exactly.
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    format: Mapped[str] = mapped_column(String(20), default="markdown", server_default="markdown")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    passages: Mapped[list[Passage]] = relationship(
        back_populates="source", order_by="Passage.position", cascade="all, delete-orphan"
    )


class Passage(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "passages"
    __table_args__ = (UniqueConstraint("source_id", "passage_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    passage_key: Mapped[str] = mapped_column(String(120))
    section_slug: Mapped[str] = mapped_column(String(100))
    section_title: Mapped[str] = mapped_column(String(200))
    section_level: Mapped[int] = mapped_column(default=2)
    kind: Mapped[str] = mapped_column(String(20), default="paragraph")
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    source: Mapped[Source] = relationship(back_populates="passages")


class Topic(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)


question_topics = Table(
    "question_topics",
    db.metadata,
    Column("question_id", ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


class Question(db.Model):  # type: ignore[name-defined,misc]
    """A question's identity; its wording lives in versions, so that editing it never
    changes what a student was asked."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    origin: Mapped[str] = mapped_column(String(20), default="authored")
    current_number: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    # The version of the source text the approval was made against.
    approved_source_version: Mapped[str | None] = mapped_column(String(40))
    # Its quoted passage changed or vanished in a new version of the source: it leaves
    # quizzes and decks until an instructor approves it again against the new text.
    stale: Mapped[bool] = mapped_column(default=False, server_default="0")

    topics: Mapped[list[Topic]] = relationship(secondary=question_topics, order_by=Topic.position)
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question", order_by="QuestionVersion.number"
    )
    current: Mapped[QuestionVersion] = relationship(
        primaryjoin=lambda: and_(
            QuestionVersion.question_id == Question.id,
            QuestionVersion.number == Question.current_number,
        ),
        viewonly=True,
        uselist=False,
    )


class QuestionVersion(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    number: Mapped[int]
    type: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    answers: Mapped[list[str]] = mapped_column(JSON, default=list)
    topic_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    document: Mapped[str] = mapped_column(String(80))
    passage_key: Mapped[str] = mapped_column(String(120))
    quote: Mapped[str] = mapped_column(Text)
    difficulty: Mapped[int] = mapped_column(default=2)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    question: Mapped[Question] = relationship(back_populates="versions")

    def to_domain(self) -> bank.Question:
        """Return this version as the bank's Question, as the student was asked it."""
        return bank.Question(
            id=self.question.key,
            type=self.type,
            prompt=self.prompt,
            explanation=self.explanation,
            source=bank.SourceRef(self.document, self.passage_key, self.quote),
            topics=tuple(self.topic_slugs),
            choices=tuple(
                bank.Choice(c["text"], bool(c["correct"]), c.get("feedback", ""))
                for c in self.choices
            ),
            answers=tuple(self.answers),
            difficulty=self.difficulty,
            origin=self.question.origin,
            status=self.question.status,
        )


class RejectedCandidate(db.Model):  # type: ignore[name-defined,misc]
    """A generated question an instructor turned down; the generator never offers it again."""

    __tablename__ = "rejected_candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_key: Mapped[str] = mapped_column(String(80), unique=True)
    document: Mapped[str] = mapped_column(String(80), index=True)
    prompt: Mapped[str] = mapped_column(Text)
    rejected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rejected_at: Mapped[datetime] = mapped_column(default=utcnow)


class StudyClass(db.Model):  # type: ignore[name-defined,misc]
    """An instructor's class; students join it with its code."""

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship()
    members: Mapped[list[ClassMember]] = relationship(
        back_populates="study_class", cascade="all, delete-orphan"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="study_class", cascade="all, delete-orphan", order_by="Assignment.opens_at"
    )


class ClassMember(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "class_members"
    __table_args__ = (UniqueConstraint("class_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    study_class: Mapped[StudyClass] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class Assignment(db.Model):  # type: ignore[name-defined,misc]
    """A quiz set for a class: which questions, how many, when and how it is taken."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # "draw": a random draw per student from the filters; "picked": exactly these questions.
    selection: Mapped[str] = mapped_column(String(20), default="draw")
    topic_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    types: Mapped[list[str]] = mapped_column(JSON, default=list)
    difficulties: Mapped[list[int]] = mapped_column(JSON, default=list)
    question_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    question_count: Mapped[int] = mapped_column(default=10)
    shuffle: Mapped[bool] = mapped_column(default=True)
    time_limit_minutes: Mapped[int | None]
    attempts_allowed: Mapped[int] = mapped_column(default=1)
    # "each": feedback after every answer; "end": only once the quiz is finished.
    feedback: Mapped[str] = mapped_column(String(20), default="each")
    opens_at: Mapped[datetime] = mapped_column(default=utcnow)
    closes_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    study_class: Mapped[StudyClass] = relationship(back_populates="assignments")


class Attempt(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "attempts"
    __table_args__ = (
        Index("ix_attempts_user_started", "user_id", "started_at"),
        UniqueConstraint("assignment_id", "user_id", "attempt_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    topic_slug: Mapped[str | None] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    score: Mapped[float | None]  # points earned
    max_score: Mapped[int] = mapped_column(default=0)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL"), index=True
    )
    attempt_number: Mapped[int | None]  # 1, 2, ... per student for an assignment
    # Answers after this moment are refused (server clock; None: no time limit).
    deadline: Mapped[datetime | None]
    feedback: Mapped[str] = mapped_column(String(20), default="each", server_default="each")

    user: Mapped[User] = relationship(back_populates="attempts")
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )

    @property
    def percent(self) -> int | None:
        if self.score is None or not self.max_score:
            return None
        return round(100 * self.score / self.max_score)


class AttemptItem(db.Model):  # type: ignore[name-defined,misc]
    """One question of an attempt, with the order its choices were shown in."""

    __tablename__ = "attempt_items"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    choice_order: Mapped[list[int]] = mapped_column(JSON, default=list)

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    version: Mapped[QuestionVersion] = relationship()
    response: Mapped[Response | None] = relationship(back_populates="item", uselist=False)


class Response(db.Model):  # type: ignore[name-defined,misc]
    """A student's answer. One per attempt item: the unique key makes a double submit
    count once, whichever request wins."""

    __tablename__ = "responses"
    __table_args__ = (
        Index("ix_responses_question_correct", "question_id", "correct"),
        Index("ix_responses_user_answered", "user_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_item_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_items.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    answer: Mapped[Any] = mapped_column(JSON)
    correct: Mapped[bool]
    score: Mapped[float]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[AttemptItem] = relationship(back_populates="response")


class _RecencyCounts:
    """The stored form of `analytics.RecencyTally`: answers so far, with recency-weighted
    sums as of the latest answer."""

    answers: Mapped[int] = mapped_column(default=0)
    correct: Mapped[int] = mapped_column(default=0)
    weight: Mapped[float] = mapped_column(default=0.0)
    weighted_correct: Mapped[float] = mapped_column(default=0.0)
    # Days since 1970-01-01 UTC: a number decays without parsing a date per row.
    last_answered_day: Mapped[float]
    last_correct: Mapped[bool]


class TopicProgress(_RecencyCounts, db.Model):  # type: ignore[name-defined,misc]
    """One student's answers on one topic, kept up to date with each answer so a class
    dashboard reads a row per student and topic instead of every answer they gave."""

    __tablename__ = "topic_progress"
    # Clustered on (user_id, topic_id) in SQLite: a class's rows are read together.
    __table_args__ = ({"sqlite_with_rowid": False},)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
    )


class QuestionProgress(_RecencyCounts, db.Model):  # type: ignore[name-defined,misc]
    """One student's answers to one question: missed questions and the concept map."""

    __tablename__ = "question_progress"
    __table_args__ = ({"sqlite_with_rowid": False},)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )


class PlainCard(db.Model):  # type: ignore[name-defined,misc]
    """A flashcard an instructor wrote directly, front and back, for one topic."""

    __tablename__ = "plain_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    front: Mapped[str] = mapped_column(Text)
    back: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    topic: Mapped[Topic] = relationship()


class Card(db.Model):  # type: ignore[name-defined,misc]
    """One student's memory of one question (or plain card), as FSRS tracks it."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        UniqueConstraint("user_id", "plain_card_id"),
        # The next-due look-up: a student's unsuspended cards by due time.
        Index("ix_cards_user_suspended_due", "user_id", "suspended", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    plain_card_id: Mapped[int | None] = mapped_column(
        ForeignKey("plain_cards.id", ondelete="CASCADE")
    )
    stage: Mapped[str] = mapped_column(String(20))
    step: Mapped[int | None]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime]
    last_review: Mapped[datetime | None]
    reps: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    suspended: Mapped[bool] = mapped_column(default=False)
    leech: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    question: Mapped[Question | None] = relationship()
    plain_card: Mapped[PlainCard | None] = relationship()


class ReviewLog(db.Model):  # type: ignore[name-defined,misc]
    """A rating given to a card, with the state before it so undo restores it exactly."""

    __tablename__ = "review_logs"
    __table_args__ = (
        Index("ix_review_logs_card_reviewed", "card_id", "reviewed_at"),
        Index("ix_review_logs_user_reviewed", "user_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    rating: Mapped[int]
    # "review" from a card session, "quiz" from a quiz answer.
    origin: Mapped[str] = mapped_column(String(20), default="review")
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    previous_state: Mapped[dict[str, Any]] = mapped_column(JSON)
    # A one-time token from the page, so a replayed rating request is applied once.
    request_token: Mapped[str | None] = mapped_column(String(64), unique=True)
