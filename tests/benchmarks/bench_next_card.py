"""How long picking the next due card takes for one student with a big history.

Run with `make bench`. Goal (issue 4): under 20 ms with 5,000 cards and 100,000
review-log rows for one student, on SQLite, on this 2-core machine.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from quiz import create_app, resource_dir
from quiz.config import TEST_CONFIG
from quiz.domain.bundle import read_bundle
from quiz.extensions import db
from quiz.models import Card, PlainCard, ReviewLog, Topic, User
from quiz.services import cards
from quiz.services.loading import load_bundle

CARDS = 5_000
LOGS = 100_000
RUNS = 200


def build(tmp_path: Path):  # type: ignore[no-untyped-def]
    app = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'bench.db'}"}
    )
    rng = random.Random(7)
    now = datetime.now(UTC).replace(tzinfo=None)
    with app.app_context():
        db.create_all()
        load_bundle(db.session, read_bundle(resource_dir("questions")))
        user = User(username="bench", password_hash="x", role="student")
        other = User(username="other", password_hash="x", role="student")
        db.session.add_all([user, other])
        db.session.flush()
        user_id, other_id = user.id, other.id
        topics = list(db.session.scalars(select(Topic.id)))
        db.session.execute(
            insert(PlainCard),
            [
                {"topic_id": topics[i % len(topics)], "front": f"front {i}", "back": f"back {i}"}
                for i in range(2 * CARDS)
            ],
        )
        plain_ids = list(db.session.scalars(select(PlainCard.id)))
        rows = []
        for owner in (user_id, other_id):  # a second student, so the user filter matters
            for plain_id in plain_ids[:CARDS]:
                due = now + timedelta(minutes=rng.randint(-3 * 24 * 60, 60 * 24 * 60))
                rows.append(
                    {
                        "user_id": owner,
                        "plain_card_id": plain_id,
                        "stage": "review",
                        "step": None,
                        "stability": rng.uniform(1, 100),
                        "difficulty": rng.uniform(1, 10),
                        "due": due,
                        "last_review": due - timedelta(days=3),
                        "reps": rng.randint(1, 30),
                        "lapses": rng.randint(0, 5),
                        "suspended": rng.random() < 0.02,
                        "leech": False,
                        "created_at": now - timedelta(days=400),
                    }
                )
        db.session.execute(insert(Card), rows)
        card_ids = list(db.session.scalars(select(Card.id).where(Card.user_id == user_id)))
        db.session.execute(
            insert(ReviewLog),
            [
                {
                    "card_id": rng.choice(card_ids),
                    "user_id": user_id,
                    "rating": rng.randint(1, 4),
                    "origin": "review",
                    "reviewed_at": now - timedelta(minutes=rng.randint(0, 400 * 24 * 60)),
                    "previous_state": {},
                    "request_token": None,
                }
                for _ in range(LOGS)
            ],
        )
        db.session.commit()
        db.session.execute(select(1))
    return app, user_id


def timed(function) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(f"{label:<44} median {statistics.median(samples):6.2f} ms   p95 {p95:6.2f} ms")


def test_next_due_card_with_5000_cards_and_100k_reviews(tmp_path: Path) -> None:
    app, user_id = build(tmp_path)
    with app.test_request_context():  # GET: reads take no write lock
        user = db.session.get(User, user_id)
        now = datetime.now(UTC)
        print(f"\n{CARDS} cards and {LOGS} review-log rows for one student (plus another student)")
        all_topics = timed(lambda: cards.next_card(db.session, user, "all", now))
        one_topic = timed(lambda: cards.next_card(db.session, user, "naming", now))
        page_counts = timed(lambda: cards.counts(db.session, user, "all", now))
        report("next card, all topics", all_topics)
        report("next card, one topic deck", one_topic)
        report("session counts for the progress bar", page_counts)
        assert cards.next_card(db.session, user, "all", now) is not None
