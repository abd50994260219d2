"""GIFT import and export: round trips, Moodle's own files, and every kind of bad file."""

import json
import re

import pytest
import yaml
from format_support import NOTE, fixture, question

from quiz import resource_dir
from quiz.domain.bank import BLANK, Choice, Question, SourceRef, parse_bank, validate
from quiz.domain.bundle import Bundle
from quiz.domain.formats.gift import NO_SOURCE, UNSUPPORTED, dump_gift, parse_gift

META = '// quiz: {"source": {"document": "d", "passage": "p", "quote": "q"}, "topics": ["t"]}'


def parse(text: str) -> tuple[list[Question], list[str]]:
    questions, problems = parse_gift(text, "q.gift")
    return questions, [f"{p.line}: {p.message}" for p in problems]


def one(text: str) -> Question:
    questions, problems = parse(text)
    assert problems == [] and len(questions) == 1, problems
    return questions[0]


def round_trip(questions: list[Question]) -> list[Question]:
    back, problems = parse_gift(dump_gift(questions), "round.gift")
    assert problems == []
    return back


# ------------------------------------------------------------------------ round trips


def test_the_bundled_bank_survives_a_round_trip(bundle: Bundle) -> None:
    text = dump_gift(bundle.questions)
    back, problems = parse_gift(text, "bundle.gift")
    assert problems == []
    assert [q.to_dict() for q in back] == [q.to_dict() for q in bundle.questions]
    assert dump_gift(back) == text  # and writing it again changes nothing


def test_yaml_to_gift_to_yaml_gives_the_same_bank(bundle: Bundle) -> None:
    back = round_trip(bundle.questions)
    yaml_text = yaml.safe_dump([q.to_dict() for q in back], sort_keys=False, allow_unicode=True)
    reread, problems = parse_bank(yaml_text, "again.yaml")
    assert problems == []
    assert [q.to_dict() for q in reread] == [q.to_dict() for q in bundle.questions]
    assert validate(reread, bundle.sources, [t.slug for t in bundle.topics]) == []


def test_every_type_of_the_bank_is_exported(bundle: Bundle) -> None:
    assert {q.type for q in bundle.questions} == {"mcq", "multi", "truefalse", "short", "cloze"}


def test_cloze_is_written_as_gifts_missing_word_form() -> None:
    cloze = question(
        id="cloze-site",
        type="cloze",
        prompt=f"The commonest site is {BLANK} in adults.",
        answers=("bone", "the skeleton"),
    )
    text = dump_gift([cloze])
    assert (
        "::cloze-site::[plain]The commonest site is {=bone =the skeleton####Bone is.} in adults."
        in text
    )
    assert '"type": "cloze"' in text
    assert round_trip([cloze]) == [cloze]


def test_a_cloze_gap_at_the_very_end_survives_through_the_comment() -> None:
    cloze = question(type="cloze", prompt=f"The commonest site is {BLANK}", answers=("bone",))
    assert round_trip([cloze]) == [cloze]
    # Without the comment's "type", Moodle and this reader see a short answer question.
    text = dump_gift([cloze]).replace('"type": "cloze", ', "")
    assert parse(text)[0][0].type == "short"


def test_a_missing_word_short_answer_from_elsewhere_is_a_cloze() -> None:
    got = one(f"{META}\n::gap::Paris is the capital of {{=France####It is.}} today.")
    assert got.type == "cloze" and got.prompt == f"Paris is the capital of {BLANK} today."
    assert got.answers == ("France",)


def test_multi_weights_split_plus_and_minus_100_between_right_and_wrong() -> None:
    multi = question(
        type="multi",
        answers=(),
        choices=(
            Choice("bone", True),
            Choice("liver", True, "It is common."),
            Choice("lung", True),
            Choice("skin", False),
            Choice("eye", False, "Rare."),
        ),
    )
    text = dump_gift([multi])
    assert "\t~%33.33333%bone\n\t~%33.33333%liver#It is common.\n" in text
    assert "\t~%-50%skin\n\t~%-50%eye#Rare.\n" in text
    assert round_trip([multi]) == [multi]


