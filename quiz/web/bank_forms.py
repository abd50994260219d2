"""Forms of the question bank pages: the list's filters and the question editor."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from quiz.domain import bank
from quiz.domain.answers import normalise_answer
from quiz.services.authoring import SORTS, PassageOption

CHOICE_ROWS = 6  # blank rows offered for mcq and multi
TRUE_FALSE = ("True", "False")
TYPE_LABELS = {
    "mcq": "Multiple choice (one answer)",
    "multi": "Multiple response (one or more answers)",
    "truefalse": "True or false",
    "short": "Short answer (typed)",
    "cloze": "Fill in the blank (typed)",
}


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Return (value, label) pairs as a select's choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value: Any) -> Any:
    """Trim surrounding spaces, so that a blank field counts as missing."""
    return value.strip() if isinstance(value, str) else value


class BankFilterForm(FlaskForm):
    """The list's search, filters and order, read from the query string."""

    class Meta:
        csrf = False

    q = StringField("Prompt contains", validators=[Optional(), Length(max=200)])
    topic = SelectField("Topic", validate_choice=True)
    type = SelectField("Type", choices=options([("", "Any type"), *TYPE_LABELS.items()]))
    status = SelectField(
        "Status", choices=options([("", "Any status"), *[(s, s) for s in bank.STATUSES]])
    )
    origin = SelectField(
        "Origin", choices=options([("", "Any origin"), *[(o, o) for o in bank.ORIGINS]])
    )
    source = SelectField("Source", validate_choice=True)
    sort = SelectField(
        "Sort by",
        choices=options(
            [("key", "Id"), ("updated", "Last updated"), ("type", "Type"), ("status", "Status")]
        ),
        default="key",
    )
    dir = SelectField(
        "Order", choices=options([("asc", "Ascending"), ("desc", "Descending")]), default="asc"
    )
    page = IntegerField("Page", validators=[Optional(), NumberRange(1, 100_000)], default=1)

    def clean(self) -> dict[str, Any]:
        """Validate, dropping any value that does not fit, and return the rest."""
        self.validate()
        values: dict[str, Any] = {}
        for name in ("q", "topic", "type", "status", "origin", "source", "sort", "dir", "page"):
            field = getattr(self, name)
            if field.errors:
                field.data = field.default
                field.errors = []
            values[name] = field.data
        if values["sort"] not in SORTS:
            values["sort"] = "key"
        return values


class ChoiceRowForm(Form):
    text = StringField("Choice", validators=[Optional(), Length(max=bank.MAX_CHOICE)])
    correct = BooleanField("Correct")
    feedback = StringField(
        "Feedback when picked", validators=[Optional(), Length(max=bank.MAX_FEEDBACK)]
    )


