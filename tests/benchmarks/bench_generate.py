"""How long `quiz generate` takes: on the bundled notes, and on 0.25, 0.5 and 1 MB of text.

Run on purpose, not with the suite:

    pytest tests/benchmarks/bench_generate.py -s -o addopts=""

Times are printed, never asserted (they depend on the machine); the goal on a 2-core
machine is under 1 s for the notes and under 20 s for 1 MB, growing linearly.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

import pytest

import quiz
from quiz import resource_dir
from quiz.domain.generate import generate_with_report, parse_plain_text
from quiz.domain.sources import Source, load_source_file, source_files

TOPICS = ["basics", "naming", "spread", "sites", "symptoms", "diagnosis", "treatment", "outlook"]
SEEDS = Path(quiz.__file__).resolve().parents[2] / "shared" / "seeds"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "generate" / "other-cancers.md"
SIZES = (250_000, 500_000, 1_000_000)

# Cancers swapped in for the seeds' own, so each copy of a text states new facts and
# the near-duplicate gate cannot fold the whole input into one copy's questions.
PRIMARIES = (
    "kidney cancer",
    "pancreatic cancer",
    "thyroid cancer",
    "bladder cancer",
    "ovarian cancer",
    "stomach cancer",
    "esophageal cancer",
    "liver cancer",
    "cervical cancer",
    "gallbladder cancer",
    "testicular cancer",
    "uterine cancer",
    "laryngeal cancer",
    "anal cancer",
    "rectal cancer",
    "vulvar cancer",
    "thymus cancer",
    "adrenal cancer",
    "bile duct cancer",
    "small intestine cancer",
)
REPLACED = re.compile(r"\b(?:breast|colon|prostate) cancer\b", re.IGNORECASE)


def base_texts() -> list[str]:
    """Return the texts to repeat: the seed articles if present, else a test fixture."""
    seeds = sorted(SEEDS.glob("*.txt"))
    if seeds:
        return [path.read_text(encoding="utf-8") for path in seeds]
    return [FIXTURE.read_text(encoding="utf-8").split("---\n", 2)[2]]


def build_text(size: int) -> str:
    """Return about `size` characters: the base texts repeated, each copy about other cancers."""
    texts = base_texts()
    parts: list[str] = []
    total = 0
    for number in count():
        text = REPLACED.sub(_renamer(number), texts[number % len(texts)])
        parts.append(f"Part {number + 1}\n\n{text}")
        total += len(parts[-1]) + 2
        if total >= size:
            break
    return "\n\n".join(parts)


def _renamer(copy: int) -> Callable[[re.Match[str]], str]:
    """Return a replacement that names a different cancer at each match of one copy."""
    names = (PRIMARIES[(copy * 3 + k) % len(PRIMARIES)] for k in count())
    return lambda _match: next(names)


def timed_generation(sources: list[Source], label: str) -> int:
    """Generate once, print the time, and return the number of questions."""
    start = time.perf_counter()
    generation = generate_with_report(sources, TOPICS)
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s, {len(generation.questions)} questions")
    return len(generation.questions)


def test_bundled_notes() -> None:
    sources = [
        load_source_file(path) for path in source_files(resource_dir("questions") / "sources")
    ]
    generate_with_report(sources, TOPICS)  # warm the regular expressions' caches
    assert timed_generation(sources, f"bundled notes ({len(sources)} files)") > 0


@pytest.mark.parametrize("size", SIZES, ids=[f"{s // 1000}kB" for s in SIZES])
def test_large_text(size: int) -> None:
    text = build_text(size)
    start = time.perf_counter()
    source = parse_plain_text(text, "large")
    print(f"\nparse {len(text) / 1_000_000:.2f} MB: {time.perf_counter() - start:.2f} s")
    assert timed_generation([source], f"generate {len(text) / 1_000_000:.2f} MB") > 0
