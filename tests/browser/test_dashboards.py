"""Both dashboards in real Chromium: the server-drawn SVG charts render, with names, offline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from class_support import KEYS, PASSWORD, make_class, make_users, set_quiz, take
from flask import Flask
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TITLE = "Naming check"


@dataclass
class World:
    class_id: int
    assignment_id: int
    ids: dict[str, int]


def seed(app: Flask) -> World:
    """teacher's class: alice takes the quiz twice (1 then 2 of 3 right), bob once (1 of 3)."""
    now = datetime.now(UTC)
    with app.app_context():
        ids = make_users({"teacher": "instructor", "alice": "student", "bob": "student"})
        study_class = make_class(ids["teacher"], "Bio 1", [ids["alice"], ids["bob"]])
        assignment_id = set_quiz(
            ids["teacher"], study_class.id, TITLE, now - timedelta(days=7), attempts_allowed=2
        )
        world = World(study_class.id, assignment_id, ids)
    take(app, ids["alice"], world.assignment_id, [True, False, False], now - timedelta(days=3))
    take(app, ids["alice"], world.assignment_id, [True, True, False], now)
    take(app, ids["bob"], world.assignment_id, [False, False, True], now)
    return world


def log_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def note_console_error(errors: list[str], message) -> None:  # type: ignore[no-untyped-def]
    """Keep a console error (the app serves a favicon, so even Chromium's own ask counts)."""
    url = message.location.get("url", "")
    if message.type == "error":
        errors.append(f"{message.text} ({url}:{message.location.get('lineNumber')})")


def width_over_cap(locator, max_px: float) -> float:  # type: ignore[no-untyped-def]
    """How many pixels wider than its stylesheet max-width a chart is drawn (0 when it fits)."""
    box = locator.bounding_box()
    assert box is not None and box["width"] > 0, box
    return max(0.0, box["width"] - max_px)


