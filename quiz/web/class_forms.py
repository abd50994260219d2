"""Forms of the classes pages: create a class, join one, set a quiz for it."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from quiz.domain import bank
from quiz.services.classes import (
    KEYS_MAX_CHARS,
    MAX_ATTEMPTS,
    MAX_QUESTIONS,
    MAX_TIME_LIMIT,
    NAME_MAX,
    TITLE_MAX,
    AssignmentFields,
)

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
TYPE_LABELS = {
    "mcq": "Multiple choice (one answer)",
    "multi": "Multiple choice (several answers)",
    "truefalse": "True or false",
    "short": "Short typed answer",
    "cloze": "Fill in the blank",
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class ClassForm(FlaskForm):
    name = StringField(
        "Class name",
        validators=[DataRequired("Give the class a name."), Length(max=NAME_MAX)],
        filters=[_strip],
    )


class JoinForm(FlaskForm):
    code = StringField(
        "Join code",
        validators=[DataRequired("Type the code your instructor gave you."), Length(max=32)],
        filters=[_strip],
        description="8 letters and digits, for example K7PX-3MQA (any case).",
    )


class AssignmentForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Give the quiz a title."), Length(max=TITLE_MAX)],
        filters=[_strip],
    )
    selection = RadioField(
        "Questions",
        choices=[
            SelectChoice("draw", "A random draw for each student, from the filters below"),
            SelectChoice("picked", "Exactly the questions listed below"),
        ],
        default="draw",
        validators=[InputRequired("Choose how questions are chosen.")],
    )
    topics = SelectMultipleField(
        "Topics", description="None selected: every topic.", validate_choice=True
    )
    types = SelectMultipleField(
        "Question types",
        choices=[SelectChoice(t, TYPE_LABELS.get(t, t)) for t in bank.QUESTION_TYPES],
        description="None selected: every type.",
    )
    difficulties = SelectMultipleField(
        "Difficulty",
        choices=[SelectChoice(1, "1 (easy)"), SelectChoice(2, "2"), SelectChoice(3, "3 (hard)")],
        coerce=int,
        description="None selected: every difficulty.",
    )
    question_count = IntegerField(
        "Number of questions",
        validators=[
            Optional(),
            NumberRange(1, MAX_QUESTIONS, f"Draw from 1 to {MAX_QUESTIONS} questions."),
        ],
        description="For a random draw. Hand-picked quizzes ask every listed question.",
    )
    question_keys = TextAreaField(
        "Hand-picked question ids",
        validators=[Optional(), Length(max=KEYS_MAX_CHARS)],
        description="One id per line (or separated by spaces or commas), "
        "for example naming-lung-bone. Only approved questions can be picked.",
    )
    shuffle = BooleanField("Shuffle the order of questions and choices", default=True)
    time_limit_minutes = IntegerField(
        "Time limit (minutes)",
        validators=[
            Optional(),
            NumberRange(1, MAX_TIME_LIMIT, f"Set 1 to {MAX_TIME_LIMIT} minutes, or leave empty."),
        ],
        description="Empty: no time limit. Enforced by the server.",
    )
    attempts_allowed = IntegerField(
        "Attempts allowed",
        default=1,
        validators=[
            InputRequired("Say how many attempts each student has."),
            NumberRange(1, MAX_ATTEMPTS, f"Allow from 1 to {MAX_ATTEMPTS} attempts."),
        ],
    )
    feedback = RadioField(
        "Feedback",
        choices=[
            SelectChoice("each", "After each question"),
            SelectChoice("end", "Only after the quiz is finished"),
        ],
        default="each",
        validators=[InputRequired("Choose when students see feedback.")],
    )
    opens_at = DateTimeLocalField(
        "Opens (UTC)",
        format=DATETIME_FORMATS,
        validators=[Optional()],
        description="Empty: open now. Times are in UTC.",
    )
    closes_at = DateTimeLocalField(
        "Closes (UTC)",
        format=DATETIME_FORMATS,
        validators=[Optional()],
        description="Empty: never closes. This is the due date students see. Times are in UTC.",
    )

    def picked_keys(self) -> list[str]:
        return [k for k in re.split(r"[\s,;]+", self.question_keys.data or "") if k]

    def to_fields(self) -> AssignmentFields:
        """Return the form's values for the service to validate and store."""
        return AssignmentFields(
            title=self.title.data or "",
            selection=self.selection.data or "",
            topic_slugs=list(self.topics.data or []),
            types=list(self.types.data or []),
            difficulties=list(self.difficulties.data or []),
            question_keys=self.picked_keys(),
            question_count=self.question_count.data,
            shuffle=bool(self.shuffle.data),
            time_limit_minutes=self.time_limit_minutes.data,
            attempts_allowed=self.attempts_allowed.data,
            feedback=self.feedback.data or "",
            opens_at=self.opens_at.data,
            closes_at=self.closes_at.data,
        )
