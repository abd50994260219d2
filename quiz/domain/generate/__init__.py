"""Generate draft questions from source texts: rules and patterns, no model, no network.

    corpus.py     passages that are not page chrome (chrome.py), split into sentences
    extract/      facts: site lists, the naming rule, terms, symptoms, tests, treatments
    families/     candidate questions from the facts, one module per family
    gates.py      quality gates and near-duplicate merging
    pipeline.py   the whole run, ending in bank-schema questions that pass `validate`

Plain text copied from a web page is read by plaintext.py; reader.py refuses files
that are not usable text.
"""

from .chrome import chrome_passage_ids, chrome_reason
from .pipeline import (
    FAMILY_NAMES,
    GenerateInputErrors,
    Generation,
    family_of,
    generate,
    generate_from_paths,
    generate_with_report,
)
from .plaintext import parse_plain_text, plain_text_to_markdown
from .reader import MAX_INPUT_BYTES, GenerateInputError, load_input, read_input_text

__all__ = [
    "FAMILY_NAMES",
    "MAX_INPUT_BYTES",
    "GenerateInputError",
    "GenerateInputErrors",
    "Generation",
    "chrome_passage_ids",
    "chrome_reason",
    "family_of",
    "generate",
    "generate_from_paths",
    "generate_with_report",
    "load_input",
    "parse_plain_text",
    "plain_text_to_markdown",
    "read_input_text",
]