def test_mcq_and_truefalse_are_written_as_gift_defines_them() -> None:
    mcq = question(
        type="mcq",
        answers=(),
        choices=(Choice("bone", True, "Yes."), Choice("brain", False, "No.")),
    )
    assert "{\n\t=bone#Yes.\n\t~brain#No.\n\t####Bone is.\n}" in dump_gift([mcq])
    truefalse = question(
        id="q-two",
        type="truefalse",
        answers=(),
        choices=(Choice("True", False, "Picked True: wrong."), Choice("False", True, "Right.")),
    )
    # {F#feedback for a wrong answer#feedback for a right answer}
    assert "\tF#Picked True\\: wrong.#Right.\n" in dump_gift([truefalse])
    assert round_trip([mcq, truefalse]) == [mcq, truefalse]


@pytest.mark.parametrize(
    ("answer", "true_feedback", "false_feedback"),
    [
        ("{T}", "", ""),
        ("{TRUE#wrong}", "", "wrong"),
        ("{T#wrong#right}", "right", "wrong"),
        ("{F#wrong#right}", "wrong", "right"),
        ("{FALSE##right}", "", "right"),
    ],
)
def test_truefalse_feedback_follows_gift(
    answer: str, true_feedback: str, false_feedback: str
) -> None:
    got = one(f"{META}\n::tf::Bone is commonest.{answer[:-1]}####Why.}}")
    true, false = got.choices
    assert (true.text, false.text) == ("True", "False")
    assert true.correct is answer.startswith("{T")
    assert (true.feedback, false.feedback) == (true_feedback, false_feedback)


def test_truefalse_choices_come_back_as_true_then_false() -> None:
    # The one loss: GIFT writes only T or F, not the choices' wording or order.
    truefalse = question(
        type="truefalse", answers=(), choices=(Choice("false", True), Choice("true", False))
    )
    (back,) = round_trip([truefalse])
    assert back.choices == (Choice("True", False), Choice("False", True))


SPECIAL = "a~b=c#d{e}f:g\\h \\n -> %50% [html] // $CATEGORY: ####"


@pytest.mark.parametrize(
    "text",
    [
        SPECIAL,
        "<script>alert(1)</script>",
        '<img src=x onerror=alert(1)> <a href="javascript:alert(1)">x</a>',
        "{{7*7}} {% include x %} &amp; &lt;b&gt;",
        "[html]<b>kept as text</b>",
        "%100%starts with a weight",
        "line one\nline two",
        "no",
        "1:20",
    ],
)
def test_any_text_survives_verbatim_in_every_field(text: str) -> None:
    short = question(
        id="text-short",
        prompt=f"Prompt {text}",
        explanation=f"Why {text}",
        answers=(text, f"x {text}"),
        source=SourceRef("doc", "pass", f"quote {text}"),
        topics=(text,),
        origin=text,
        status=text,
    )
    mcq = question(
        id="text-mcq",
        type="mcq",
        prompt=text,
        explanation=text,
        answers=(),
        choices=(Choice(text, True, text), Choice(f"{text} 2", False, text)),
    )
    multi = question(
        id="text-multi",
        type="multi",
        answers=(),
        choices=(Choice(text, True, text), Choice(f"{text} 2", False)),
    )
    truefalse = question(
        id="text-tf",
        type="truefalse",
        answers=(),
        choices=(Choice("True", True, text), Choice("False", False, text)),
    )
    cloze = question(id="text-cloze", type="cloze", prompt=f"{text} {BLANK} {text}")
    questions = [short, mcq, multi, truefalse, cloze]
    assert round_trip(questions) == questions


def test_escapes_and_format_markers_of_hand_written_gift() -> None:
    got = one(
        f"{META}\n::esc::[html]<b>Is</b> 1 \\= 1\\: \\{{x\\}} \\~ \\#?{{=yes####[markdown]*Sure*}}"
    )
    assert got.prompt == "<b>Is</b> 1 = 1: {x} ~ #?"
    assert got.explanation == "*Sure*"


