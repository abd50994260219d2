"""The OpenAPI 3.1 description of the JSON API, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

NUMBER_OR_NULL = {"type": ["number", "null"]}


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

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
    "Mastery": {
        "type": ["object", "null"],
        "description": "Recency-weighted share right (an answer's weight halves every 14 "
        "days), pulled toward 0.5 by one answer's worth of prior; null: never answered.",
        "properties": {
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "answers": {"type": "integer"},
            "correct": {"type": "integer"},
            "last_answered_at": {"type": "string", "format": "date-time"},
        },
    },
    "StudentProgress": {
        "type": "object",
        "properties": {
            "scores": {"type": "array", "items": {"type": "object"}},
            "topics": {"type": "array", "items": {"type": "object"}},
            "weakest": {"type": "array", "items": {"type": "string"}},
            "calendar": {"type": "array", "items": {"type": "object"}},
            "streak": {"type": "integer"},
            "cards": {"type": "object"},
            "concept_map": {"type": "array", "items": {"type": "object"}},
            "answers": {"type": "integer"},
        },
    },
    "ClassDashboard": {
        "type": "object",
        "properties": {
            "class": {"type": "object"},
            "topics": {"type": "array", "items": {"type": "object"}},
            "students": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "username": {"type": "string"},
                        "last_active": {"type": ["string", "null"], "format": "date-time"},
                        "topics": {"type": "object", "additionalProperties": _ref("Mastery")},
                    },
                },
            },
            "topic_means": {"type": "object"},
            "quizzes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "assignment_id": {"type": "integer"},
                        "title": {"type": "string"},
                        "members": {"type": "integer"},
                        "finished": {"type": "integer"},
                        "completion": NUMBER_OR_NULL,
                        "mean": NUMBER_OR_NULL,
                        "median": NUMBER_OR_NULL,
                        "distribution": {
                            "type": "array",
                            "items": {"type": "integer"},
                            "description": "Students per 10-point band of best score",
                        },
                        "best_percent": {"type": "object"},
                    },
                },
            },
            "concept_map": {"type": "array", "items": {"type": "object"}},
        },
    },
    "StudentReport": {"type": "object"},
    "ItemStatistics": {
        "type": "object",
        "description": "Moodle's quiz statistics: facility, discrimination index (corrected "
        "point-biserial), discriminative efficiency, choice counts, Cronbach's alpha (cic).",
        "properties": {
            "attempts": {"type": "integer"},
            "cic": NUMBER_OR_NULL,
            "reliability": {"type": ["string", "null"]},
            "questions": {"type": "array", "items": {"type": "object"}},
            "families": {"type": "array", "items": {"type": "object"}},
        },
    },
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
        "/api/v1/classes": _get("The classes I teach", {"type": "object"}),
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
        ),
        "/api/v1/classes/{class_id}/assignments/{assignment_id}/statistics": _get(
            "Item analysis of one quiz set for the class",
            _ref("ItemStatistics"),
            CLASS_ID,
            ASSIGNMENT_ID,
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
