"""Form and query values reach the app without NUL characters."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.datastructures import MultiDict

from quiz.web.request import NulFreeParameters


def test_nul_characters_are_taken_out_of_keys_and_text_values() -> None:
    cleaned = NulFreeParameters([("q\x00", "lu\x00ng"), ("q", "a"), ("n", 3)])
    assert cleaned.getlist("q") == ["lung", "a"] and cleaned["n"] == 3
    assert NulFreeParameters(MultiDict([("a", "x\x00"), ("a", "y")])).getlist("a") == ["x", "y"]
    assert NulFreeParameters({"a": ["\x00b", "c"]}).getlist("a") == ["b", "c"]
    assert NulFreeParameters() == {}


def test_requests_parse_query_and_form_without_nul(app: Flask) -> None:
    @app.post("/echo-for-test")
    def echo() -> dict[str, str]:
        return {"q": request.args["q"], "name": request.form["name"]}

    response = app.test_client().post("/echo-for-test?q=%00lung%00", data={"name": "Ann\x00e"})
    assert response.get_json() == {"q": "lung", "name": "Anne"}