def test_the_good_fixture_imports_and_passes_the_banks_checks() -> None:
    questions, problems = parse_gift(fixture("good.gift"), "good.gift")
    assert problems == []
    assert [q.type for q in questions] == ["mcq", "multi", "truefalse", "short", "cloze"]
    assert validate(questions, {"sites-note": NOTE}, ["sites", "naming"]) == []
    mcq, multi, truefalse, short, cloze = questions
    assert (mcq.difficulty, mcq.status, mcq.line) == (1, "approved", 7)
    assert [c.correct for c in multi.choices] == [True, True, False]
    assert truefalse.prompt == (
        "Bone is the commonest site of spread <b>&amp;</b> <script>alert(1)</script>."
    )
    assert truefalse.choices[0].feedback == "Yes."
    assert short.prompt == "Name the commonest site { of spread }: one word."
    assert (short.status, short.origin, short.difficulty) == ("draft", "authored", 2)
    assert cloze.prompt == f"After bone come the liver and the {BLANK}."
    assert cloze.origin == "generated"


# ------------------------------------------------------------------- files from Moodle


def with_our_fields(text: str) -> str:
    """Give each question of a Moodle file the fields only a quiz comment can hold."""
    blocks = []
    for block in re.split(r"\n\s*\n", text):
        if "::" in block and "####" not in block:
            block = re.sub(r"}(?=[^}]*$)", "####Because.}", block)
        blocks.append(re.sub(r"^::", META + "\n::", block, flags=re.M))
    return "\n\n".join(blocks)


def test_a_moodle_file_without_quiz_comments_lists_what_is_missing() -> None:
    questions, problems = parse(fixture("moodle.gift"))
    assert questions == []
    lines = [5, 8, 11, 14, 20, 27]
    assert [p for p in problems if NO_SOURCE in p] == [f"{n}: {NO_SOURCE}" for n in lines]
    assert {int(p.split(":")[0]) for p in problems} == set(lines)
    assert "11: missing field 'explanation' (GIFT general feedback, after ####)" not in problems
    assert "14: missing field 'explanation' (GIFT general feedback, after ####)" in problems


def test_a_moodle_file_reads_once_its_fields_are_given() -> None:
    questions, problems = parse(with_our_fields(fixture("moodle.gift")))
    assert problems == []
    tomb, entombed, born, nobody, colours, missing = questions
    assert tomb.id == "grant-s-tomb" and tomb.type == "mcq"
    assert [c.text for c in tomb.choices if c.correct] == ["no one"]
    assert entombed.prompt == "Grant is _____ in Grant's tomb." and entombed.type == "mcq"
    assert born.prompt == "<p>Grant was born in 1822.</p>" and born.type == "truefalse"
    assert born.choices == (Choice("True", False, "He was."), Choice("False", True, "Right."))
    assert born.explanation == "See any biography."
    assert nobody.answers == ("no one", "nobody")
    assert colours.type == "multi" and [c.correct for c in colours.choices] == [True, True, False]
    assert (
        missing.type == "cloze"
        and missing.prompt == f"The capital of France is {BLANK} on the Seine."
    )
    assert all(q.status == "draft" and q.origin == "authored" for q in questions)


def test_crlf_blank_lines_with_spaces_and_no_final_newline_read_the_same() -> None:
    text = fixture("good.gift")
    expected = parse(text)[0]
    variants = [
        text.replace("\n", "\r\n"),
        text.replace("\n", "\r"),
        text.rstrip("\n"),
        text.replace("\n\n", "\n   \t\n\n"),
        "\ufeff" + text,
    ]
    for variant in variants:
        got, problems = parse(variant)
        assert problems == []
        assert [q.to_dict() for q in got] == [q.to_dict() for q in expected]


def test_comments_inside_braces_and_category_lines_are_ignored() -> None:
    got = one(
        "$CATEGORY: $course$/Top\n"
        f"{META}\n"
        "// question: 7  name: x\n"
        "::inside::Pick one.{\n"
        "\t=right\n"
        "\t// a comment between choices\n"
        "\t~wrong\n"
        "\t####Why.\n"
        "}"
    )
    assert [c.text for c in got.choices] == ["right", "wrong"]


# ------------------------------------------------------------------------- bad files


def test_the_broken_fixture_lists_every_problem_with_its_line() -> None:
    questions, problems = parse(fixture("broken.gift"))
    assert questions == []
    expected = [
        "3: unbalanced braces: '{' is never closed (write \\{ for a literal brace)",
        f"5: {UNSUPPORTED} (numerical)",
        f"7: {UNSUPPORTED} (matching)",
        f"9: {UNSUPPORTED} (an essay: no answers in the braces)",
        "11: weight %150% is outside -100..100",
        "11: the correct choices' weights add up to 150%, not 100%",
    ]
    assert [p for p in problems if p in expected] == expected
    assert all(p.split(":")[0] in {"3", "5", "7", "9", "11"} for p in problems)


