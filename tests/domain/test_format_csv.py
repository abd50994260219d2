"""CSV import and export: round trips, the injection guard, and every kind of bad file."""

import csv
import io

import pytest
import yaml
from format_support import NOTE, fixture, question

from quiz import resource_dir
from quiz.domain.bank import BLANK, Choice, Question, SourceRef, parse_bank, validate
from quiz.domain.bundle import Bundle
from quiz.domain.formats.csvformat import (
    COLUMNS,
    MAX_FIELD,
    dump_csv,
    guard_cell,
    parse_csv,
    unguard_cell,
)
from quiz.domain.formats.gift import parse_gift

HEADER = ",".join(COLUMNS) + "\r\n"
ROW = "q1,short,Which site?,bone | the bones,,Because.,doc,pass,quote,sites,2,authored,draft\r\n"


def parse(text: str) -> tuple[list[Question], list[str]]:
    questions, problems = parse_csv(text, "q.csv")
    return questions, [f"{p.line}: {p.message}" for p in problems]


def round_trip(questions: list[Question]) -> list[Question]:
    back, problems = parse_csv(dump_csv(questions), "round.csv")
    assert problems == []
    return back


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# ------------------------------------------------------------------------ round trips


def test_the_bundled_bank_survives_a_round_trip(bundle: Bundle) -> None:
    text = dump_csv(bundle.questions)
    back, problems = parse_csv(text, "bundle.csv")
    assert problems == []
    assert [q.to_dict() for q in back] == [q.to_dict() for q in bundle.questions]
    assert dump_csv(back) == text


def test_yaml_to_csv_to_yaml_gives_the_same_bank(bundle: Bundle) -> None:
    back = round_trip(bundle.questions)
    yaml_text = yaml.safe_dump([q.to_dict() for q in back], sort_keys=False, allow_unicode=True)
    reread, problems = parse_bank(yaml_text, "again.yaml")
    assert problems == []
    assert [q.to_dict() for q in reread] == [q.to_dict() for q in bundle.questions]
    assert validate(reread, bundle.sources, [t.slug for t in bundle.topics]) == []


def test_the_export_has_the_documented_header_and_one_row_per_question(bundle: Bundle) -> None:
    table = rows(dump_csv(bundle.questions))
    assert table[0] == list(COLUMNS)
    assert len(table) == len(bundle.questions) + 1
    assert all(len(row) == len(COLUMNS) for row in table)


def test_the_cells_read_as_documented() -> None:
    mcq = question(
        type="mcq",
        answers=(),
        choices=(Choice("bone", True, "Right."), Choice("brain", False)),
        topics=("sites", "naming"),
        difficulty=3,
    )
    cloze = question(id="q-two", type="cloze", prompt=f"It is {BLANK}.", answers=("bone", "a b"))
    first, second = (
        dict(zip(COLUMNS, row, strict=True)) for row in rows(dump_csv([mcq, cloze]))[1:]
    )
    assert first["choices"] == "*bone ## Right. | brain" and first["answers"] == ""
    assert first["topics"] == "sites | naming" and first["difficulty"] == "3"
    assert second["answers"] == "bone | a b" and second["prompt"] == "It is {{blank}}."


SPECIAL = 'a | b \\| c \\ d ## e # f * g, "h"\ni'


@pytest.mark.parametrize(
    "text",
    [
        SPECIAL,
        "*starts with a star",
        "ends with a backslash \\",
        "<script>alert(1)</script>",
        '<img src=x onerror=alert(1)> <a href="javascript:alert(1)">x</a> {{7*7}}',
        '=HYPERLINK("http://evil")',
        "'=already quoted",
        "'plain quote",
        "-1",
        "@SUM(A1)",
        "+1",
        "no",
        "on",
        "1:20",
        "0o17",
        "caf\u00e9 \u202e \u200d",
    ],
)
def test_any_text_survives_verbatim_in_every_field(text: str) -> None:
    short = question(
        id="text-short",
        prompt=text,
        explanation=text,
        answers=(text, f"{text} 2"),
        source=SourceRef(text, text, text),
        topics=(text, f"{text} 2"),
        origin=text,
        status=text,
    )
    choices = question(
        id="text-mcq",
        type="mcq",
        answers=(),
        choices=(Choice(text, True, text), Choice(f"{text} 2", False, f"{text} ##")),
    )
    assert round_trip([short, choices]) == [short, choices]


