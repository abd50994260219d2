"""Find the naming rule: a metastatic cancer keeps the name of the organ it started in.

The rule is read from a statement ("X is named after the place where it began", "a
tumour is defined by its tissue of origin") and from worked examples, either showing
the full name ("... is called kidney cancer metastatic to the lungs") or saying the
name does not change ("it does not become lung cancer; it is still kidney cancer").
"""

from __future__ import annotations

import re

from ..corpus import Corpus, Sentence
from ..entities import CANCER_FRAGMENT, SITE_FORMS
from ..facts import NamingRule
from .common import cancer_ref

_FLAGS = re.IGNORECASE
_MENTIONS_NAMING = re.compile(r"metastatic to|\bbecome|\bnamed?\b|\bdefined by", _FLAGS)
_STATEMENT = re.compile(
    r"\b(?:is|are) (?:always )?named (?:based on|after|for|according to) the "
    r"(?:site|place|organ|part of the body|tissue)|\b(?:keeps?|retains?) the name of\b|"
    r"\b(?:is|are) (?:always )?defined by (?:its|their) (?:tissue|organ|site) of origin\b",
    _FLAGS,
)
_FULL_NAME = re.compile(
    rf"(?P<primary>{CANCER_FRAGMENT}) metastatic to (?:the )?(?P<site>{SITE_FORMS.alternation})"
    rf"(?![\w-])",
    _FLAGS,
)
_NAMING_VERB = re.compile(r"\b(?:called|named|termed|call|known as)\b", _FLAGS)
_KEEPS_NAME = re.compile(
    rf"\b(?:does not|doesn't|do not|never) become (?P<wrong>{CANCER_FRAGMENT})[^.]*?"
    rf"\b(?:still|remains?) (?P<primary>{CANCER_FRAGMENT})",
    _FLAGS,
)
_EXAMPLE_SITE = re.compile(rf"\bto (?:the )?(?P<site>{SITE_FORMS.alternation})(?![\w-])", _FLAGS)


def extract_naming_rules(corpus: Corpus) -> list[NamingRule]:
    """Return the naming rule's statements and examples, best first.

    The best quote shows the full "X cancer metastatic to the Y" wording together with
    the rule it illustrates, since a typed answer in that wording must follow from it.
    """
    rules: list[NamingRule] = []
    for passage in corpus.passages:
        used: set[int] = set()
        for sentence in passage.sentences:
            if not _MENTIONS_NAMING.search(sentence.text):
                continue  # a cheap test first: most sentences say nothing about names
            previous = passage.previous_sentence(sentence)
            full = _FULL_NAME.search(sentence.text)
            if full is not None and _NAMING_VERB.search(sentence.text):
                lead = previous if previous is not None and _is_statement(previous) else None
                if lead is not None:
                    used.add(lead.index)
                primary = cancer_ref(full.group("primary"))
                site = SITE_FORMS.key_of(full.group("site")) or ""
                rules.append(NamingRule(sentence.quote(lead), True, primary, site))
                used.add(sentence.index)
                continue
            keeps = _KEEPS_NAME.search(sentence.text)
            if keeps is not None:
                lead = previous if previous is not None and _is_statement(previous) else None
                if lead is not None:
                    used.add(lead.index)
                site_match = _EXAMPLE_SITE.search(sentence.text)
                example_site = SITE_FORMS.key_of(site_match.group("site")) if site_match else None
                primary = cancer_ref(keeps.group("primary"))
                rules.append(NamingRule(sentence.quote(lead), False, primary, example_site or ""))
                used.add(sentence.index)
        for sentence in passage.sentences:
            if (
                sentence.index not in used
                and _MENTIONS_NAMING.search(sentence.text)
                and _is_statement(sentence)
            ):
                rules.append(NamingRule(sentence.quote(), False))
    return sorted(rules, key=_rank)


def _is_statement(sentence: Sentence) -> bool:
    return bool(_STATEMENT.search(sentence.text))


def _rank(rule: NamingRule) -> tuple[bool, bool, tuple[int, int, int]]:
    states_rule = bool(_STATEMENT.search(rule.quote.text))
    return (not rule.shows_form, not states_rule, rule.quote.order)
