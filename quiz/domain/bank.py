"""The question bank's interchange schema: parse, validate and dump.

Every problem is reported with the file and line it comes from, so an author can go
straight to it; a bank with any problem is never loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from quiz.domain import yamlnodes
from quiz.domain.answers import contains_phrase, normalise_answer
from quiz.domain.sources import Source
from quiz.domain.yamlnodes import Located

QUESTION_TYPES = ("mcq", "multi", "truefalse", "short", "cloze")
CHOICE_TYPES = frozenset({"mcq", "multi", "truefalse"})
TYPED_TYPES = frozenset({"short", "cloze"})
ORIGINS = ("authored", "generated")
STATUSES = ("draft", "approved", "retired")
BLANK = "{{blank}}"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

MAX_ID = 80
MAX_PROMPT = 1000
MAX_CHOICE = 300
MAX_FEEDBACK = 1000
MAX_EXPLANATION = 3000
MAX_QUOTE = 3000
MAX_CHOICES = 12
MAX_ANSWERS = 20

_FIELDS = frozenset(
    {
        "id",
        "type",
        "prompt",
        "choices",
        "answers",
        "explanation",
        "source",
        "topics",
        "difficulty",
        "origin",
        "status",
    }
)
_REQUIRED = ("id", "type", "prompt", "explanation", "source", "topics")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bank file."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class BankError(ValueError):
    """A bank that cannot be loaded; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class SourceRef:
    document: str
    passage: str
    quote: str


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Question:
    """A question in the bank's schema; file and line say where it was read from."""

    id: str
    type: str
    prompt: str
    explanation: str
    source: SourceRef
    topics: tuple[str, ...]
    choices: tuple[Choice, ...] = ()
    answers: tuple[str, ...] = ()
    difficulty: int = 2
    origin: str = "authored"
    status: str = "draft"
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, name: str) -> int:
        """Return the line of a field, falling back to the question's own line."""
        return self.field_lines.get(name, self.line)

    def to_dict(self) -> dict[str, Any]:
        """Return the question in the interchange schema, omitting empty fields."""
        data: dict[str, Any] = {"id": self.id, "type": self.type, "prompt": self.prompt}
        if self.type in CHOICE_TYPES:
            data["choices"] = [
                {
                    "text": c.text,
                    "correct": c.correct,
                    **({"feedback": c.feedback} if c.feedback else {}),
                }
                for c in self.choices
            ]
        if self.type in TYPED_TYPES:
            data["answers"] = list(self.answers)
        data["explanation"] = self.explanation
        data["source"] = {
            "document": self.source.document,
            "passage": self.source.passage,
            "quote": self.source.quote,
        }
        data["topics"] = list(self.topics)
        data["difficulty"] = self.difficulty
        data["origin"] = self.origin
        data["status"] = self.status
        return data


def parse_topics(text: str, filename: str) -> tuple[list[Topic], list[Problem]]:
    """Parse a topics file: a list of {slug, title, description}."""
    problems: list[Problem] = []
    try:
        root = yamlnodes.load(text)
    except yamlnodes.YamlSyntaxError as exc:
        return [], [Problem(filename, exc.line, exc.message)]
    if not isinstance(root.value, list):
        return [], [Problem(filename, root.line, "expected a list of topics")]
    topics: list[Topic] = []
    seen: set[str] = set()
    for item in root.value:
        if not isinstance(item.value, dict):
            problems.append(Problem(filename, item.line, "a topic must be a mapping"))
            continue
        slug = _text(item.value.get("slug"))
        title = _text(item.value.get("title"))
        if not slug or not ID_PATTERN.match(slug):
            problems.append(Problem(filename, item.line, "topic needs a slug of [a-z0-9-]"))
            continue
        if slug in seen:
            problems.append(Problem(filename, item.line, f"duplicate topic '{slug}'"))
            continue
        seen.add(slug)
        topics.append(Topic(slug, title or slug, _text(item.value.get("description"))))
    return topics, problems


def parse_bank(text: str, filename: str) -> tuple[list[Question], list[Problem]]:
    """Parse one bank file (YAML list, or a JSON array) into questions.

    Returns:
        The questions that could be read, and the problems found while reading. A
        question with a structural problem is left out; semantic checks are
        `validate`'s job.
    """
    try:
        root = yamlnodes.load(text)
    except yamlnodes.YamlSyntaxError as exc:
        return [], [Problem(filename, exc.line, exc.message)]
    if root.value is None:
        return [], [Problem(filename, 1, "file holds no questions")]
    if not isinstance(root.value, list):
        return [], [Problem(filename, root.line, "expected a list of questions")]
    questions: list[Question] = []
    problems: list[Problem] = []
    for item in root.value:
        question = _read_question(item, filename, problems)
        if question is not None:
            questions.append(question)
    return questions, problems