def assert_drawn(locator) -> None:  # type: ignore[no-untyped-def]
    """The element is laid out with a real, non-empty box."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0, box


def test_both_dashboards_draw_their_charts_offline(page, live_app) -> None:  # type: ignore[no-untyped-def]
    app, base = live_app
    world = seed(app)
    crashes: list[str] = []
    requested: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    page.on("request", lambda r: requested.append(r.url))

    # The student's own dashboard.
    log_in(page, base, "alice")
    response = page.goto(f"{base}/progress")
    assert response is not None and response.status == 200

    scores = page.get_by_role("img", name="Scores over time")
    assert_drawn(scores)
    assert scores.evaluate("el => el.matches('svg.chart')")
    points = scores.locator("polyline").get_attribute("points") or ""
    assert len(points.split()) == 2, points  # alice's two finished attempts
    assert scores.locator("circle").count() == 2
    assert_drawn(scores.locator("polyline"))
    titles = scores.locator("circle title").all_text_contents()
    assert [t.split(": ")[-1] for t in titles] == ["33%", "67%"], titles

    bars = page.locator("svg.bar")
    assert bars.count() >= 1
    for index in range(bars.count()):
        assert_drawn(bars.nth(index))
    fills = [
        float(w or 0)
        for w in page.locator("svg.bar rect.fill").evaluate_all(
            "rects => rects.map(r => r.getAttribute('width'))"
        )
    ]
    assert any(width > 0 for width in fills), fills

    calendar = page.get_by_role("img", name="Activity, last 12 weeks")
    assert_drawn(calendar)
    assert calendar.evaluate("el => el.matches('svg.calendar')")
    days = calendar.locator("rect")
    assert days.count() == 84
    assert calendar.locator("rect:not(.level-none)").count() >= 1
    assert_drawn(days.last)
    expect(page.locator("table.concept-grid")).to_be_visible()

    page.get_by_role("button", name=re.compile(r"Log out")).click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/.*"))

    # The instructor's class dashboard.
    log_in(page, base, "teacher")
    dashboard = f"{base}/classes/{world.class_id}/dashboard"
    response = page.goto(dashboard)
    assert response is not None and response.status == 200

    grid = page.locator("table#mastery-grid")
    expect(grid).to_be_visible()
    rows = grid.locator("tbody tr")
    expect(rows).to_have_count(2)
    for index, name in enumerate(["alice", "bob"]):
        row = rows.nth(index)
        expect(row.locator("th")).to_have_text(name)
        cells = row.locator("td").all_inner_texts()
        assert any("%" in cell for cell in cells), cells
    expect(page.locator("table#class-concept-map")).to_be_visible()

    histogram = page.get_by_role("img", name=f"{TITLE}: best scores")
    assert_drawn(histogram)
    assert histogram.evaluate("el => el.matches('svg.chart.histogram')")
    assert histogram.locator("rect.bar").count() == 10
    heights = [
        float(h or 0)
        for h in histogram.locator("rect.bar").evaluate_all(
            "rects => rects.map(r => r.getAttribute('height'))"
        )
    ]
    assert sum(1 for h in heights if h > 0) == 2, heights  # bob in 30–39, alice in 60–69
    tall = histogram.locator("rect.bar").nth(heights.index(max(heights)))
    assert_drawn(tall)

    # The grid still reads on paper: numbers, not just colour.
    numbered = grid.locator("tbody td", has_text="%")
    on_screen = numbered.count()
    assert on_screen >= 2  # at least one figure per student
    page.emulate_media(media="print")
    assert page.evaluate("matchMedia('print').matches")
    expect(grid).to_be_visible()
    expect(numbered).to_have_count(on_screen)
    expect(numbered.first).to_be_visible()
    assert "%" in numbered.first.inner_text()
    assert_drawn(histogram)
    page.emulate_media(media="screen")

    # Drill down into a student and come back.
    grid.get_by_role("link", name="bob", exact=True).click()
    page.wait_for_url(f"{base}/classes/{world.class_id}/students/{world.ids['bob']}")
    expect(page.locator("h1")).to_have_text("bob")
    assert_drawn(page.get_by_role("img", name="Class quizzes over time"))
    page.go_back()
    page.wait_for_url(dashboard)
    expect(grid).to_be_visible()

    # Item analysis of the quiz, then one question's choices.
    page.locator(f"#quiz-{world.assignment_id}").get_by_role(
        "link", name="item analysis", exact=True
    ).click()
    statistics = f"{base}/classes/{world.class_id}/assignments/{world.assignment_id}/statistics"
    page.wait_for_url(statistics)
    table = page.locator("table#item-statistics")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(3)
    for key in KEYS:
        expect(table.locator(f"tr#q-{key}")).to_be_visible()
    # Each student's best attempt, as graded: alice's second go and bob's only one.
    analysed = page.locator("table#quiz-statistics tr", has_text="Attempts analysed")
    expect(analysed.locator("td")).to_have_text("2")

    table.locator(f"tr#q-{KEYS[0]} a").first.click()
    page.wait_for_url(f"{statistics}/{KEYS[0]}?attempts=best")
    shares = page.get_by_role("img", name="How often each choice was picked")
    assert_drawn(shares)
    assert shares.evaluate("el => el.matches('svg.chart.shares')")
    widths = [
        float(w or 0)
        for w in shares.locator("rect.bar").evaluate_all(
            "rects => rects.map(r => r.getAttribute('width'))"
        )
    ]
    assert widths and any(w > 0 for w in widths), widths
    expect(page.locator("table#choice-counts")).to_be_visible()

    assert crashes == []
    assert requested and all(url.startswith(f"{base}/") for url in requested), [
        url for url in requested if not url.startswith(f"{base}/")
    ]


def test_the_chart_pages_log_no_console_errors_and_keep_their_widths(page, live_app) -> None:  # type: ignore[no-untyped-def]
    """The Content-Security-Policy (style-src 'self') must not block the charts' styling."""
    app, base = live_app
    world = seed(app)
    errors: list[str] = []
    page.on("console", lambda message: note_console_error(errors, message))
    page.on("pageerror", lambda error: errors.append(str(error)))
    capped: dict[str, float] = {}

    log_in(page, base, "alice")
    page.goto(f"{base}/progress")
    capped["calendar (max-width:40rem)"] = width_over_cap(page.locator("svg.calendar"), 40 * 16)
    page.get_by_role("button", name=re.compile(r"Log out")).click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/.*"))

    log_in(page, base, "teacher")
    page.goto(f"{base}/classes/{world.class_id}/dashboard")
    capped["histogram (max-width:32rem)"] = width_over_cap(
        page.locator("svg.chart.histogram"), 32 * 16
    )
    page.goto(f"{base}/classes/{world.class_id}/students/{world.ids['alice']}")
    page.goto(
        f"{base}/classes/{world.class_id}/assignments/{world.assignment_id}/statistics/{KEYS[0]}"
    )
    capped["shares (max-width:32rem)"] = width_over_cap(page.locator("svg.chart.shares"), 32 * 16)

    too_wide = {chart: round(px) for chart, px in capped.items() if px > 0.5}
    report = "\n".join([*errors, f"px wider than the chart's max-width: {too_wide}"])
    assert errors == [] and too_wide == {}, report
