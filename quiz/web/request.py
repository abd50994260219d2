"""The request class: form and query values arrive without NUL characters.

No text the app keeps can hold a NUL (PostgreSQL refuses it outright, where SQLite stored
it), and none is ever typed on purpose; dropping them where values are parsed keeps every
form, search box and join code safe at once, instead of field by field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

NUL = "\x00"


def _clean(value: Any) -> Any:
    return value.replace(NUL, "") if isinstance(value, str) else value


def _pairs(mapping: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> Iterable[tuple[str, Any]]:
    if isinstance(mapping, MultiDict):
        return mapping.items(multi=True)
    if isinstance(mapping, Mapping):
        return (
            (key, item)
            for key, value in mapping.items()
            for item in (value if isinstance(value, list | tuple) else [value])
        )
    return mapping


class NulFreeParameters(ImmutableMultiDict[str, Any]):
    """Query or form values with NUL characters taken out of keys and text values."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
        else:
            super().__init__([(_clean(key), _clean(value)) for key, value in _pairs(mapping)])


class QuizRequest(Request):
    parameter_storage_class = NulFreeParameters
