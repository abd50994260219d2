"""Bank validation: every kind of problem is found and reported at its file and line."""

import textwrap

import pytest

from quiz.domain.bank import Problem, parse_bank, parse_topics, validate
from quiz.domain.sources import parse_source

SOURCE = parse_source(
    "## Naming\n\nA cancer keeps the name of the organ where it began. "
    "Lung cancer in the bones is lung cancer metastatic to the bones.\n",
    "note",
)
PASSAGE = SOURCE.passages[0].passage_id
TOPICS = ["naming", "sites"]

GOOD = f"""\
- id: naming-lung-bone
  type: short
  prompt: Lung cancer that has reached the bones is called what?
  answers: [lung cancer metastatic to the bones]
  explanation: It keeps its primary's name.
  source:
    document: note
    passage: {PASSAGE}
    quote: A cancer keeps the name of the organ where it began.
  topics: [naming]
  status: approved
- id: naming-mcq
  type: mcq
  prompt: What is lung cancer in the bones called?
  choices:
    - {{text: lung cancer metastatic to the bones, correct: true}}
    - {{text: bone cancer, correct: false, feedback: It keeps its primary's name.}}
  explanation: It keeps its primary's name.
  source: {{document: note, passage: {PASSAGE}, quote: A cancer keeps the name of the organ where it began.}}
  topics: [naming]
"""


def check(text: str) -> list[Problem]:
    questions, problems = parse_bank(textwrap.dedent(text), "bank.yaml")
    return problems + validate(questions, {"note": SOURCE}, TOPICS)


def test_a_sound_bank_has_no_problems() -> None:
    assert check(GOOD) == []


def test_questions_keep_their_fields() -> None:
    questions, _ = parse_bank(GOOD, "bank.yaml")
    first, second = questions
    assert first.answers == ("lung cancer metastatic to the bones",)
    assert first.status == "approved" and second.status == "draft"
    assert second.choices[1].feedback == "It keeps its primary's name."
    assert first.to_dict()["source"]["passage"] == PASSAGE


def swap(old: str, new: str, count: int = 1) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, count)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            swap("id: naming-mcq", "id: naming-lung-bone"),
            12,
            "duplicate id 'naming-lung-bone' (first at bank.yaml:1)",
        ),
        (swap("id: naming-mcq", "id: Naming MCQ"), 12, "must be lowercase letters"),
        (swap("type: mcq", "type: essay"), 13, "unknown type 'essay'"),
        (
            swap(f"passage: {PASSAGE}", "passage: naming-000000"),
            6,
            "unknown passage 'naming-000000'",
        ),
        (swap("document: note", "document: nowhere"), 6, "unknown source document 'nowhere'"),
        (swap("quote: A cancer keeps", "quote: A tumour keeps"), 6, "quote is not found"),
        (swap("correct: false,", "correct: true,"), 15, "exactly one correct choice (has 2)"),
        (
            swap("{text: bone cancer", "{text: Lung cancer metastatic to the bone"),
            15,
            "equals a correct answer",
        ),
        (
            swap(
                "prompt: Lung cancer that has reached the bones is called what?",
                "prompt: Is lung cancer metastatic to the bones bone cancer?",
            ),
            3,
            "gives away its answer",
        ),
        (
            swap("topics: [naming]\n  status", "topics: [anatomy]\n  status"),
            10,
            "unknown topic 'anatomy'",
        ),
        (swap("  status: approved", "  status: published"), 11, "status must be one of"),
        (swap("  status: approved", "  colour: red"), 11, "unknown field 'colour'"),
        (
            swap("  explanation: It keeps its primary's name.\n  source:\n", "  source:\n"),
            1,
            "missing field 'explanation'",
        ),
        (swap("  status: approved", "  difficulty: hard"), 11, "whole number from 1 to 3"),
        (swap("  status: approved", "  difficulty: 7"), 11, "whole number from 1 to 3"),
        (swap("correct: true}", "correct: maybe}"), 16, "'correct' must be true or false"),
        (
            swap(
                "answers: [lung cancer metastatic to the bones]",
                "choices: [{text: x, correct: true}]",
            ),
            4,
            "takes 'answers', not 'choices'",
        ),
    ],
)
def test_each_problem_is_reported_at_its_line(text: str, line: int, message: str) -> None:
    problems = check(text)
    assert problems, "expected a problem"
    assert any(p.line == line and message in p.message for p in problems), problems


def test_multi_needs_a_correct_choice_and_truefalse_needs_true_and_false() -> None:
    multi = swap("type: mcq", "type: multi").replace("correct: true}", "correct: false}")
    assert any("at least one correct" in p.message for p in check(multi))
    truefalse = swap("type: mcq", "type: truefalse")
    assert any("exactly the choices True and False" in p.message for p in check(truefalse))


def test_cloze_needs_exactly_one_blank() -> None:
    cloze = swap("type: short", "type: cloze")
    assert any("{{blank}}" in p.message for p in check(cloze))


def test_problems_print_as_file_line_message() -> None:
    problem = check(swap("type: mcq", "type: essay"))[0]
    assert str(problem).startswith("bank.yaml:13: unknown type")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- id: [unclosed\n", "line"),
        ("a: &x [1]\nb: *x\n", "aliases"),
        ("- id: a\n  id: b\n", "duplicate key 'id'"),
        ("just text\n", "expected a list of questions"),
        ("", "file holds no questions"),
        ("- !!python/object/apply:os.system [id]\n", "is not allowed"),
    ],
)
def test_malformed_files_are_refused_with_a_line(text: str, message: str) -> None:
    questions, problems = parse_bank(text, "bad.yaml")
    assert questions == []
    assert problems and problems[0].file == "bad.yaml" and problems[0].line >= 1
    assert message in problems[0].message or message == "line"


def test_yaml_1_1_booleans_stay_text_in_answers() -> None:
    text = swap("answers: [lung cancer metastatic to the bones]", "answers: [no, on]")
    questions, problems = parse_bank(text, "bank.yaml")
    assert problems == [] and questions[0].answers == ("no", "on")


def test_topics_file_is_parsed_and_checked() -> None:
    topics, problems = parse_topics("- {slug: naming, title: Naming}\n- {slug: naming}\n", "t.yaml")
    assert [t.slug for t in topics] == ["naming"]
    assert problems[0].line == 2 and "duplicate topic" in problems[0].message