def test_the_good_fixture_imports_and_passes_the_banks_checks() -> None:
    questions, problems = parse_csv(fixture("good.csv"), "good.csv")
    assert problems == []
    assert validate(questions, {"sites-note": NOTE}, ["sites", "naming"]) == []
    mcq, multi, truefalse, short, cloze = questions
    assert [q.line for q in questions] == [2, 3, 4, 5, 7]
    assert mcq.choices == (
        Choice("bone", True, "Right: bone comes first."),
        Choice("brain", False, "The brain is not named here."),
        Choice("skin", False),
    )
    assert (multi.difficulty, multi.status) == (2, "approved")
    assert truefalse.prompt == (
        "Bone is the commonest site of spread <b>&amp;</b> <script>alert(1)</script>."
    )
    assert (truefalse.origin, truefalse.status) == ("authored", "draft")
    assert short.prompt == "Name the commonest site\nof spread, in one word."
    assert short.explanation == "=Bone, as the note says: one word = one answer."
    assert short.topics == ("sites", "naming")
    assert (
        cloze.prompt == f"After bone come the liver and the {BLANK}."
        and cloze.origin == "generated"
    )


def test_the_gift_and_csv_fixtures_hold_the_same_choice_questions() -> None:
    from_csv = parse_csv(fixture("good.csv"), "good.csv")[0]
    from_gift = parse_gift(fixture("good.gift"), "good.gift")[0]
    for index in (0, 1, 2, 4):
        assert from_csv[index].to_dict() == from_gift[index].to_dict()


# ---------------------------------------------------------------------- CSV injection


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\0"])
def test_cells_a_spreadsheet_would_run_get_a_quote(start: str) -> None:
    value = f"{start}cmd|' /C calc'!A0"
    assert guard_cell(value) == "'" + value
    assert unguard_cell(guard_cell(value)) == value


def test_the_guard_is_applied_to_every_cell_of_the_export() -> None:
    risky = question(
        id="risky",
        prompt='=HYPERLINK("http://evil")',
        explanation="+1",
        answers=("-2", "x"),
        source=SourceRef("@doc", "-pass", "=quote"),
        topics=("-t",),
    )
    row = rows(dump_csv([risky]))[1]
    cells = dict(zip(COLUMNS, row, strict=True))
    for name in ("prompt", "explanation", "answers", "document", "passage", "quote", "topics"):
        assert cells[name].startswith("'"), name
    assert cells["id"] == "risky"
    assert round_trip([risky]) == [risky]


def test_only_the_one_guard_quote_is_removed_on_import() -> None:
    assert unguard_cell("'=1") == "=1"
    assert unguard_cell("''=1") == "'=1"
    assert unguard_cell("'plain") == "'plain"
    assert unguard_cell("'") == "'"
    assert guard_cell("'=1") == "''=1" and guard_cell("'plain") == "'plain"
    text = HEADER + ROW.replace("Which site?", "'=1+1").replace("Because.", "'because")
    (got,), problems = parse(text)
    assert problems == [] and got.prompt == "=1+1" and got.explanation == "'because"


# -------------------------------------------------------------------------- encodings


def test_bom_crlf_lf_mix_and_embedded_newlines_are_read() -> None:
    expected = parse(fixture("good.csv"))[0]
    text = fixture("good.csv")
    for variant in ("\ufeff" + text, text.replace("\n", "\r\n"), text.replace("\n", "\r\n", 3)):
        got, problems = parse(variant)
        assert problems == []
        assert [q.to_dict() for q in got] == [q.to_dict() for q in expected]


def test_blank_lines_and_empty_rows_are_skipped_and_columns_may_come_in_any_order() -> None:
    order = list(reversed(COLUMNS))
    values = dict(zip(COLUMNS, rows(ROW)[0], strict=True))
    line = ",".join(values[name] for name in order)
    text = "\r\n" + ",".join(order).upper() + "\r\n\r\n" + "," * 12 + "\r\n" + line + "\r\n"
    (got,), problems = parse(text)
    assert problems == [] and got.answers == ("bone", "the bones") and got.line == 5


def test_utf16_read_as_latin1_is_refused() -> None:
    text = fixture("good.csv").encode("utf-16").decode("latin-1")
    assert parse(text)[1][0].startswith("1: the file holds NUL characters")


# ------------------------------------------------------------------------- bad files


def test_the_broken_fixture_lists_every_problem_with_its_line() -> None:
    questions, problems = parse(fixture("broken.csv"))
    assert questions == []
    assert problems == [
        "3: missing field 'id'",
        "4: source is missing quote",
        "5: 'difficulty' must be a whole number from 1 to 3",
        "6: a short question takes 'answers', not 'choices'",
        "7: the row has 4 cells but the header names 13",
        "8: duplicate id 'b-no-id' (first at line 2)",
    ]


