"""The instructor's class dashboard, student drill-down, item analysis, CSV exports and
their JSON, with who may see what."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from class_support import KEYS, PASSWORD, make_class, make_users, set_quiz, take
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import QuestionProgress, TopicProgress

T0 = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
XSS = '=HYPERLINK("http://evil")<script>x</script>'


@dataclass
class World:
    class_id: int
    assignment_id: int
    other_class_id: int
    teacher: str
    ids: dict[str, int]


@pytest.fixture
def world(app: Flask) -> World:
    """teacher's class: alice (all right), bob (all wrong), dave (not started);
    carol is in rival's class only."""
    with app.app_context():
        ids = make_users(
            {
                "teacher": "instructor",
                "rival": "instructor",
                "alice": "student",
                "bob": "student",
                "dave": "student",
                "carol": "student",
            }
        )
        mine = make_class(ids["teacher"], "Bio 1", [ids["alice"], ids["bob"], ids["dave"]])
        theirs = make_class(ids["rival"], "Bio 2", [ids["carol"]])
        assignment_id = set_quiz(ids["teacher"], mine.id, "Naming check", T0)
        world = World(mine.id, assignment_id, theirs.id, "teacher", ids)
    take(app, ids["alice"], world.assignment_id, [True, True, True], T0 + timedelta(hours=1))
    take(app, ids["bob"], world.assignment_id, [False] * 3, T0 + timedelta(hours=2), XSS)
    return world


def login(client: FlaskClient, username: str) -> None:
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302


def test_answers_keep_the_running_tallies(app: Flask, world: World) -> None:
    with app.app_context():
        rows = db.session.scalars(
            select(QuestionProgress).where(QuestionProgress.user_id == world.ids["alice"])
        ).all()
        assert len(rows) == 3 and all(r.answers == 1 and r.correct == 1 for r in rows)
        bob_topics = db.session.scalars(
            select(TopicProgress).where(TopicProgress.user_id == world.ids["bob"])
        ).all()
        assert bob_topics and all(t.correct == 0 and not t.last_correct for t in bob_topics)


def test_the_class_dashboard_shows_grid_results_and_concept_map(
    client: FlaskClient, world: World
) -> None:
    login(client, "teacher")
    html = client.get(f"/classes/{world.class_id}/dashboard").get_data(as_text=True)
    assert 'id="mastery-grid"' in html and 'id="class-concept-map"' in html
    # Every member has a row; alice's naming mastery after 3 fresh right answers is
    # (3 + 0.5) / (3 + 1) = 88%, bob's (0 + 0.5) / 4 = 12%; the mean of the two is 50%.
    assert html.count(f'href="/classes/{world.class_id}/students/') == 3
    assert "88%" in html and "12%" in html and "50%" in html
    assert "Finished by <strong>2</strong> of 3 students" in html
    assert "mean <strong>50.0%</strong>" in html and "median <strong>50.0%</strong>" in html
    assert "<svg" in html and 'class="chart histogram"' in html
    # The breast → bones cell is asked; the class mean is 50% over 2 students.
    assert 'title="breast cancer to bones: mean 50% over 2 students"' in html


def test_the_grid_reads_without_colour(client: FlaskClient, world: World) -> None:
    login(client, "teacher")
    html = client.get(f"/classes/{world.class_id}/dashboard").get_data(as_text=True)
    # Numbers and a spoken count in each answered cell; a dash where there is nothing.
    assert '<span class="visually-hidden">, 3 answers</span>' in html
    assert '<span class="visually-hidden">no answers</span>' in html


def test_a_student_drill_down_shows_history_and_missed_questions(
    client: FlaskClient, world: World
) -> None:
    login(client, "teacher")
    html = client.get(f"/classes/{world.class_id}/students/{world.ids['bob']}").get_data(
        as_text=True
    )
    assert "Naming check" in html and "0%" in html
    for key in KEYS:
        assert f"/author/bank/{key}/edit" in html  # each missed question links to its editor
    assert "0 of 1" in html and "wrong, 2030-01-07" in html
    alice = client.get(f"/classes/{world.class_id}/students/{world.ids['alice']}")
    assert "No question missed." in alice.get_data(as_text=True)


def test_item_analysis_pages_list_questions_flags_and_choices(
    client: FlaskClient, world: World
) -> None:
    login(client, "teacher")
    base = f"/classes/{world.class_id}/assignments/{world.assignment_id}/statistics"
    html = client.get(base).get_data(as_text=True)
    assert 'id="item-statistics"' in html and "Attempts analysed" in html
    for key in KEYS:
        assert f'id="q-{key}"' in html
    assert "insufficient data" in html  # two attempts are too few to judge a question
    question = client.get(f"{base}/{KEYS[0]}").get_data(as_text=True)
    assert 'id="choice-counts"' in question and 'class="chart shares"' in question
    assert "2 responses to the question as it now reads picked options" in question
    assert client.get(f"{base}/no-such-question").status_code == 404
    overall = client.get(f"/classes/{world.class_id}/statistics").get_data(as_text=True)
    assert "all quizzes set for Bio 1" in overall


