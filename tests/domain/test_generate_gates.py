"""Quality gates: grounding, giveaways, surface, choices, near-duplicates."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quiz.domain.bank import Choice
from quiz.domain.generate.corpus import Quote
from quiz.domain.generate.families.base import Candidate
from quiz.domain.generate.gates import (
    GateReport,
    gives_away_answer,
    has_enough_choices,
    is_grounded,
    merge_near_duplicates,
    surface_problem,
)

QUOTE = Quote(
    "note", "sites-abc123", "Sites", "Kidney cancer most often spreads to the lungs.", (0, 1, 0)
)
BASE = Candidate(
    family="sites",
    type="mcq",
    prompt="According to the text, which of these is one of the most common sites of spread for kidney cancer?",
    quote=QUOTE,
    explanation="The text lists the lungs as a common site of spread for kidney cancer.",
    choices=(Choice("The lungs", True), Choice("The skin", False), Choice("The heart", False)),
    evidence=(("lungs", "lung"), ("kidney cancer",)),
)


def test_a_candidate_is_grounded_only_when_its_evidence_is_in_the_quote() -> None:
    assert is_grounded(BASE)
    assert not is_grounded(replace(BASE, evidence=(("the liver",),)))
    assert is_grounded(replace(BASE, evidence=(("liver", "lungs"),)))  # one of a group is enough


def test_a_typed_prompt_must_hide_its_answer() -> None:
    cloze = replace(
        BASE,
        family="terms",
        type="cloze",
        prompt="The cord is pressed on ({{blank}}).",
        choices=(),
        answers=("spinal cord compression",),
    )
    assert not gives_away_answer(cloze)
    assert gives_away_answer(replace(cloze, prompt="The spinal cord is pressed on ({{blank}})."))
    assert gives_away_answer(replace(cloze, prompt="Spinal cord compression is {{blank}}."))


@pytest.mark.parametrize(
    "prompt",
    [
        "Which of the the sites is common?",
        "Which site (the lungs is common?",
        "Which of these sites, and?",
        "which site is common?",
        "Which site is common ?",
        "A prompt that is not a question or a statement",
    ],
)
def test_prompts_that_read_badly_are_caught(prompt: str) -> None:
    assert surface_problem(replace(BASE, prompt=prompt)) is not None


@pytest.mark.parametrize("text", ["and the liver", "The bones and/or the liver", "The liver,", ""])
def test_choices_that_are_list_fragments_are_caught(text: str) -> None:
    choices = (Choice("The lungs", True), Choice(text, False), Choice("The heart", False))
    assert surface_problem(replace(BASE, choices=choices)) is not None


def test_a_well_formed_candidate_passes_the_surface_gate() -> None:
    assert surface_problem(BASE) is None


def test_choice_questions_need_a_right_answer_and_two_wrong_ones() -> None:
    assert has_enough_choices(BASE)
    assert not has_enough_choices(replace(BASE, choices=BASE.choices[:2]))


def test_near_duplicates_merge_but_questions_about_other_things_stay() -> None:
    report = GateReport()
    same_stem_other_list = replace(BASE, choices=(Choice("The bones", True), *BASE.choices[1:]))
    reworded = replace(BASE, prompt=BASE.prompt.replace("which of these", "which one of these"))
    other_cancer = replace(BASE, prompt=BASE.prompt.replace("kidney", "thyroid"))
    negated = replace(BASE, prompt=BASE.prompt.replace(" is one of", " is NOT one of"))
    kept = merge_near_duplicates(
        [BASE, same_stem_other_list, reworded, other_cancer, negated], report
    )
    assert kept == [BASE, other_cancer, negated]
    assert report.rejected["near-duplicate"] == 2


def test_similar_prompts_with_different_answers_are_both_kept() -> None:
    fractures = replace(
        BASE,
        family="symptoms",
        prompt="According to the text, metastases in which part of the body can cause fractures?",
        choices=(Choice("The bones", True), Choice("The liver", False), Choice("The brain", False)),
    )
    ascites = replace(
        fractures,
        prompt="According to the text, metastases in which part of the body can cause ascites?",
        choices=(Choice("The peritoneum", True), *fractures.choices[1:]),
    )
    assert merge_near_duplicates([fractures, ascites], GateReport()) == [fractures, ascites]


def test_the_best_scored_of_near_duplicates_is_kept() -> None:
    weaker = replace(BASE, score=1)
    stronger = replace(BASE, score=5, quote=replace(QUOTE, passage_id="sites-def456"))
    assert merge_near_duplicates([weaker, stronger], GateReport()) == [stronger]
