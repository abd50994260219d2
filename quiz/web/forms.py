"""Forms of the student-facing pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length


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
