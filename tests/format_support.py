"""Helpers shared by the CSV and GIFT format tests: a tiny note, a question factory."""

from pathlib import Path

from quiz.domain.bank import Question, SourceRef
from quiz.domain.sources import parse_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
NOTE = parse_source(
    "## Sites\n\nBone is the commonest site of spread. The liver and the lungs come next.\n",
    "sites-note",
)
REF = SourceRef("sites-note", "sites-03c1be", "Bone is the commonest site of spread.")


def fixture(name: str) -> str:
    """Return the text of a file in tests/fixtures/formats."""
    return (FIXTURES / name).read_text(encoding="utf-8")


def question(**fields: object) -> Question:
    """Return a valid short question quoting NOTE, with any fields replaced."""
    values: dict[str, object] = {
        "id": "q-one",
        "type": "short",
        "prompt": "Which site is commonest?",
        "explanation": "Bone is.",
        "source": REF,
        "topics": ("sites",),
        "answers": ("bone",),
    }
    values.update(fields)
    return Question(**values)  # type: ignore[arg-type]
