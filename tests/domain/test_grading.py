"""Grading: a table of right and wrong answers per question type."""

import pytest

from quiz.domain.answers import answer_tokens
from quiz.domain.bank import Choice, Question, SourceRef
from quiz.domain.grading import InvalidResponse, grade

REF = SourceRef("note", "naming-abc123", "quote")


def typed(*answers: str, kind: str = "short", prompt: str = "What is it called?") -> Question:
    return Question("q", kind, prompt, "why", REF, ("naming",), answers=answers)


def choices(kind: str, *spec: tuple[str, bool]) -> Question:
    return Question(
        "q", kind, "Pick", "why", REF, ("sites",), choices=tuple(Choice(t, c) for t, c in spec)
    )


NAMING = typed("lung cancer metastatic to the bones", "metastatic lung cancer")


@pytest.mark.parametrize(
    ("answer", "correct"),
    [
        ("lung cancer metastatic to the bones", True),
        ("Lung cancer metastatic to bone", True),
        ("LUNG CANCER, METASTATIC TO THE BONES.", True),
        ("  lung   cancer metastatic to a bone  ", True),
        ("lung cancer metastatic to the bones!", True),
        ("metastatic lung cancer", True),
        ("lung cancr metastatic to the bones", True),  # a slip in a long word of a long answer
        ("lung cancer metastatc to the bones", True),
        ("bone cancer", False),
        ("lung cancer metastatic to the brain", False),
        ("lung cancer metastatic to the liver", False),
        ("breast cancer metastatic to the bones", False),
        ("lung cancer", False),
        ("bones", False),
        ("lung cancer metastatic to the bones and brain", False),
        ("primary bone cancer", False),
    ],
)
def test_naming_answers(answer: str, correct: bool) -> None:
    verdict = grade(NAMING, answer)
    assert verdict.correct is correct
    assert verdict.score == (1.0 if correct else 0.0)
    assert verdict.expected == ("lung cancer metastatic to the bones",)


@pytest.mark.parametrize(
    ("accepted", "answer", "correct"),
    [
        ("angiogenesis", "Angiogenesis", True),
        ("angiogenesis", "angiogenisis", True),
        ("metastasis", "metastases", True),
        ("tumour markers", "tumor marker", True),
        ("hypercalcaemia", "hypercalcemia", True),
        ("liver", "lever", False),  # short answers must be spelt right
        ("bone", "brain", False),
        ("stage 4", "stage 3", False),
        ("stage 4", "Stage 4", True),
        ("biopsy", "a biopsy", True),
        ("lymph nodes", "the lymph node", True),
        ("adrenal glands", "adrenal gland", True),
        ("synchronous", "metachronous", False),
        ("HER2 breast cancer", "HER-2 breast cancer", True),
        ("computed tomography", "computerised tomography", False),
        ("computerized tomography", "computerised tomography", True),
        ("metastasized", "metastasised", True),
        ("stage 4", "stage-4", True),
    ],
)
def test_typed_answers_fold_form_but_not_facts(accepted: str, answer: str, correct: bool) -> None:
    assert grade(typed(accepted), answer).correct is correct


@pytest.mark.parametrize(
    ("accepted", "answer"),
    [
        ("synchronous metastases", "asynchronous metastases"),
        ("hypercalcaemia", "hypocalcaemia"),
        ("malignant tumour", "nonmalignant tumour"),
        ("intravenous", "extravenous"),
    ],
)
def test_an_opposite_prefix_is_never_a_typo(accepted: str, answer: str) -> None:
    assert not grade(typed(accepted), answer).correct


def test_a_word_of_the_subject_is_never_taken_for_a_typo_of_another() -> None:
    question = typed("metastatic cancer")
    assert grade(question, "metastasis cancer").correct  # unknown vocabulary: a slip
    vocabulary = frozenset(answer_tokens("A metastasis makes the cancer metastatic."))
    assert not grade(question, "metastasis cancer", vocabulary).correct
    assert grade(question, "metastatc cancer", vocabulary).correct


def test_cloze_is_graded_like_short() -> None:
    question = typed("angiogenesis", kind="cloze", prompt="Growing new vessels is {{blank}}.")
    assert grade(question, "angiogenesis").correct


def test_accepted_variants_count() -> None:
    question = typed("CT scan", "computed tomography", "CT")
    assert grade(question, "computed tomography").correct
    assert grade(question, "ct").correct


def test_single_choice_by_index() -> None:
    question = choices("mcq", ("liver", True), ("heart", False), ("skin", False))
    assert grade(question, 0).correct
    assert not grade(question, 1).correct
    assert grade(question, 1).expected == ("liver",)


def test_multi_all_right_scores_one_and_partial_picks_score_less() -> None:
    question = choices("multi", ("bones", True), ("liver", True), ("heart", False), ("skin", False))
    assert grade(question, [0, 1]).correct and grade(question, [1, 0]).score == 1.0
    partial = grade(question, [0])
    assert not partial.correct and partial.score == 0.5
    assert grade(question, [0, 2]).score == 0.0
    assert grade(question, [0, 1, 2]).score == 0.5
    assert grade(question, [2, 3]).score == 0.0


@pytest.mark.parametrize(
    ("kind", "response"),
    [
        ("mcq", 7),
        ("mcq", -1),
        ("mcq", "0"),
        ("mcq", True),
        ("mcq", None),
        ("multi", []),
        ("multi", "01"),
        ("multi", [0, 9]),
        ("short", 3),
        ("short", "   "),
        ("short", "?!"),
    ],
)
def test_responses_of_the_wrong_kind_are_refused(kind: str, response: object) -> None:
    question = typed("x y z") if kind == "short" else choices(kind, ("a", True), ("b", False))
    with pytest.raises(InvalidResponse):
        grade(question, response)
