"""Term questions: cloze on the sentence that names a term, short answer on a definition.

A cloze prompt is the quoted sentence itself with the term blanked, so its answer is
in the quote by construction; a short-answer prompt restates the text's definition
with the verb the text uses ("refers to", "describes", "is the term for").
"""

from __future__ import annotations

from quiz.domain.answers import normalise_answer

from ..entities import TEST_FORMS, TREATMENT_FORMS
from ..facts import Definition, Knowledge
from ..lexicon import PROCEDURE_BY_KEY
from ..wording import as_statement, lower_first, spelling_variants, unique
from .base import Candidate

FAMILY = "terms"
MAX_ANSWERS = 8

_SHORT_PROMPTS = {
    "refers": "What term refers to {definition}?",
    "word": "What word is used to describe {definition}?",
    "term-used": "What term is used to describe {definition}?",
    "describes": "What term describes {definition}?",
    "means": "What term means {definition}?",
    "is-term-for": "What is the term for {definition}?",
    "copula": "What is the term for {definition}?",
    "meaning": "What is the term for {definition}?",
    "defines": "What is the term for {definition}?",
    "which-is": "What is the term for {definition}?",
    "gloss-definition": "What is the term for {definition}?",
    "where": "What is the name of the {kind} in which {definition}?",
}


def term_questions(knowledge: Knowledge) -> list[Candidate]:
    """Return cloze and short-answer questions for the terms the text names."""
    candidates: list[Candidate] = []
    for definition in knowledge.definitions:
        if definition.cloze:
            candidates.append(_cloze(definition))
        if definition.style in _SHORT_PROMPTS and definition.definition:
            candidates.append(_short(definition))
        if definition.style == "etymology":
            candidates.append(_etymology(definition))
    return candidates


def answers_for(definition: Definition) -> tuple[str, ...]:
    """Return the accepted answers: the term, the text's other names, the lexicon's other
    names for a known test or treatment ("adjuvant therapy"), and other spellings."""
    names = [definition.term, *definition.alternatives]
    key = TEST_FORMS.key_of(definition.term) or TREATMENT_FORMS.key_of(definition.term)
    if key is not None:
        names += [form for form in PROCEDURE_BY_KEY[key].forms if " " in form or form == key]
    variants = [v for name in names for v in spelling_variants(name)]
    normalised: set[str] = set()
    answers: list[str] = []
    for answer in [*names, *variants]:
        if normalise_answer(answer) not in normalised:
            normalised.add(normalise_answer(answer))
            answers.append(answer)
    return tuple(answers[:MAX_ANSWERS])


def _cloze(definition: Definition) -> Candidate:
    return Candidate(
        family=FAMILY,
        type="cloze",
        prompt=as_statement(definition.cloze),
        quote=definition.quote,
        explanation=_cloze_explanation(definition),
        answers=answers_for(definition),
        difficulty=2,
        evidence=((definition.term,),),
        score=1,
    )


def _cloze_explanation(definition: Definition) -> str:
    term = definition.term
    if definition.style == "gloss-synonym":
        return f"The text explains “{term}” with the word “{definition.definition}” in brackets."
    if definition.style == "synonym":
        return (
            f"The text gives “{term}” in brackets as another name for the {definition.definition}."
        )
    if definition.style == "gloss-term":
        return f"The text gives “{term}” in brackets as the name for what the sentence describes."
    if definition.style == "stage":
        return (
            "The text says a tumour that has spread (metastasized) is usually classed as stage 4."
        )
    also = (
        f" It also gives “{definition.alternatives[0]}” as another name."
        if definition.alternatives
        else ""
    )
    return f"The text uses the term “{term}” for what this sentence describes.{also}"


def _short(definition: Definition) -> Candidate:
    template = _SHORT_PROMPTS[definition.style]
    prompt = template.format(definition=definition.definition, kind=definition.kind or "procedure")
    return Candidate(
        family=FAMILY,
        type="short",
        prompt=as_statement(prompt),
        quote=definition.quote,
        explanation=f"In the text, “{definition.term}” is {_gloss(definition)}.",
        answers=answers_for(definition),
        difficulty=2,
        evidence=((definition.term,), (definition.definition,)),
        score=2,
    )


def _gloss(definition: Definition) -> str:
    text = lower_first(definition.definition)
    if definition.style == "where":
        return f"the {definition.kind or 'procedure'} in which {text}"
    if definition.style in ("refers", "word", "term-used", "describes", "means"):
        return (
            f"the term for {text}" if not text.startswith("that ") else f"the term meaning {text}"
        )
    return f"the term for {text}"


def _etymology(definition: Definition) -> Candidate:
    meaning = definition.definition
    parts = [p.strip() for p in meaning.replace(" and ", " or ").split(" or ") if p.strip()]
    return Candidate(
        family=FAMILY,
        type="short",
        prompt=(
            f"According to the text, the word “{definition.term}” comes from the "
            f"{definition.kind} word for what?"
        ),
        quote=definition.quote,
        explanation=(
            f"The text says “{definition.term}” comes from the {definition.kind} word for "
            f"{meaning}."
        ),
        answers=tuple(unique([meaning, *parts])),
        difficulty=2,
        evidence=((definition.term,), (meaning,)),
    )
