"""Reading text as a reader would: sentences, plain-text structure and page chrome."""

from pathlib import Path

import pytest

from quiz import resource_dir
from quiz.domain.generate import (
    chrome_passage_ids,
    chrome_reason,
    parse_plain_text,
    plain_text_to_markdown,
)
from quiz.domain.generate.sentences import sentence_texts
from quiz.domain.sources import load_source_file, parse_source, source_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "generate"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Dr. Lee saw the scan. It showed two spots.",
            ["Dr. Lee saw the scan.", "It showed two spots."],
        ),
        (
            "Tests (e.g. MRI scans) help. Biopsies confirm.",
            ["Tests (e.g. MRI scans) help.", "Biopsies confirm."],
        ),
        (
            "About 1.9 million cases. Most were early.",
            ["About 1.9 million cases.", "Most were early."],
        ),
        (
            "It can raise calcium (hypercalcemia.) The bones ache.",
            ["It can raise calcium (hypercalcemia.)", "The bones ache."],
        ),
        (
            'It is not "bone cancer." It is lung cancer.',
            ['It is not "bone cancer."', "It is lung cancer."],
        ),
        ("Written by J. Smith, M.D. He reviews it.", ["Written by J. Smith, M.D. He reviews it."]),
    ],
)
def test_sentences_split_at_real_sentence_ends(text: str, sentences: list[str]) -> None:
    assert sentence_texts(text) == sentences


PAGE = """\
What Happens When Cancer Spreads

A Short Guide

Cancer cells can travel through the blood. They can settle in new organs.

Where It Goes

Common places include:

  • The lungs
  • The liver,
    which filters the blood

This paragraph was written by hand and wrapped at a fixed width, so its lines
must be joined back into one paragraph before it is read as a passage of text.
"""


def test_plain_text_becomes_markdown_with_title_headings_and_items() -> None:
    markdown = plain_text_to_markdown(PAGE)
    assert markdown.startswith("# What Happens When Cancer Spreads\n")
    assert "## A Short Guide" in markdown
    assert "## Where It Goes" in markdown
    assert "- The lungs" in markdown
    assert "- The liver, which filters the blood" in markdown
    assert "its lines must be joined back" in markdown


def test_plain_text_parses_into_sections_with_the_project_passage_ids() -> None:
    source = parse_plain_text(PAGE, "guide")
    assert source.title == "What Happens When Cancer Spreads"
    assert source == parse_source(plain_text_to_markdown(PAGE), "guide")
    where = next(s for s in source.sections if s.title == "Where It Goes")
    assert [p.kind for p in where.passages] == ["paragraph", "item", "item", "paragraph"]


def test_a_line_repeated_in_one_section_becomes_one_passage() -> None:
    source = parse_plain_text("Title\n\nRead the article\n\nRead the article\n\nSome prose.\n", "x")
    texts = [p.text for p in source.passages]
    assert texts.count("Read the article") == 1


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Give it a like and share your thoughts with the community in the comments below!",
        "Read the article",
        "See the testimonial",
        "Was this article helpful to you?",
        "Published Sep 12, 2022 • By Ann Writer",
        "By Ann Writer, MD",
        "Author: Ann Writer, Health Writer",
        "Ann is a content creator at Example Health, specializing in health writing.",
        "Ann holds a master's degree in Public Health.",
        "6 Sources",
        "You will also like",
        "Additional Reading",
        "Verywell / Hilary Allison",
        "Example Health uses only high-quality sources to support the facts in our articles.",
        "Smith J, Lee K, et al. Spread of cancer. J Onc. 2020;12(3):45-50. doi:10.1000/xyz",
        "Home > Health > Cancer",
        "Take care!",
    ],
)
def test_page_chrome_lines_are_recognised(line: str) -> None:
    assert chrome_reason(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Kidney cancer most often spreads to the lungs, the bones, the liver and the brain.",
        "The Carenity article says metastases most often develop in the lungs.",
        "See a doctor if a cough lasts longer than three weeks and does not improve with rest.",
        "Symptoms of Metastases",
        "Bladder cancer",
    ],
)
def test_content_lines_are_not_chrome(line: str) -> None:
    assert chrome_reason(line) is None


def test_everything_after_a_closing_marker_is_chrome_and_link_lists_are_too() -> None:
    source = parse_plain_text((FIXTURES / "web-page.txt").read_text(), "page")
    chrome = chrome_passage_ids(source)
    texts = {p.text: p.passage_id in chrome for p in source.passages}
    assert texts["Facebook"] and texts["Twitter"]
    assert texts["Living with kidney cancer"]
    assert texts["Jordan Avery is a health writer who covers cancer care."]
    assert texts["Stock photo / Alex Morgan"]
    assert not texts["The lungs"]  # a short bullet under its lead-in is content
    assert not texts["Brain metastases may cause headaches and seizures."]


def test_the_bundled_notes_hold_no_chrome() -> None:
    for path in source_files(resource_dir("questions") / "sources"):
        assert chrome_passage_ids(load_source_file(path)) == frozenset(), path.name
