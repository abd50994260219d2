"""Grade a response to a question: one grader per question type.

Choice questions are answered with choice indexes (positions in the question's own
choice list, never in a shuffled order); typed questions with text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Levenshtein

from quiz.domain.answers import answer_tokens
from quiz.domain.bank import CHOICE_TYPES, Question


class InvalidResponse(ValueError):
    """A response that does not fit its question (wrong kind, unknown choice...)."""


@dataclass(frozen=True)
class Verdict:
    correct: bool
    score: float
    expected: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "score": self.score, "expected": list(self.expected)}


Grader = Callable[[Question, Any, frozenset[str]], Verdict]
GRADERS: dict[str, Grader] = {}

MIN_FUZZY_LENGTH = 8  # shorter answers must be spelt right: too many short words are one typo apart

# One edit away, opposite meaning: "asynchronous", "hypocalcaemia" are never typos.
NEGATING_PREFIXES = ("a", "an", "non", "un", "in", "im", "ir", "il", "dis", "anti", "de", "mis")
SWAPPED_PREFIXES = (
    ("hypo", "hyper"),
    ("micro", "macro"),
    ("intra", "extra"),
    ("inter", "intra"),
    ("pre", "post"),
    ("sub", "supra"),
    ("endo", "exo"),
    ("in", "ex"),
    ("under", "over"),
    ("ante", "anti"),
)


def grader(*types: str) -> Callable[[Grader], Grader]:
    def register(function: Grader) -> Grader:
        for question_type in types:
            GRADERS[question_type] = function
        return function

    return register


def grade(question: Question, response: Any, vocabulary: frozenset[str] = frozenset()) -> Verdict:
    """Grade a response to a question.

    Args:
        question: the question as it was asked.
        response: a choice index (mcq, truefalse), a list of indexes (multi) or text.
        vocabulary: normalised words of the subject (see `answers.answer_tokens`); a typed
            word found here was meant, so it is never forgiven as a typo of another.

    Returns:
        The verdict, with the expected answer(s) as text.

    Raises:
        InvalidResponse: the response is of the wrong kind for the question.
    """
    try:
        function = GRADERS[question.type]
    except KeyError:
        raise InvalidResponse(f"no grader for type '{question.type}'") from None
    return function(question, response, vocabulary)


def expected_answers(question: Question) -> tuple[str, ...]:
    """Return the correct answer(s) as a student should see them."""
    if question.type in CHOICE_TYPES:
        return tuple(c.text for c in question.choices if c.correct)
    return question.answers[:1]


def _check_index(question: Question, index: Any) -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        raise InvalidResponse("pick one of the choices")
    if not 0 <= index < len(question.choices):
        raise InvalidResponse("that choice is not part of this question")
    return index


@grader("mcq", "truefalse")
def grade_single_choice(question: Question, response: Any, _vocabulary: frozenset[str]) -> Verdict:
    index = _check_index(question, response)
    correct = question.choices[index].correct
    return Verdict(correct, 1.0 if correct else 0.0, expected_answers(question))


@grader("multi")
def grade_multiple_choice(
    question: Question, response: Any, _vocabulary: frozenset[str]
) -> Verdict:
    """Score multi answers as Moodle does: right picks earn, wrong picks cost, floor 0."""
    if isinstance(response, (str, bytes)) or not isinstance(response, Sequence):
        raise InvalidResponse("pick one or more of the choices")
    picked = {_check_index(question, index) for index in response}
    if not picked:
        raise InvalidResponse("pick at least one choice")
    right = {i for i, c in enumerate(question.choices) if c.correct}
    wrong_count = len(question.choices) - len(right)
    gained = len(picked & right) / len(right)
    lost = len(picked - right) / wrong_count if wrong_count else 0.0
    score = round(max(0.0, gained - lost), 4)
    return Verdict(picked == right, score, expected_answers(question))


@grader("short", "cloze")
def grade_typed(question: Question, response: Any, vocabulary: frozenset[str]) -> Verdict:
    if not isinstance(response, str):
        raise InvalidResponse("type an answer")
    typed = answer_tokens(response)
    if not typed:
        raise InvalidResponse("type an answer")
    correct = any(
        _same_answer(typed, answer_tokens(accepted), vocabulary) for accepted in question.answers
    )
    return Verdict(correct, 1.0 if correct else 0.0, expected_answers(question))


def _same_answer(
    typed: tuple[str, ...], accepted: tuple[str, ...], vocabulary: frozenset[str]
) -> bool:
    """Match word for word, forgiving a small typo inside a long word of a long answer.

    A word is forgiven only a slip (one edit in five letters, two in nine), and never
    when it is another word of the subject or the same word with an opposite prefix, so
    "brain" for "bone" or "asynchronous" for "synchronous" never pass as typos.
    """
    if typed == accepted or "".join(typed) == "".join(accepted):  # "HER-2" is "HER2"
        return True
    if len(typed) != len(accepted) or len(" ".join(accepted)) < MIN_FUZZY_LENGTH:
        return False
    return all(_close_word(t, a, vocabulary) for t, a in zip(typed, accepted, strict=True))


def _close_word(typed: str, accepted: str, vocabulary: frozenset[str]) -> bool:
    if typed == accepted:
        return True
    if typed.isdigit() or accepted.isdigit() or typed in vocabulary:
        return False
    if _opposite_prefix(typed, accepted):
        return False
    shorter = min(len(typed), len(accepted))
    allowed = 2 if shorter >= 9 else 1 if shorter >= 5 else 0
    return allowed > 0 and Levenshtein.distance(typed, accepted, score_cutoff=allowed) <= allowed


def _opposite_prefix(first: str, second: str) -> bool:
    """Tell whether two words differ by a prefix that reverses or shifts their meaning."""
    for word, other in ((first, second), (second, first)):
        if any(word == prefix + other for prefix in NEGATING_PREFIXES):
            return True
        for prefix, swapped in SWAPPED_PREFIXES:
            for a, b in ((prefix, swapped), (swapped, prefix)):
                if word.startswith(a) and other.startswith(b) and word[len(a) :] == other[len(b) :]:
                    return True
    return False