def _text(node: Located | None) -> str:
    if node is None or not isinstance(node.value, str):
        return ""
    return node.value.strip()


def _read_question(item: Located, filename: str, problems: list[Problem]) -> Question | None:
    def problem(line: int, message: str) -> None:
        problems.append(Problem(filename, line, message))

    if not isinstance(item.value, dict):
        problem(item.line, "a question must be a mapping of fields")
        return None
    data = item.value
    before = len(problems)
    for key in data:
        if key not in _FIELDS:
            problem(data[key].line, f"unknown field '{key}'")
    for key in _REQUIRED:
        if key not in data or data[key].value in (None, "", [], {}):
            problem(item.line, f"missing field '{key}'")
    for key in ("id", "type", "prompt", "explanation", "difficulty", "origin", "status"):
        if key in data and data[key].value is not None and not isinstance(data[key].value, str):
            problem(data[key].line, f"'{key}' must be text, not a list or mapping")
    if len(problems) > before:
        return None

    qtype = _text(data["type"])
    choices = _read_choices(data.get("choices"), problem)
    answers = _read_strings(data.get("answers"), "answers", problem)
    topics = _read_strings(data.get("topics"), "topics", problem)
    source = _read_source(data["source"], problem)
    difficulty = _read_int(data.get("difficulty"), 2, problem)
    if source is None or choices is None or answers is None or topics is None or difficulty is None:
        return None
    field_lines = {key: node.line for key, node in data.items()}
    return Question(
        id=_text(data["id"]),
        type=qtype,
        prompt=_text(data["prompt"]),
        explanation=_text(data["explanation"]),
        source=source,
        topics=tuple(topics),
        choices=tuple(choices),
        answers=tuple(answers),
        difficulty=difficulty,
        origin=_text(data.get("origin")) or "authored",
        status=_text(data.get("status")) or "draft",
        file=filename,
        line=item.line,
        field_lines=field_lines,
    )


def _read_choices(node: Located | None, problem: Any) -> list[Choice] | None:
    if node is None or node.value is None:
        return []
    if not isinstance(node.value, list):
        problem(node.line, "'choices' must be a list")
        return None
    choices: list[Choice] = []
    for entry in node.value:
        if isinstance(entry.value, dict):
            unknown = set(entry.value) - {"text", "correct", "feedback"}
            for key in sorted(unknown):
                problem(entry.value[key].line, f"unknown choice field '{key}'")
            correct = _read_bool(entry.value.get("correct"), problem)
            text = _text(entry.value.get("text"))
            if not text:
                problem(entry.line, "a choice needs 'text'")
            if unknown or correct is None or not text:
                return None
            choices.append(Choice(text, correct, _text(entry.value.get("feedback"))))
        else:
            problem(entry.line, "a choice must be a mapping with 'text' and 'correct'")
            return None
    return choices


def _read_bool(node: Located | None, problem: Any) -> bool | None:
    if node is None or node.value is None:
        return False
    if isinstance(node.value, str) and node.value.lower() in ("true", "false"):
        return node.value.lower() == "true"
    problem(node.line, "'correct' must be true or false")
    return None


def _read_int(node: Located | None, default: int, problem: Any) -> int | None:
    if node is None or node.value is None:
        return default
    if isinstance(node.value, str) and node.value.strip().isdigit():
        return int(node.value)
    problem(node.line, "'difficulty' must be a whole number from 1 to 3")
    return None


def _read_strings(node: Located | None, name: str, problem: Any) -> list[str] | None:
    if node is None or node.value is None:
        return []
    if isinstance(node.value, str):
        return [node.value.strip()]
    if not isinstance(node.value, list):
        problem(node.line, f"'{name}' must be a list of text")
        return None
    values = []
    for entry in node.value:
        if not isinstance(entry.value, str) or not entry.value.strip():
            problem(entry.line, f"'{name}' entries must be non-empty text")
            return None
        values.append(entry.value.strip())
    return values


def _read_source(node: Located, problem: Any) -> SourceRef | None:
    if not isinstance(node.value, dict):
        problem(node.line, "'source' must have document, passage and quote")
        return None
    for key in node.value:
        if key not in ("document", "passage", "quote"):
            problem(node.value[key].line, f"unknown source field '{key}'")
            return None
    missing = [k for k in ("document", "passage", "quote") if not _text(node.value.get(k))]
    if missing:
        problem(node.line, f"source is missing {', '.join(missing)}")
        return None
    return SourceRef(
        _text(node.value["document"]), _text(node.value["passage"]), _text(node.value["quote"])
    )


