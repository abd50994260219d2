"""Error pages and security headers on every response, errors included; under /api/
errors are JSON (`{"error": ...}`) rather than pages."""

from __future__ import annotations

from flask import Flask, Response, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from quiz.extensions import db
from quiz.web.api_auth import api_error, is_api_request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        if is_api_request():
            return api_error(400, "The CSRF token is missing or expired.")
        return render_template(
            "errors/error.html",
            code=400,
            title="The form expired",
            message="Please go back, reload the page and try again.",
        ), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        if error.code is None or error.code < 400:
            return error
        if is_api_request():
            response = api_error(error.code, error.description or error.name)
            for name, value in error.get_headers():  # Allow, Retry-After, ...
                if name.lower() != "content-type":
                    response.headers[name] = value
            return response
        return render_template(
            "errors/error.html",
            code=error.code,
            title=error.name,
            message=error.description,
        ), error.code

    @app.errorhandler(500)
    def server_error(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        if is_api_request():
            return api_error(500, "Something went wrong. The error was logged.")
        return render_template(
            "errors/error.html",
            code=500,
            title="Something went wrong",
            message="The error was logged. Please try again in a moment.",
        ), 500

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
