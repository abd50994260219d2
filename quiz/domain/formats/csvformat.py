"""Read and write questions as CSV: one row per question, under a header row.

The file is RFC 4180 CSV in UTF-8 (a leading byte-order mark is accepted), separated by
commas; a field holding a comma, a quote or a line break is quoted. The first row names
the columns, in any order, and every one must be there:

=============  ===================================================================
column         holds
=============  ===================================================================
id             the question's id (lowercase letters, digits, single hyphens)
type           mcq, multi, truefalse, short or cloze
prompt         the question; a cloze prompt holds ``{{blank}}`` once
answers        short and cloze: accepted answers separated by `` | ``, the first
               canonical, e.g. ``secondary tumour | secondary``
choices        mcq, multi and truefalse: choices separated by `` | ``; a correct one
               starts with ``*``; feedback follows `` ## ``, e.g.
               ``*bone ## Bone takes most. | brain``
explanation    why the answer is right
document       the source note's id (its file name without .md)
passage        the passage id within that note
quote          the sentence(s) quoted from the passage
topics         topic slugs separated by `` | ``
difficulty     1, 2 or 3 (empty: 2)
origin         authored or generated (empty: authored)
status         draft, approved or retired (empty: draft)
=============  ===================================================================

In the answers, choices and topics columns a backslash escapes a literal ``|`` (``\\|``),
``#`` (``\\#``), ``*`` (``\\*``) or backslash (``\\\\``); the export escapes every ``#`` in a
choice and a ``*`` that starts one. Every value is text: ``no``, ``on`` or ``1:20`` stay
those words, and only ``difficulty`` is read as a number.

Spreadsheets run a cell that starts with ``= + - @``, a tab, a carriage return or NUL
as a formula (CSV injection, OWASP ASVS 1.2.10), so the export puts a ``'`` in front of
such a cell, and in front of a cell that already starts with ``'`` and one of those
characters. The import removes exactly that one quote when the rest of the cell starts
with one of them (or with ``'`` and one of them), so a round trip keeps every value as
it was. Nothing else is lost through CSV either, apart from a value's leading and
trailing spaces (the bank strips them anyway) and carriage returns inside a value,
which become plain line breaks.

Limits and refusals: a field may hold up to `MAX_FIELD` (100,000) characters, and a
longer one is a problem on its row. The process-wide `csv.field_size_limit()` is left
alone (other code shares it; its default, 131,072, is above `MAX_FIELD`), so a field
longer than that stops reading with a problem at its row. A file holding NUL
characters (UTF-16, or binary) is refused at once; a header separated by semicolons or
tabs, or naming none of the columns, gets one problem, and so does one of many columns
(10,000, say), not one per column. A row with more or fewer cells than the header, a
choice question with answers or a typed one with choices, and a duplicate id are
problems too. Parsing never raises: every problem comes back with its line (a row's
first line), and no question is returned when there is any.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence

from quiz.domain.bank import CHOICE_TYPES, TYPED_TYPES, Choice, Problem, Question, SourceRef

COLUMNS = (
    "id",
    "type",
    "prompt",
    "answers",
    "choices",
    "explanation",
    "document",
    "passage",
    "quote",
    "topics",
    "difficulty",
    "origin",
    "status",
)
REQUIRED = ("id", "type", "prompt", "explanation", "topics")
SOURCE_COLUMNS = ("document", "passage", "quote")
MAX_FIELD = 100_000
SEPARATOR = " | "
FEEDBACK_SEPARATOR = " ## "
# Leading characters a spreadsheet would run as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
GUARD = "'"

_UNESCAPE_RE = re.compile(r"\\([\\|#*])")
_Report = Callable[[int, str], None]  # (line, message): records a problem
_Fail = Callable[[str], None]  # (message): records a problem on the current row


# ---------------------------------------------------------------------------- writing


def dump_csv(questions: Sequence[Question]) -> str:
    """Write questions as CSV: the header row, then one row per question.

    Returns:
        The file's text, rows ending in CRLF as RFC 4180 has them.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for q in questions:
        cells = {
            "id": q.id,
            "type": q.type,
            "prompt": q.prompt,
            "answers": SEPARATOR.join(_escape(a) for a in q.answers),
            "choices": SEPARATOR.join(_dump_choice(c) for c in q.choices),
            "explanation": q.explanation,
            "document": q.source.document,
            "passage": q.source.passage,
            "quote": q.source.quote,
            "topics": SEPARATOR.join(_escape(t) for t in q.topics),
            "difficulty": str(q.difficulty),
            "origin": q.origin,
            "status": q.status,
        }
        writer.writerow([guard_cell(cells[name]) for name in COLUMNS])
    return buffer.getvalue()


