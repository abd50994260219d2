"""Read and write questions in Moodle's GIFT format.

GIFT (https://docs.moodle.org/en/GIFT_format, Moodle's `question/format/gift/format.php`)
is plain text: questions are separated by blank lines, `//` starts a comment line,
`::title::` names a question and the answers sit in braces after (or inside) the text.

How this app's questions map onto GIFT:

- `mcq`: `{=right ~wrong#feedback}`.
- `multi`: every choice carries a weight, `~%50%right ~%-50%wrong`. The correct choices
  share +100 equally; the wrong ones share -100 equally, which is how this app scores
  a multi question (the share of right picks minus the share of wrong ones).
- `truefalse`: `{T}` or `{F}`; choice feedback is written as GIFT defines it,
  `{T#shown for a wrong answer#shown for a right answer}`.
- `short`: `{=answer =other wording}`.
- `cloze`: GIFT's "missing word" form: the answer braces stand where `{{blank}}` was,
  `The commonest site is {=bone =the skeleton}.` Moodle imports that as a short-answer
  question showing `_____` in the gap; this reader turns the braces back into `{{blank}}`.
- The question's id is its title, `::id::`; the explanation is the general feedback
  after `####`.
- The prompt is marked `[plain]`: every text here is plain text, never HTML, so Moodle
  shows a `<script>` in a prompt as the characters it is.
- `~ = # { } :` and the backslash are escaped with a backslash, line breaks as `\\n`,
  and `->` in a typed answer as `-\\>` (otherwise Moodle would read a matching question).

GIFT has nowhere for the other fields, so each question is preceded by one comment line
holding them as JSON (Moodle skips it like any comment)::

    // quiz: {"source": {"document": ..., "passage": ..., "quote": ...}, "topics": [...],
    //        "difficulty": 2, "origin": "authored", "status": "approved"}

(on a single line; keys other than `source` may be left out: difficulty 2, origin
authored and status draft are the defaults). A cloze question's comment also says
`"type": "cloze"`, so a gap at the very end of the prompt survives too. With these, a
round trip keeps every field but one: a truefalse question's choices come back as
`True`, `False` in that order, since GIFT writes only `T` or `F`. (Leading and trailing
spaces of a text, and carriage returns in it, are not kept either; the bank has none.)

Reading a GIFT file from elsewhere (one without `// quiz:` comments) is stricter than
Moodle: every question here must quote its source passage, so each such question is
reported as a problem ("no source passage ..."), as are missing topics; so are a
missing title or general feedback (the explanation), partial credit this app cannot
score (`~%50%` in a single-answer question, `=%50%` or `#feedback` on a typed answer,
weights outside -100..100 or positive ones not adding up to 100), and GIFT's numerical,
matching, essay and description questions ("unsupported GIFT question type"). A title
that is not an id already becomes one (`::Grant's tomb::` gives `grant-s-tomb`); a
multiple-choice "missing word" question shows `_____` in its gap, as in Moodle.
`$CATEGORY:` lines and other comments are ignored, inside braces too; a leading
`[html]`, `[markdown]`, `[moodle]` or `[plain]` marker is dropped and the text kept as
it is (the app escapes it on output), so HTML entities stay as written. Besides
Moodle's escapes this reader takes `\\\\` as one backslash (Moodle's own export writes
it so) and `\\>` as `>`. Parsing never raises: every problem comes back with its line,
and no question is returned when there is any.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quiz.domain.bank import BLANK, ID_PATTERN, MAX_ID, Choice, Problem, Question, SourceRef

COMMENT_PREFIX = "// quiz:"
PLAIN = "[plain]"
FORMAT_MARKERS = ("[html]", "[markdown]", "[moodle]", "[plain]")
GAP = "_____"
META_FIELDS = ("type", "source", "topics", "difficulty", "origin", "status")
NO_SOURCE = "no source passage: GIFT from elsewhere needs source.document/passage/quote"
UNSUPPORTED = "unsupported GIFT question type"

_HEADER = (
    "// Questions exported by quiz in Moodle's GIFT format.\n"
    '// Each "// quiz:" line holds, as JSON, the fields GIFT has no place for (source,\n'
    "// topics, difficulty, origin, status); keep it directly above its question.\n"
)

# Escaped characters are masked with private-use code points while the text is taken
# apart, so that a `\{` can never be mistaken for a brace; they are unmasked at the end.
_ESCAPABLE = "\\:#={}~n>"
_MASK_BASE = 0x10FF00
_MASK = {c: chr(_MASK_BASE + ord(c)) for c in _ESCAPABLE}
_GAP_MARK = chr(_MASK_BASE)
_RESERVED = re.compile("[\U0010ff00-\U0010ffff]")
_ESCAPE_RE = re.compile(r"\\([\\:#={}~n>])")
_WEIGHT_RE = re.compile(r"%(-?\d+(?:\.\d+)?)%")
_TF_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_SPECIAL_RE = re.compile(r"([\\~=#{}:])")
# Characters some editors treat as line breaks; JSON leaves them raw, so escape them.
_JSON_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


# ---------------------------------------------------------------------------- writing


def dump_gift(questions: Sequence[Question]) -> str:
    """Write questions as a GIFT file, with a `// quiz:` comment above each.

    Returns:
        The file's text: questions separated by blank lines, ending with a newline.
    """
    blocks = [_HEADER.rstrip("\n")]
    blocks.extend(_dump_question(q) for q in questions)
    return "\n\n".join(blocks) + "\n"


def _dump_question(q: Question) -> str:
    meta: dict[str, Any] = {}
    if q.type == "cloze":
        meta["type"] = "cloze"
    meta["source"] = {
        "document": q.source.document,
        "passage": q.source.passage,
        "quote": q.source.quote,
    }
    meta["topics"] = list(q.topics)
    meta["difficulty"] = q.difficulty
    meta["origin"] = q.origin
    meta["status"] = q.status
    comment = json.dumps(meta, ensure_ascii=False)
    for char, escaped in _JSON_BREAKS.items():
        comment = comment.replace(char, escaped)
    head = f"{COMMENT_PREFIX} {comment}\n::{_escape(q.id)}::{PLAIN}"
    feedback = f"####{_field(q.explanation)}" if q.explanation else ""

    if q.type == "cloze":
        before, _, after = q.prompt.partition(BLANK)
        answers = " ".join(f"={_answer(a)}" for a in q.answers)
        return f"{head}{_escape(before)}{{{answers}{feedback}}}{_escape(after)}"

    lines = []
    if q.type == "truefalse":
        lines.append(_truefalse(q))
    elif q.type == "mcq":
        for choice in q.choices:
            mark = "=" if choice.correct else ("~%0%" if choice.text.startswith("%") else "~")
            lines.append(mark + _choice(choice))
    elif q.type == "multi":
        right = sum(1 for c in q.choices if c.correct)
        wrong = len(q.choices) - right
        for choice in q.choices:
            weight = 100 / right if choice.correct else -100 / wrong
            lines.append(f"~%{_number(weight)}%{_choice(choice)}")
    else:  # short, and any type GIFT would not know: its accepted answers
        lines.extend(f"={_answer(a)}" for a in q.answers)
    if feedback:
        lines.append(feedback)
    body = "".join(f"\t{line}\n" for line in lines)
    return f"{head}{_escape(q.prompt)}{{\n{body}}}"


def _truefalse(q: Question) -> str:
    truth = next((c for c in q.choices if c.text.strip().lower() == "true"), None)
    falsity = next((c for c in q.choices if c.text.strip().lower() == "false"), None)
    answer = truth is not None and truth.correct
    right, wrong = (truth, falsity) if answer else (falsity, truth)
    right_feedback = right.feedback if right else ""
    wrong_feedback = wrong.feedback if wrong else ""
    text = "T" if answer else "F"
    if wrong_feedback or right_feedback:
        text += f"#{_field(wrong_feedback)}"
    if right_feedback:
        text += f"#{_field(right_feedback)}"
    return text


def _choice(choice: Choice) -> str:
    text = _field(choice.text)
    return f"{text}#{_field(choice.feedback)}" if choice.feedback else text


def _answer(text: str) -> str:
    # A typed answer holding "->" would make Moodle read a matching question; and one
    # starting with "%50%" would lose that to a weight, so it gets an explicit 100%.
    escaped = _field(text).replace("->", "-\\>")
    return f"%100%{escaped}" if text.startswith("%") else escaped


def _field(text: str) -> str:
    """Escape a text that is not the prompt; keep a leading "[html]" as text."""
    escaped = _escape(text)
    return PLAIN + escaped if escaped.startswith(FORMAT_MARKERS) else escaped


def _escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SPECIAL_RE.sub(r"\\\1", text).replace("\n", "\\n")


def _number(value: float) -> str:
    # Five decimals, as Moodle's own grade list has them (33.33333, 16.66667).
    return f"{value:.5f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------------------- reading


@dataclass
class _Block:
    """One question's lines: its comment metadata and its masked GIFT text."""

    text: str  # masked: escapes replaced by private-use characters, comments removed
    starts: list[int]  # offset in `text` where each kept line starts
    lines: list[int]  # the file line of each kept line
    meta: str | None = None
    meta_line: int = 0

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]