def validate(
    questions: Iterable[Question],
    sources: Mapping[str, Source],
    topics: Iterable[str],
) -> list[Problem]:
    """Check questions against the schema's rules, their sources and the known topics.

    Returns:
        Every problem found, in file and line order; empty when the bank is sound.
    """
    known_topics = set(topics)
    problems: list[Problem] = []
    first_seen: dict[str, Question] = {}
    for question in questions:

        def problem(name: str, message: str, q: Question = question) -> None:
            problems.append(Problem(q.file, q.line_of(name), message))

        if question.id in first_seen:
            other = first_seen[question.id]
            problem("id", f"duplicate id '{question.id}' (first at {other.file}:{other.line})")
        else:
            first_seen[question.id] = question
        _check_fields(question, problem)
        _check_type_rules(question, problem)
        _check_source(question, sources, problem)
        for topic in question.topics:
            if topic not in known_topics:
                problem("topics", f"unknown topic '{topic}'")
    return sorted(problems, key=lambda p: (p.file, p.line))


def _check_fields(q: Question, problem: Any) -> None:
    if not ID_PATTERN.match(q.id) or len(q.id) > MAX_ID:
        problem("id", f"id '{q.id}' must be lowercase letters, digits and single hyphens")
    if q.type not in QUESTION_TYPES:
        problem("type", f"unknown type '{q.type}' (expected one of {', '.join(QUESTION_TYPES)})")
    if q.origin not in ORIGINS:
        problem("origin", f"origin must be one of {', '.join(ORIGINS)}")
    if q.status not in STATUSES:
        problem("status", f"status must be one of {', '.join(STATUSES)}")
    if not 1 <= q.difficulty <= 3:
        problem("difficulty", "'difficulty' must be a whole number from 1 to 3")
    limits = (
        ("prompt", q.prompt, MAX_PROMPT),
        ("explanation", q.explanation, MAX_EXPLANATION),
        ("source", q.source.quote, MAX_QUOTE),
    )
    for name, value, limit in limits:
        if len(value) > limit:
            problem(name, f"'{name}' is longer than {limit} characters")
    if any(len(c.text) > MAX_CHOICE or len(c.feedback) > MAX_FEEDBACK for c in q.choices):
        problem("choices", f"a choice is longer than {MAX_CHOICE} characters")
    if len(q.choices) > MAX_CHOICES:
        problem("choices", f"more than {MAX_CHOICES} choices")
    if len(q.answers) > MAX_ANSWERS or any(len(a) > MAX_CHOICE for a in q.answers):
        problem("answers", f"at most {MAX_ANSWERS} answers of {MAX_CHOICE} characters")


def _check_type_rules(q: Question, problem: Any) -> None:
    if q.type in CHOICE_TYPES:
        if q.answers:
            problem("answers", f"a {q.type} question takes 'choices', not 'answers'")
        correct = [c for c in q.choices if c.correct]
        wrong = [c for c in q.choices if not c.correct]
        if q.type == "truefalse":
            texts = sorted(normalise_answer(c.text) for c in q.choices)
            if texts != ["false", "true"]:
                problem("choices", "a truefalse question has exactly the choices True and False")
            elif len(correct) != 1:
                problem("choices", "a truefalse question has exactly one correct choice")
            return
        if len(q.choices) < 2:
            problem("choices", f"a {q.type} question needs at least two choices")
        if q.type == "mcq" and len(correct) != 1:
            problem("choices", f"an mcq needs exactly one correct choice (has {len(correct)})")
        if q.type == "multi" and not correct:
            problem("choices", "a multi question needs at least one correct choice")
        right = {normalise_answer(c.text) for c in correct}
        for choice in wrong:
            if normalise_answer(choice.text) in right:
                problem("choices", f"distractor '{choice.text}' equals a correct answer")
        texts = [normalise_answer(c.text) for c in q.choices]
        if len(set(texts)) != len(texts):
            problem("choices", "two choices say the same thing")
    elif q.type in TYPED_TYPES:
        if q.choices:
            problem("choices", f"a {q.type} question takes 'answers', not 'choices'")
        if not q.answers:
            problem("answers", f"a {q.type} question needs at least one accepted answer")
        if q.type == "cloze" and q.prompt.count(BLANK) != 1:
            problem("prompt", f"a cloze prompt holds exactly one {BLANK}")
        visible_prompt = q.prompt.replace(BLANK, " ")
        for answer in q.answers:
            if contains_phrase(visible_prompt, answer):
                problem("prompt", f"the prompt gives away its answer '{answer}'")
                break


def _check_source(q: Question, sources: Mapping[str, Source], problem: Any) -> None:
    source = sources.get(q.source.document)
    if source is None:
        problem("source", f"unknown source document '{q.source.document}'")
        return
    passage = source.passage(q.source.passage)
    if passage is None:
        problem("source", f"unknown passage '{q.source.passage}' in '{q.source.document}'")
        return
    if " ".join(q.source.quote.split()) not in passage.text:
        problem("source", f"quote is not found in passage '{q.source.passage}'")
