"""Dashboards: a student's own progress, as a page and as JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from quiz.extensions import db
from quiz.services.progress import StudentDashboard, student_dashboard

bp = Blueprint("dashboard", __name__)


@bp.route("/progress")
@login_required
def mine() -> ResponseReturnValue:
    """Show my scores, mastery per topic, activity, cards due and concept map."""
    data = student_dashboard(db.session, current_user._get_current_object(), datetime.now(UTC))
    return render_template("dashboard/student.html", d=data)


@bp.route("/api/v1/me/progress")
@login_required
def mine_json() -> ResponseReturnValue:
    """Return my dashboard's figures as JSON."""
    data = student_dashboard(db.session, current_user._get_current_object(), datetime.now(UTC))
    return jsonify(as_json(data))


def as_json(d: StudentDashboard) -> dict[str, Any]:
    def mastery(m: Any) -> dict[str, Any] | None:
        if m is None:
            return None
        return {"score": round(m.score, 4), "answers": m.evidence, "correct": m.correct}

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
            {"slug": t.slug, "title": t.title, "mastery": mastery(t.mastery)} for t in d.topics
        ],
        "weakest": [t.slug for t in d.weakest],
        "calendar": [{"date": day.isoformat(), "count": n} for day, n in d.calendar],
        "streak": d.streak,
        "cards": {"due": d.cards_due, "new": d.cards_new},
        "concept_map": [
            {"primary": p, "site": s, "mastery": mastery(m)}
            for (p, s), m in sorted(d.concept.items())
        ],
        "answers": d.answers,
    }


OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "quiz progress API", "version": "1"},
    "paths": {
        "/api/v1/me/progress": {
            "get": {
                "summary": "The logged-in student's dashboard figures",
                "security": [{"session": []}],
                "responses": {
                    "200": {
                        "description": "Scores, mastery per topic, activity, cards, concept map"
                    },
                    "302": {"description": "Not logged in: redirected to the login page"},
                },
            }
        }
    },
    "components": {
        "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}}
    },
}


@bp.route("/api/v1/openapi.json")
def openapi() -> ResponseReturnValue:
    """Describe the JSON API."""
    return jsonify(OPENAPI)