class _Problems:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.items: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(Problem(self.filename, line, message))


def parse_gift(text: str, filename: str) -> tuple[list[Question], list[Problem]]:
    """Read a GIFT file into questions.

    Args:
        text: the file's text, already decoded.
        filename: the name problems are reported against.

    Returns:
        The questions and no problems, or no questions and every problem found (in line
        order): an import takes the whole file or nothing.
    """
    problems = _Problems(filename)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.add(line, "the file holds NUL characters: save it as UTF-8 text")
        return [], problems.items
    reserved = _RESERVED.search(text)
    if reserved:
        line = text.count("\n", 0, reserved.start()) + 1
        problems.add(line, f"reserved character U+{ord(reserved.group()):X} in the text")
        return [], problems.items

    questions: list[Question] = []
    first_line: dict[str, int] = {}
    for block in _blocks(text, problems):
        question = _read_block(block, filename, problems)
        if question is None:
            continue
        if question.id in first_line:
            problems.add(
                question.line,
                f"duplicate id '{question.id}' (first at line {first_line[question.id]})",
            )
        else:
            first_line[question.id] = question.line
        questions.append(question)
    if not questions and not problems.items:
        problems.add(1, "file holds no questions")
    if problems.items:
        return [], sorted(problems.items, key=lambda p: p.line)
    return questions, []


