"""Export flashcards as an Anki package (.apkg) with genanki.

Ids are derived from names and question ids, never drawn at random, so importing a newer
export of the same deck updates its notes in Anki instead of adding duplicates.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

import genanki

from quiz.domain.bank import BLANK, CHOICE_TYPES, Question

GAP = "_____"
MODEL_NAME = "Quiz flashcard"
# Part of the model id's seed: bump it when the fields or templates change, so Anki sees a
# new note type rather than a known one whose fields no longer match.
MODEL_VERSION = 1

# One Basic-like note type for every question, cloze included. Anki's own Cloze type would
# need the answer written into the text as {{c1::answer}}, which breaks when an answer holds
# "::" or "}}" and cannot show our alternative answers; a front with a gap and a back with
# the filled sentence opens cleanly in any Anki and gives one card per question, like ours.
_FRONT_TEMPLATE = '<div class="front">{{Front}}</div>'
_BACK_TEMPLATE = (
    "{{FrontSide}}\n\n<hr id=answer>\n\n"
    '<div class="back">{{Back}}</div>\n'
    '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}\n'
    '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'
)
_CSS = """\
.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black;
  background-color: white; max-width: 40em; margin: 0 auto; }
.back { font-weight: bold; }
.extra { margin-top: 1em; font-size: 17px; }
.source { margin-top: 1em; font-size: 15px; color: #555; }
.nightMode .source { color: #aaa; }
"""
_FIELDS = ("Front", "Back", "Extra", "Source")


@dataclass(frozen=True)
class FlashcardFace:
    """What one Anki note shows, as plain text (the export escapes it)."""

    stable_id: str  # the note's GUID is derived from it
    front: str
    back: str
    extra: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()


def stable_anki_id(seed: str) -> int:
    """Return a stable Anki model or deck id for a name.

    Anki wants 64-bit ids; genanki advises the range [2**30, 2**31), which also keeps clear
    of Anki's own "Default" deck (id 1).
    """
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def _field(text: str) -> str:
    # Anki fields are HTML: escape everything a question author wrote, keep line breaks.
    return html.escape(text.strip()).replace("\r\n", "\n").replace("\n", "<br>")


def _tag(text: str) -> str:
    # Anki separates tags with spaces, so a space inside one would split it.
    return re.sub(r"\s+", "_", text.strip())


def _model() -> Any:
    return genanki.Model(
        stable_anki_id(f"quiz model: {MODEL_NAME} v{MODEL_VERSION}"),
        MODEL_NAME,
        fields=[{"name": name} for name in _FIELDS],
        templates=[{"name": "Card 1", "qfmt": _FRONT_TEMPLATE, "afmt": _BACK_TEMPLATE}],
        css=_CSS,
    )


def export_apkg(
    deck_name: str,
    cards: Sequence[FlashcardFace],
    path_or_file: str | os.PathLike[str] | IO[bytes],
    *,
    exported_at: datetime,
) -> int:
    """Write a deck of flashcards as an Anki package.

    Args:
        deck_name: the deck's name in Anki ("::" makes a subdeck); its id derives from it.
        cards: the notes to write, one card each.
        path_or_file: where to write the .apkg: a path, or a binary file open for writing.
        exported_at: the time stamped on notes and cards (timezone-aware); Anki tells
            notes apart by GUID, so it does not affect what a re-import updates.

    Returns:
        The number of notes written.

    Raises:
        ValueError: the deck has no name, a card has no front or back, two cards share a
            stable id, or `exported_at` is naive.
    """
    name = deck_name.strip()
    if not name:
        raise ValueError("the deck needs a name")
    if exported_at.tzinfo is None or exported_at.utcoffset() is None:
        raise ValueError("exported_at must be timezone-aware (got a naive datetime)")
    model = _model()
    deck = genanki.Deck(stable_anki_id(f"quiz deck: {name}"), name)
    seen: set[str] = set()
    for card in cards:
        if card.stable_id in seen:
            raise ValueError(f"two cards share the id '{card.stable_id}'")
        seen.add(card.stable_id)
        if not card.front.strip() or not card.back.strip():
            # Anki would import a note with an empty side as a blank, unreviewable card.
            raise ValueError(f"card '{card.stable_id}' needs both a front and a back")
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[
                    _field(card.front),
                    _field(card.back),
                    _field(card.extra),
                    _field(card.source),
                ],
                tags=[_tag(t) for t in card.tags if t.strip()],
                guid=genanki.guid_for(card.stable_id),
            )
        )
    _write_package(genanki.Package(deck), path_or_file, exported_at.timestamp())
    return len(seen)


def _write_package(
    package: Any, path_or_file: str | os.PathLike[str] | IO[bytes], timestamp: float
) -> None:
    # genanki's own Package.write_to_file leaves its temporary database behind in the
    # temp directory on every call, and reads the clock; this is the same file layout
    # (a zip of "collection.anki2" and an empty "media" map) with both fixed.
    with tempfile.TemporaryDirectory(prefix="quiz-apkg-") as workdir:
        database = os.path.join(workdir, "collection.anki2")
        with closing(sqlite3.connect(database)) as connection:
            # Note and card ids count up from the export time in milliseconds, as Anki's do.
            package.write_to_db(
                connection.cursor(), timestamp, itertools.count(int(timestamp * 1000))
            )
            connection.commit()
        with zipfile.ZipFile(path_or_file, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(database, "collection.anki2")
            archive.writestr("media", "{}")


def faces_from_questions(
    questions: Sequence[Question], source_titles: Mapping[str, str]
) -> list[FlashcardFace]:
    """Turn bank questions into flashcards.

    A choice question shows its prompt and, on the back, its correct choice(s), one per
    line; a cloze question shows its sentence with a gap, and the whole sentence on the
    back; a short question shows its prompt and first accepted answer. Other accepted
    answers follow on the back. The explanation goes in Extra, and the quoted passage with
    its source's title in Source.

    Args:
        questions: the questions to turn into cards, in deck order.
        source_titles: source document id -> title; an unknown document shows its id.

    Returns:
        One face per question, keyed by the question's id.
    """
    faces = []
    for question in questions:
        if question.type in CHOICE_TYPES:
            front = question.prompt
            back = "\n".join(c.text for c in question.choices if c.correct)
        else:
            answer, *others = question.answers or ("",)
            if question.type == "cloze":
                front = question.prompt.replace(BLANK, GAP)
                back = question.prompt.replace(BLANK, answer)
            else:
                front, back = question.prompt, answer
            if others:
                back += "\nAlso accepted: " + "; ".join(others)
        title = source_titles.get(question.source.document, question.source.document)
        faces.append(
            FlashcardFace(
                stable_id=question.id,
                front=front,
                back=back,
                extra=question.explanation,
                source=f"“{question.source.quote}” — {title}",
                tags=question.topics,
            )
        )
    return faces
