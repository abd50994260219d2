"""The OpenAPI 3.1 description of the JSON API, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _id_parameter(name: str, what: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": what,
        "schema": {"type": "integer", "minimum": 1},
    }


def _get(summary: str, schema: dict[str, Any], *parameters: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "security": [{"session": []}, {"bearer": []}],
        "responses": {
            "200": {
                "description": "The figures",
                "content": {"application/json": {"schema": schema}},
            },
            "401": {"description": "No valid session or token", "content": _ERROR},
            "400": {"description": "A query argument is not one of its values", "content": _ERROR},
            "403": {"description": "Your role may not read this", "content": _ERROR},
            "404": {"description": "No such class of yours, or not in it", "content": _ERROR},
        },
    }
    if parameters:
        operation["parameters"] = list(parameters)
    return {"get": operation}


_ERROR = {"application/json": {"schema": _ref("Error")}}
CLASS_ID = _id_parameter("class_id", "A class you teach")
ASSIGNMENT_ID = _id_parameter("assignment_id", "A quiz set for that class")
USER_ID = _id_parameter("user_id", "A member of that class")


def _object(properties: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    # Every listed property is always sent, so the document promises it.
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
    }
    if description:
        schema["description"] = description
    return schema


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


INTEGER = {"type": "integer"}
STRING = {"type": "string"}
DATE_TIME = {"type": "string", "format": "date-time"}
PERCENT = {"type": ["number", "null"], "description": "0-100"}
SHARE = {"type": ["number", "null"], "description": "0-1"}
CONCEPT_CELL = _object(
    {"primary": STRING, "site": STRING, "mastery": _ref("Mastery")},
    "A primary cancer spreading to a site, from the typed naming questions",
)
HISTORY = _object(
    {
        "attempt_id": INTEGER,
        "title": STRING,
        "attempt_number": {"type": ["integer", "null"]},
        "finished_at": DATE_TIME,
        "percent": INTEGER,
    }
)

SCHEMAS: dict[str, Any] = {
    "Error": _object({"error": STRING}),
    "Mastery": {
        "type": ["object", "null"],
        "description": "Recency-weighted share right (an answer's weight halves every 14 "
        "days), pulled toward 0.5 by one answer's worth of prior; null: never answered.",
        "properties": {
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "answers": INTEGER,
            "correct": INTEGER,
            "last_answered_at": DATE_TIME,
        },
    },
    "TopicMastery": _object({"slug": STRING, "title": STRING, "mastery": _ref("Mastery")}),
    "StudentProgress": _object(
        {
            "scores": _array(
                _object(
                    {
                        "attempt_id": INTEGER,
                        "title": STRING,
                        "finished_at": DATE_TIME,
                        "percent": INTEGER,
                    }
                )
            ),
            "topics": _array(_ref("TopicMastery")),
            "weakest": _array(STRING),
            "calendar": _array(
                _object(
                    {"date": {"type": "string", "format": "date"}, "count": INTEGER},
                    "Answers and card reviews that UTC day",
                )
            ),
            "streak": INTEGER,
            "cards": _object({"due": INTEGER, "new": INTEGER}),
            "concept_map": _array(CONCEPT_CELL),
            "answers": INTEGER,
        }
    ),
    "ClassList": _object(
        {
            "classes": _array(
                _object({"id": INTEGER, "name": STRING, "join_code": STRING, "members": INTEGER})
            )
        }
    ),
    "ClassDashboard": _object(
        {
            "class": _object({"id": INTEGER, "name": STRING}),
            "topics": _array(_object({"slug": STRING, "title": STRING})),
            "students": _array(
                _object(
                    {
                        "id": INTEGER,
                        "username": STRING,
                        "last_active": {"type": ["string", "null"], "format": "date-time"},
                        "topics": {"type": "object", "additionalProperties": _ref("Mastery")},
                    }
                )
            ),
            "topic_means": {
                "type": "object",
                "additionalProperties": _object({"mean": SHARE, "students": INTEGER}),
            },
            "quizzes": _array(
                _object(
                    {
                        "assignment_id": INTEGER,
                        "title": STRING,
                        "members": INTEGER,
                        "finished": INTEGER,
                        "completion": SHARE,
                        "mean": PERCENT,
                        "median": PERCENT,
                        "distribution": {
                            **_array(INTEGER),
                            "description": "Students per 10-point band of best score",
                        },
                        "best_percent": {
                            "type": "object",
                            "description": "Best finished score by student id",
                            "additionalProperties": {"type": "number"},
                        },
                    }
                )
            ),
            "concept_map": _array(
                _object({"primary": STRING, "site": STRING, "mean": SHARE, "students": INTEGER})
            ),
        }
    ),
    "StudentReport": _object(
        {
            "id": INTEGER,
            "username": STRING,
            "joined_at": DATE_TIME,
            "topics": _array(_ref("TopicMastery")),
            "history": _array(HISTORY),
            "practice_attempts": INTEGER,
            "missed": _array(
                _object(
                    {
                        "question_key": STRING,
                        "prompt": STRING,
                        "answers": INTEGER,
                        "correct": INTEGER,
                        "last_correct": {"type": "boolean"},
                        "last_answered_at": DATE_TIME,
                    }
                )
            ),
            "concept_map": _array(CONCEPT_CELL),
        }
    ),
    "QuestionStatistics": _object(
        {
            "question_key": STRING,
            "prompt": {"type": ["string", "null"]},
            "type": {"type": ["string", "null"]},
            "n": INTEGER,
            "facility": PERCENT,
            "sd": PERCENT,
            "discrimination_index": {
                "type": ["number", "null"],
                "description": "Corrected point-biserial with the rest of the attempt, x100",
            },
            "discriminative_efficiency": PERCENT,
            "random_guess_score": PERCENT,
            "choices": _array(
                _object({"index": INTEGER, "text": STRING, "correct": {"type": "boolean"}})
            ),
            "choice_counts": {
                "type": "object",
                "description": "Picks per choice index, from answers to the current version",
                "additionalProperties": INTEGER,
            },
            "choice_responses": INTEGER,
            "needs_checking": {"type": ["string", "null"]},
            "flags": _array(STRING),
        }
    ),
    "ItemStatistics": _object(
        {
            "attempts": INTEGER,
            "attempts_analysed": {"type": "string", "enum": ["best", "first", "all"]},
            "mean_percent": PERCENT,
            "median_percent": PERCENT,
            "sd_percent": PERCENT,
            "cic": {"type": ["number", "null"], "description": "Cronbach's alpha x100"},
            "error_ratio": PERCENT,
            "reliability": {"type": ["string", "null"]},
            "questions": _array(_ref("QuestionStatistics")),
            "families": _array(
                _object(
                    {
                        "group": STRING,
                        "questions": INTEGER,
                        "responses": INTEGER,
                        "mean_facility": PERCENT,
                        "mean_discrimination": PERCENT,
                        "mean_efficiency": PERCENT,
                        "flagged": INTEGER,
                        "flag_counts": {"type": "object", "additionalProperties": INTEGER},
                    }
                )
            ),
        },
        "Moodle's quiz statistics: facility, discrimination index, discriminative "
        "efficiency, choice counts, Cronbach's alpha, flags, generator families.",
    ),
}
ATTEMPTS = {
    "name": "attempts",
    "in": "query",
    "required": False,
    "description": "Which finished attempts to analyse: each member's best (default), "
    "first, or all",
    "schema": {"type": "string", "enum": ["best", "first", "all"], "default": "best"},
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "quiz progress API",
        "version": "1",
        "description": "Every dashboard figure as JSON. Log in for a session cookie, or "
        "create a personal token on the API token page and send "
        "`Authorization: Bearer <token>`.",
    },
    "paths": {
        "/api/v1/me/progress": _get(
            "My dashboard: scores, mastery per topic, activity, cards, concept map",
            _ref("StudentProgress"),
        ),
        "/api/v1/classes": _get("The classes I teach", _ref("ClassList")),
        "/api/v1/classes/{class_id}/dashboard": _get(
            "A class's students × topics mastery, quiz results and concept map",
            _ref("ClassDashboard"),
            CLASS_ID,
        ),
        "/api/v1/classes/{class_id}/students/{user_id}": _get(
            "One member's mastery, class quiz history, missed questions and concept map",
            _ref("StudentReport"),
            CLASS_ID,
            USER_ID,
        ),
        "/api/v1/classes/{class_id}/statistics": _get(
            "Item analysis over every quiz set for the class, with generator families",
            _ref("ItemStatistics"),
            CLASS_ID,
            ATTEMPTS,
        ),
        "/api/v1/classes/{class_id}/assignments/{assignment_id}/statistics": _get(
            "Item analysis of one quiz set for the class",
            _ref("ItemStatistics"),
            CLASS_ID,
            ASSIGNMENT_ID,
            ATTEMPTS,
        ),
    },
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            "bearer": {"type": "http", "scheme": "bearer"},
        },
    },
}
