"""The whole generator: sound, deterministic, grounded, and blind to page chrome."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import quiz
from quiz import resource_dir
from quiz.domain.bank import ID_PATTERN, MAX_ID, Question, validate
from quiz.domain.generate import (
    chrome_passage_ids,
    family_of,
    generate,
    generate_from_paths,
    load_input,
    parse_plain_text,
)
from quiz.domain.sources import Source, load_source_file, parse_source, source_files

TOPICS = ["basics", "naming", "spread", "sites", "symptoms", "diagnosis", "treatment", "outlook"]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "generate"
SEEDS = Path(quiz.__file__).resolve().parents[2] / "shared" / "seeds"
NOTES = source_files(resource_dir("questions") / "sources")


def bundled_notes() -> list[Source]:
    return [load_source_file(path) for path in NOTES]


def load_fixture(name: str) -> Source:
    return load_input(FIXTURES / name, Path(name).stem)


def assert_sound(questions: list[Question], sources: list[Source]) -> None:
    """Every question passes the bank's checks and quotes a passage that is not chrome."""
    by_slug = {source.slug: source for source in sources}
    assert validate(questions, by_slug, TOPICS) == []
    chrome = {(s.slug, pid) for s in sources for pid in chrome_passage_ids(s)}
    assert not [q.id for q in questions if (q.source.document, q.source.passage) in chrome]
    for question in questions:
        assert ID_PATTERN.match(question.id) and len(question.id) <= MAX_ID
        assert question.origin == "generated" and question.status == "draft"
        assert question.topics and set(question.topics) <= set(TOPICS)
    assert len({q.id for q in questions}) == len(questions)


def test_the_bundled_notes_give_sound_questions_of_every_family() -> None:
    sources = bundled_notes()
    questions = generate(sources, TOPICS)
    assert_sound(questions, sources)
    assert {family_of(q) for q in questions} >= {
        "naming",
        "sites",
        "symptoms",
        "terms",
        "tests",
        "treatments",
        "truefalse",
    }


def test_generation_is_deterministic() -> None:
    first = [q.to_dict() for q in generate(bundled_notes(), TOPICS)]
    second = [q.to_dict() for q in generate(bundled_notes(), TOPICS)]
    assert first == second


def test_editing_one_passage_keeps_the_ids_of_questions_quoting_others() -> None:
    text = (FIXTURES / "other-cancers.md").read_text()
    before = {q.id for q in generate([load_fixture("other-cancers.md")], TOPICS)}
    edited_text = text.replace("Bisphosphonates can be used", "Bisphosphonates may be used")
    after = {q.id for q in generate([parse_source(edited_text, "other-cancers")], TOPICS)}
    assert len(before - after) <= 2  # only questions quoting the edited passage change


def test_a_fresh_text_about_other_cancers_gives_every_core_family() -> None:
    source = load_fixture("other-cancers.md")
    questions = generate([source], TOPICS)
    assert_sound(questions, [source])
    families = {family_of(q) for q in questions}
    assert {"naming", "sites", "terms", "symptoms", "truefalse"} <= families
    answers = {a for q in questions for a in q.answers}
    assert "kidney cancer metastatic to the lungs" in answers
    assert "pancreatic cancer metastatic to the peritoneum" in answers
    assert {"ascites", "hematuria", "oligometastatic disease"} <= answers
    prompts = {q.prompt for q in questions}
    assert (
        "According to the text, metastases in which part of the body can cause ascites?" in prompts
    )


def test_only_page_chrome_gives_no_questions() -> None:
    chrome = "\n\n".join(
        [
            "Share this article",
            "Give it a like and share your thoughts with the community in the comments below!",
            "Published Sep 12, 2022 • By Ann Writer",
            "Was this article helpful to you?",
            "Read the article",
            "See the testimonial",
            "Author: Ann Writer, Health Writer",
            "Ann is a content creator at Example Health, specializing in health writing.",
            "You will also like",
            "Kidney cancer\n\nBladder cancer\n\nOvarian cancer",
        ]
    )
    assert generate([parse_plain_text(chrome, "chrome")], TOPICS) == []


