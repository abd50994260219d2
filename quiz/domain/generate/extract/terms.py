"""Find the terms a text names or defines, and where each stands in its sentence.

Wordings recognised (each is one `style`):

- called: "... is called T", "known as T", "termed T", "referred to as T" (cloze);
- refers, word, term-used, describes, is-term-for, means: "T refers to D", "T is the
  word used to describe D", "the term T is used to describe D", "the term T describes
  D", "T is the term for D", "T means D" (short answer);
- copula: "T is a procedure in which D" and similar, for a fixed set of head nouns;
- meaning, defines, which-is, where: "T, meaning D", "T, which ... defines as D",
  "T can be performed, which is D", "T, where D" (T a known test or treatment);
- glosses in brackets: "D (T)" and "T (D)", and one-word synonyms "malignant
  (cancerous)" (cloze or short answer);
- etymology: "T comes from the Greek word for M"; stage: "is usually considered stage 4".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from quiz.domain.bank import BLANK

from ..corpus import Corpus, PassageText, Sentence
from ..entities import TEST_FORMS, TREATMENT_FORMS, find_cancers
from ..facts import Definition
from ..sentences import sentence_texts
from ..wording import PHRASE_ENDING_VERBS, STOPWORDS, lower_first

_FLAGS = re.IGNORECASE
MAX_TERM_WORDS = 5
MAX_BACKWARD_WORDS = 3
MIN_DEFINITION_WORDS = 3
MAX_DEFINITION_WORDS = 40

_CALLED = re.compile(
    r"\b(?:(?:is|are|was|were|be|being)\s+)?(?:also\s+)?(?:called|known as|termed|"
    r"referred to as)\s+",
    _FLAGS,
)
_NEGATED = re.compile(r"\b(?:not|never)(?:\s+be)?\s*$", _FLAGS)
_ARTICLE = re.compile(r"(?:a|an|the)\s+", _FLAGS)
_QUOTED = re.compile(r"[“\"‘]([^”\"’]{1,60})[”\"’]")
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_ALTERNATIVE = re.compile(r",?\s+or\s+", _FLAGS)

_TERM = r"[“\"']?(?P<term>[^,;:()“”\"]{2,50}?)[”\"']?"
_LEAD = r"^(?:[^,]{0,30},\s*)?(?:the term\s+)?(?:(?:a|an|the)\s+)?"
_HEAD_NOUNS = (
    r"procedure|test|medicine|medicines|medication|medications|drug|drugs|treatment|"
    r"therapy|operation|condition|disease|process|cancer|tumou?r|network|membrane|substance|"
    r"substances|precaution|technique|scan|examination|mass|cluster|type|kind|form|"
    r"complication|symptom|sign|barrier|layer|lining|gland|organ|protein|hormone"
)
_SHORT_PATTERNS = tuple(
    (style, re.compile(pattern, _FLAGS))
    for style, pattern in (
        ("refers", rf"{_LEAD}{_TERM}\s+refers to\s+(?P<def>.+)$"),
        (
            "word",
            rf"{_LEAD}{_TERM}\s+is the (?:word|term|name) used (?:to describe|for)\s+(?P<def>.+)$",
        ),
        (
            "term-used",
            rf"\bthe term\s+{_TERM}\s+(?:is used to describe|is used for|is used to mean)\s+"
            rf"(?P<def>.+)$",
        ),
        ("describes", rf"\bthe term\s+{_TERM}\s+describes\s+(?P<def>.+)$"),
        (
            "is-term-for",
            rf"{_LEAD}{_TERM}\s+is the (?:medical |scientific |usual )?(?:term|name|word) for\s+"
            rf"(?P<def>.+)$",
        ),
        ("means", rf"{_LEAD}{_TERM}\s+means\s+(?P<def>.+)$"),
        (
            "copula",
            rf"^(?:(?:a|an|the)\s+)?(?P<term>[^,;:()“”\"]{{2,40}}?)\s+(?:is|are)\s+"
            rf"(?P<def>(?:(?:a|an)\s+(?:[\w-]+\s+){{0,2}}?)?(?:{_HEAD_NOUNS})\s+"
            rf"(?:that|which|in which|where|for|given|used|designed|caused|made|formed|with|"
            rf"to)\b.+)$",
        ),
    )
)
_PROCEDURE_ALTERNATION = f"{TEST_FORMS.alternation}|{TREATMENT_FORMS.alternation}"
_MEANING = re.compile(r",\s+meaning\s+(?P<def>[^,;]+)", _FLAGS)
_DEFINES_AS = re.compile(r",\s+which\s+(?:[^,]{0,50}\s)?defines as\s+(?P<def>[^,;]+)", _FLAGS)
_WHICH_IS = re.compile(
    rf"(?<![\w-])(?P<term>{_PROCEDURE_ALTERNATION})(?:\s+can be performed|\s+is performed|"
    rf"\s+is used)?,\s+which is\s+(?P<def>(?:a|an|the)\s+[^,;]+)",
    _FLAGS,
)
_WHERE = re.compile(
    rf"^(?P<term>{_PROCEDURE_ALTERNATION}),\s+(?:where|in which)\s+(?P<def>.+)$", _FLAGS
)
_ETYMOLOGY = re.compile(
    r"(?:\bthe (?:word|name)\s+)?[“\"']?\b(?P<word>[A-Za-z]+)[”\"']?,?\s+(?:being\s+|is\s+|was\s+)?"
    r"(?:derived|comes?|came|taken)\s+from the (?P<lang>Greek|Latin)\s+word\s+for\s+"
    r"(?P<meaning>[^.;,]+)",
    _FLAGS,
)
_STAGE = re.compile(
    r"\b(?:is|are)\s+(?:usually\s+|generally\s+|often\s+)?(?:considered|classed as|"
    r"classified as)\s+(?P<stage>stage\s+(?:4|IV|four))\b",
    _FLAGS,
)
_GLOSS = re.compile(r"(?<=\S) \((?P<inner>[^()]{1,150})\)")
_GLOSS_SKIP = re.compile(
    r"^(?:see|e\.g|i\.e|for example|such as|including|or at least|cf\b|\d)", _FLAGS
)
_DEFINITION_END = re.compile(
    r"\s+and (?:may|can|is|are|was|were|has|have|will)\b|;|:\s|,\s+(?:which|and therefore|"
    r"so that|but|according to|the \w+ article)\b|\s+[—–]\s",
    _FLAGS,
)
# Code, paths, formulas and names in capitals: text that is not plain English prose.
_NOT_PROSE = re.compile(
    r"[;:/<>#=|`_*+×·\[\]{}“”\"]|\w\.\w|\b[a-z]+[A-Z]\w*|\b[A-Z]\w*[A-Z][a-z]\w*|\b[A-Z]{4,}\b"
)
_GLOSS_OPENING = re.compile(
    r"^(?:what|which|who|how|why|when|where|no|not|one|this|these|those)\b", _FLAGS
)
MIN_GLOSS_DEFINITION_WORDS = 4
_ROMAN = re.compile(r"[ivxlcdm]+", _FLAGS)
_CLAUSE_VERB = re.compile(
    r"\b(?:is|are|was|were|be|has|have|had|can|could|will|would|should|may|might|must|do|"
    r"does|did)\b",
    _FLAGS,
)
_TERM_SHAPE = re.compile(r"[^\W\d_][^\W_]*(?:['’ -][^\W_]+)*")
_BAD_TERM_WORDS = frozenset({"article", "text", "study", "studies", "author", "page", "reader"})
_PRONOUNS = frozenset({"it", "this", "that", "they", "these", "those", "them", "he", "she"})
_CLOZE_PRIORITY = {"called": 0, "gloss-term": 1, "synonym": 2, "gloss-synonym": 3, "stage": 4}
SWAPPABLE_STYLES = frozenset(
    {"called", "refers", "word", "term-used", "describes", "is-term-for", "means", "copula"}
)


@dataclass(frozen=True)
class _Found:
    style: str
    term: str
    start: int  # term position in the sentence, or -1 when it is not a single span
    end: int
    definition: str = ""
    alternatives: tuple[str, ...] = ()
    kind: str = ""


def extract_definitions(corpus: Corpus) -> list[Definition]:
    """Return the terms the corpus names or defines, in reading order."""
    definitions: list[Definition] = []
    for passage in corpus.passages:
        for sentence in passage.sentences:
            definitions.extend(_from_sentence(passage, sentence))
    return definitions


def _from_sentence(passage: PassageText, sentence: Sentence) -> Iterator[Definition]:
    text = sentence.text
    if not is_prose(text):
        return
    found = [
        *_called(text),
        *_short(text),
        *_inline(text),
        *_glosses(text),
        *_etymology(text),
        *_stage(text),
    ]
    previous = passage.previous_sentence(sentence) if sentence.leans_on_previous else None
    if sentence.leans_on_previous and previous is None:
        return  # the sentence needs context the passage does not give
    quote = sentence.quote(previous)
    offset = len(quote.text) - len(text)
    # A bullet that is not a sentence of its own ("When the tumour is found, ...; these
    # are called X,") continues its lead-in, so a cloze on it shows the lead-in's last
    # sentence first, and it is never made into a true/false statement.
    fragment = bool(passage.lead_in) and not passage.passage.text.rstrip().endswith((".", "!", "?"))
    context = ""
    if fragment and sentence.index == 0:
        context = sentence_texts(passage.lead_in)[-1] + " "
    stands_alone = previous is None and not fragment
    cloze_done = False
    for item in sorted(found, key=lambda f: (_CLOZE_PRIORITY.get(f.style, 9), f.start)):
        cloze = ""
        if item.style in _CLOZE_PRIORITY and item.start >= 0:
            if cloze_done:
                continue
            blanked = quote.text[: offset + item.start] + BLANK + quote.text[offset + item.end :]
            cloze = context + (lower_first(blanked) if context else blanked)
            cloze_done = True
        span = None
        if item.style in SWAPPABLE_STYLES and item.start >= 0 and stands_alone:
            span = (offset + item.start, offset + item.end)
        yield Definition(
            term=item.term,
            style=item.style,
            quote=quote,
            definition=item.definition,
            alternatives=item.alternatives,
            cloze=cloze,
            kind=item.kind,
            term_span=span,
        )


def _called(text: str) -> Iterator[_Found]:
    for match in _CALLED.finditer(text):
        if _NEGATED.search(text[: match.start()]):
            continue  # "it would not be called bone cancer"
        term = read_term_forward(text, match.end())
        if term is None:
            continue
        start, end, words = term
        alternatives: list[str] = []
        alternative = _ALTERNATIVE.match(text, end)
        if alternative is not None:
            second = read_term_forward(text, alternative.end())
            if second is not None:
                alternatives.append(second[2])
        yield _Found("called", words, start, end, alternatives=tuple(alternatives))


def read_term_forward(text: str, position: int) -> tuple[int, int, str] | None:
    """Read the term that starts at position: quoted, or up to five content words."""
    article = _ARTICLE.match(text, position)
    if article is not None:
        position = article.end()
    quoted = _QUOTED.match(text, position)
    if quoted is not None:
        inner = quoted.group(1).rstrip(" .,;:")
        start = quoted.start(1)
        return _checked(text, start, start + len(inner))
    words: list[re.Match[str]] = []
    cursor = position
    while len(words) < MAX_TERM_WORDS:
        word = _WORD.match(text, cursor)
        if word is None:
            break
        lower = word.group(0).lower()
        if lower in PHRASE_ENDING_VERBS or (lower in STOPWORDS and not (lower == "of" and words)):
            break
        words.append(word)
        if text[word.end() : word.end() + 1] != " ":
            break  # punctuation or the end of the sentence closes the term
        cursor = word.end() + 1
    while words and words[-1].group(0).lower() == "of":
        words.pop()
    if not words:
        return None
    return _checked(text, words[0].start(), words[-1].end())


def read_term_backward(text: str, end: int, max_words: int = MAX_BACKWARD_WORDS) -> str:
    """Read the noun phrase that ends at `end`, back to a function word or a verb."""
    words = list(_WORD.finditer(text[:end]))
    taken: list[str] = []
    cursor = end
    for word in reversed(words):
        between = text[word.end() : cursor]
        if between.strip():
            break  # punctuation between words ends the phrase
        lower = word.group(0).lower()
        if lower in STOPWORDS or lower in PHRASE_ENDING_VERBS or len(taken) >= max_words:
            break
        taken.insert(0, word.group(0))
        cursor = word.start()
    # Modifiers in a term are singular: "distinguishes malignant" is a verb and a term.
    while len(taken) > 1 and taken[0].lower().endswith("s"):
        taken.pop(0)
    return " ".join(taken)


def _checked(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    term = text[start:end].strip()
    return (start, start + len(term), term) if is_good_term(term) else None


def is_good_term(term: str) -> bool:
    """Tell whether a phrase can be a term: a few content words, no names or pronouns."""
    words = term.split()
    if not 1 <= len(words) <= MAX_TERM_WORDS + 1 or len(term) < 3:
        return False
    if not _TERM_SHAPE.fullmatch(term.strip("“”\"'")):
        return False  # words only: no paths, code names or punctuation
    lowered = [w.lower().strip("“”\"'") for w in words]
    if lowered[0] in STOPWORDS or lowered[0] in _PRONOUNS or lowered[-1] in STOPWORDS:
        return False
    if lowered[0].endswith("ing") and len(words) > 1:
        return False  # "understanding metastases" is an activity, not a term
    if any(w in _BAD_TERM_WORDS for w in lowered) or "metastatic to" in term.lower():
        return False
    # Names ("Verywell Health") are not terms; acronyms ("CT", "HER2") may be part of one.
    return all(not w[:1].isupper() or w.isupper() or any(c.isdigit() for c in w) for w in words[1:])


def _short(text: str) -> Iterator[_Found]:
    body = text.rstrip(' .!?”"')
    for style, pattern in _SHORT_PATTERNS:
        match = pattern.search(body)
        if match is None:
            continue
        written = match.group("term").strip(" “”\"'")
        term = lower_first(written)
        definition = clean_definition(match.group("def"))
        if not is_good_term(term) or not definition or len(term.split()) > 4:
            continue
        start = text.find(written, match.start("term"))
        # Only a term named once can be swapped out for a true/false statement.
        if start < 0 or text.lower().count(written.lower()) != 1:
            yield _Found(style, term, -1, -1, definition)
        else:
            yield _Found(style, term, start, start + len(written), definition)
        return


def _inline(text: str) -> Iterator[_Found]:
    body = text.rstrip(" .!?")
    for pattern, style in ((_MEANING, "meaning"), (_DEFINES_AS, "defines")):
        for match in pattern.finditer(body):
            term = read_term_backward(body, match.start())
            definition = clean_definition(match.group("def"))
            if is_good_term(term) and definition:
                yield _Found(style, lower_first(term), -1, -1, definition)
    for match in _WHICH_IS.finditer(body):
        definition = clean_definition(match.group("def"))
        if definition:
            yield _Found("which-is", lower_first(match.group("term")), -1, -1, definition)
    where = _WHERE.match(body)
    if where is not None:
        definition = clean_definition(where.group("def"))
        kind = "test" if TEST_FORMS.key_of(where.group("term")) else "procedure"
        if definition:
            yield _Found("where", lower_first(where.group("term")), -1, -1, definition, kind=kind)


def _glosses(text: str) -> Iterator[_Found]:
    """Read "phrase (gloss)" pairs, deciding which side is the term."""
    label_end = text.find(": ")
    for match in _GLOSS.finditer(text):
        inner = match.group("inner").strip().rstrip(" .,;:").strip()
        if _skip_gloss(text, match, inner, label_end):
            continue
        inner_start = match.start("inner") + (
            len(match.group("inner")) - len(match.group("inner").lstrip())
        )
        before = read_term_backward(text, match.start())
        words = inner.split()
        if inner.lower().startswith("or "):
            synonym = (
                _ARTICLE.sub("", inner[3:], count=1) if _ARTICLE.match(inner[3:]) else inner[3:]
            )
            start = text.find(synonym, inner_start)
            if is_good_term(synonym) and start >= 0:
                yield _Found("synonym", synonym, start, start + len(synonym), before)
        elif _ARTICLE.match(inner) or len(words) >= MIN_GLOSS_DEFINITION_WORDS:
            if is_good_term(before) and len(words) >= MIN_GLOSS_DEFINITION_WORDS:
                yield _Found("gloss-definition", lower_first(before), -1, -1, inner)
        elif (
            len(words) == 1
            and before
            and _inside_noun_phrase(text, match)
            and is_good_term(before.split()[-1])
        ):
            # "malignant (cancerous) tumors": the bracket glosses the word before it.
            word = before.split()[-1]
            start = match.start() - len(word)
            yield _Found("gloss-synonym", word, start, match.start(), inner)
        elif is_good_term(inner) and all(
            w.isalpha() and (w.lower() in STOPWORDS or (len(w) >= 3 and not _ROMAN.fullmatch(w)))
            for w in inner.split()
        ):
            yield _Found("gloss-term", inner, inner_start, inner_start + len(inner), before)


def _inside_noun_phrase(text: str, match: re.Match[str]) -> bool:
    """Tell whether a bracket sits inside a phrase, a word continuing right after it."""
    if match.group("inner").rstrip().endswith((",", ".", ";", ":")):
        return False
    after = text[match.end() :]
    return bool(re.match(r" [a-z]", after))


def _skip_gloss(text: str, match: re.Match[str], inner: str, label_end: int) -> bool:
    if not inner or _GLOSS_SKIP.match(inner) or any(c.isdigit() for c in inner):
        return True
    if _NOT_PROSE.search(inner) or _CLAUSE_VERB.search(inner) or _GLOSS_OPENING.match(inner):
        return True  # a path, a code name, a clause or a remark: an aside, not a gloss
    if ("," in inner or " and " in inner) and not inner.lower().startswith("or "):
        return True  # a list of examples, not a gloss
    if find_cancers(inner):
        return True  # "(lung cancer)" says which cancer, it does not define anything
    if label_end >= 0 and match.start() < label_end:
        return True  # inside a label such as "Locally (regionally):"
    before_word = text[: match.start()].split()[-1:] or [""]
    return before_word[0].lower().endswith("ly")


def _etymology(text: str) -> Iterator[_Found]:
    match = _ETYMOLOGY.search(text)
    if match is None:
        return
    meaning = match.group("meaning").strip()
    word = match.group("word")
    if word.lower() in STOPWORDS or len(meaning.split()) > 5:
        return
    yield _Found("etymology", word.lower(), -1, -1, meaning, kind=match.group("lang"))


def _stage(text: str) -> Iterator[_Found]:
    match = _STAGE.search(text)
    if match is not None:
        yield _Found(
            "stage",
            match.group("stage"),
            match.start("stage"),
            match.end("stage"),
            alternatives=("stage IV", "stage four", "stage 4"),
        )


def is_prose(text: str) -> bool:
    """Tell whether a sentence is plain prose, not code, a formula or a file listing."""
    words = text.split()
    odd = sum(
        1
        for w in words
        if _NOT_PROSE.search(w.strip("“”\"'()[].,;:!?")) or any(c.isdigit() for c in w)
    )
    return bool(words) and odd * 10 <= len(words)


def clean_definition(text: str) -> str:
    """Cut a definition to its noun phrase and reject ones that lean on other sentences."""
    end = _DEFINITION_END.search(text)
    definition = (text[: end.start()] if end else text).strip(' ,.;:”"')
    words = definition.split()
    if not MIN_DEFINITION_WORDS <= len(words) <= MAX_DEFINITION_WORDS:
        return ""
    if words[0].lower() in _PRONOUNS:
        return ""
    return lower_first(definition)