def _blocks(text: str, problems: _Problems) -> list[_Block]:
    """Split the text at blank lines into question blocks, dropping comments."""
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        if line.strip():
            current.append((number, line))
            continue
        if current:
            block = _make_block(current, problems)
            if block is not None:
                blocks.append(block)
            current = []
    return blocks


def _make_block(lines: list[tuple[int, str]], problems: _Problems) -> _Block | None:
    block = _Block("", [], [])
    parts: list[str] = []
    offset = 0
    for number, line in lines:
        stripped = line.strip()
        if stripped.startswith("//"):
            if stripped.startswith(COMMENT_PREFIX) or stripped.startswith("//quiz:"):
                if block.meta is not None:
                    problems.add(number, "a second // quiz: comment for the same question")
                block.meta = stripped.split(":", 1)[1]
                block.meta_line = number
            continue
        if not parts and stripped.startswith("$CATEGORY:"):
            continue  # Moodle's question-bank category: this app has topics instead
        masked = _ESCAPE_RE.sub(lambda m: _MASK[m.group(1)], line)
        block.starts.append(offset)
        block.lines.append(number)
        parts.append(masked)
        offset += len(masked) + 1
    block.text = "\n".join(parts)
    if not parts:
        if block.meta is not None:
            problems.add(block.meta_line, "a // quiz: comment with no question below it")
        return None
    return block


