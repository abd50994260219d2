"""Turn a Markdown or plain-text source into sections and passages with stable ids.

A passage is a paragraph or a list item. Its id is the section slug plus a short hash
of its normalised text, so editing one passage never renames another.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SOURCE_SUFFIXES = (".md", ".markdown", ".txt")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")


class SourceError(ValueError):
    """A source text that cannot be parsed; carries the 1-based line of the problem."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Passage:
    """One quotable unit of a source: a paragraph or a list item."""

    passage_id: str
    section_slug: str
    text: str
    line: int
    kind: str  # "paragraph" | "item"


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    level: int
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class Source:
    slug: str
    title: str
    summary: str
    credits: tuple[str, ...]
    sections: tuple[Section, ...]
    version: str
    text: str = field(default="", compare=False, repr=False)
    _by_id: dict[str, Passage] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({p.passage_id: p for p in self.passages})

    @property
    def passages(self) -> tuple[Passage, ...]:
        return tuple(p for s in self.sections for p in s.passages)

    def passage(self, passage_id: str) -> Passage | None:
        """Return the passage with this id, or None."""
        return self._by_id.get(passage_id)


def slugify(text: str) -> str:
    """Return a lowercase ASCII slug of letters, digits and hyphens ("" for none)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def normalise_text(text: str) -> str:
    """Fold case, Unicode forms and white space so cosmetic edits keep a passage's id."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def passage_id(section_slug: str, text: str) -> str:
    """Return the stable id of a passage: section slug plus six hex digits of its hash."""
    digest = hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()[:6]
    return f"{section_slug}-{digest}"


def strip_inline_markup(text: str) -> str:
    """Drop Markdown links, emphasis and code marks, keeping the words a reader sees."""
    text = _LINK.sub(r"\1", text)
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def parse_source(text: str, slug: str, *, default_title: str = "") -> Source:
    """Parse a source text into a Source.

    Args:
        text: Markdown (optionally with a YAML front matter block) or plain text.
        slug: the source's slug, usually its file name without suffix.
        default_title: title to use when neither front matter nor a heading gives one.

    Returns:
        The parsed Source; its version is a hash of the whole text.

    Raises:
        SourceError: malformed front matter, or two identical passages in one section.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta, body_start = _front_matter(lines)
    title = str(meta.get("title") or "").strip()
    credits = meta.get("credits") or []
    if not isinstance(credits, list) or not all(isinstance(c, str) for c in credits):
        raise SourceError(1, "front matter 'credits' must be a list of strings")

    sections: list[Section] = []
    used_slugs: set[str] = set()
    for heading, level, _heading_line, blocks in _sections(lines, body_start):
        if level == 1 and not title:
            title = heading
        if not blocks and level == 1:
            continue
        section_slug = _unique(slugify(heading) or "section", used_slugs)
        passages: list[Passage] = []
        seen: dict[str, int] = {}
        for kind, start, block_text in blocks:
            pid = passage_id(section_slug, block_text)
            if pid in seen:
                raise SourceError(start, f"passage repeats the one on line {seen[pid]}")
            seen[pid] = start
            passages.append(Passage(pid, section_slug, block_text, start, kind))
        if passages or level > 1:
            sections.append(Section(section_slug, heading, level, tuple(passages)))

    version = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    return Source(
        slug=slug,
        title=title or default_title or slug.replace("-", " ").capitalize(),
        summary=str(meta.get("summary") or "").strip(),
        credits=tuple(c.strip() for c in credits),
        sections=tuple(sections),
        version=version,
        text=text,
    )


def load_source_file(path: Path) -> Source:
    """Read and parse one source file; the slug is the file name without its suffix."""
    return parse_source(path.read_text(encoding="utf-8"), slugify(path.stem))


def source_files(directory: Path) -> list[Path]:
    """Return the source files of a folder in a stable order."""
    return sorted(p for p in directory.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES)


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate


def _front_matter(lines: list[str]) -> tuple[dict[str, object], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            try:
                meta = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = mark.line + 2 if mark is not None else 1
                raise SourceError(line, f"front matter is not valid YAML: {exc}") from None
            if not isinstance(meta, dict):
                raise SourceError(1, "front matter must be a mapping of names to values")
            return meta, end + 1
    raise SourceError(1, "front matter starts with '---' but never ends")


Block = tuple[str, int, str]  # kind, first line (1-based), text


def _sections(lines: list[str], start: int) -> Iterator[tuple[str, int, int, list[Block]]]:
    """Yield (heading, level, heading line, blocks) in order; text before any heading
    belongs to an untitled level-0 section."""
    heading, level, heading_line = "Introduction", 0, start + 1
    blocks: list[Block] = []
    current: list[str] = []
    current_kind, current_start = "paragraph", 0

    def flush() -> None:
        nonlocal current
        if current:
            block_text = strip_inline_markup(" ".join(current))
            if block_text:
                blocks.append((current_kind, current_start, block_text))
        current = []

    for index in range(start, len(lines)):
        raw = lines[index]
        number = index + 1
        stripped = raw.strip()
        heading_match = _HEADING.match(raw)
        item_match = _LIST_ITEM.match(raw)
        if heading_match:
            flush()
            if blocks or level > 0:
                yield heading, level, heading_line, blocks
            heading = strip_inline_markup(heading_match.group(2))
            level, heading_line, blocks = len(heading_match.group(1)), number, []
        elif not stripped:
            flush()
        elif item_match:
            flush()
            current_kind, current_start = "item", number
            current = [item_match.group(1).strip()]
        else:
            if not current:
                current_kind, current_start = "paragraph", number
            current.append(stripped)
    flush()
    if blocks or level > 0:
        yield heading, level, heading_line, blocks
