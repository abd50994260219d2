"""Recognise page chrome: the parts of a copied web page that are not the article.

Share buttons, bylines, author bios, "read the article" teasers, reference lists, link
lists and navigation carry no facts a student should learn, and a question built on
them would teach the page's furniture. Three rules find them:

- a line rule: the text itself reads as chrome ("Was this article helpful to you?");
- a tail rule: after a closing marker ("6 Sources", "You will also like") the rest of
  the page is chrome until a heading opens real prose again;
- a link-list rule: three or more short, title-like paragraphs in a row.
"""

from __future__ import annotations

import re

from quiz.domain.sources import Section, Source, normalise_text

from .sentences import sentence_texts

_FLAGS = re.IGNORECASE

# Chrome only when the passage is short (at most max_words): a long paragraph that
# mentions "sign up" or starts with "See" is prose.
_SHORT_CHROME = tuple(
    (reason, re.compile(pattern, flags), max_words)
    for reason, pattern, flags, max_words in (
        (
            "share or comment prompt",
            r"\b(share (this|it|on|your|with)|give it a like|like us on|follow us|tweet this|"
            r"pin it|comments? below|leave a comment|add a comment|join the (discussion|"
            r"conversation|community)|sign up|subscribe|newsletter|create an account)\b",
            _FLAGS,
            30,
        ),
        (
            "link to another page",
            r"^(read|see|view|watch|discover|learn|find out|continue|click|go)\b.{0,40}?\b"
            r"(article|testimonial|story|stories|video|more|here|reading|discussion|post|"
            r"guide)s?\b",
            _FLAGS,
            8,
        ),
        ("link to another page", r">>\s*learn more|\bfind all the answers\b", _FLAGS, 30),
        (
            "link to another page",
            r"\b(in|from|on) our (article|articles|blog|guide|community|website|site)\b",
            _FLAGS,
            15,
        ),
        (
            "feedback prompt",
            r"\bwas this (article|page|information|content|answer)\b|\brate this\b|"
            r"\bthanks? (you )?for your feedback\b",
            _FLAGS,
            15,
        ),
        (
            "byline",
            r"^(published|updated|last updated|posted|written|reviewed|medically reviewed|"
            r"fact[- ]checked)\b.{0,80}\bby\b",
            _FLAGS,
            20,
        ),
        (
            "byline",
            r"^(published|updated|last updated|posted)( on)? \w+\.? \d{1,2},? \d{4}\b",
            _FLAGS,
            20,
        ),
        ("byline", r"^[Bb]y [A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3}(, [A-Z][A-Za-z.]+)*$", 0, 8),
        ("author bio", r"^(author|about the author|written by|avatar)\b", _FLAGS, 30),
        (
            "image credit",
            r"^[A-Z][\w&'-]*( [\w&'-]+){0,3} / [A-Z][\w'-]+( [A-Z][\w'-]+){1,3}$",
            0,
            8,
        ),
        (
            "image credit",
            r"\b(getty images|shutterstock|istock|adobe stock)\b|^(photo|image|illustration|"
            r"picture)s?( credit)?s?\s*[:/]|©|\ball rights reserved\b",
            _FLAGS,
            30,
        ),
        (
            "navigation",
            r"^(home|menu|search|back to top|skip to (main )?content|next|previous|next article|"
            r"previous article|table of contents|contents|print|email|share|log ?in|sign ?in|"
            r"register|facebook|twitter|linkedin|pinterest|whatsapp|instagram|yes|no|copy link)"
            r"\W*$",
            _FLAGS,
            5,
        ),
        ("navigation", r"^[^.]{1,40}( [>›»|] [^.]{1,40}){2,}$", _FLAGS, 20),
        (
            "legal notice",
            r"\b(cookies?|privacy policy|terms of (use|service)|advertisement|sponsored content)\b",
            _FLAGS,
            30,
        ),
        (
            "sign-off",
            r"^(take care|thanks for reading|thank you for reading|stay (safe|tuned|healthy)|"
            r"good luck|best wishes)\W*$",
            _FLAGS,
            6,
        ),
    )
)

# Chrome at any length: bios and editorial boilerplate run to several sentences.
_ANY_LENGTH_CHROME = tuple(
    (reason, re.compile(pattern, flags))
    for reason, pattern, flags in (
        (
            "author bio",
            r"\bholds an? (master'?s|bachelor'?s|doctorate|doctoral|degree|phd|mba)\b|"
            r"\bis an? (\w+ )?(content creator|health writer|medical writer|freelance writer|"
            r"staff writer|journalist|editor|copywriter)\b|\baward-winning (author|writer|"
            r"journalist)\b|\bspeciali[sz](ed|es|ing) in health writing\b",
            _FLAGS,
        ),
        (
            "author bio",
            r"^[A-Z][a-z]+( [A-Z][a-z]+)+, (MD|PhD|RN|DO|MPH|MSc|BSN)\b.{0,40}\bis an?\b",
            0,
        ),
        (
            "editorial notice",
            r"\b(editorial (process|policy|guidelines|standards)|fact-check|to support the facts|"
            r"high-quality sources)\b",
            _FLAGS,
        ),
    )
)

