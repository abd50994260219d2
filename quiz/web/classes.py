"""Classes: instructors create them and set quizzes; students join and take the quizzes."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from quiz.extensions import db
from quiz.models import Assignment, StudyClass, User
from quiz.services import attempts, catalog
from quiz.services import classes as service
from quiz.services.classes import ClassError
from quiz.web import study
from quiz.web.access import STAFF_ROLES, is_staff, role_required
from quiz.web.class_forms import AssignmentForm, ClassForm, JoinForm
from quiz.web.forms import EmptyForm

bp = Blueprint("classes", __name__, url_prefix="/classes")

# Ids are bounded so that a huge number is a 404, never a database overflow.
CLASS = "<int(max=2147483647):class_id>"
ASSIGNMENT = "<int(max=2147483647):assignment_id>"
# The service names a few fields differently from the form.
FORM_FIELDS = {"topic_slugs": "topics"}
DEFAULT_QUESTION_COUNT = 10


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


def _render_index(
    class_form: ClassForm | None = None, join_form: JoinForm | None = None, status: int = 200
) -> ResponseReturnValue:
    user = _user()
    staff = is_staff(user)
    return render_template(
        "classes/index.html",
        staff=staff,
        owned=service.classes_of_owner(db.session, user) if staff else [],
        joined=service.classes_of_member(db.session, user),
        assigned=service.assignments_for_student(db.session, user, study.clock()),
        class_form=class_form or (ClassForm() if staff else None),
        join_form=join_form or JoinForm(formdata=None),
        form=EmptyForm(),
    ), status


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    """List my classes: those I teach (with a form for a new one) and those I joined."""
    return _render_index()


@bp.route("/new", methods=["POST"])
@role_required(*STAFF_ROLES)
def create() -> ResponseReturnValue:
    """Create a class with a fresh join code."""
    form = ClassForm()
    if form.validate_on_submit():
        try:
            study_class = service.create_class(db.session, _user(), form.name.data or "")
        except ClassError as exc:
            form.name.errors = [str(exc)]
        else:
            flash(
                f"Class created. Students join it with the code {study_class.join_code}.",
                "success",
            )
            return redirect(url_for("classes.show", class_id=study_class.id))
    return _render_index(class_form=form, status=400)


@bp.route("/join", methods=["POST"])
@login_required
def join() -> ResponseReturnValue:
    """Join a class with the code its instructor gave out."""
    form = JoinForm()
    if form.validate_on_submit():
        try:
            study_class, added = service.join_class(db.session, _user(), form.code.data or "")
        except ClassError as exc:
            form.code.errors = [str(exc)]
        else:
            if added:
                flash(f"You joined “{study_class.name}”.", "success")
            else:
                flash(f"You are already in “{study_class.name}”.", "info")
            return redirect(url_for("classes.index"))
    return _render_index(join_form=form, status=400)


def owned_class(class_id: int) -> StudyClass:
    """Return my class, or 404: another instructor's class is not ours to confirm."""
    study_class = service.class_for_owner(db.session, _user(), class_id)
    if study_class is None:
        abort(404)
    return study_class


def owned_assignment(class_id: int, assignment_id: int) -> Assignment:
    """Return a quiz set for my class, or 404."""
    owned_class(class_id)
    found = service.assignment_for_owner(db.session, _user(), class_id, assignment_id)
    if found is None:
        abort(404)
    return found


def _assignment_form() -> AssignmentForm:
    form = AssignmentForm()
    form.topics.choices = [
        SelectChoice(topic.slug, f"{topic.title} ({count})")
        for topic, count in catalog.topics_with_counts(db.session)
    ]
    if not form.is_submitted():
        form.question_count.data = DEFAULT_QUESTION_COUNT
    return form


def _render_class(
    study_class: StudyClass, form: AssignmentForm, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "classes/show.html",
        study_class=study_class,
        members=service.members(db.session, study_class),
        form=form,
        now=attempts.as_db_time(study.clock()),
    ), status


@bp.route(f"/{CLASS}")
@role_required(*STAFF_ROLES)
def show(class_id: int) -> ResponseReturnValue:
    """Show my class: its code, members, quizzes, and a form to set a new quiz."""
    study_class = owned_class(class_id)
    return _render_class(study_class, _assignment_form())


@bp.route(f"/{CLASS}/assignments/new", methods=["POST"])
@role_required(*STAFF_ROLES)
def create_assignment(class_id: int) -> ResponseReturnValue:
    """Set a quiz for my class."""
    study_class = owned_class(class_id)
    form = _assignment_form()
    if form.validate_on_submit():
        try:
            assignment = service.create_assignment(
                db.session, _user(), study_class.id, form.to_fields(), study.clock()
            )
        except ClassError as exc:
            for name, message in exc.errors.items():
                target = getattr(form, FORM_FIELDS.get(name, name), None)
                if target is None:
                    form.form_errors.append(message)
                else:
                    target.errors = [*target.errors, message]
        else:
            flash(f"Quiz “{assignment.title}” set.", "success")
            return redirect(
                url_for("classes.assignment", class_id=class_id, assignment_id=assignment.id)
            )
    return _render_class(study_class, form, status=400)


@bp.route(f"/{CLASS}/assignments/{ASSIGNMENT}")
@role_required(*STAFF_ROLES)
def assignment(class_id: int, assignment_id: int) -> ResponseReturnValue:
    """Show a quiz I set, with each student's attempts and best score."""
    found = owned_assignment(class_id, assignment_id)
    now = study.clock()
    return render_template(
        "classes/assignment.html",
        assignment=found,
        progress=service.assignment_progress(db.session, found, now),
        now=attempts.as_db_time(now),
    )


@bp.route(f"/{CLASS}/assignments/{ASSIGNMENT}/start", methods=["POST"])
@login_required
def start(class_id: int, assignment_id: int) -> ResponseReturnValue:
    """Start (or carry on with) my attempt at a quiz set for my class."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempt = service.start_assignment_attempt(
            db.session, _user(), assignment_id, study.clock(), study.fresh_rng(), class_id=class_id
        )
    except LookupError:
        abort(404)
    except ClassError as exc:
        flash(str(exc), "error")
        return redirect(url_for("main.index"))
    position = attempts.first_open_position(attempt)
    return redirect(url_for("study.question", attempt_id=attempt.id, position=position))
