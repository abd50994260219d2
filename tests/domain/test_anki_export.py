"""Anki export: the .apkg is a zip holding a SQLite collection with one note per card."""

import io
import json
import sqlite3
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import genanki
import pytest

from quiz.domain.bank import BLANK, Choice, Question, SourceRef
from quiz.domain.formats.anki import (
    GAP,
    FlashcardFace,
    export_apkg,
    faces_from_questions,
    stable_anki_id,
)

EXPORTED_AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
REF = SourceRef("bone-notes", "sites-abc123", "Bone is the commonest site.")
TITLES = {"bone-notes": "Notes on bone metastases"}

MCQ = Question(
    "commonest-site",
    "mcq",
    "Which site is commonest?",
    "Bone takes most.",
    REF,
    ("sites",),
    choices=(Choice("Bone", True), Choice("Brain", False)),
)
MULTI = Question(
    "two-sites",
    "multi",
    "Pick both",
    "Both are common.",
    REF,
    ("sites",),
    choices=(Choice("Bone", True), Choice("Liver", True), Choice("Skin", False)),
)
CLOZE = Question(
    "cloze-bone",
    "cloze",
    f"The commonest site is {BLANK}.",
    "Bone, as the notes say.",
    REF,
    ("sites", "naming"),
    answers=("bone", "the skeleton"),
)
SHORT = Question(
    "short-name",
    "short",
    "Name the <script>alert(1)</script> site",
    "Because <b>bone</b> & marrow.",
    REF,
    ("naming",),
    answers=("bone",),
)


def read_notes(apkg: Path | io.BytesIO, tmp_path: Path) -> list[tuple[str, list[str], str]]:
    """Open an .apkg as Anki would and return each note's GUID, fields and tags."""
    with zipfile.ZipFile(apkg) as package:
        assert "collection.anki2" in package.namelist()
        database = tmp_path / "collection.anki2"
        database.write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
        (card_count,) = conn.execute("SELECT COUNT(*) FROM cards").fetchone()
    assert card_count == len(rows)  # one card per note
    return [(guid, flds.split("\x1f"), tags.strip()) for guid, flds, tags in rows]


def test_export_writes_one_note_per_card(tmp_path: Path) -> None:
    faces = faces_from_questions([MCQ, MULTI, CLOZE, SHORT], TITLES)
    path = tmp_path / "deck.apkg"
    assert export_apkg("Metastasis", faces, path, exported_at=EXPORTED_AT) == 4
    notes = read_notes(path, tmp_path)
    assert len(notes) == 4
    assert [guid for guid, _, _ in notes] == [genanki.guid_for(f.stable_id) for f in faces]
    assert notes[2][2] == "sites naming"


