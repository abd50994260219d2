"""The bundled notes and bank meet the bar the app promises."""

from __future__ import annotations

from collections import Counter

import pytest

from quiz.domain.answers import normalise_answer
from quiz.domain.bank import QUESTION_TYPES
from quiz.domain.bundle import Bundle
from quiz.domain.grading import grade

# Every primary/site pair the notes give (where-cancer-spreads), by either article.
NAMING_PAIRS = (
    [("breast cancer", site) for site in ("bones", "lungs", "liver", "brain")]
    + [
        ("lung cancer", site)
        for site in ("brain", "bones", "liver", "adrenal glands", "lymph nodes")
    ]
    + [("colon cancer", site) for site in ("liver", "lungs", "peritoneum")]
    + [("prostate cancer", site) for site in ("adrenal glands", "bones", "liver", "lungs")]
    + [("melanoma", site) for site in ("lymph nodes", "bones", "lungs", "liver", "brain")]
)


def test_the_bundle_has_no_problems(bundle: Bundle) -> None:
    assert [str(p) for p in bundle.problems] == []


def test_at_least_80_approved_questions_of_all_five_types(bundle: Bundle) -> None:
    approved = [q for q in bundle.questions if q.status == "approved"]
    assert len(approved) >= 80
    assert set(Counter(q.type for q in approved)) == set(QUESTION_TYPES)


def test_every_teaching_passage_is_quoted_by_a_question(bundle: Bundle) -> None:
    used = {
        (q.source.document, q.source.passage) for q in bundle.questions if q.status == "approved"
    }
    unused = [
        f"{source.slug}#{passage.passage_id}"
        for source in bundle.sources.values()
        for passage in source.passages
        if (source.slug, passage.passage_id) not in used
    ]
    assert unused == []


def test_every_topic_has_questions(bundle: Bundle) -> None:
    counts = Counter(t for q in bundle.questions for t in q.topics)
    assert all(counts[topic.slug] >= 5 for topic in bundle.topics), counts


@pytest.mark.parametrize(("primary", "site"), NAMING_PAIRS)
def test_a_typed_naming_question_exists_for_every_primary_and_site(
    bundle: Bundle, primary: str, site: str
) -> None:
    wanted = normalise_answer(f"{primary} metastatic to the {site}")
    matches = [
        q
        for q in bundle.questions
        if q.type == "short" and "naming" in q.topics and normalise_answer(q.answers[0]) == wanted
    ]
    assert matches, f"no typed naming question answered '{primary} metastatic to the {site}'"
    for question in matches:
        for wording in (
            f"{primary} metastasized to {site}",
            f"{primary.title()} metastatic to {site}",
        ):
            assert grade(question, wording).correct, (question.id, wording)
        assert not grade(question, f"{site} cancer").correct


@pytest.mark.parametrize(
    ("wrong_choice", "feedback_word"),
    [("liver cancer", "name"), ("benign", "spread"), ("new", "same")],
)
def test_misconceptions_get_their_own_feedback(
    bundle: Bundle, wrong_choice: str, feedback_word: str
) -> None:
    choices = [
        c
        for q in bundle.questions
        for c in q.choices
        if not c.correct and wrong_choice in c.text.lower() and c.feedback
    ]
    assert choices, f"no wrong choice mentioning '{wrong_choice}' explains itself"
    assert any(feedback_word in c.feedback.lower() for c in choices)


def test_every_note_credits_its_articles(bundle: Bundle) -> None:
    for source in bundle.sources.values():
        assert source.credits, source.slug
        assert all("Verywell" in c or "Carenity" in c for c in source.credits)
