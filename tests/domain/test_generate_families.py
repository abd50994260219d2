"""Each question family, on small hand-written texts in Markdown and in plain text."""

from __future__ import annotations

import re

import pytest

from quiz.domain.answers import normalise_answer
from quiz.domain.bank import BLANK, Question, validate
from quiz.domain.generate import family_of, generate, parse_plain_text
from quiz.domain.generate.lexicon import SITES
from quiz.domain.sources import Source, parse_source

TOPICS = ["basics", "naming", "spread", "sites", "symptoms", "diagnosis", "treatment", "outlook"]

NOTE = """\
---
title: Test note
---

## How a spread cancer is named

A cancer that spreads keeps the name of the organ where it began. Stomach cancer that has reached the liver is called "stomach cancer metastatic to the liver", not liver cancer.

## Where cancers spread

Kidney cancer most often spreads to the lungs, the bones and the brain.

A second guide says that kidney cancer most often spreads to the liver.

Thyroid cancer most often spreads to the lungs and the bones.

Ovarian cancer most often spreads to the peritoneum and the liver.

Lung cancer most often spreads to the brain and to other parts of the lungs.

## Symptoms of metastases

Lung metastases may cause a lasting cough and shortness of breath.

Brain metastases may cause seizures, headaches and blurred vision.

Liver metastases may cause jaundice and itchy skin.

Bone metastases may cause fractures.

General symptoms such as fatigue and headaches can come with metastases anywhere.

## Words to know

The growth of new blood vessels that feed a tumour is a process called angiogenesis.

Ascites refers to a build-up of fluid in the abdomen.

The term metastasectomy is used to describe surgery that removes metastases.

A tumour in the spine can press on the spinal cord and cause weakness of both legs (paraplegia).

## Tests and treatment

Scans show where a tumour sits, but only a biopsy confirms the presence of cancer cells.

Doctors use a CT scan, an MRI scan or a PET scan to look at the organs.

To block the growth of tumour cells, chemotherapy and hormone therapy may be used.

Surgery and cementoplasty are procedures some patients have for bone metastases.
"""

# What the note says spreads where; a wrong answer must never be in here.
SPREAD = {
    "kidney cancer": {"lungs", "bones", "brain", "liver"},
    "thyroid cancer": {"lungs", "bones"},
    "ovarian cancer": {"peritoneum", "liver"},
    "lung cancer": {"brain", "lungs"},
}


@pytest.fixture(scope="module")
def source() -> Source:
    return parse_source(NOTE, "note")


@pytest.fixture(scope="module")
def questions(source: Source) -> list[Question]:
    return generate([source], TOPICS)


def of_family(questions: list[Question], family: str) -> list[Question]:
    return [q for q in questions if family_of(q) == family]


def correct(question: Question) -> list[str]:
    return [c.text for c in question.choices if c.correct]


def wrong(question: Question) -> list[str]:
    return [c.text for c in question.choices if not c.correct]


def site_of(choice: str) -> str:
    return re.sub(r"^the ", "", choice.lower())


def test_every_question_passes_the_bank_checks(source: Source, questions: list[Question]) -> None:
    assert questions
    assert validate(questions, {"note": source}, TOPICS) == []
    assert all(q.origin == "generated" and q.status == "draft" for q in questions)


def test_naming_questions_pair_each_primary_with_its_listed_sites(
    questions: list[Question],
) -> None:
    naming = of_family(questions, "naming")
    typed = {q.prompt: q.answers[0] for q in naming if q.type == "short"}
    assert {
        "kidney cancer metastatic to the lungs",
        "kidney cancer metastatic to the liver",
        "thyroid cancer metastatic to the bones",
        "ovarian cancer metastatic to the peritoneum",
    } <= set(typed.values())
    assert "lung cancer metastatic to the lungs" not in typed.values()  # its own organ
    for prompt, answer in typed.items():
        assert prompt.endswith("is called what?")
        assert normalise_answer(answer) not in normalise_answer(prompt)
    quote = "Stomach cancer that has reached the liver is called"
    assert all(quote in q.source.quote for q in naming)


def test_naming_mcq_offers_the_organ_s_own_cancer_as_the_wrong_name(
    questions: list[Question],
) -> None:
    mcqs = [q for q in of_family(questions, "naming") if q.type == "mcq"]
    assert mcqs
    for question in mcqs:
        site = correct(question)[0].split(" metastatic to ")[1]
        own_cancer = next(s.own_cancer for s in SITES if s.display == site)
        assert own_cancer.capitalize() in wrong(question)
        assert f"Primary {own_cancer}" in wrong(question)
        assert all(c.feedback for c in question.choices if not c.correct)


def test_no_naming_questions_without_the_naming_rule() -> None:
    without_rule = NOTE.split("## Where cancers spread")[1]
    source = parse_source("## Where cancers spread" + without_rule, "bare")
    assert of_family(generate([source], TOPICS), "naming") == []