def _read_block(block: _Block, filename: str, problems: _Problems) -> Question | None:
    text = block.text
    qline = block.lines[0]
    before = len(problems.items)

    start = len(text) - len(text.lstrip())
    title: str | None = None
    if text.startswith("::", start):
        end = text.find("::", start + 2)
        if end < 0:
            problems.add(qline, "the title's '::' is never closed")
            return None
        title = _unmask(text[start + 2 : end]).strip()
        start = end + 2
    body_start = start

    opening = text.find("{", body_start)
    closing = text.find("}", body_start)
    if opening < 0 and closing < 0:
        if text[body_start:].strip():
            problems.add(qline, f"{UNSUPPORTED} (a description: no answers in braces)")
        else:
            problems.add(qline, "a title with no question text or answers")
        return None
    if closing < 0:
        problems.add(
            block.line_at(opening),
            "unbalanced braces: '{' is never closed (write \\{ for a literal brace)",
        )
        return None
    if opening < 0 or closing < opening:
        problems.add(
            block.line_at(closing),
            "unbalanced braces: '}' with no '{' before it (write \\} for a literal brace)",
        )
        return None
    nested = text.find("{", opening + 1, closing)
    if nested >= 0:
        problems.add(
            block.line_at(nested),
            "unbalanced braces: '{' inside an answer block (write \\{ for a literal brace)",
        )
        return None
    later = [i for i in (text.find("{", closing), text.find("}", closing + 1)) if i >= 0]
    if later:
        extra = min(later)
        problems.add(
            block.line_at(extra),
            "a second answer block or unbalanced braces (write \\{ \\} for literal braces)",
        )
        return None

    answer_text = text[opening + 1 : closing]
    explanation = ""
    general = answer_text.rfind("####")
    if general >= 0:
        explanation = _clean(answer_text[general + 4 :])
        answer_text = answer_text[:general]
    answer_offset = opening + 1
    read = _read_meta(block, problems)
    meta_ok = read is not None
    meta = read or {}

    stripped = answer_text.strip()
    gap_inside = bool(text[closing + 1 :].strip())
    qtype: str
    choices: tuple[Choice, ...] = ()
    answers: tuple[str, ...] = ()
    if not stripped:
        problems.add(qline, f"{UNSUPPORTED} (an essay: no answers in the braces)")
        return None
    if stripped.startswith("#"):
        problems.add(qline, f"{UNSUPPORTED} (numerical)")
        return None
    if "~" in stripped:
        qtype, choices = _read_choices(answer_text, answer_offset, block, problems)
    elif "=" in stripped and "->" in stripped:
        problems.add(qline, f"{UNSUPPORTED} (matching)")
        return None
    elif stripped.split("#", 1)[0].strip() in _TF_WORDS:
        qtype, choices = "truefalse", _read_truefalse(stripped)
    else:
        answers = _read_answers(answer_text, answer_offset, block, problems)
        qtype = "cloze" if gap_inside or meta.get("type") == "cloze" else "short"

    if "type" in meta and meta["type"] != qtype:
        problems.add(
            block.meta_line,
            f"the // quiz: comment says type '{meta['type']}' but the GIFT question is a {qtype}",
        )
    gap = BLANK if qtype == "cloze" else GAP
    masked_prompt = text[body_start:opening]
    if qtype == "cloze" or gap_inside:
        masked_prompt += _GAP_MARK + text[closing + 1 :]
    prompt = _clean(masked_prompt, gap)
    if not prompt:
        problems.add(qline, "the question has no text")

    question_id = _read_id(title, qline, problems)
    if not explanation:
        problems.add(qline, "missing field 'explanation' (GIFT general feedback, after ####)")
    source = meta.get("source")
    topics = meta.get("topics")
    if block.meta is None:
        problems.add(qline, NO_SOURCE)
        problems.add(qline, "missing field 'topics' (give them in a // quiz: comment)")
    elif meta_ok:
        if source is None:
            problems.add(qline, NO_SOURCE)
        if not topics:
            problems.add(qline, "missing field 'topics' (give them in the // quiz: comment)")
    if len(problems.items) > before or not isinstance(source, SourceRef):
        return None
    meta_line = block.meta_line or qline
    return Question(
        id=question_id,
        type=qtype,
        prompt=prompt,
        explanation=explanation,
        source=source,
        topics=tuple(topics or ()),
        choices=choices,
        answers=answers,
        difficulty=meta.get("difficulty", 2),
        origin=meta.get("origin", "authored"),
        status=meta.get("status", "draft"),
        file=filename,
        line=qline,
        field_lines={
            **{name: qline for name in ("id", "type", "prompt", "choices", "answers")},
            "explanation": qline,
            **{name: meta_line for name in ("source", "topics", "difficulty", "origin")},
            "status": meta_line,
        },
    )


