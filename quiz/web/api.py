"""The JSON API: every dashboard figure, for the session cookie or a bearer token.

The access rules are the pages' own: a student reads only their own progress; an
instructor reads only the classes they own (another class is a 404, as on the pages).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from quiz.domain import analytics
from quiz.extensions import db
from quiz.services import class_progress
from quiz.services import classes as classes_service
from quiz.services.progress import StudentDashboard, student_dashboard
from quiz.web.access import STAFF_ROLES, role_required
from quiz.web.api_schema import OPENAPI
from quiz.web.class_reports import which_attempts
from quiz.web.classes import owned_assignment, owned_class

bp = Blueprint("api", __name__, url_prefix="/api/v1")

CLASS = "<int(max=2147483647):class_id>"
ASSIGNMENT = "<int(max=2147483647):assignment_id>"
USER = "<int(max=2147483647):user_id>"


def _now() -> datetime:
    return datetime.now(UTC)


def mastery_json(m: analytics.Mastery | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "score": round(m.score, 4),
        "answers": m.evidence,
        "correct": m.correct,
        "last_answered_at": m.last_answered_at.isoformat(),
    }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


@bp.route("/me/progress")
@login_required
def my_progress() -> ResponseReturnValue:
    """Return my dashboard's figures."""
    data = student_dashboard(db.session, current_user._get_current_object(), _now())
    return jsonify(student_json(data))


def student_json(d: StudentDashboard) -> dict[str, Any]:
    return {
        "scores": [
            {
                "attempt_id": s.attempt_id,
                "title": s.title,
                "finished_at": s.finished_at.isoformat(),
                "percent": s.percent,
            }
            for s in d.scores
        ],
        "topics": [
            {"slug": t.slug, "title": t.title, "mastery": mastery_json(t.mastery)} for t in d.topics
        ],
        "weakest": [t.slug for t in d.weakest],
        "calendar": [{"date": day.isoformat(), "count": n} for day, n in d.calendar],
        "streak": d.streak,
        "cards": {"due": d.cards_due, "new": d.cards_new},
        "concept_map": [
            {"primary": p, "site": s, "mastery": mastery_json(d.concept.get((p, s)))}
            for p, s in sorted(d.asked)
        ],
        "answers": d.answers,
    }


@bp.route("/classes")
@role_required(*STAFF_ROLES)
def my_classes() -> ResponseReturnValue:
    """List the classes I teach."""
    owned = classes_service.classes_of_owner(db.session, current_user._get_current_object())
    return jsonify(
        {
            "classes": [
                {"id": c.id, "name": c.name, "join_code": c.join_code, "members": members}
                for c, members in owned
            ]
        }
    )


@bp.route(f"/classes/{CLASS}/dashboard")
@role_required(*STAFF_ROLES)
def class_dashboard(class_id: int) -> ResponseReturnValue:
    """Return the class's mastery grid, quiz results and concept map."""
    d = class_progress.class_dashboard(db.session, owned_class(class_id), _now(), page=None)
    return jsonify(
        {
            "class": {"id": d.study_class.id, "name": d.study_class.name},
            "topics": [{"slug": slug, "title": title} for slug, title in d.topics],
            "students": [
                {
                    "id": s.user_id,
                    "username": s.username,
                    "last_active": s.last_active.isoformat() if s.last_active else None,
                    "topics": {slug: mastery_json(m) for slug, m in s.topics.items()},
                }
                for s in d.students
            ],
            "topic_means": {
                slug: {"mean": _round(mean, 4), "students": count}
                for slug, (mean, count) in d.topic_means.items()
            },
            "quizzes": [
                {
                    "assignment_id": q.assignment_id,
                    "title": q.title,
                    "members": q.members,
                    "finished": q.finished,
                    "completion": _round(q.completion, 4),
                    "mean": _round(q.mean),
                    "median": _round(q.median),
                    "distribution": q.distribution,
                    "best_percent": {str(uid): round(p, 2) for uid, p in q.best_percent.items()},
                }
                for q in d.quizzes
            ],
            "concept_map": [
                {"primary": p, "site": s, "mean": _round(mean, 4), "students": count}
                for (p, s), (mean, count) in sorted(d.concept_means.items())
            ],
        }
    )


@bp.route(f"/classes/{CLASS}/students/{USER}")
@role_required(*STAFF_ROLES)
def class_student(class_id: int, user_id: int) -> ResponseReturnValue:
    """Return one member's mastery, quiz history, missed questions and concept map."""
    report = class_progress.student_report(db.session, owned_class(class_id), user_id, _now())
    if report is None:
        abort(404)
    cells = report.concept.cells.get(user_id, {})
    return jsonify(
        {
            "id": report.user_id,
            "username": report.username,
            "joined_at": report.joined_at.isoformat(),
            "topics": [
                {"slug": slug, "title": title, "mastery": mastery_json(m)}
                for slug, title, m in report.topics
            ],
            "history": [
                {
                    "attempt_id": h.attempt_id,
                    "title": h.title,
                    "attempt_number": h.attempt_number,
                    "finished_at": h.finished_at.isoformat(),
                    "percent": h.percent,
                }
                for h in report.history
            ],
            "practice_attempts": report.practice_attempts,
            "missed": [
                {
                    "question_key": q.key,
                    "prompt": q.prompt,
                    "answers": q.answers,
                    "correct": q.correct,
                    "last_correct": q.last_correct,
                    "last_answered_at": q.last_answered_at.isoformat(),
                }
                for q in report.missed
            ],
            "concept_map": [
                {"primary": p, "site": s, "mastery": mastery_json(cells.get((p, s)))}
                for p, s in sorted(report.concept.asked)
            ],
        }
    )


def _statistics_json(stats: analytics.QuizStatistics, which: str) -> dict[str, Any]:
    """The statistics with each question's current wording, so choice counts have labels."""
    details = class_progress.question_details(db.session, list(stats.questions))
    data = stats.to_dict()
    for question in data["questions"]:
        info = details.get(question["question_key"])
        question["prompt"] = info.prompt if info else None
        question["type"] = info.type if info else None
        question["choices"] = (
            [
                {"index": i, "text": text, "correct": i in info.correct_choices}
                for i, text in enumerate(info.choices)
            ]
            if info
            else []
        )
    return {
        **data,
        "attempts_analysed": which,
        "reliability": stats.reliability,
        "families": [f.to_dict() for f in analytics.family_summary(stats).values()],
    }


@bp.route(f"/classes/{CLASS}/statistics")
@role_required(*STAFF_ROLES)
def class_statistics(class_id: int) -> ResponseReturnValue:
    """Return item analysis over every quiz set for the class."""
    owned_class(class_id)
    which = which_attempts()
    stats = class_progress.item_analysis(db.session, class_id, None, which)
    return jsonify(_statistics_json(stats, which))


@bp.route(f"/classes/{CLASS}/assignments/{ASSIGNMENT}/statistics")
@role_required(*STAFF_ROLES)
def quiz_statistics(class_id: int, assignment_id: int) -> ResponseReturnValue:
    """Return item analysis of one quiz set for the class."""
    owned_assignment(class_id, assignment_id)
    which = which_attempts()
    stats = class_progress.item_analysis(db.session, class_id, assignment_id, which)
    return jsonify(_statistics_json(stats, which))


@bp.route("/openapi.json")
def openapi() -> ResponseReturnValue:
    """Describe the JSON API."""
    return jsonify(OPENAPI)
