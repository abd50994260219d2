"""Reading generator inputs: every unusable file is refused with one short reason."""

from pathlib import Path

import pytest

from quiz.domain.generate import MAX_INPUT_BYTES, GenerateInputError, load_input, read_input_text
from quiz.domain.generate.reader import document_slugs, has_sentences
from quiz.domain.sources import parse_source


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"  \n\t\n", "file is empty"),
        (
            "binary.txt",
            b"PK\x03\x04\x00\x00 some zip",
            "binary file (it contains NUL bytes), not text",
        ),
        (
            "latin.txt",
            "Caf\u00e9 notes.".encode("latin-1"),
            "not UTF-8 text (byte 0xe9 at offset 3)",
        ),
    ],
)
def test_unusable_bytes_are_refused_with_a_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(GenerateInputError) as caught:
        read_input_text(path)
    assert caught.value.reason == reason
    assert str(caught.value) == f"{path}: {reason}"


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB actually written
    with pytest.raises(GenerateInputError) as caught:
        read_input_text(path)
    assert caught.value.reason == "file is too large (50.0 MB; the limit is 10 MB)"
    assert MAX_INPUT_BYTES == 10 * 1024 * 1024


def test_a_directory_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(GenerateInputError, match="is a directory, not a text file"):
        read_input_text(tmp_path)
    with pytest.raises(GenerateInputError, match="no such file"):
        read_input_text(tmp_path / "absent.md")


def test_utf8_text_is_read_without_its_byte_order_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", "\ufeffTumours spread.".encode())
    assert read_input_text(path) == "Tumours spread."


def test_a_file_without_sentences_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "numbers.txt", b"12345\n---\n!!!\nLiver\nBones\n")
    with pytest.raises(GenerateInputError) as caught:
        load_input(path, "numbers")
    assert caught.value.reason == "no sentences found, so nothing to ask about"


def test_markdown_is_parsed_as_it_is_and_plain_text_finds_its_headings(tmp_path: Path) -> None:
    markdown = "## Spread\n\nCancer cells can travel through the blood to other organs.\n"
    md_path = write(tmp_path, "note.md", markdown.encode())
    assert load_input(md_path, "note") == parse_source(markdown, "note")

    plain = "Where It Goes\n\nCancer cells can travel through the blood to other organs.\n"
    txt_path = write(tmp_path, "page.txt", plain.encode())
    source = load_input(txt_path, "page")
    assert [s.title for s in source.sections] == ["Where It Goes"]


def test_document_slugs_follow_file_names_and_never_clash() -> None:
    paths = [Path("a/Kidney Notes.md"), Path("b/kidney-notes.txt"), Path("c/!!!.txt")]
    assert document_slugs(paths) == ["kidney-notes", "kidney-notes-2", "source"]


def test_has_sentences_needs_a_few_words_of_prose() -> None:
    assert has_sentences(parse_source("Cancer cells can travel far.\n", "x"))
    assert not has_sentences(parse_source("- Liver\n- Bones\n- Brain\n", "x"))
