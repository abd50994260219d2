"""Read plain text, such as an article copied from a web page, as a Markdown source.

Copied pages have no Markdown: a heading is a short line standing alone above prose,
bullets are "•" lines, and each paragraph is one long line (or, in a hand-written
file, several lines wrapped at a fixed width). The text is rewritten as Markdown and
parsed by `parse_source`, so passage ids follow the project's one scheme and the
rewritten text, saved as a .md note, reproduces them exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quiz.domain.sources import Source, normalise_text, parse_source, strip_inline_markup

from .chrome import chrome_reason, is_title_like

_ITEM = re.compile(r"^(?P<indent>\s*)(?:[-*+•·▪◦‣●]|\d{1,3}[.)])\s+(?P<text>\S.*)$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+\S", re.MULTILINE)
_DECORATION = re.compile(r"^[\W_]+$")
_LEADING_HASHES = re.compile(r"^#+\s*")

HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90
WRAP_MIN = 40  # a hard-wrapped paragraph's lines are all about this long or longer
WRAP_MAX = 100


@dataclass
class _Block:
    kind: str  # "paragraph" | "item" | "heading"
    text: str
    standalone: bool  # a single line with blank lines (or block edges) around it


def looks_like_markdown(text: str) -> bool:
    """Tell whether text already has Markdown structure (front matter or # headings)."""
    return text.startswith("---\n") or bool(_MARKDOWN_HEADING.search(text))


def plain_text_to_markdown(text: str) -> str:
    """Rewrite plain text as Markdown: a # title, ## headings, paragraphs and - items."""
    blocks = _blocks(text.replace("\r\n", "\n").replace("\r", "\n"))
    _mark_headings(blocks)
    lines: list[str] = []
    seen: set[str] = set()
    title_index = next((i for i, b in enumerate(blocks) if b.kind == "heading"), -1)
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            level = "#" if index == title_index and _before_content(blocks, index) else "##"
            lines += [f"{level} {block.text}", ""]
            seen = set()
            continue
        key = normalise_text(strip_inline_markup(block.text))
        if not key or key in seen:
            continue  # a repeated line (a teaser shown twice) would repeat a passage id
        seen.add(key)
        prefix = "- " if block.kind == "item" else ""
        lines += [f"{prefix}{block.text}", ""]
    return "\n".join(lines)


def parse_plain_text(text: str, slug: str) -> Source:
    """Parse plain text into a Source, finding headings and list items as a reader would."""
    return parse_source(plain_text_to_markdown(text), slug)


def _blocks(text: str) -> list[_Block]:
    """Cut text into paragraphs and items; a blank line or a bullet starts a new one."""
    blocks: list[_Block] = []
    for group in re.split(r"\n\s*\n", text):
        lines = [line for line in group.split("\n") if line.strip()]
        lines = [line for line in lines if not _DECORATION.match(line.strip())]
        if not lines:
            continue
        if _is_wrapped_paragraph(lines):
            joined = " ".join(line.strip() for line in lines)
            blocks.append(_Block("paragraph", _escape(joined), standalone=False))
            continue
        standalone = len(lines) == 1
        item_indent = -1
        for line in lines:
            item = _ITEM.match(line)
            if item:
                item_indent = len(item.group("indent"))
                blocks.append(_Block("item", _clean(item.group("text")), standalone=False))
            elif item_indent >= 0 and _indent(line) > item_indent and blocks:
                blocks[-1].text += " " + _clean(line)  # an item running onto a second line
            else:
                item_indent = -1
                blocks.append(_Block("paragraph", _escape(_clean(line)), standalone))
    return blocks


def _is_wrapped_paragraph(lines: list[str]) -> bool:
    if len(lines) < 2 or any(_ITEM.match(line) for line in lines):
        return False
    return all(WRAP_MIN <= len(line.strip()) <= WRAP_MAX for line in lines[:-1])


def _mark_headings(blocks: list[_Block]) -> None:
    """Make a block a heading when it is a short standalone line followed by prose, or the
    first line of the page."""
    candidates = [_could_be_heading(block) for block in blocks]
    first = _next_content(blocks, -1)
    for index, block in enumerate(blocks):
        if not candidates[index]:
            continue
        if index == first:
            block.kind = "heading"  # a page starts with its title, often above a subtitle
            continue
        following = _next_content(blocks, index)
        if following is not None and not candidates[following]:
            block.kind = "heading"


def _before_content(blocks: list[_Block], index: int) -> bool:
    """Tell whether only chrome comes before a block, so it can be the page's title."""
    return all(chrome_reason(block.text) is not None for block in blocks[:index])


def _next_content(blocks: list[_Block], index: int) -> int | None:
    for later in range(index + 1, len(blocks)):
        if chrome_reason(blocks[later].text) is None:
            return later
    return None


def _could_be_heading(block: _Block) -> bool:
    text = block.text
    return (
        block.kind == "paragraph"
        and block.standalone
        and is_title_like(text)
        and not text.endswith("!")
        and len(text.split()) <= HEADING_MAX_WORDS
        and len(text) <= HEADING_MAX_CHARS
        and (text[0].isupper() or text[0].isdigit())
        and chrome_reason(text) is None
    )


def _clean(line: str) -> str:
    return " ".join(line.split())


def _escape(text: str) -> str:
    """Keep a paragraph from reading as a Markdown heading when it starts with '#'."""
    return _LEADING_HASHES.sub("", text) if text.startswith("#") else text


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())