def guard_cell(value: str) -> str:
    """Put a `'` in front of a cell a spreadsheet would run as a formula.

    A cell that already starts with `'` and such a character gets one too, so that
    `unguard_cell` can tell the guard from a quote that belongs to the text.
    """
    return GUARD + value if _needs_guard(value) else value


def unguard_cell(value: str) -> str:
    """Remove the one `'` that `guard_cell` added, and nothing else."""
    if value.startswith(GUARD) and _needs_guard(value[1:]):
        return value[1:]
    return value


def _needs_guard(value: str) -> bool:
    return value.startswith(FORMULA_STARTS) or (
        value.startswith(GUARD) and value[1:].startswith(FORMULA_STARTS)
    )


def _dump_choice(choice: Choice) -> str:
    text = _escape(choice.text).replace("#", "\\#")
    if text.startswith("*"):
        text = "\\" + text
    entry = ("*" if choice.correct else "") + text
    if choice.feedback:
        entry += FEEDBACK_SEPARATOR + _escape(choice.feedback).replace("#", "\\#")
    return entry


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


# ---------------------------------------------------------------------------- reading


def parse_csv(text: str, filename: str) -> tuple[list[Question], list[Problem]]:
    """Read a CSV file of questions.

    Args:
        text: the file's text, already decoded.
        filename: the name problems are reported against.

    Returns:
        The questions and no problems, or no questions and every problem found (in line
        order): an import takes the whole file or nothing.
    """
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(filename, line, message))

    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problem(line, "the file holds NUL characters: save it as UTF-8 text")
        return [], problems
    if not text.strip():
        problem(1, "file holds no questions")
        return [], problems

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: dict[str, int] | None = None
    header_size = 0
    questions: list[Question] = []
    first_line: dict[str, int] = {}
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problem(line, _csv_error(exc))
            break
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = _read_header(row, line, problem)
            header_size = len(row)
            if header is None:
                break
            continue
        if len(row) != header_size:
            problem(line, f"the row has {len(row)} cells but the header names {header_size}")
            continue
        cells = {name: row[index] for name, index in header.items()}
        question = _read_row(cells, filename, line, problem)
        if question is None:
            continue
        if question.id in first_line:
            problem(line, f"duplicate id '{question.id}' (first at line {first_line[question.id]})")
        else:
            first_line[question.id] = line
        questions.append(question)
    if not questions and not problems:
        problem(1, "file holds no questions")
    if problems:
        return [], sorted(problems, key=lambda p: p.line)
    return questions, []


def _csv_error(exc: csv.Error) -> str:
    message = str(exc)
    if "field larger than field limit" in message:
        return f"a field is longer than {MAX_FIELD} characters; the rest was not read"
    if "unexpected end of data" in message:
        return "a quoted field opened on this row is never closed"
    return f"not readable as CSV ({message}); the rest was not read"


