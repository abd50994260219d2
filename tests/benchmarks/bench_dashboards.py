"""Dashboard figures at scale: a class of 500 students with 100k and 1M responses (SQLite).

Run with `make bench`. Goals (issue 6): student dashboard under 50 ms and not growing
linearly with the total; item analysis for a 30-question quiz under 1 s.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quiz import create_app, resource_dir
from quiz.config import TEST_CONFIG
from quiz.domain import analytics
from quiz.domain.bundle import read_bundle
from quiz.extensions import db
from quiz.models import AttemptItem, Response, User
from quiz.services.demo import fill
from quiz.services.loading import load_bundle
from quiz.services.progress import student_dashboard

STUDENTS = 500


def median_ms(function, runs: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def item_analysis(question_ids: list[int]) -> analytics.QuizStatistics:
    rows = db.session.execute(
        select(AttemptItem.attempt_id, Response.question_id, Response.score)
        .join(AttemptItem, AttemptItem.id == Response.attempt_item_id)
        .where(Response.question_id.in_(question_ids))
        .order_by(AttemptItem.attempt_id)
    )
    return analytics.item_statistics(
        analytics.ItemResponse(attempt, str(question), score) for attempt, question, score in rows
    )


@pytest.mark.parametrize("responses", [100_000, 1_000_000])
def test_dashboards_at_scale(tmp_path: Path, responses: int) -> None:
    app = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'scale.db'}"}
    )
    now = datetime.now(UTC)
    with app.app_context():
        db.create_all()
        load_bundle(db.session, read_bundle(resource_dir("questions")))
        started = time.perf_counter()
        fill(db.session, STUDENTS, responses, now.replace(tzinfo=None))
        build = time.perf_counter() - started
    with app.test_request_context():
        students = list(db.session.scalars(select(User).where(User.role == "student").limit(5)))
        student_ms = statistics.median(
            median_ms(lambda u=u: student_dashboard(db.session, u, now), 5) for u in students
        )
        top30 = [
            qid
            for qid, _ in db.session.execute(
                select(Response.question_id, func.count())
                .group_by(Response.question_id)
                .order_by(func.count().desc())
                .limit(30)
            )
        ]
        stats = item_analysis(top30)
        items_ms = median_ms(lambda: item_analysis(top30), 3)
    print(
        f"\n{responses:>9,} responses ({STUDENTS} students; built in {build:.0f} s): "
        f"student dashboard {student_ms:6.1f} ms | item analysis, 30 questions "
        f"{items_ms:7.1f} ms ({len(stats.questions)} items, CIC {stats.cic})"
    )
    assert len(stats.questions) == 30
