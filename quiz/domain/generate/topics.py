"""Give each question its topics: its family's topics, then its section's."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .wording import unique

FALLBACK_TOPIC = "basics"
MAX_TOPICS = 3

# The first rule that matches a section title gives the section's topic, so
# "Where do cancers spread?" is about sites, not about how cancer spreads.
_SECTION_RULES = tuple(
    (topic, re.compile(pattern, re.IGNORECASE))
    for topic, pattern in (
        ("symptoms", r"symptom|\bsigns?\b"),
        ("basics", r"\bwords\b|glossary|definition|\bterms\b|what (?:is|are)\b"),
        ("diagnosis", r"diagnos|\btests?\b|\bscans?\b|biops|imaging|detect|finding"),
        ("treatment", r"treat|therap|surg|radiat|chemo|\bdrugs?\b|medication"),
        ("sites", r"\bwhere\b|\bsites?\b|location"),
        ("outlook", r"prognos|surviv|outlook|\blive\b|living|research|life expectancy"),
        ("naming", r"\bnam(e|ed|es|ing)\b"),
        ("spread", r"spread|route|blood|lymph|metastasi[sz]e|travel|invad|airway"),
    )
)


def section_topic(title: str) -> str:
    """Return the topic a section title points to, or "" when it points to none."""
    for topic, pattern in _SECTION_RULES:
        if pattern.search(title):
            return topic
    return ""


def topics_for(
    family_topics: Sequence[str],
    section_title: str,
    allowed: Sequence[str],
    document_title: str = "",
) -> tuple[str, ...]:
    """Return a question's topics: family first, then the section's, keeping allowed ones.

    A question whose family has no topic of its own (a term) takes the document title's
    topic when the section title points to none. Never empty: with no allowed match,
    the fallback topic (or the first allowed one).
    """
    place = section_topic(section_title)
    if not place and not family_topics:
        place = section_topic(document_title)
    wanted = unique([*family_topics, place] if place else family_topics)
    chosen = [topic for topic in wanted if topic in allowed][:MAX_TOPICS]
    if chosen:
        return tuple(chosen)
    if FALLBACK_TOPIC in allowed:
        return (FALLBACK_TOPIC,)
    return tuple(allowed[:1])