# Reference entries: short passages with citation furniture.
_CITATION = re.compile(
    r"\bet al\b|\bdoi:\s*10\.|\b(19|20)\d{2};\s*\d+|\d+\(\d+(-\d+)?\):\s*[e\d]|https?://|"
    r"\bwww\.|\bretrieved from\b|\baccessed (on )?\w+\.? \d",
    _FLAGS,
)

# Lines that close the article: what follows them is apparatus, not content.
_CLOSING = re.compile(
    r"^(\d+\s+)?(sources|references|citations|bibliography|notes|additional reading|"
    r"further reading|related( articles| content| posts| topics)?|you (will|may|might) "
    r"also like|recommended( for you| reading| articles)?|more (from|on|in) .{0,40}|"
    r"most (commented|read|popular|viewed)( discussions| articles)?|fact sheets|see also|"
    r"trending|latest( news| articles)?|popular (articles|posts)|was this (article|page) "
    r"helpful( to you)?\??|comments?)\s*:?$",
    _FLAGS,
)

CITATION_WORDS = 60
LINK_LIST_RUN = 3
LINK_WORDS = 10


def chrome_reason(text: str) -> str | None:
    """Return why a line or passage is page chrome ("byline", ...), or None for content."""
    stripped = " ".join(text.split())
    if not stripped:
        return None
    word_count = len(stripped.split())
    if closes_article(stripped):
        return "end of the article"
    for reason, pattern, max_words in _SHORT_CHROME:
        if word_count <= max_words and pattern.search(stripped):
            return reason
    for reason, pattern in _ANY_LENGTH_CHROME:
        if pattern.search(stripped):
            return reason
    if word_count <= CITATION_WORDS and _CITATION.search(stripped):
        return "reference list entry"
    return None


def closes_article(text: str) -> bool:
    """Tell whether a line marks the end of the article ("6 Sources", "You will also like")."""
    return bool(_CLOSING.match(" ".join(text.split()).rstrip(".")))


def is_title_like(text: str) -> bool:
    """Tell whether a line reads like a link or a heading: short, with no closing full stop."""
    stripped = text.strip()
    words = stripped.split()
    return 0 < len(words) <= LINK_WORDS and not stripped.endswith((".", ":", ";", ","))


def is_substantial_prose(text: str) -> bool:
    """Tell whether a passage is real prose: two sentences or more, not chrome itself."""
    return (
        chrome_reason(text) is None and len(text.split()) >= 20 and len(sentence_texts(text)) >= 2
    )


def chrome_passage_ids(source: Source) -> frozenset[str]:
    """Return the ids of the passages of a source that are page chrome."""
    chrome: set[str] = set()
    title = normalise_text(source.title)
    in_tail = False
    for section in source.sections:
        heading_is_chrome = chrome_reason(section.title) is not None
        if closes_article(section.title):
            in_tail = True
        elif in_tail and not heading_is_chrome and _opens_prose(section):
            in_tail = False
        for passage in section.passages:
            if closes_article(passage.text):
                in_tail = True
            if (
                in_tail
                or heading_is_chrome
                or chrome_reason(passage.text) is not None
                or normalise_text(passage.text) == title
            ):
                chrome.add(passage.passage_id)
        chrome.update(_link_lists(section))
    return frozenset(chrome)


def _opens_prose(section: Section) -> bool:
    return bool(section.passages) and is_substantial_prose(section.passages[0].text)


def _link_lists(section: Section) -> set[str]:
    """Find runs of short title-like paragraphs: the "related articles" lists of a page."""
    found: set[str] = set()
    run: list[str] = []
    after_lead_in = False
    for passage in section.passages:
        if passage.kind == "item":
            # A short bullet list under a lead-in or a heading is content ("- The liver");
            # only title-cased items read as a list of links.
            link_like = not after_lead_in and _is_title_cased(passage.text)
        else:
            link_like = is_title_like(passage.text)
        if link_like:
            run.append(passage.passage_id)
        else:
            if len(run) >= LINK_LIST_RUN:
                found.update(run)
            run = []
        if passage.kind == "paragraph":
            after_lead_in = passage.text.rstrip().endswith(":")
    if len(run) >= LINK_LIST_RUN:
        found.update(run)
    return found


def _is_title_cased(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha() and len(w) > 3]
    capitals = sum(w[0].isupper() for w in words)
    return is_title_like(text) and len(words) >= 2 and capitals * 10 >= len(words) * 6
