"""Normalise typed answers so that only the words that carry meaning are compared.

Case, accents, punctuation, white space, articles, British/American spelling and
singular/plural are folded away; everything else is kept, so "bone cancer" and
"lung cancer metastatic to bone" stay different answers.
"""

from __future__ import annotations

import re
import unicodedata

ARTICLES = frozenset({"a", "an", "the"})

# Spellings that differ across English variants in this subject, folded to one form.
_SPELLINGS = {
    "tumour": "tumor",
    "metastasise": "metastasize",
    "metastasised": "metastasized",
    "metastasising": "metastasizing",
    "metastasises": "metastasizes",
    "haemoptysis": "hemoptysis",
    "hypercalcaemia": "hypercalcemia",
    "oesophagus": "esophagus",
    "oesophageal": "esophageal",
    "anaemia": "anemia",
    "generalised": "generalized",
    "colour": "color",
    "centre": "center",
}

# Words whose final "s" is not a plural marker.
_NOT_PLURAL = frozenset(
    {
        "metastasis",
        "diagnosis",
        "prognosis",
        "analysis",
        "basis",
        "thesis",
        "is",
        "was",
        "has",
        "this",
        "its",
        "his",
        "us",
        "as",
        "yes",
        "always",
        "less",
        "lymphatics",
        "perhaps",
        "various",
        "previous",
        "serious",
        "nervous",
        "status",
        "virus",
        "uterus",
        "pancreas",
        "thorax",
        "stress",
        "process",
        "abscess",
        "loss",
        "mass",
        "glass",
        "cross",
        "access",
        "illness",
        "weakness",
        "numbness",
        "dizziness",
        "shortness",
        "breathlessness",
        "tiredness",
        "consciousness",
        "jaundice",
        "peritoneum",
        "aerogenous",
        "cancerous",
        "noncancerous",
        "benign",
        "malignant",
        "bus",
        "plus",
        "minus",
        "gas",
        "alias",
        "atlas",
        "canvas",
        "bias",
        "chaos",
        "ethos",
        "pathos",
        "lens",
        "news",
        "series",
        "species",
        "means",
    }
)
_IRREGULAR = {
    "metastases": "metastasis",
    "diagnoses": "diagnosis",
    "prognoses": "prognosis",
    "analyses": "analysis",
    "oligometastases": "oligometastasis",
    "micrometastases": "micrometastasis",
    "bases": "basis",
    "women": "woman",
    "men": "man",
    "children": "child",
    "feet": "foot",
    "teeth": "tooth",
    "vertebrae": "vertebra",
    "bronchi": "bronchus",
    "lymphocytes": "lymphocyte",
}


_ISE_ENDINGS = (
    ("isation", "ization"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ise", "ize"),
)


def american_spelling(word: str) -> str:
    """Fold British spellings of this subject's words to American ones, -ise to -ize."""
    word = _SPELLINGS.get(word, word)
    for british, american in _ISE_ENDINGS:
        if word.endswith(british) and len(word) > len(british) + 2:
            return word[: -len(british)] + american
    return word


def singular(word: str) -> str:
    """Return a singular form of an English word, leaving non-plurals alone."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in _NOT_PLURAL or len(word) <= 3 or not word.endswith("s"):
        return word
    if word.endswith(("ss", "us", "is", "ous")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    return word[:-1]


def words(text: str) -> list[str]:
    """Split text into folded words: lower case, no accents, no punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"['\u2019]s\b", "", plain.casefold().replace("&", " and "))
    return re.findall(r"[a-z0-9]+", plain)


def answer_tokens(text: str) -> tuple[str, ...]:
    """Return the meaningful, normalised words of an answer."""
    tokens = []
    for word in words(text):
        if word in ARTICLES:
            continue
        tokens.append(singular(american_spelling(word)))
    return tuple(tokens)


def normalise_answer(text: str) -> str:
    """Return an answer's normalised form as one string, for comparisons and display."""
    return " ".join(answer_tokens(text))


def contains_phrase(haystack: str, needle: str) -> bool:
    """Tell whether needle's words appear in order, contiguously, within haystack's."""
    hay, pin = answer_tokens(haystack), answer_tokens(needle)
    if not pin:
        return False
    return any(hay[i : i + len(pin)] == pin for i in range(len(hay) - len(pin) + 1))