def _read_id(title: str | None, line: int, problems: _Problems) -> str:
    if title is None:
        problems.add(line, "missing field 'id': give the question a ::title::")
        return ""
    if ID_PATTERN.match(title) and len(title) <= MAX_ID:
        return title
    # A title from elsewhere ("Grant's tomb") becomes a slug ("grant-s-tomb").
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > MAX_ID:
        slug = slug[:MAX_ID].rsplit("-", 1)[0] if "-" in slug[:MAX_ID] else slug[:MAX_ID]
    if not slug:
        problems.add(line, f"the title '{title}' has no letters or digits to make an id of")
    return slug


def _split(text: str, offset: int, separators: str) -> list[tuple[int, str]]:
    """Split masked text before each separator character, keeping the separator."""
    pieces: list[tuple[int, str]] = []
    start = 0
    for index, char in enumerate(text):
        if char in separators and index > start:
            pieces.append((offset + start, text[start:index]))
            start = index
    pieces.append((offset + start, text[start:]))
    return [(at, piece) for at, piece in pieces if piece.strip()]


def _read_choices(
    answer_text: str, offset: int, block: _Block, problems: _Problems
) -> tuple[str, tuple[Choice, ...]]:
    single = "=" in answer_text
    choices: list[Choice] = []
    weights: list[float] = []
    for at, raw in _split(answer_text, offset, "~="):
        line = block.line_at(at + len(raw) - len(raw.lstrip()))
        piece = raw.strip()
        weight = 0.0
        if piece.startswith("="):
            weight, piece = 100.0, piece[1:]
        else:
            piece = piece.removeprefix("~")
            match = _WEIGHT_RE.match(piece)
            if match:
                weight, piece = float(match.group(1)), piece[match.end() :]
                if not -100 <= weight <= 100:
                    problems.add(line, f"weight %{match.group(1)}% is outside -100..100")
                elif single and 0 < weight < 100:
                    problems.add(
                        line,
                        f"partial credit (%{match.group(1)}%) has no equivalent here: "
                        "a choice is either right or wrong",
                    )
        text, _, feedback = piece.partition("#")
        choice = Choice(_clean(text), weight >= 100 if single else weight > 0, _clean(feedback))
        if not choice.text:
            problems.add(line, "a choice has no text")
        choices.append(choice)
        weights.append(weight)
    if not single:
        total = sum(w for w in weights if w > 0)
        if not math.isclose(total, 100, abs_tol=0.05):
            problems.add(
                block.line_at(offset),
                f"the correct choices' weights add up to {_number(total)}%, not 100%",
            )
    return ("mcq" if single else "multi"), tuple(choices)


