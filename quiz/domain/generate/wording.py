"""Small text helpers shared by the extractors and the question templates.

Everything here is deterministic: choices that look random are ordered by a hash of
their content, so the same text always gives the same questions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TypeVar

from quiz.domain.answers import answer_tokens

T = TypeVar("T")

# Function words: they never start or end a term and never count as content.
STOPWORDS = frozenset(
    """
    a an the this that these those it its they them their there here he she his her we
    our you your i me my of to in into on onto at by for from with without as than then
    and or nor but if so such also very more most less least some any all each every
    other another both either neither not no only just even still yet about over under
    between through during before after above below up down out off again further once
    is are was were be been being am has have had having do does did may might can could
    will would shall should must which who whom whose what when where why how while
    whereas because although though since until unless whether
    """.split()  # noqa: SIM905 - a word list reads best as words
)

# Verbs that end a noun phrase when a term is read word by word ("inhibitors work to ...").
PHRASE_ENDING_VERBS = frozenset(
    """
    work works worked help helps cause causes caused include includes included occur
    occurs become becomes became spread spreads grow grows make makes made allow allows
    allowed keep keeps take takes taken give gives lead leads show shows appear appears
    develop develops stop stops reach reaches mean means refer refers describe describes
    used use uses called named termed known involve involves affect affects remain
    remains form forms block blocks prevent prevents reduce reduces improve improves
    interrupt interrupts
    """.split()  # noqa: SIM905 - a word list reads best as words
)

_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)])")
_PUNCT_INSIDE_PAREN = re.compile(r"([,.;:])\)")
_REPEATED_PUNCT = re.compile(r"([,;:])\s*[,;:.]+")
_SPACES = re.compile(r"\s+")
_DISCOURSE_MARKER = re.compile(
    r"^(?:as noted|in general|in fact|in reality|however|moreover|for example|for instance|"
    r"in addition|in this case|in contrast|indeed|also|today|overall),\s+",
    re.IGNORECASE,
)


def stable_hash(*parts: object) -> int:
    """Return a hash of the parts that is the same on every run and machine."""
    joined = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha1(joined.encode("utf-8")).digest()[:8], "big")


def short_hash(*parts: object, length: int = 8) -> str:
    """Return a short hex digest of the parts, for ids."""
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:length]


def ordered_by_hash(items: Iterable[T], salt: object) -> list[T]:
    """Return the items in an order that looks shuffled but depends only on content."""
    return sorted(items, key=lambda item: (stable_hash(salt, item), str(item)))


def pick(
    items: Iterable[T],
    count: int,
    salt: object,
    prefer: Collection[T] = (),
    label: Callable[[T], str] | None = None,
) -> list[T]:
    """Choose count items deterministically, spreading choices across questions.

    Items in `prefer` come first. With `label`, an item whose label contains, or is
    contained in, a chosen one's is skipped ("Surgery" beside "Resection surgery").
    """
    pool = list(items)
    ordered = ordered_by_hash([i for i in pool if i in prefer], salt) + ordered_by_hash(
        [i for i in pool if i not in prefer], salt
    )
    if label is None:
        return ordered[:count]
    chosen: list[T] = []
    words: list[str] = []
    for item in ordered:
        text = f" {' '.join(answer_tokens(label(item)))} "
        if any(text in other or other in text for other in words):
            continue
        chosen.append(item)
        words.append(text)
        if len(chosen) == count:
            break
    return chosen


def unique(items: Iterable[T]) -> list[T]:
    """Return the items without repeats, first occurrence first."""
    seen: set[T] = set()
    result: list[T] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result


def tidy(text: str) -> str:
    """Fix the spacing and punctuation that quoting pieces of sentences leaves behind."""
    text = _SPACES.sub(" ", text).strip()
    text = _PUNCT_INSIDE_PAREN.sub(r")\1", text)  # "(gloss,)" reads as "(gloss),"
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _REPEATED_PUNCT.sub(r"\1", text)
    text = re.sub(r"\.\s*\.", ".", text)
    text = re.sub(r"\(\s+", "(", text)
    return text


def as_statement(text: str) -> str:
    """Return text as one sentence: tidy, capitalised, ending with a full stop."""
    text = tidy(text).rstrip(",;:- ")
    if not text.endswith((".", "!", "?", ".”", '."', "?”", "!”")):
        text += "."
    return capitalise(text)


def capitalise(text: str) -> str:
    """Upper-case the first letter, leaving the rest alone."""
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + char.upper() + text[index + 1 :]
    return text


def lower_first(text: str) -> str:
    """Lower-case the first word unless it is an acronym or a proper name ("CT", "HER2")."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first[1:].lower() != first[1:] or any(c.isdigit() for c in first)):
        return text
    return text[:1].lower() + text[1:]


def join_phrases(items: Sequence[str], conjunction: str = "and") -> str:
    """Join phrases as English lists them: "a, b and c"."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def strip_discourse_marker(sentence: str) -> str:
    """Drop an opening "As noted," or "However," that only links to the previous sentence."""
    stripped = _DISCOURSE_MARKER.sub("", sentence)
    return capitalise(stripped) if stripped != sentence else sentence


def content_tokens(text: str) -> tuple[str, ...]:
    """Return the normalised words of text that carry meaning (no function words)."""
    return tuple(t for t in answer_tokens(text) if t not in STOPWORDS)


def leaks(prompt: str, answer: str) -> bool:
    """Tell whether a prompt shows most of the words of a typed answer."""
    answer_words = content_tokens(answer)
    if len(answer_words) < 2:
        return False
    shown = set(content_tokens(prompt))
    return sum(word in shown for word in answer_words) * 2 > len(answer_words)


_VARIANTS = (
    ("aemia", "emia"),
    ("oesoph", "esoph"),
    ("tumour", "tumor"),
    ("ised", "ized"),
    ("ising", "izing"),
    ("ise ", "ize "),
    ("isation", "ization"),
    ("haem", "hem"),
)


def spelling_variants(text: str) -> list[str]:
    """Return the other English spellings of text ("hypercalcaemia" <-> "hypercalcemia")."""
    variants: list[str] = []
    for british, american in _VARIANTS:
        padded = text + " "
        if british in padded:
            variants.append(padded.replace(british, american).strip())
        elif american in padded and british != "haem":
            variants.append(padded.replace(american, british).strip())
    return [v for v in unique(variants) if v != text]


def is_plural_phrase(phrase: str) -> bool:
    """Guess whether a noun phrase is plural, for verb agreement in templates."""
    last = phrase.split()[-1].lower() if phrase.split() else ""
    if last in {"metastases", "diagnoses", "lymphocytes", "vertebrae", "bronchi"}:
        return True
    return last.endswith("s") and not last.endswith(("ss", "us", "is", "sis"))