class QuestionForm(FlaskForm):
    """One question of any type; the checks that depend on the type run here, and the
    bank's own rules (its source, giveaway prompts...) run when it is saved."""

    key = StringField(
        "Id",
        validators=[
            DataRequired("Give the question an id."),
            Length(max=bank.MAX_ID),
            Regexp(bank.ID_PATTERN, message="Use lowercase letters, digits and single hyphens."),
        ],
        description="Stable and unique, e.g. naming-lung-bone: lowercase letters, digits, hyphens.",
        filters=[strip],
    )
    prompt = TextAreaField(
        "Prompt",
        validators=[DataRequired("Write the prompt."), Length(max=bank.MAX_PROMPT)],
        filters=[strip],
    )
    choices = FieldList(FormField(ChoiceRowForm), min_entries=0, max_entries=bank.MAX_CHOICES)
    answers = TextAreaField(
        "Accepted answers",
        # No Optional(): validate_answers must see an empty box to ask for an answer.
        validators=[Length(max=bank.MAX_ANSWERS * (bank.MAX_CHOICE + 1))],
        description="One per line; the first is shown to students as the answer.",
    )
    explanation = TextAreaField(
        "Explanation",
        validators=[DataRequired("Explain the answer."), Length(max=bank.MAX_EXPLANATION)],
        filters=[strip],
    )
    topics = SelectMultipleField("Topics", validators=[InputRequired("Choose a topic.")])
    difficulty = IntegerField(
        "Difficulty (1 easy – 3 hard)",
        validators=[InputRequired("Give a difficulty from 1 to 3."), NumberRange(1, 3)],
        default=2,
    )
    status = SelectField(
        "Status",
        choices=options(
            [
                ("draft", "Draft: not asked yet"),
                ("approved", "Approved: reviewed, students may be asked it"),
                ("retired", "Retired: never asked again"),
            ]
        ),
        default="draft",
    )
    # The passage picker: browse a source, search it, click a passage.
    source = SelectField("Source", choices=[], validate_choice=False)
    passage_search = StringField("Find a passage", validators=[Optional(), Length(max=200)])
    # Filled by the picker, never typed: the quoted passage and the quote taken from it.
    document = HiddenField("Document", validators=[Optional(), Length(max=80)])
    passage = HiddenField("Passage", validators=[Length(max=120)])
    quote = SelectField("Quote", choices=[], validate_choice=False)

    def __init__(self, question_type: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question_type = question_type
        self.picked: PassageOption | None = None
        self.allowed_quotes: list[str] = []

    def pick(self, option: PassageOption | None, keep_quote: str = "") -> None:
        """Set the chosen passage and the quotes it offers, defaulting to its whole text."""
        self.picked = option
        if option is None:
            self.quote.choices = []
            self.allowed_quotes = []
            return
        self.document.data, self.passage.data = option.document, option.passage_key
        self.allowed_quotes = option.quotes(keep_quote)
        labels = ["Whole passage"] + [
            f"Sentence {i}: {text}" for i, text in enumerate(self.allowed_quotes[1:], start=1)
        ]
        self.quote.choices = options(zip(self.allowed_quotes, labels, strict=True))
        if not self.quote.data:
            self.quote.data = option.text

    def fit_type(self) -> None:
        """Lay the choice rows out for the question's type."""
        if self.question_type == "truefalse":
            # Always True then False, each keeping its own mark and feedback, whatever
            # order or spelling it was stored or posted in.
            entries = list(self.choices)
            by_text = {normalise_answer(e.form.text.data or ""): e for e in entries}
            rows = []
            for position, text in enumerate(TRUE_FALSE):
                entry = by_text.get(text.lower())
                if entry is None and position < len(entries):
                    entry = entries[position]
                rows.append(
                    {
                        "text": text,
                        "correct": bool(entry is not None and entry.form.correct.data),
                        "feedback": (entry.form.feedback.data or "") if entry is not None else "",
                    }
                )
            while len(self.choices):
                self.choices.pop_entry()
            for row in rows:
                self.choices.append_entry(row)
        elif self.question_type in bank.CHOICE_TYPES:
            while len(self.choices) < CHOICE_ROWS:
                self.choices.append_entry()
        else:
            while len(self.choices):
                self.choices.pop_entry()

    def filled_choices(self) -> list[bank.Choice]:
        return [
            bank.Choice(
                (entry.form.text.data or "").strip(),
                bool(entry.form.correct.data),
                (entry.form.feedback.data or "").strip(),
            )
            for entry in self.choices
            if (entry.form.text.data or "").strip()
        ]

    def answer_lines(self) -> list[str]:
        return [line.strip() for line in (self.answers.data or "").splitlines() if line.strip()]

    def validate_prompt(self, field: StringField) -> None:
        if self.question_type == "cloze" and (field.data or "").count(bank.BLANK) != 1:
            raise ValidationError(f"Put exactly one {bank.BLANK} where the answer goes.")

    def validate_choices(self, field: FieldList) -> None:
        if self.question_type not in bank.CHOICE_TYPES:
            return
        for entry in field:
            form = entry.form
            if not (form.text.data or "").strip() and (form.correct.data or form.feedback.data):
                raise ValidationError("A choice marked correct or given feedback needs its text.")
        choices = self.filled_choices()
        correct = [c for c in choices if c.correct]
        if self.question_type == "truefalse":
            if len(correct) != 1:
                raise ValidationError("Mark either True or False as the correct answer.")
            return
        if len(choices) < 2:
            raise ValidationError("Give at least two choices.")
        if self.question_type == "mcq" and len(correct) != 1:
            raise ValidationError(
                f"Mark exactly one choice correct (now {len(correct)}), or make it a "
                "multiple-response question."
            )
        if self.question_type == "multi" and not correct:
            raise ValidationError("Mark at least one choice correct.")
        right = {normalise_answer(c.text) for c in correct}
        for choice in choices:
            if not choice.correct and normalise_answer(choice.text) in right:
                raise ValidationError(f"The distractor “{choice.text}” equals a correct answer.")
        texts = [normalise_answer(c.text) for c in choices]
        if len(set(texts)) != len(texts):
            raise ValidationError("Two choices say the same thing.")

    def validate_answers(self, field: TextAreaField) -> None:
        if self.question_type not in bank.TYPED_TYPES:
            return
        lines = self.answer_lines()
        if not lines:
            raise ValidationError("Give at least one accepted answer.")
        if len(lines) > bank.MAX_ANSWERS:
            raise ValidationError(f"Give at most {bank.MAX_ANSWERS} accepted answers.")
        if any(len(line) > bank.MAX_CHOICE for line in lines):
            raise ValidationError(f"Keep each answer under {bank.MAX_CHOICE} characters.")

    def validate_passage(self, field: HiddenField) -> None:
        if not field.data:
            raise ValidationError("Pick the passage this question is grounded in.")
        if self.picked is None:
            raise ValidationError("That passage is not in the source any more; pick another.")

    def validate_quote(self, field: SelectField) -> None:
        if self.picked is not None and field.data not in self.allowed_quotes:
            raise ValidationError("Quote the whole passage or one of its sentences.")


def question_form(question_type: str, *, is_new: bool, **kwargs: Any) -> QuestionForm:
    """Build the editor for one type; only a new question has an editable id."""
    form = QuestionForm(question_type, **kwargs)
    if not is_new:
        del form.key
    return form
