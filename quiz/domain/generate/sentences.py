"""Split a passage into sentences, keeping each one's exact position for verbatim quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A full stop after one of these does not end a sentence ("Dr. Lee", "e.g. MRI").
_ABBREVIATIONS = frozenset(
    {
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "vs",
        "e.g",
        "i.e",
        "fig",
        "figs",
        "approx",
        "al",
        "inc",
        "ltd",
        "jr",
        "sr",
        "vol",
        "pp",
        "cf",
        "dept",
        "u.s",
        "u.k",
        "m.d",
        "ph.d",
        "a.m",
        "p.m",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
    }
)
# Ends a sentence only before a number it does not introduce: "No. 5" is one sentence.
_BEFORE_NUMBERS = frozenset({"no", "nos", "p", "vol", "ch"})

_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True)
class SentenceSpan:
    """Where a sentence sits in its passage: text[start:end] is the sentence."""

    start: int
    end: int


def split_sentences(text: str) -> list[SentenceSpan]:
    """Return the sentences of text as spans, in order, without surrounding spaces."""
    spans: list[SentenceSpan] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _is_abbreviation(text, match.start(), match.end()):
            continue
        _append(spans, text, start, match.end())
        start = match.end()
    _append(spans, text, start, len(text))
    return spans


def sentence_texts(text: str) -> list[str]:
    """Return the sentences of text as strings."""
    return [text[span.start : span.end] for span in split_sentences(text)]


def _append(spans: list[SentenceSpan], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(SentenceSpan(start, end))


def _is_abbreviation(text: str, stop: int, boundary_end: int) -> bool:
    if text[stop] != ".":
        return False
    word_match = _LAST_WORD.search(text[:stop])
    if word_match is None:
        return False
    word = word_match.group(1).lower().rstrip(".")
    following = text[boundary_end:].lstrip()
    if word in _BEFORE_NUMBERS:
        return following[:1].isdigit()
    if word in _ABBREVIATIONS:
        return True
    # A lone capital is an initial ("J. Smith"), unless it is the pronoun "I".
    return len(word) == 1 and word_match.group(1).isupper() and word_match.group(1) != "I"