def test_export_escapes_html_so_a_script_is_inert(tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    export_apkg("Metastasis", faces_from_questions([SHORT], TITLES), path, exported_at=EXPORTED_AT)
    ((_, fields, _),) = read_notes(path, tmp_path)
    front, back, extra, source = fields
    assert front == "Name the &lt;script&gt;alert(1)&lt;/script&gt; site"
    assert "<script" not in "".join(fields)
    assert extra == "Because &lt;b&gt;bone&lt;/b&gt; &amp; marrow."
    assert back == "bone"
    assert source == "“Bone is the commonest site.” — Notes on bone metastases"


def test_export_writes_to_an_open_file_and_keeps_line_breaks(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    export_apkg(
        "Metastasis", faces_from_questions([MULTI], TITLES), buffer, exported_at=EXPORTED_AT
    )
    ((_, fields, _),) = read_notes(io.BytesIO(buffer.getvalue()), tmp_path)
    assert fields[1] == "Bone<br>Liver"


def test_deck_and_model_ids_are_stable_across_exports(tmp_path: Path) -> None:
    ids = []
    for name, exported_at in (("first.apkg", EXPORTED_AT), ("second.apkg", datetime.now(UTC))):
        path = tmp_path / name
        faces = faces_from_questions([MCQ], TITLES)
        export_apkg("Metastasis::Sites", faces, path, exported_at=exported_at)
        with zipfile.ZipFile(path) as package:
            database = tmp_path / f"{name}.anki2"
            database.write_bytes(package.read("collection.anki2"))
        with sqlite3.connect(database) as conn:
            models, decks = conn.execute("SELECT models, decks FROM col").fetchone()
            (guid,) = conn.execute("SELECT guid FROM notes").fetchone()
        deck_ids = {d["id"] for d in json.loads(decks).values() if d["name"] == "Metastasis::Sites"}
        ids.append((set(json.loads(models)), deck_ids, guid))
    assert ids[0] == ids[1]
    assert ids[0][1] == {stable_anki_id("quiz deck: Metastasis::Sites")}


def test_stable_ids_fall_in_the_range_genanki_advises() -> None:
    for seed in ("a", "quiz deck: Metastasis", "x" * 500):
        assert 1 << 30 <= stable_anki_id(seed) < 1 << 31
    assert stable_anki_id("a") == stable_anki_id("a") != stable_anki_id("b")


def test_faces_show_prompt_and_answers_by_question_type() -> None:
    mcq, multi, cloze, short = faces_from_questions([MCQ, MULTI, CLOZE, SHORT], {})
    assert (mcq.front, mcq.back) == ("Which site is commonest?", "Bone")
    assert multi.back == "Bone\nLiver"
    assert cloze.front == f"The commonest site is {GAP}."
    assert cloze.back == "The commonest site is bone.\nAlso accepted: the skeleton"
    assert (short.stable_id, short.back) == ("short-name", "bone")
    assert mcq.extra == "Bone takes most."
    assert mcq.source == "“Bone is the commonest site.” — bone-notes"  # no title: the id
    assert cloze.tags == ("sites", "naming")


@pytest.mark.parametrize(
    ("deck_name", "faces", "message"),
    [
        ("  ", [FlashcardFace("a", "front", "back")], "name"),
        ("Deck", [FlashcardFace("a", "f", "b"), FlashcardFace("a", "g", "c")], "share"),
        ("Deck", [FlashcardFace("a", "front", " ")], "front and a back"),
        ("Deck", [FlashcardFace("a", "", "back")], "front and a back"),
    ],
)
def test_bad_decks_are_refused(
    tmp_path: Path, deck_name: str, faces: list[FlashcardFace], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        export_apkg(deck_name, faces, tmp_path / "deck.apkg", exported_at=EXPORTED_AT)


def test_naive_export_time_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        export_apkg(
            "Deck",
            [FlashcardFace("a", "front", "back")],
            tmp_path / "deck.apkg",
            exported_at=datetime(2025, 3, 3),
        )


def test_tags_with_spaces_are_joined_not_split(tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    faces = [FlashcardFace("a", "f", "b", tags=("bone sites", " "))]
    export_apkg("Deck", faces, path, exported_at=EXPORTED_AT)
    ((_, _, tags),) = read_notes(path, tmp_path)
    assert tags == "bone_sites"


def test_export_stamps_the_given_time_and_leaves_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    path = tmp_path / "deck.apkg"
    export_apkg("Deck", [FlashcardFace("a", "f", "b")], path, exported_at=EXPORTED_AT)
    assert list(scratch.iterdir()) == []
    with zipfile.ZipFile(path) as package:
        database = tmp_path / "collection.anki2"
        database.write_bytes(package.read("collection.anki2"))
        assert json.loads(package.read("media")) == {}
    with sqlite3.connect(database) as conn:
        (note_id, modified) = conn.execute("SELECT id, mod FROM notes").fetchone()
    assert modified == int(EXPORTED_AT.timestamp())
    assert note_id == int(EXPORTED_AT.timestamp() * 1000)
