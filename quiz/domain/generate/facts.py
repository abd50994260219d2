"""The facts the extractors find, and the knowledge base the question families consult.

A fact always carries the quote it was read from. The knowledge base answers the
questions the quality gates ask: does the text anywhere say this distractor is right?
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz

from quiz.domain.answers import answer_tokens, normalise_answer

from .corpus import Corpus, Quote
from .entities import SITE_WORDS
from .lexicon import SITE_BY_KEY, SYMPTOM_MODIFIERS
from .wording import STOPWORDS, unique

SAME_WORDING = 80  # rapidfuzz token-set ratio above which two purposes say the same
SIMILAR_DEFINITION = 70  # ... and above which two definitions say the same


@dataclass(frozen=True)
class CancerRef:
    """A cancer as the text names it: its canonical key and a display name."""

    key: str
    name: str  # lower-case unless an acronym: "kidney cancer", "melanoma"


@dataclass(frozen=True)
class SiteList:
    """Sites the text gives as the common ones for a primary cancer (None: overall)."""

    primary: CancerRef | None
    sites: tuple[str, ...]
    quote: Quote
    complete: bool = True  # False: one bullet of a list, quoting a single site


@dataclass(frozen=True)
class NamingRule:
    """The text's statement that a metastatic cancer keeps its primary's name."""

    quote: Quote
    shows_form: bool  # the quote shows the "X cancer metastatic to the Y" wording
    example_primary: CancerRef | None = None
    example_site: str = ""


@dataclass(frozen=True)
class Definition:
    """A term the text names or defines."""

    term: str
    style: str
    quote: Quote
    definition: str = ""  # the definiens as a noun phrase, when the text gives one
    alternatives: tuple[str, ...] = ()
    cloze: str = ""  # the quoted sentence(s) with {{blank}} where the term stands
    kind: str = ""  # "test" or "procedure" for a "where" definition; the language of an etymology
    # Where the term stands in the quote, when swapping it for another term turns the
    # quote into a false statement (the quote then defines one term in one place).
    term_span: tuple[int, int] | None = None


@dataclass(frozen=True)
class SymptomSite:
    """A symptom the text ties to metastases in one site ("" site: not tied to any)."""

    symptom: str
    site: str
    quote: Quote
    shows_site: bool = True  # False: a bullet under a lead-in that names the site

    @cached_property
    def heads(self) -> frozenset[str]:
        """Return the words that say what the symptom is."""
        return symptom_heads(self.symptom)


@dataclass(frozen=True)
class TestFact:
    """A test and what the text says it does: "confirms", "detects" or "imaging"."""

    test: str
    role: str
    claim: str
    quote: Quote
    group: int = 0  # facts read from one list share a group number


@dataclass(frozen=True)
class TreatmentFact:
    """A treatment and the purpose the text gives for it."""

    treatment: str
    purpose: str
    quote: Quote


@dataclass
class Knowledge:
    """Everything extracted from a corpus, with the look-ups the gates need.

    `index()` builds the look-up tables once, so every question the families and gates
    ask costs about the same however long the text is.
    """

    corpus: Corpus
    site_lists: list[SiteList] = field(default_factory=list)
    naming_rules: list[NamingRule] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    symptoms: list[SymptomSite] = field(default_factory=list)
    tests: list[TestFact] = field(default_factory=list)
    treatments: list[TreatmentFact] = field(default_factory=list)
    mentioned_sites: list[str] = field(default_factory=list)
    mentioned_tests: list[str] = field(default_factory=list)
    mentioned_treatments: list[str] = field(default_factory=list)
    cancer_names: dict[str, str] = field(default_factory=dict)
    _spread: dict[str | None, frozenset[str]] = field(default_factory=dict, repr=False)
    _lists_by_primary: dict[str | None, list[SiteList]] = field(default_factory=dict, repr=False)
    _site_pool: list[str] = field(default_factory=list, repr=False)
    _heads_by_site: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _symptom_sites: list[str] = field(default_factory=list, repr=False)
    _whole_phrases: dict[tuple[str, ...], set[str]] = field(default_factory=dict, repr=False)
    _sub_phrases: dict[tuple[str, ...], set[str]] = field(default_factory=dict, repr=False)
    _test_roles: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _purposes: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _definitions_by_name: dict[str, list[Definition]] = field(default_factory=dict, repr=False)

    def index(self) -> None:
        """Build the look-up tables once every fact is in."""
        by_primary: dict[str | None, list[SiteList]] = defaultdict(list)
        for site_list in self.site_lists:
            by_primary[site_list.primary.key if site_list.primary else None].append(site_list)
        self._lists_by_primary = dict(by_primary)
        self._spread = {
            primary: frozenset(site for s in lists for site in s.sites)
            for primary, lists in by_primary.items()
        }
        listed = unique(site for s in self.site_lists for site in s.sites)
        self._site_pool = unique([*listed, *self.mentioned_sites])

        heads: dict[str, set[str]] = defaultdict(set)
        whole: dict[tuple[str, ...], set[str]] = defaultdict(set)
        parts: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for fact in self.symptoms:
            if fact.site:
                heads[fact.site].update(fact.heads)
            tokens = answer_tokens(fact.symptom)
            whole[tokens].add(fact.site)
            for start in range(len(tokens)):
                for end in range(start + 1, len(tokens) + 1):
                    parts[tokens[start:end]].add(fact.site)
        self._heads_by_site = {site: frozenset(words) for site, words in heads.items()}
        self._whole_phrases, self._sub_phrases = dict(whole), dict(parts)
        self._symptom_sites = unique(f.site for f in self.symptoms if f.site)

        roles: dict[str, set[str]] = defaultdict(set)
        for test in self.tests:
            roles[test.test].add(test.role)
        self._test_roles = dict(roles)
        purposes: dict[str, list[str]] = defaultdict(list)
        for treatment in self.treatments:
            if treatment.purpose:
                purposes[treatment.treatment].append(treatment.purpose)
        self._purposes = {key: unique(values) for key, values in purposes.items()}
        names: dict[str, list[Definition]] = defaultdict(list)
        for definition in self.definitions:
            for name in unique((definition.term, *definition.alternatives)):
                names[normalise_answer(name)].append(definition)
        self._definitions_by_name = dict(names)

    # Sites -----------------------------------------------------------------------------

    def primaries(self) -> list[str | None]:
        """Return the primaries (None: overall) with site lists, in reading order."""
        return list(self._lists_by_primary)

    def lists_for(self, primary: str | None) -> list[SiteList]:
        """Return the site lists the text gives for a primary, in reading order."""
        return self._lists_by_primary.get(primary, [])

    def spread_sites(self, primary: str | None) -> frozenset[str]:
        """Return every site any list in the text gives for a primary."""
        return self._spread.get(primary, frozenset())

    def spreads_to(self, primary: str | None, site: str) -> bool:
        """Tell whether the text lists the site, or a part or whole of it, for a primary."""
        return any(sites_overlap(site, listed) for listed in self.spread_sites(primary))

    def site_pool(self) -> list[str]:
        """Return sites named in the text: listed ones first, then other mentions."""
        return self._site_pool

    # Symptoms --------------------------------------------------------------------------

    def symptom_sites(self) -> list[str]:
        """Return the sites the text gives symptoms for, in reading order."""
        return self._symptom_sites

    def general_symptoms(self) -> list[SymptomSite]:
        """Return the symptoms the text gives as not tied to any one site."""
        return [f for f in self.symptoms if not f.site]

    def symptom_linked_to(self, symptom: str, site: str) -> bool:
        """Tell whether the text ties this symptom, or one sharing a main word, to a site
        or to a part or whole of it."""
        heads = symptom_heads(symptom)
        return any(
            heads & words
            for other, words in self._heads_by_site.items()
            if sites_overlap(other, site)
        )

    def symptom_is_specific(self, symptom: str, site: str) -> bool:
        """Tell whether only this site is linked to the symptom: no other site and no
        general list gives it, or a wider symptom that contains it."""
        wanted = answer_tokens(symptom)
        linked = set(self._sub_phrases.get(wanted, ()))  # symptoms containing this one
        for start in range(len(wanted)):  # symptoms this one contains
            for end in range(start + 1, len(wanted) + 1):
                linked.update(self._whole_phrases.get(wanted[start:end], ()))
        return all(other and sites_overlap(other, site) for other in linked)

    # Tests and treatments --------------------------------------------------------------

    def test_roles(self, test: str) -> set[str]:
        """Return what the text says a test does: "confirms", "detects", "imaging"."""
        return self._test_roles.get(test, set())

    def treatment_purposes(self, treatment: str) -> list[str]:
        """Return the purposes the text gives for a treatment."""
        return self._purposes.get(treatment, [])

    def serves(self, treatment: str, purpose: str) -> bool:
        """Tell whether the text gives a treatment for this purpose, or one like it."""
        return any(
            fuzz.token_set_ratio(purpose, said) >= SAME_WORDING
            for said in self.treatment_purposes(treatment)
        )

    # Terms -----------------------------------------------------------------------------

    def defines(self, term: str, text: str) -> bool:
        """Tell whether the text says of `term` anything worded like `text`."""
        for definition in self._definitions_by_name.get(normalise_answer(term), []):
            for said in (definition.quote.text, definition.definition):
                if said and fuzz.token_set_ratio(said, text) >= SIMILAR_DEFINITION:
                    return True
        return False


def sites_overlap(first: str, second: str) -> bool:
    """Tell whether two sites are the same or one is part of the other (spine, bones)."""
    if first == second:
        return True
    one, other = SITE_BY_KEY.get(first), SITE_BY_KEY.get(second)
    return (one is not None and one.part_of == second) or (
        other is not None and other.part_of == first
    )


def symptom_heads(symptom: str) -> frozenset[str]:
    """Return the words that say what a symptom is ("persistent cough" -> {"cough"})."""
    heads: set[str] = set()
    site_words = {m.surface.lower() for m in SITE_WORDS.find(symptom)}
    site_tokens = {t for w in site_words for t in answer_tokens(w)}
    for token in answer_tokens(symptom):
        if token in STOPWORDS or token in SYMPTOM_MODIFIERS or token in site_tokens:
            continue
        if token.endswith("ing") and len(token) > 6:
            token = token[:-3]  # "coughing" and "cough", "breathing" and "breath"
        heads.add(token.rstrip("e") if len(token) > 4 else token)  # "headache(s)"
    return frozenset(heads)