def swap(old: str, new: str) -> str:
    assert old in ROW
    return HEADER + ROW.replace(old, new)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1: file holds no questions"),
        ("\ufeff\r\n \r\n", "1: file holds no questions"),
        (HEADER, "1: file holds no questions"),
        (HEADER.replace(",", ";") + ROW, "1: the columns are separated by semicolons"),
        (HEADER.replace(",", "\t") + ROW, "1: the columns are separated by tabs"),
        (HEADER.replace(",status", "") + ROW, "1: missing column(s) status"),
        (HEADER.replace("\r\n", ",colour\r\n") + ROW, "1: unknown column(s) 'colour'"),
        (HEADER.replace("status", "id"), "1: column(s) named twice: id"),
        (
            ",".join(f"c{i}" for i in range(10_000)) + "\r\n" + ROW,
            "1: the header has 10000 columns",
        ),
        (HEADER + ROW.replace("\r\n", "," * 9_987 + "\r\n"), "2: the row has 10000 cells"),
        (HEADER + ROW + "q2,short\r\n", "3: the row has 2 cells but the header names 13"),
        (swap("q1,", ","), "2: missing field 'id'"),
        (swap("Which site?", ""), "2: missing field 'prompt'"),
        (swap("Because.", ""), "2: missing field 'explanation'"),
        (swap(",sites,", ",,"), "2: missing field 'topics'"),
        (swap("doc,pass,quote", ",,"), "2: source is missing document, passage, quote"),
        (swap(",2,", ",two,"), "2: 'difficulty' must be a whole number"),
        (swap(",2,", ",-1,"), "2: 'difficulty' must be a whole number"),
        (swap("bone | the bones", "bone |  | x"), "2: 'answers' entries must be non-empty text"),
        (swap(",sites,", ",sites | ,"), "2: 'topics' entries must be non-empty text"),
        (
            swap("short,Which site?,bone | the bones,", "mcq,Which site?,,* | b"),
            "2: a choice has no text",
        ),
        (
            swap("short,Which site?,bone | the bones,", "mcq,Which site?,a,*a | b"),
            "2: a mcq question takes 'choices', not 'answers'",
        ),
        (HEADER + ROW + ROW, "3: duplicate id 'q1' (first at line 2)"),
        (
            HEADER + ROW + '"q2,short\r\nmore\r\n',
            "3: a quoted field opened on this row is never closed",
        ),
        (HEADER + ROW + '"q2"x,short\r\n', "3: not readable as CSV"),
        (HEADER + ROW + "q\x002\r\n", "3: the file holds NUL characters"),
        (
            swap("Because.", '"' + "x" * 200 * 1024 + '"'),
            "2: a field is longer than 100000 characters",
        ),
        (swap("Because.", "x" * (MAX_FIELD + 1)), "2: column 'explanation' is longer than 100000"),
    ],
)
def test_each_bad_csv_is_refused_with_its_line(text: str, expected: str) -> None:
    questions, problems = parse(text)
    assert questions == []
    assert any(p.startswith(expected) for p in problems), problems


def test_a_field_over_the_limit_does_not_touch_the_process_wide_limit() -> None:
    before = csv.field_size_limit()
    parse(swap("Because.", "x" * 300_000))
    assert csv.field_size_limit() == before


def test_one_bad_row_in_a_thousand_refuses_the_whole_file() -> None:
    good = [ROW.replace("q1", f"q{i}") for i in range(1000)]
    good[499] = good[499].replace(",2,", ",hard,")
    questions, problems = parse(HEADER + "".join(good))
    assert questions == [] and problems == ["501: 'difficulty' must be a whole number from 1 to 3"]


def test_a_file_in_another_format_is_refused_not_misread() -> None:
    gift = fixture("good.gift")
    yaml_text = (resource_dir("questions") / "basics.yaml").read_text(encoding="utf-8")
    for text in (gift, yaml_text, '[{"id": "q1"}]'):
        questions, problems = parse(text)
        assert questions == [] and len(problems) == 1
        assert problems[0].startswith("1: not a quiz CSV file: the first row must name")


def test_yaml_1_1_looking_values_stay_text() -> None:
    text = swap("bone | the bones", "no | on | yes | 1:20 | 0o17 | ~ | null")
    (got,), problems = parse(text)
    assert problems == [] and got.answers == ("no", "on", "yes", "1:20", "0o17", "~", "null")


def test_no_truncation_of_a_good_file_makes_the_parser_raise() -> None:
    text = fixture("good.csv")
    for end in range(0, len(text), 3):
        questions, problems = parse_csv(text[:end], "cut.csv")
        assert bool(questions) != bool(problems)