def _read_header(row: list[str], line: int, problem: _Report) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in row]
    if len(names) == 1:
        for delimiter, label in ((";", "semicolons"), ("\t", "tabs")):
            if delimiter in names[0]:
                problem(line, f"the columns are separated by {label}: save it as comma-separated")
                return None
    if len(names) > 10 * len(COLUMNS):
        problem(line, f"the header has {len(names)} columns; expected {','.join(COLUMNS)}")
        return None
    if not set(names) & set(COLUMNS):
        problem(
            line, f"not a quiz CSV file: the first row must name the columns {','.join(COLUMNS)}"
        )
        return None
    sound = True
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        shown = ", ".join(f"'{n[:40]}'" for n in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        problem(line, f"unknown column(s) {shown}{more}")
        sound = False
    doubled = sorted({n for n in names if names.count(n) > 1 and n in COLUMNS})
    if doubled:
        problem(line, f"column(s) named twice: {', '.join(doubled)}")
        sound = False
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        problem(
            line,
            f"missing column(s) {', '.join(missing)}: the first row must name the columns "
            f"{','.join(COLUMNS)}",
        )
        sound = False
    return {name: names.index(name) for name in COLUMNS} if sound else None


def _read_row(raw: dict[str, str], filename: str, line: int, problem: _Report) -> Question | None:
    failed = False

    def fail(message: str) -> None:
        nonlocal failed
        failed = True
        problem(line, message)

    cells: dict[str, str] = {}
    for name in COLUMNS:
        value = raw[name]
        if len(value) > MAX_FIELD:
            fail(f"column '{name}' is longer than {MAX_FIELD} characters")
        value = unguard_cell(value).replace("\r\n", "\n").replace("\r", "\n")
        cells[name] = value.strip()
    if failed:
        return None
    for name in REQUIRED:
        if not cells[name]:
            fail(f"missing field '{name}'")
    missing = [name for name in SOURCE_COLUMNS if not cells[name]]
    if missing:
        fail(f"source is missing {', '.join(missing)}")
    difficulty = 2
    if cells["difficulty"]:
        if cells["difficulty"].isdigit():
            difficulty = int(cells["difficulty"])
        else:
            fail("'difficulty' must be a whole number from 1 to 3")
    answers = _read_list(cells["answers"], "answers", fail)
    topics = _read_list(cells["topics"], "topics", fail)
    choices = _read_choices(cells["choices"], fail)
    qtype = cells["type"]
    if qtype in CHOICE_TYPES and cells["answers"]:
        fail(f"a {qtype} question takes 'choices', not 'answers'")
    if qtype in TYPED_TYPES and cells["choices"]:
        fail(f"a {qtype} question takes 'answers', not 'choices'")
    if failed:
        return None
    return Question(
        id=cells["id"],
        type=qtype,
        prompt=cells["prompt"],
        explanation=cells["explanation"],
        source=SourceRef(cells["document"], cells["passage"], cells["quote"]),
        topics=tuple(topics),
        choices=tuple(choices),
        answers=tuple(answers),
        difficulty=difficulty,
        origin=cells["origin"] or "authored",
        status=cells["status"] or "draft",
        file=filename,
        line=line,
        field_lines=dict.fromkeys((*COLUMNS, "source"), line),
    )


def _split(text: str, separator: str) -> list[str]:
    """Split at each separator not escaped by a backslash; the pieces stay escaped."""
    pieces: list[str] = []
    start = index = 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
        elif text.startswith(separator, index):
            pieces.append(text[start:index])
            index += len(separator)
            start = index
        else:
            index += 1
    pieces.append(text[start:])
    return pieces


def _unescape(text: str) -> str:
    return _UNESCAPE_RE.sub(r"\1", text).strip()


def _read_list(cell: str, name: str, fail: _Fail) -> list[str]:
    if not cell:
        return []
    values = [_unescape(piece) for piece in _split(cell, "|")]
    if not all(values):
        fail(f"'{name}' entries must be non-empty text (separate them with ' | ')")
    return values


def _read_choices(cell: str, fail: _Fail) -> list[Choice]:
    if not cell:
        return []
    choices: list[Choice] = []
    for piece in _split(cell, "|"):
        entry = piece.strip()
        correct = entry.startswith("*")
        text, *feedback = _split(entry.removeprefix("*"), "##")
        choice = Choice(_unescape(text), correct, _unescape("##".join(feedback)))
        if not choice.text:
            fail("a choice has no text (separate choices with ' | ')")
        choices.append(choice)
    return choices
