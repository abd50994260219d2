"""The text questions are built on: every sentence of every passage that is not chrome.

A `Quote` is always a verbatim slice of one passage's text, so a question quoting it
passes the bank's quote check by construction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from quiz.domain.sources import Passage, Source

from .chrome import chrome_passage_ids
from .sentences import split_sentences

# A sentence that leans on the one before it needs that sentence to be understood.
_ANAPHORA = re.compile(
    r"^(?:this|these|that|those|it|they|such|he|she|yet|so|then|also)\b|"
    r"\b(?:in this way|this process|these vessels|this situation|in this case|the latter|"
    r"the former|these cells|these tumou?rs|this spread)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quote:
    """A verbatim slice of a passage, with where it comes from."""

    document: str
    passage_id: str
    section_title: str
    text: str
    order: tuple[int, int, int]  # document, passage, sentence: the corpus reading order
    document_title: str = ""


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage that is not chrome."""

    document: str
    passage: Passage
    section_title: str
    index: int
    start: int
    end: int
    order: tuple[int, int, int]
    document_title: str = ""

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]

    @property
    def leans_on_previous(self) -> bool:
        """Tell whether the sentence needs the one before it ("This is called ...")."""
        return bool(_ANAPHORA.search(self.text))

    def quote(self, previous: Sentence | None = None) -> Quote:
        """Quote this sentence, starting from `previous` when it is given."""
        start = previous.start if previous is not None else self.start
        return Quote(
            self.document,
            self.passage.passage_id,
            self.section_title,
            self.passage.text[start : self.end],
            self.order,
            self.document_title,
        )


@dataclass(frozen=True)
class PassageText:
    """A passage that is not chrome, with its sentences and the lead-in it follows."""

    document: str
    passage: Passage
    section_title: str
    sentences: tuple[Sentence, ...]
    lead_in: str  # for a list item: the paragraph ending in ":" that introduces it
    order: tuple[int, int]
    document_title: str = ""

    def quote(self) -> Quote:
        """Quote the whole passage."""
        return Quote(
            self.document,
            self.passage.passage_id,
            self.section_title,
            self.passage.text,
            (*self.order, 0),
            self.document_title,
        )

    def previous_sentence(self, sentence: Sentence) -> Sentence | None:
        """Return the sentence before `sentence` in this passage, or None."""
        return self.sentences[sentence.index - 1] if sentence.index > 0 else None


@dataclass(frozen=True)
class Corpus:
    """All the content passages of the sources, in reading order."""

    sources: tuple[Source, ...]
    passages: tuple[PassageText, ...]
    chrome: frozenset[tuple[str, str]]  # (document, passage id) of every chrome passage

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.passages for s in p.sentences]


def build_corpus(sources: Sequence[Source]) -> Corpus:
    """Split the content passages of the sources into sentences, leaving chrome out."""
    passages: list[PassageText] = []
    chrome: set[tuple[str, str]] = set()
    for doc_index, source in enumerate(sources):
        chrome_ids = chrome_passage_ids(source)
        chrome.update((source.slug, pid) for pid in chrome_ids)
        number = 0
        for section in source.sections:
            lead_in = ""
            for passage in section.passages:
                number += 1
                if passage.kind == "paragraph":
                    lead_in = passage.text if passage.text.rstrip().endswith(":") else ""
                if passage.passage_id in chrome_ids or passage.text.count("|") >= 2:
                    continue  # chrome, or a table row: neither reads as prose to quote
                order = (doc_index, number)
                sentences = tuple(
                    Sentence(
                        source.slug,
                        passage,
                        section.title,
                        index,
                        span.start,
                        span.end,
                        (doc_index, number, index),
                        source.title,
                    )
                    for index, span in enumerate(split_sentences(passage.text))
                )
                item_lead_in = lead_in if passage.kind == "item" else ""
                passages.append(
                    PassageText(
                        source.slug,
                        passage,
                        section.title,
                        sentences,
                        item_lead_in,
                        order,
                        source.title,
                    )
                )
    return Corpus(tuple(sources), tuple(passages), frozenset(chrome))
