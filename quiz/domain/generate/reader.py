"""Read the files questions are generated from, refusing anything that is not usable text.

Every refusal is a `GenerateInputError` naming the file and one short reason, so a
command line can print `path: reason` and stop before writing anything.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Sequence
from pathlib import Path

from quiz.domain.sources import Source, SourceError, parse_source, slugify

from .plaintext import looks_like_markdown, parse_plain_text
from .sentences import sentence_texts

MAX_INPUT_BYTES = 10 * 1024 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown")
_WORD = re.compile(r"[^\W\d_]{2,}")


class GenerateInputError(ValueError):
    """A file questions cannot be generated from; str() is the one-line `path: reason`."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def read_input_text(path: Path) -> str:
    """Return the text of a file, or raise GenerateInputError saying why it is unusable.

    Raises:
        GenerateInputError: missing, a directory or other non-file, over 10 MB, empty,
            binary (NUL bytes) or not UTF-8.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise GenerateInputError(path, "no such file") from None
    except OSError as exc:
        raise GenerateInputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise GenerateInputError(path, "is a directory, not a text file")
    if not stat.S_ISREG(info.st_mode):
        raise GenerateInputError(path, "is not a regular file")
    if info.st_size > MAX_INPUT_BYTES:
        raise GenerateInputError(path, _too_large(info.st_size))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)  # the size can change after stat()
    except OSError as exc:
        raise GenerateInputError(path, f"cannot be read ({exc.strerror or exc})") from None
    return decode_input(path, data)


def decode_input(name: Path | str, data: bytes) -> str:
    """Return bytes as text, or raise GenerateInputError saying why they are not usable.

    Raises:
        GenerateInputError: over 10 MB, empty, binary (NUL bytes) or not UTF-8.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise GenerateInputError(name, _too_large(len(data)))
    if not data.strip():
        raise GenerateInputError(name, "file is empty")
    if b"\x00" in data:
        raise GenerateInputError(name, "binary file (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise GenerateInputError(
            name, f"not UTF-8 text (byte 0x{byte:02x} at offset {exc.start})"
        ) from None


def load_input(path: Path, slug: str) -> Source:
    """Read and parse one input file as a Source whose slug is `slug`.

    Markdown files (.md, or text with front matter or # headings) are parsed as they
    are; anything else is read as plain text copied from a page.

    Raises:
        GenerateInputError: the file is unusable or holds no sentences.
    """
    return parse_input(path, read_input_text(path), slug)


def is_markdown(name: Path | str, text: str) -> bool:
    """Tell whether a text is read as Markdown (.md, front matter or # headings)."""
    return str(name).lower().endswith(MARKDOWN_SUFFIXES) or looks_like_markdown(text)


def parse_input(name: Path | str, text: str, slug: str) -> Source:
    """Parse a text as Markdown or as plain text copied from a page.

    Raises:
        GenerateInputError: the text cannot be parsed or holds no sentences.
    """
    try:
        source = (
            parse_source(text, slug) if is_markdown(name, text) else parse_plain_text(text, slug)
        )
    except SourceError as exc:
        raise GenerateInputError(name, f"cannot be parsed: {exc}") from None
    if not has_sentences(source):
        raise GenerateInputError(name, "no sentences found, so nothing to ask about")
    return source


def has_sentences(source: Source) -> bool:
    """Tell whether any passage holds a real sentence (four words or more)."""
    for passage in source.passages:
        for sentence in sentence_texts(passage.text):
            words = len(_WORD.findall(sentence))
            if words >= 6 or (words >= 4 and sentence.rstrip("”\"')").endswith((".", "!", "?"))):
                return True
    return False


def document_slugs(paths: Sequence[Path]) -> list[str]:
    """Return a distinct document slug per path: the file stem, numbered on a clash."""
    slugs: list[str] = []
    for path in paths:
        base = slugify(path.stem) or "source"
        slug, number = base, 2
        while slug in slugs:
            slug, number = f"{base}-{number}", number + 1
        slugs.append(slug)
    return slugs


def _too_large(size: int) -> str:
    return (
        f"file is too large ({size / 1024 / 1024:.1f} MB; "
        f"the limit is {MAX_INPUT_BYTES // 1024 // 1024} MB)"
    )