GOOD_Q = "::good::Pick one.{=a ~b####Why.}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1: file holds no questions"),
        ("// only a comment\n\n$CATEGORY: x\n", "1: file holds no questions"),
        (f"{META}\n::a::Q{{=a ~b", "2: unbalanced braces: '{' is never closed"),
        (f"{META}\n::a::Q\n=a ~b}}", "3: unbalanced braces: '}' with no '{' before it"),
        (f"{META}\n::a::Q{{=a\n~{{b}}", "3: unbalanced braces: '{' inside an answer block"),
        (f"{META}\n::a::Q{{=a ~b}} and {{=c}}", "2: a second answer block"),
        (f"{META}\n::a::Q{{=a ~b}}}}", "2: a second answer block"),
        (f"{META}\n::a::Q{{#1822:5}}", f"2: {UNSUPPORTED} (numerical)"),
        (f"{META}\n::a::Q{{#1..}}", f"2: {UNSUPPORTED} (numerical)"),
        (f"{META}\n::a::Q{{#:}}", f"2: {UNSUPPORTED} (numerical)"),
        (f"{META}\n::a::Q{{#abc}}", f"2: {UNSUPPORTED} (numerical)"),
        (f"{META}\n::a::Q{{=a -> b =c -> }}", f"2: {UNSUPPORTED} (matching)"),
        (f"{META}\n::a::Q{{}}", f"2: {UNSUPPORTED} (an essay"),
        (f"{META}\n::a::Q{{####general feedback only}}", f"2: {UNSUPPORTED} (an essay"),
        (f"{META}\n::a::Just a description.", f"2: {UNSUPPORTED} (a description"),
        (f"{META}\n::a::", "2: a title with no question text or answers"),
        (f"{META}\n::a Q{{=a}}", "2: the title's '::' is never closed"),
        (f"{META}\nQ{{=a ~b####Why.}}", "2: missing field 'id': give the question a ::title::"),
        (f"{META}\n::?!::Q{{=a ~b####Why.}}", "2: the title '?!' has no letters or digits"),
        (f"{META}\n::a::Q{{=a ~b}}", "2: missing field 'explanation'"),
        (f"{META}\n::a::{{=a ~b####Why.}}", "2: the question has no text"),
        (f"{META}\n::a::Q{{\n~%150%a\n~%-50%b####W}}", "3: weight %150% is outside -100..100"),
        (f"{META}\n::a::Q{{~%100%a ~%-200%b####W}}", "2: weight %-200% is outside -100..100"),
        (
            f"{META}\n::a::Q{{~%50%a ~%20%b ~c####W}}",
            "2: the correct choices' weights add up to 70%",
        ),
        (f"{META}\n::a::Q{{\n=a\n~%50%b####W}}", "4: partial credit (%50%) has no equivalent"),
        (f"{META}\n::a::Q{{=%50%a####W}}", "2: partial-credit answer (%50%)"),
        (f"{META}\n::a::Q{{=a#well done####W}}", "2: feedback on a typed answer"),
        (f"{META}\n::a::Q{{=a ~ ~b####W}}", "2: a choice has no text"),
        (f"{META}\n::a::Q{{=a = =b####W}}", "2: an answer has no text"),
        ("::a::Q{=a ~b####Why.}", f"1: {NO_SOURCE}"),
        ("::a::Q{=a ~b####Why.}", "1: missing field 'topics'"),
        ('// quiz: {"topics": ["t"]}\n::a::Q{=a ~b####W}', f"2: {NO_SOURCE}"),
        (
            '// quiz: {"source": {"document": "d", "passage": "p", "quote": "q"}}\n' + GOOD_Q,
            "2: missing field 'topics'",
        ),
        ("// quiz: {not json\n" + GOOD_Q, "1: the // quiz: comment is not valid JSON"),
        ("// quiz: " + "[" * 100_000 + "\n" + GOOD_Q, "1: the // quiz: comment is not valid JSON"),
        ("// quiz: [1, 2]\n" + GOOD_Q, "1: the // quiz: comment must be a JSON object"),
        (
            '// quiz: {"colour": "red"}\n' + GOOD_Q,
            "1: unknown field 'colour' in the // quiz: comment",
        ),
        (
            '// quiz: {"source": "d"}\n' + GOOD_Q,
            "1: 'source' must have document, passage and quote",
        ),
        (
            '// quiz: {"source": {"document": "d", "passage": "p"}}\n' + GOOD_Q,
            "1: source is missing quote",
        ),
        (
            '// quiz: {"source": {"document": "d", "passage": "p", "quote": "q", "x": 1}}\n'
            + GOOD_Q,
            "1: unknown source field 'x'",
        ),
        (
            '// quiz: {"topics": "sites"}\n' + GOOD_Q,
            "1: 'topics' in the // quiz: comment must be a list",
        ),
        ('// quiz: {"difficulty": "two"}\n' + GOOD_Q, "1: 'difficulty' must be a whole number"),
        ('// quiz: {"difficulty": true}\n' + GOOD_Q, "1: 'difficulty' must be a whole number"),
        ('// quiz: {"status": 3}\n' + GOOD_Q, "1: 'status' in the // quiz: comment must be text"),
        (
            META.replace("{", '{"type": "mcq", ', 1) + "\n::a::Q{=a####W}",
            "1: the // quiz: comment says type 'mcq' but the GIFT question is a short",
        ),
        (f"{META}\n{META}\n{GOOD_Q}", "2: a second // quiz: comment for the same question"),
        (f"{META}\n\n{META}\n{GOOD_Q}", "1: a // quiz: comment with no question below it"),
        (f"{META}\n{GOOD_Q}\n\n{META}\n{GOOD_Q}", "5: duplicate id 'good' (first at line 2)"),
        (f"{META}\n{GOOD_Q}\n\n\x00\x00", "4: the file holds NUL characters"),
        (f"{META}\n::a::Q\U0010ff7b{{=a ~b####W}}", "2: reserved character U+10FF7B"),
    ],
)
def test_each_bad_gift_is_refused_with_its_line(text: str, expected: str) -> None:
    questions, problems = parse(text)
    assert questions == []
    assert any(p.startswith(expected) for p in problems), problems