def read_csv(client: FlaskClient, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_grade_export_has_a_row_per_member_with_best_scores(
    client: FlaskClient, world: World
) -> None:
    login(client, "teacher")
    rows = read_csv(client, f"/classes/{world.class_id}/grades.csv")
    assert rows[0] == ["student", "Naming check (best %)", "quizzes finished"]
    assert rows[1:] == [["alice", "100.0", "1"], ["bob", "0.0", "1"], ["dave", "", "0"]]


def test_response_export_has_every_answer_guarded_against_formulas(
    client: FlaskClient, world: World
) -> None:
    login(client, "teacher")
    rows = read_csv(client, f"/classes/{world.class_id}/responses.csv")
    header, body = rows[0], rows[1:]
    assert header[0] == "student" and header[8] == "answer"
    assert len(body) == 6 and {r[0] for r in body} == {"alice", "bob"}
    typed = [r for r in body if r[0] == "bob" and r[7] == "short"]
    assert typed[0][8] == "'" + XSS  # a formula typed as an answer is defused
    alice_choice = next(r for r in body if r[0] == "alice" and r[5] == KEYS[0])
    assert alice_choice[9] == "yes" and alice_choice[10] == "1"
    assert not alice_choice[8].isdigit()  # the choice's text, not its index


@pytest.mark.parametrize(
    "path",
    [
        "/classes/{c}/dashboard",
        "/classes/{c}/students/{alice}",
        "/classes/{c}/statistics",
        "/classes/{c}/assignments/{a}/statistics",
        "/classes/{c}/grades.csv",
        "/classes/{c}/responses.csv",
        "/api/v1/classes/{c}/dashboard",
        "/api/v1/classes/{c}/students/{alice}",
        "/api/v1/classes/{c}/statistics",
        "/api/v1/classes/{c}/assignments/{a}/statistics",
    ],
)
def test_another_instructor_and_students_cannot_see_a_class(
    client: FlaskClient, world: World, path: str
) -> None:
    url = path.format(c=world.class_id, a=world.assignment_id, alice=world.ids["alice"])
    login(client, "rival")
    assert client.get(url).status_code == 404
    client.post("/logout")
    login(client, "alice")
    assert client.get(url).status_code in (403, 404)
    client.post("/logout")
    login(client, "teacher")
    assert client.get(url).status_code == 200


def test_an_instructor_cannot_drill_into_someone_outside_the_class(
    client: FlaskClient, world: World
) -> None:
    login(client, "teacher")
    for user_id in (world.ids["carol"], world.ids["rival"], 999_999):
        assert client.get(f"/classes/{world.class_id}/students/{user_id}").status_code == 404
        assert client.get(f"/api/v1/classes/{world.class_id}/students/{user_id}").status_code == 404


def test_the_class_json_carries_the_same_figures(client: FlaskClient, world: World) -> None:
    login(client, "teacher")
    data = client.get(f"/api/v1/classes/{world.class_id}/dashboard").get_json()
    students = {s["username"]: s for s in data["students"]}
    assert set(students) == {"alice", "bob", "dave"}
    assert students["alice"]["topics"]["naming"]["score"] == pytest.approx(3.5 / 4, abs=1e-3)
    assert students["dave"]["topics"] == {}
    quiz = data["quizzes"][0]
    assert quiz["finished"] == 2 and quiz["members"] == 3 and quiz["mean"] == 50.0
    assert sum(quiz["distribution"]) == 2
    assert {"primary": "breast cancer", "site": "bones", "mean": 0.5, "students": 2} in data[
        "concept_map"
    ]
    stats = client.get(
        f"/api/v1/classes/{world.class_id}/assignments/{world.assignment_id}/statistics"
    ).get_json()
    assert stats["attempts"] == 2 and len(stats["questions"]) == 3
    listed = client.get("/api/v1/classes").get_json()
    assert [c["id"] for c in listed["classes"]] == [world.class_id]


def test_the_openapi_document_lists_every_dashboard_endpoint(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/me/progress",
        "/api/v1/classes",
        "/api/v1/classes/{class_id}/dashboard",
        "/api/v1/classes/{class_id}/students/{user_id}",
        "/api/v1/classes/{class_id}/statistics",
        "/api/v1/classes/{class_id}/assignments/{assignment_id}/statistics",
    ):
        assert "get" in spec["paths"][path]
    assert {"session", "bearer"} <= set(spec["components"]["securitySchemes"])


def test_moving_a_question_to_another_topic_moves_its_answers(app: Flask, world: World) -> None:
    from dataclasses import replace

    from quiz.models import Question, Topic
    from quiz.services.loading import store_question

    def counts(user: str) -> dict[str, tuple[int, int]]:
        rows = db.session.execute(
            select(Topic.slug, TopicProgress.answers, TopicProgress.correct)
            .join(Topic, Topic.id == TopicProgress.topic_id)
            .where(TopicProgress.user_id == world.ids[user])
        )
        return {slug: (answers, correct) for slug, answers, correct in rows}

    with app.app_context():
        before = counts("alice")
        question = db.session.scalar(select(Question).where(Question.key == KEYS[1]))
        old = {t.slug for t in question.topics}
        assert "outlook" not in old
        moved = replace(question.current.to_domain(), topics=("outlook",))
        topics = {t.slug: t for t in db.session.scalars(select(Topic))}
        store_question(db.session, moved, topics)
        db.session.commit()
        after = counts("alice")
        assert after["outlook"] == (1, 1)  # alice's right answer now counts for outlook
        for slug in old:
            assert after.get(slug, (0, 0))[0] == before[slug][0] - 1
        assert counts("dave") == {}  # nobody who never answered gains a row


def test_item_analysis_reads_best_first_or_all_attempts(
    app: Flask, client: FlaskClient, world: World
) -> None:
    with app.app_context():
        retake = set_quiz(world.ids["teacher"], world.class_id, "Retake", T0, attempts_allowed=2)
    take(app, world.ids["alice"], retake, [False] * 3, T0 + timedelta(days=1))
    take(app, world.ids["alice"], retake, [True] * 3, T0 + timedelta(days=2))
    take(app, world.ids["bob"], retake, [False] * 3, T0 + timedelta(days=1))
    login(client, "teacher")
    url = f"/api/v1/classes/{world.class_id}/assignments/{retake}/statistics"

    def facility(which: str) -> tuple[int, float]:
        data = client.get(f"{url}?attempts={which}").get_json()
        return data["attempts"], data["questions"][0]["facility"]

    assert facility("best") == (2, 50.0)  # alice's right retake and bob's only go
    assert facility("first") == (2, 0.0)
    assert facility("all") == (3, pytest.approx(100 / 3))
    refused = client.get(f"{url}?attempts=some")
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "'attempts' must be one of: best, first, all."
    page = client.get(f"/classes/{world.class_id}/assignments/{retake}/statistics?attempts=all")
    assert '<option value="all" selected>' in page.get_data(as_text=True)


def test_choice_counts_come_only_from_the_version_shown(
    app: Flask, client: FlaskClient, world: World
) -> None:
    from dataclasses import replace

    from quiz.domain.bank import Choice
    from quiz.models import Question, Topic
    from quiz.services.loading import store_question

    with app.app_context():
        question = db.session.scalar(select(Question).where(Question.key == KEYS[0]))
        asked = question.current.to_domain()
        reordered = replace(asked, choices=(*asked.choices[1:], Choice("A new option", False)))
        store_question(
            db.session, reordered, {t.slug: t for t in db.session.scalars(select(Topic))}
        )
        db.session.commit()
    login(client, "teacher")
    url = f"/classes/{world.class_id}/assignments/{world.assignment_id}/statistics/{KEYS[0]}"
    page = client.get(url).get_data(as_text=True)
    # Both answers were to the old version: its facility still counts, its choices do not.
    assert "No choices recorded for this question yet." in page
    assert "A new option" not in page


def test_every_api_answer_matches_its_openapi_schema(client: FlaskClient, world: World) -> None:
    from jsonschema import Draft202012Validator

    spec = client.get("/api/v1/openapi.json").get_json()
    Draft202012Validator.check_schema({"components": spec["components"]})
    login(client, "teacher")
    urls = {
        "/api/v1/classes": "/api/v1/classes",
        "/api/v1/classes/{class_id}/dashboard": f"/api/v1/classes/{world.class_id}/dashboard",
        "/api/v1/classes/{class_id}/students/{user_id}": (
            f"/api/v1/classes/{world.class_id}/students/{world.ids['bob']}"
        ),
        "/api/v1/classes/{class_id}/statistics": f"/api/v1/classes/{world.class_id}/statistics",
        "/api/v1/classes/{class_id}/assignments/{assignment_id}/statistics": (
            f"/api/v1/classes/{world.class_id}/assignments/{world.assignment_id}/statistics"
        ),
    }
    assert set(urls) | {"/api/v1/me/progress"} == set(spec["paths"])
    checked = []
    for path, url in [*urls.items()]:
        checked.append((path, client.get(url)))
    client.post("/logout")
    login(client, "alice")
    checked.append(("/api/v1/me/progress", client.get("/api/v1/me/progress")))
    for path, response in checked:
        assert response.status_code == 200, path
        declared = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        schema = {**declared["schema"], "components": spec["components"]}
        errors = list(Draft202012Validator(schema).iter_errors(response.get_json()))
        assert not errors, (path, [e.message for e in errors[:3]])