def test_site_distractors_come_from_no_list_for_that_cancer(questions: list[Question]) -> None:
    site_questions = of_family(questions, "sites")
    assert {q.type for q in site_questions} >= {"mcq", "multi"}
    for question in site_questions:
        primary = next((p for p in SPREAD if p in question.prompt), None)
        if primary is None or "which of these cancers" in question.prompt:
            continue
        listed = SPREAD[primary]
        if " NOT " in question.prompt:
            assert site_of(correct(question)[0]) not in listed
            assert all(site_of(w) in listed for w in wrong(question))
        else:
            assert all(site_of(c) in listed for c in correct(question))
            assert not any(site_of(w) in listed for w in wrong(question)), question.prompt
            assert "the lymph nodes" not in [w.lower() for w in wrong(question)]


def test_kidney_sites_from_both_lists_are_never_wrong_answers(questions: list[Question]) -> None:
    kidney = [
        q
        for q in questions
        if "kidney cancer" in q.prompt and q.choices and " NOT " not in q.prompt
    ]
    assert kidney
    for question in kidney:
        assert "The liver" not in wrong(question) and "The lungs" not in wrong(question)


def test_term_questions_blank_or_ask_for_the_term(questions: list[Question]) -> None:
    terms = of_family(questions, "terms")
    by_answer = {q.answers[0]: q for q in terms}
    angiogenesis = by_answer["angiogenesis"]
    assert angiogenesis.type == "cloze" and angiogenesis.prompt.count(BLANK) == 1
    assert by_answer["ascites"].prompt == "What term refers to a build-up of fluid in the abdomen?"
    assert (
        by_answer["metastasectomy"].prompt
        == "What term is used to describe surgery that removes metastases?"
    )
    paraplegia = by_answer["paraplegia"]
    assert paraplegia.type == "cloze" and "({{blank}})." in paraplegia.prompt
    for question in terms:
        visible = question.prompt.replace(BLANK, " ")
        assert all(normalise_answer(a) not in normalise_answer(visible) for a in question.answers)


def test_symptom_questions_ask_only_about_symptoms_tied_to_one_site(
    questions: list[Question],
) -> None:
    symptoms = of_family(questions, "symptoms")
    asked = {q.prompt: correct(q) for q in symptoms if q.type == "mcq"}
    jaundice = "According to the text, metastases in which part of the body can cause jaundice?"
    assert asked[jaundice] == ["The liver"]
    assert not any("headaches" in prompt for prompt in asked)  # also a general symptom
    assert not any("itchy skin" in prompt for prompt in asked if "The skin" in asked[prompt])
    multi = [q for q in symptoms if q.type == "multi"]
    assert any("brain metastases" in q.prompt for q in multi)
    for question in symptoms:
        assert len(wrong(question)) >= 2


def test_true_false_statements_are_never_false_when_the_text_says_they_are_true(
    questions: list[Question],
) -> None:
    statements = of_family(questions, "truefalse")
    assert statements
    for question in statements:
        is_true = correct(question) == ["True"]
        text = question.prompt.lower()
        for primary, sites in SPREAD.items():
            match = re.search(rf"the (\w+(?: \w+)?) (?:is|are) one of .* for {primary}\.", text)
            if match:
                assert (match.group(1) in sites) == is_true, question.prompt


def test_test_and_treatment_questions_use_wrong_answers_of_another_kind(
    questions: list[Question],
) -> None:
    confirm = next(
        q for q in questions if q.prompt.endswith("confirms the presence of cancer cells?")
    )
    assert correct(confirm) == ["A biopsy"]
    assert set(wrong(confirm)) <= {"A CT scan", "An MRI scan", "A PET scan"}
    block = next(q for q in questions if "block the growth of tumour cells" in q.prompt)
    assert set(correct(block)) == {"Chemotherapy", "Hormone therapy"}
    assert set(wrong(block)) <= {"Surgery", "Cementoplasty"}


PLAIN = """\
Where Cancer Travels

Share this article

A cancer that spreads keeps the name of the organ where it began, so kidney cancer found in the bones is called "kidney cancer metastatic to the bones".

Common Sites

  • Kidney cancer most often spreads to the lungs, the bones and the brain.
  • Ovarian cancer most often spreads to the peritoneum and the liver.

Signs

  • Liver metastases may cause jaundice and itchy skin.
  • Brain metastases may cause seizures and blurred vision.
  • Lung metastases may cause a lasting cough.

Read the article
"""


def test_plain_text_gives_the_same_families_and_never_quotes_chrome() -> None:
    source = parse_plain_text(PLAIN, "page")
    questions = generate([source], TOPICS)
    assert validate(questions, {"page": source}, TOPICS) == []
    assert {"naming", "sites", "symptoms"} <= {family_of(q) for q in questions}
    quotes = " ".join(q.source.quote for q in questions)
    assert "Share this article" not in quotes and "Read the article" not in quotes
