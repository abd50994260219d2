"""Read every kind of fact out of a corpus into one knowledge base."""

from __future__ import annotations

from ..corpus import Corpus
from ..entities import SITE_FORMS, TEST_FORMS, TREATMENT_FORMS, find_cancers
from ..facts import Knowledge
from ..wording import unique
from .care import extract_tests, extract_treatments
from .common import cancer_ref
from .naming import extract_naming_rules
from .sites import extract_site_lists
from .symptoms import extract_symptoms
from .terms import extract_definitions


def extract_knowledge(corpus: Corpus) -> Knowledge:
    """Extract the facts of a corpus and the entities it mentions, in reading order."""
    knowledge = Knowledge(
        corpus=corpus,
        site_lists=extract_site_lists(corpus),
        naming_rules=extract_naming_rules(corpus),
        definitions=extract_definitions(corpus),
        symptoms=extract_symptoms(corpus),
        tests=extract_tests(corpus),
        treatments=extract_treatments(corpus),
    )
    sites: list[str] = []
    tests: list[str] = []
    treatments: list[str] = []
    names: dict[str, str] = {}
    for sentence in corpus.sentences:
        text = sentence.text
        sites.extend(m.key for m in SITE_FORMS.find(text))
        tests.extend(m.key for m in TEST_FORMS.find(text))
        treatments.extend(m.key for m in TREATMENT_FORMS.find(text))
        for mention in find_cancers(text):
            ref = cancer_ref(mention.surface)
            if ref is not None:
                names.setdefault(ref.key, ref.name)
    for site_list in knowledge.site_lists:
        if site_list.primary is not None:
            # The name used in the list reads best in questions about that list.
            names[site_list.primary.key] = names.get(site_list.primary.key, site_list.primary.name)
    knowledge.mentioned_sites = unique(sites)
    knowledge.mentioned_tests = unique(tests)
    knowledge.mentioned_treatments = unique(treatments)
    knowledge.cancer_names = names
    knowledge.index()
    return knowledge
