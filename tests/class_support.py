"""Build a class with an assigned quiz and answer it through the services, for the
dashboard tests (web and browser)."""

from __future__ import annotations

import random
from datetime import datetime

from flask import Flask

from quiz.extensions import db
from quiz.models import Attempt, StudyClass, User
from quiz.services import attempts
from quiz.services import classes as classes_service
from quiz.services.accounts import PasswordPolicy, create_user
from quiz.services.classes import AssignmentFields

POLICY = PasswordPolicy("pbkdf2:sha256:1000")
PASSWORD = "a long password"
# A multiple-choice question, a typed naming question (a concept-map cell) and a true/false.
KEYS = [
    "naming-breast-liver-misconception",
    "naming-breast-bones",
    "naming-lung-bones-not-bone-cancer",
]
WRONG_TYPED = "no idea at all"


def make_users(roles: dict[str, str]) -> dict[str, int]:
    """Create users by name and role; return their ids (needs an app context)."""
    return {
        name: create_user(db.session, name, PASSWORD, POLICY, role=role).id
        for name, role in roles.items()
    }


def make_class(owner_id: int, name: str, member_ids: list[int]) -> StudyClass:
    """Create a class owned by `owner_id` with these members (needs an app context)."""
    study_class = classes_service.create_class(db.session, db.session.get(User, owner_id), name)
    for user_id in member_ids:
        classes_service.join_class(db.session, db.session.get(User, user_id), study_class.join_code)
    return study_class


def set_quiz(owner_id: int, class_id: int, title: str, at: datetime, **fields: object) -> int:
    """Set a picked, unshuffled quiz of KEYS for the class; return its id."""
    values: dict[str, object] = {"selection": "picked", "question_keys": KEYS, "shuffle": False}
    assignment = classes_service.create_assignment(
        db.session,
        db.session.get(User, owner_id),
        class_id,
        AssignmentFields(title=title, **{**values, **fields}),  # type: ignore[arg-type]
        at,
    )
    return int(assignment.id)


def answer(
    attempt: Attempt, position: int, right: bool, wrong_typed: str = WRONG_TYPED
) -> tuple[list[str], str | None]:
    """Return the form values that answer an attempt's item right or wrong."""
    item = attempt.items[position - 1]
    version = item.version
    if version.type in ("short", "cloze"):
        return [], version.answers[0] if right else wrong_typed
    shown = [
        str(place)
        for place, index in enumerate(item.choice_order)
        if version.choices[index]["correct"] == right
    ]
    return shown[:1], None


def take(
    app: Flask,
    user_id: int,
    assignment_id: int,
    rights: list[bool],
    at: datetime,
    wrong_typed: str = WRONG_TYPED,
) -> None:
    """Take the assigned quiz as the student, right or wrong question by question."""
    with app.app_context():
        user = db.session.get(User, user_id)
        attempt = classes_service.start_assignment_attempt(
            db.session, user, assignment_id, at, random.Random(user_id)
        )
        for position, right in enumerate(rights, start=1):
            attempt = db.session.get(Attempt, attempt.id)
            picked, typed = answer(attempt, position, right, wrong_typed)
            attempts.submit_answer(db.session, user_id, attempt.id, position, picked, typed, at)
        assert db.session.get(Attempt, attempt.id).finished_at is not None