def test_one_bad_question_refuses_the_whole_file() -> None:
    text = fixture("good.gift") + "\n::bad::Q{=a ~b\n"
    questions, problems = parse(text)
    assert questions == [] and problems == [
        "31: unbalanced braces: '{' is never closed (write \\{ for a literal brace)"
    ]


def test_a_file_in_another_format_is_refused_not_misread() -> None:
    csv_text = "id,type,prompt\nq1,short,What?\n"
    assert parse(csv_text)[1] == [f"1: {UNSUPPORTED} (a description: no answers in braces)"]
    yaml_text = (resource_dir("questions") / "basics.yaml").read_text(encoding="utf-8")
    questions, problems = parse(yaml_text)
    assert questions == [] and problems


def test_utf16_read_as_latin1_is_refused() -> None:
    text = fixture("good.gift").encode("utf-16").decode("latin-1")
    assert parse(text)[1][0].startswith("1: the file holds NUL characters")


def test_no_truncation_of_a_good_file_makes_the_parser_raise() -> None:
    text = fixture("good.gift")
    for end in range(0, len(text), 3):
        questions, problems = parse_gift(text[:end], "cut.gift")
        assert bool(questions) != bool(problems)


def test_a_huge_question_is_read_in_linear_time() -> None:
    big = "x " * 2_000_000
    got = one(f"{META}\n::big::{big}{{=a ~b####W}}")
    assert len(got.prompt) == len(big) - 1


def test_the_quiz_comment_is_json_on_one_line() -> None:
    text = dump_gift([question(source=SourceRef("d", "p", 'two\nlines \u2028 "quoted" é'))])
    comment = next(line for line in text.splitlines() if line.startswith("// quiz: "))
    data = json.loads(comment.removeprefix("// quiz: "))
    assert data == {
        "source": {"document": "d", "passage": "p", "quote": 'two\nlines \u2028 "quoted" é'},
        "topics": ["sites"],
        "difficulty": 2,
        "origin": "authored",
        "status": "draft",
    }
