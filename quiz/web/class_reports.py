"""An instructor's class dashboard, student drill-down, item analysis and CSV exports."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue

from quiz.domain import analytics
from quiz.extensions import db
from quiz.models import Assignment, StudyClass
from quiz.services import class_exports, class_progress
from quiz.web.access import STAFF_ROLES, role_required
from quiz.web.classes import owned_assignment, owned_class

bp = Blueprint("class_reports", __name__, url_prefix="/classes")

CLASS = "<int(max=2147483647):class_id>"
ASSIGNMENT = "<int(max=2147483647):assignment_id>"
USER = "<int(max=2147483647):user_id>"


def now() -> datetime:
    return datetime.now(UTC)


@bp.route(f"/{CLASS}/dashboard")
@role_required(*STAFF_ROLES)
def dashboard(class_id: int) -> ResponseReturnValue:
    """Show the class's students × topics mastery, quiz results and concept map."""
    page = request.args.get("page", 1, type=int) or 1
    data = class_progress.class_dashboard(db.session, owned_class(class_id), now(), page)
    return render_template("dashboard/class.html", d=data, page_size=class_progress.GRID_PAGE_SIZE)


@bp.route(f"/{CLASS}/students/{USER}")
@role_required(*STAFF_ROLES)
def student(class_id: int, user_id: int) -> ResponseReturnValue:
    """Show one member's mastery, quiz history and the questions they miss."""
    study_class = owned_class(class_id)
    report = class_progress.student_report(db.session, study_class, user_id, now())
    if report is None:
        abort(404)
    return render_template("dashboard/class_student.html", study_class=study_class, r=report)


def which_attempts() -> str:
    """The `attempts` query argument: best (the default), first or all; else 400."""
    which = request.args.get("attempts", "best")
    if which not in class_progress.ATTEMPT_CHOICES:
        choices = ", ".join(class_progress.ATTEMPT_CHOICES)
        abort(400, description=f"'attempts' must be one of: {choices}.")
    return which


def _render_statistics(
    study_class: StudyClass, assignment: Assignment | None
) -> ResponseReturnValue:
    which = which_attempts()
    stats = class_progress.item_analysis(
        db.session, study_class.id, None if assignment is None else assignment.id, which
    )
    details = class_progress.question_details(db.session, list(stats.questions))
    return render_template(
        "dashboard/statistics.html",
        study_class=study_class,
        assignment=assignment,
        stats=stats,
        details=details,
        families=analytics.family_summary(stats),
        thresholds=analytics.DEFAULT_THRESHOLDS,
        which=which,
    )


@bp.route(f"/{CLASS}/statistics")
@role_required(*STAFF_ROLES)
def statistics(class_id: int) -> ResponseReturnValue:
    """Item analysis over every quiz set for the class, with generator families."""
    return _render_statistics(owned_class(class_id), None)


@bp.route(f"/{CLASS}/assignments/{ASSIGNMENT}/statistics")
@role_required(*STAFF_ROLES)
def quiz_statistics(class_id: int, assignment_id: int) -> ResponseReturnValue:
    """Item analysis of one quiz set for the class."""
    assignment = owned_assignment(class_id, assignment_id)
    return _render_statistics(assignment.study_class, assignment)


@bp.route(f"/{CLASS}/assignments/{ASSIGNMENT}/statistics/<question_key>")
@role_required(*STAFF_ROLES)
def question_statistics(
    class_id: int, assignment_id: int, question_key: str
) -> ResponseReturnValue:
    """One question's statistics in one quiz, with how often each choice was picked."""
    assignment = owned_assignment(class_id, assignment_id)
    which = which_attempts()
    stats = class_progress.item_analysis(db.session, class_id, assignment_id, which)
    stat = stats.questions.get(question_key)
    if stat is None:
        abort(404)
    details = class_progress.question_details(db.session, [question_key])
    return render_template(
        "dashboard/question_statistics.html",
        assignment=assignment,
        stat=stat,
        info=details.get(question_key),
        which=which,
    )


def _csv(rows_of: class_exports.Rows, filename: str) -> Response:
    return Response(
        stream_with_context(class_exports.as_csv(rows_of)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route(f"/{CLASS}/grades.csv")
@role_required(*STAFF_ROLES)
def grades_csv(class_id: int) -> ResponseReturnValue:
    """Download each student's best score on every quiz set for the class."""
    owned_class(class_id)
    return _csv(class_exports.grade_rows(db.session, class_id), f"class-{class_id}-grades.csv")


@bp.route(f"/{CLASS}/responses.csv")
@role_required(*STAFF_ROLES)
def responses_csv(class_id: int) -> ResponseReturnValue:
    """Download every answer given in the quizzes set for the class."""
    owned_class(class_id)
    return _csv(
        class_exports.response_rows(db.session, class_id), f"class-{class_id}-responses.csv"
    )