def _read_truefalse(answer_text: str) -> tuple[Choice, ...]:
    word, _, rest = answer_text.partition("#")
    wrong_feedback, _, right_feedback = rest.partition("#")
    answer = _TF_WORDS[word.strip()]
    right, wrong = _clean(right_feedback), _clean(wrong_feedback)
    return (
        Choice("True", answer, right if answer else wrong),
        Choice("False", not answer, wrong if answer else right),
    )


def _read_answers(
    answer_text: str, offset: int, block: _Block, problems: _Problems
) -> tuple[str, ...]:
    answers: list[str] = []
    for at, raw in _split(answer_text, offset, "="):
        line = block.line_at(at + len(raw) - len(raw.lstrip()))
        piece = raw.strip().removeprefix("=")
        match = _WEIGHT_RE.match(piece)
        if match:
            piece = piece[match.end() :]
            if float(match.group(1)) != 100:
                problems.add(
                    line,
                    f"partial-credit answer (%{match.group(1)}%) has no equivalent here: "
                    "an answer is either accepted or not",
                )
        text, _, feedback = piece.partition("#")
        if _clean(feedback):
            problems.add(line, "feedback on a typed answer has no place here: put it after ####")
        answer = _clean(text)
        if not answer:
            problems.add(line, "an answer has no text")
        answers.append(answer)
    return tuple(answers)


def _read_meta(block: _Block, problems: _Problems) -> dict[str, Any] | None:
    """Read the `// quiz:` comment: {} when there is none, None when it is broken."""
    if block.meta is None:
        return {}
    line = block.meta_line

    def bad(message: str) -> dict[str, Any] | None:
        problems.add(line, message)
        return None

    try:
        data = json.loads(block.meta)
    except (ValueError, RecursionError) as exc:
        return bad(f"the // quiz: comment is not valid JSON ({exc})")
    if not isinstance(data, dict):
        return bad("the // quiz: comment must be a JSON object")
    unknown = [key for key in data if key not in META_FIELDS]
    if unknown:
        return bad(f"unknown field '{unknown[0]}' in the // quiz: comment")
    meta: dict[str, Any] = {}
    for key in ("type", "origin", "status"):
        if key in data:
            if not isinstance(data[key], str) or not data[key].strip():
                return bad(f"'{key}' in the // quiz: comment must be text")
            meta[key] = data[key].strip()
    if "difficulty" in data:
        value = data["difficulty"]
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            return bad("'difficulty' must be a whole number from 1 to 3")
        meta["difficulty"] = value
    if "topics" in data:
        topics = data["topics"]
        if not isinstance(topics, list) or not all(
            isinstance(t, str) and t.strip() for t in topics
        ):
            return bad("'topics' in the // quiz: comment must be a list of non-empty text")
        meta["topics"] = [t.strip() for t in topics]
    if "source" in data:
        source = data["source"]
        if not isinstance(source, dict):
            return bad("'source' must have document, passage and quote")
        extra = [key for key in source if key not in ("document", "passage", "quote")]
        if extra:
            return bad(f"unknown source field '{extra[0]}'")
        values = {k: source.get(k) for k in ("document", "passage", "quote")}
        missing = [k for k, v in values.items() if not isinstance(v, str) or not v.strip()]
        if missing:
            return bad(f"source is missing {', '.join(missing)}")
        meta["source"] = SourceRef(
            str(values["document"]).strip(),
            str(values["passage"]).strip(),
            str(values["quote"]).strip(),
        )
    return meta


def _clean(masked: str, gap: str = GAP) -> str:
    """Turn a piece of masked GIFT text into the text it stands for."""
    text = masked.strip()
    for marker in FORMAT_MARKERS:
        if text.startswith(marker):
            text = text[len(marker) :].strip()
            break
    return _unmask(text, gap).strip()


def _unmask(text: str, gap: str = GAP) -> str:
    table = {ord(mask): ("\n" if char == "n" else char) for char, mask in _MASK.items()}
    table[ord(_GAP_MARK)] = gap
    return text.translate(table)