def test_topics_come_from_the_family_and_the_section_and_stay_allowed() -> None:
    source = load_fixture("other-cancers.md")
    questions = generate([source], TOPICS)
    naming = next(q for q in questions if family_of(q) == "naming")
    assert naming.topics[:2] == ("naming", "sites")
    symptom = next(q for q in questions if family_of(q) == "symptoms")
    assert symptom.topics[0] == "symptoms"
    only = generate([source], ["general"])
    assert only and all(q.topics == ("general",) for q in only)


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}")
def test_the_seed_articles_give_sixty_grounded_questions_and_none_from_chrome() -> None:
    paths = sorted(SEEDS.glob("*.txt"))
    generation = generate_from_paths(paths, TOPICS)
    questions = list(generation.questions)
    sources = [load_input(path, path.stem.replace("_", "-")) for path in paths]
    assert len(questions) >= 60, generation.counts()
    assert_sound(questions, sources)
    quotes = "\n".join(q.source.quote for q in questions)
    for chrome in SEED_CHROME:
        assert chrome not in quotes, chrome


# Text of the seeds' page chrome, listed by hand so the check does not trust the
# generator's own chrome rules.
SEED_CHROME = [
    "Verywell / Hilary Allison",
    "6 Sources",
    "uses only high-quality sources",
    "Seyfried TN",
    "National Cancer Institute",
    "Svensson",
    "Kizilbash",
    "Otake S",
    "Additional Reading",
    "By Lynne Eldridge",
    "award-winning author",
    "Published Sep 12, 2022",
    "Find all the answers",
    "Was this article helpful",
    "Give it a like",
    "Take care!",
    "avatar Claudia Lima",
    "Author: Claudia Lima",
    "content creator",
    "master's degree",
    "You will also like",
    "Telling patients",
    "Read the article",
    "World Cancer Day",
    "Carenity members tell their story",
    "See the testimonial",
    "Most commented discussions",
    "Fact sheets",
    "Waldenström",
]

# What the seeds list as common sites for each primary (both articles together): a
# wrong answer in a site question must never be one of these.
SEED_SPREAD = {
    "breast cancer": {"bones", "brain", "liver", "lungs"},
    "lung cancer": {"adrenal glands", "bones", "brain", "liver", "lungs", "lymph nodes"},
    "colon cancer": {"liver", "lungs", "peritoneum"},
    "prostate cancer": {"adrenal glands", "bones", "liver", "lungs"},
    "melanoma": {"lymph nodes", "bones", "lungs", "liver", "brain"},
    "overall": {"bones", "liver", "lungs", "brain"},
}
# Words of each site's symptoms in the seeds: a wrong site in a symptom question must
# share no word with the symptom asked about.
# Words shared by unrelated symptoms ("weight loss", "loss of balance"; "coughing up
# blood", "calcium level in the blood").
GENERIC_WORDS = {"a", "an", "the", "of", "in", "or", "and", "up", "loss", "blood"}
SEED_SYMPTOMS = {
    "lungs": "cough breath chest pain breathing blood",
    "brain": "headaches vision seizures numbness weakness arms legs balance nausea vomiting "
    "dizziness concentration muscle hemiplegia",
    "bones": "pain bone calcium blood fracture fractures vertebral compression hypercalcaemia "
    "spinal cord weakness legs bowel bladder dysfunction",
    "liver": "jaundice bloating abdominal pain weight loss heaviness fever",
}


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}")
def test_no_wrong_answer_in_the_seed_questions_is_right_elsewhere_in_the_seeds() -> None:
    questions = generate_from_paths(sorted(SEEDS.glob("*.txt")), TOPICS).questions
    checked = 0
    for question in questions:
        wrong = [c.text.lower().removeprefix("the ") for c in question.choices if not c.correct]
        if family_of(question) == "sites" and "which of these cancers" not in question.prompt:
            primary = next((p for p in SEED_SPREAD if p in question.prompt), "overall")
            if " NOT " in question.prompt:
                right = [c.text.lower().removeprefix("the ") for c in question.choices if c.correct]
                assert right[0] not in SEED_SPREAD[primary], question.prompt
            else:
                assert not set(wrong) & SEED_SPREAD[primary], question.prompt
            checked += 1
        match = re.search(r"in which part of the body can cause (.+)\?", question.prompt)
        if match:
            words = set(match.group(1).split()) - GENERIC_WORDS
            for site in wrong:
                assert not words & set(SEED_SYMPTOMS.get(site, "").split()), question.prompt
            checked += 1
    assert checked >= 20
