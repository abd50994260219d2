"""Forms of the student-facing pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange, Optional


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for buttons that POST."""


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=40)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=256)])


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[InputRequired(), Length(min=3, max=40)],
        description="3 to 40 letters, digits, dots, hyphens or underscores.",
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired(), Length(min=8, max=256)],
        description="At least 8 characters.",
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[InputRequired(), EqualTo("password", message="The passwords differ.")],
    )


class StartQuizForm(FlaskForm):
    topic = SelectField("Topic", validate_choice=True)
    length = RadioField("Questions", coerce=int, default=10, validators=[InputRequired()])


class GenerateForm(FlaskForm):
    source = SelectField("Generate from a stored source", validate_choice=True)


class UploadForm(FlaskForm):
    upload = FileField(
        "Or upload a text (.md or .txt)",
        validators=[
            FileRequired("Choose a file to upload."),
            FileAllowed(["md", "markdown", "txt"], "Upload a .md or .txt file."),
        ],
    )


class ChoiceForm(Form):
    text = StringField("Text", validators=[Optional(), Length(max=300)])
    correct = BooleanField("Correct")
    feedback = StringField("Feedback", validators=[Optional(), Length(max=1000)])


class DraftForm(FlaskForm):
    prompt = TextAreaField("Prompt", validators=[InputRequired(), Length(max=1000)])
    answers = TextAreaField(
        "Accepted answers",
        validators=[Optional(), Length(max=3000)],
        description="One per line; the first is shown as the answer.",
    )
    choices = FieldList(FormField(ChoiceForm), min_entries=0, max_entries=8)
    explanation = TextAreaField("Explanation", validators=[InputRequired(), Length(max=3000)])
    topics = SelectMultipleField("Topics", validators=[InputRequired()])
    difficulty = IntegerField(
        "Difficulty (1 easy – 3 hard)", validators=[InputRequired(), NumberRange(1, 3)]
    )


class StudySettingsForm(FlaskForm):
    desired_retention = IntegerField(
        "Desired retention (%)",
        validators=[InputRequired(), NumberRange(80, 97, "Choose a retention from 80 to 97%%.")],
        description="How likely you want to be to remember a card when it comes due. "
        "Higher means more reviews.",
    )
    new_cards_per_day = IntegerField(
        "New cards a day",
        validators=[InputRequired(), NumberRange(0, 500, "Choose from 0 to 500 new cards a day.")],
    )


class PlainCardForm(FlaskForm):
    topic = SelectField("Deck (topic)", validate_choice=True)
    front = TextAreaField("Front", validators=[InputRequired(), Length(max=1000)])
    back = TextAreaField("Back", validators=[InputRequired(), Length(max=2000)])


class ReplaceForm(FlaskForm):
    upload = FileField(
        "New text (.md or .txt)",
        validators=[
            FileRequired("Choose a file to upload."),
            FileAllowed(["md", "markdown", "txt"], "Upload a .md or .txt file."),
        ],
    )


class ImportForm(FlaskForm):
    upload = FileField(
        "Bank file (.yaml, .json, .csv or .gift)",
        validators=[
            FileRequired("Choose a file to import."),
            FileAllowed(
                ["yaml", "yml", "json", "csv", "gift"], "Import a .yaml, .json, .csv or .gift file."
            ),
        ],
    )
