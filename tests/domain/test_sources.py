import pytest

from quiz.domain.sources import SourceError, parse_source, passage_id, slugify, strip_inline_markup

NOTE = """---
title: Sample note
summary: A note for tests.
credits:
  - "Someone. An article."
---

Opening paragraph before any heading.

## The naming rule

A cancer keeps the name of its primary,
wherever it spreads.

- First item of a list.
- Second item, which runs
  onto a second line.

## Routes **of** spread

Cells travel through the [blood](https://example.org) and the *lymph*.
"""


def test_front_matter_gives_title_summary_and_credits() -> None:
    source = parse_source(NOTE, "sample")
    assert source.title == "Sample note"
    assert source.summary == "A note for tests."
    assert source.credits == ("Someone. An article.",)


def test_paragraphs_and_list_items_become_passages_in_sections() -> None:
    source = parse_source(NOTE, "sample")
    assert [s.slug for s in source.sections] == [
        "introduction",
        "the-naming-rule",
        "routes-of-spread",
    ]
    naming = source.sections[1]
    assert [p.text for p in naming.passages] == [
        "A cancer keeps the name of its primary, wherever it spreads.",
        "First item of a list.",
        "Second item, which runs onto a second line.",
    ]
    assert [p.kind for p in naming.passages] == ["paragraph", "item", "item"]
    assert naming.passages[0].line == 12


def test_inline_markup_is_dropped_from_passage_text() -> None:
    source = parse_source(NOTE, "sample")
    assert source.sections[2].passages[0].text == "Cells travel through the blood and the lymph."
    assert strip_inline_markup("**bold** and `code`") == "bold and code"


def test_passage_id_is_section_slug_plus_hash_and_ignores_spacing_and_case() -> None:
    pid = passage_id("naming", "A cancer keeps its name.")
    assert pid.startswith("naming-") and len(pid) == len("naming-") + 6
    assert passage_id("naming", "a  CANCER keeps its name.") == pid


def test_editing_one_passage_keeps_the_other_ids() -> None:
    before = parse_source(NOTE, "sample")
    after = parse_source(NOTE.replace("First item of a list.", "First item, edited."), "sample")
    before_ids = {p.passage_id for p in before.passages}
    after_ids = {p.passage_id for p in after.passages}
    assert len(before_ids - after_ids) == 1
    assert before.passage(before.passages[0].passage_id) == before.passages[0]


def test_repeated_headings_get_distinct_slugs() -> None:
    source = parse_source("## Same\n\nOne.\n\n## Same\n\nTwo.\n", "x")
    assert [s.slug for s in source.sections] == ["same", "same-2"]


def test_identical_passages_in_one_section_are_refused_with_line() -> None:
    with pytest.raises(SourceError) as caught:
        parse_source("## S\n\nSame words.\n\nSame words.\n", "x")
    assert caught.value.line == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: [unclosed\n---\n", "front matter is not valid YAML"),
        ("---\ntitle: x\n", "never ends"),
        ("---\ncredits: nope\n---\n", "credits"),
    ],
)
def test_bad_front_matter_is_reported(text: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_source(text, "x")


def test_plain_text_without_headings_is_one_section() -> None:
    source = parse_source("First paragraph.\n\nSecond paragraph.\n", "plain", default_title="Plain")
    assert source.title == "Plain"
    assert len(source.passages) == 2


def test_slugify_folds_accents_and_symbols() -> None:
    assert slugify("Métastases: où & comment?") == "metastases-ou-comment"
