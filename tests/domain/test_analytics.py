"""Analytics: Moodle item analysis, mastery, streaks, calendars and score summaries."""

import json
import math
import random
import statistics
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from quiz.domain.analytics import (
    Answer,
    ConceptAnswer,
    Flag,
    FlagThresholds,
    ItemResponse,
    NeedsChecking,
    QuestionStatistics,
    QuizStatistics,
    activity_calendar,
    concept_grid,
    family_summary,
    generator_family,
    group_by,
    item_statistics,
    local_days,
    mastery,
    mean_median,
    random_guess_score,
    score_distribution,
    streak,
)

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
TODAY = date(2025, 3, 3)
DAY = timedelta(days=1)

# Six attempts at three one-mark questions. Totals 1, 1, 2, 2, 3, 3.
#            q1 q2 q3
MATRIX = {
    "a1": (0, 0, 1),
    "a2": (0, 1, 0),
    "a3": (1, 1, 0),
    "a4": (1, 1, 0),
    "a5": (1, 1, 1),
    "a6": (1, 1, 1),
}


def responses(matrix: Mapping[str, tuple[float, ...]]) -> list[ItemResponse]:
    return [
        ItemResponse(attempt, f"q{i + 1}", float(score))
        for attempt, row in matrix.items()
        for i, score in enumerate(row)
    ]


@pytest.fixture
def stats() -> QuizStatistics:
    return item_statistics(responses(MATRIX))


# --- question statistics on the hand-computed matrix --------------------------------------


def test_facility_is_the_mean_mark_over_the_maximum_as_a_percentage(stats: QuizStatistics) -> None:
    assert stats.questions["q1"].facility == pytest.approx(400 / 6)  # 4 of 6 right
    assert stats.questions["q2"].facility == pytest.approx(500 / 6)
    assert stats.questions["q3"].facility == pytest.approx(50.0)
    assert [q.n for q in stats.questions.values()] == [6, 6, 6]


def test_sd_is_the_sample_sd_of_the_score_as_a_percentage(stats: QuizStatistics) -> None:
    # q1: Σ(x − 2/3)² = 2·(4/9) + 4·(1/9) = 4/3; sd = sqrt(4/3 / 5).
    assert stats.questions["q1"].sd == pytest.approx(100 * math.sqrt(4 / 15))


def test_discrimination_correlates_the_item_with_the_rest_of_the_attempt(
    stats: QuizStatistics,
) -> None:
    # q1: x = (0, 0, 1, 1, 1, 1), rest = q2 + q3 = (1, 1, 1, 1, 2, 2); x̄ = 2/3, r̄ = 4/3.
    #   Σ(x − x̄)(r − r̄) = (−2/3)(−1/3)·2 + (1/3)(−1/3)·2 + (1/3)(2/3)·2 = (4 − 2 + 4)/9 = 2/3
    #   Σ(x − x̄)²        = (4/9)·2 + (1/9)·4 = 4/3
    #   Σ(r − r̄)²        = (1/9)·4 + (4/9)·2 = 4/3
    #   DI = 100 · (2/3) / sqrt(4/3 · 4/3) = 100 · (2/3)/(4/3) = 50 (the n − 1s cancel)
    assert stats.questions["q1"].discrimination_index == pytest.approx(50.0)
    # q2: x = (0, 1, 1, 1, 1, 1), rest = q1 + q3 = (1, 0, 1, 1, 2, 2); x̄ = 5/6, r̄ = 7/6.
    #   Σxr − n·x̄·r̄ = 6 − 35/6 = 1/6;  Σ(x − x̄)² = 5/6;  Σ(r − r̄)² = 17/6
    #   DI = 100 · (1/6) / sqrt(5/6 · 17/6) = 100 / sqrt(85) ≈ 10.85
    assert stats.questions["q2"].discrimination_index == pytest.approx(100 / math.sqrt(85))
    # q3: x = (1, 0, 0, 0, 1, 1), rest = q1 + q2 = (0, 1, 2, 2, 2, 2); x̄ = 1/2, r̄ = 3/2.
    #   Σxr − n·x̄·r̄ = 4 − 9/2 = −1/2;  Σ(x − x̄)² = 3/2;  Σ(r − r̄)² = 7/2
    #   DI = 100 · (−1/2) / sqrt(3/2 · 7/2) = −100 / sqrt(21) ≈ −21.82: the weak answer it right
    assert stats.questions["q3"].discrimination_index == pytest.approx(-100 / math.sqrt(21))


def test_discriminative_efficiency_divides_by_the_covariance_of_the_sorted_marks(
    stats: QuizStatistics,
) -> None:
    # q1: sorted x = (0, 0, 1, 1, 1, 1) and sorted rest = (1, 1, 1, 1, 2, 2) pair exactly as
    #   the attempts do, so the covariance is already the maximum: DE = 100.
    assert stats.questions["q1"].discriminative_efficiency == pytest.approx(100.0)
    # q2: sorted x = (0, 1, 1, 1, 1, 1), sorted rest = (0, 1, 1, 1, 2, 2):
    #   Σxr − n·x̄·r̄ = (1 + 1 + 1 + 2 + 2) − 35/6 = 7/6;  DE = 100 · (1/6)/(7/6) = 100/7 ≈ 14.3
    assert stats.questions["q2"].discriminative_efficiency == pytest.approx(100 / 7)
    # q3: sorted x = (0, 0, 0, 1, 1, 1), sorted rest = (0, 1, 2, 2, 2, 2):
    #   Σxr − n·x̄·r̄ = 6 − 9/2 = 3/2;  DE = 100 · (−1/2)/(3/2) = −100/3
    assert stats.questions["q3"].discriminative_efficiency == pytest.approx(-100 / 3)


def test_flags_follow_moodles_thresholds(stats: QuizStatistics) -> None:
    q1, q2, q3 = stats.questions.values()
    assert q1.flags == () and not q1.flagged
    assert q1.needs_checking is NeedsChecking.UNLIKELY  # DI 50: Moodle's bands start at 50
    # DI 10.8 < 30 is poor; DE 14.3 < 15 is Moodle's "dubious".
    assert q2.flags == (Flag.POOR_DISCRIMINATION, Flag.DUBIOUS)
    assert q2.needs_checking is NeedsChecking.VERY_LIKELY
    assert q3.flags == (Flag.NEGATIVE_DISCRIMINATION, Flag.DUBIOUS)
    assert q3.needs_checking is NeedsChecking.VERY_LIKELY
    assert [q.question_key for q in stats.flagged] == ["q2", "q3"]


@pytest.mark.parametrize(
    ("agree", "expected", "verdict"),
    [
        (6, 20.0, NeedsChecking.VERY_LIKELY),
        (7, 40.0, NeedsChecking.LIKELY),
        (8, 60.0, NeedsChecking.UNLIKELY),
    ],
)
def test_needs_checking_bands_are_moodles(
    agree: int, expected: float, verdict: NeedsChecking
) -> None:
    # Two items, each right in 10 of 20 attempts, both right in `agree` and both wrong in
    # `agree`: φ = (agree² − (10 − agree)²) / 10² = (2·agree − 10) / 10.
    rows = [(1, 1)] * agree + [(0, 0)] * agree + [(1, 0), (0, 1)] * (10 - agree)
    q1 = item_statistics(responses({f"a{i}": row for i, row in enumerate(rows)})).questions["q1"]
    assert q1.discrimination_index == pytest.approx(expected)
    assert q1.needs_checking is verdict


# --- test statistics -----------------------------------------------------------------------


def test_test_statistics_on_the_hand_computed_matrix(stats: QuizStatistics) -> None:
    assert stats.attempts == 6
    assert stats.mean == pytest.approx(2.0)
    assert stats.median == pytest.approx(2.0)
    # Σ(T − 2)² = 1 + 1 + 0 + 0 + 1 + 1 = 4; sd = sqrt(4/5).
    assert stats.sd == pytest.approx(math.sqrt(0.8))
    assert stats.mean_percent == pytest.approx(200 / 3)
    assert stats.sd_percent == pytest.approx(100 * math.sqrt(0.8) / 3)
    assert stats.skewness == pytest.approx(0.0)  # 1, 1, 2, 2, 3, 3 is symmetrical
    # m2 = m4 = 4/6, k2 = 4/5, k4 = 36·(7·m4 − 3·5·m2²)/(5·4·3) = −6/5; kurtosis = k4/k2² = −1.875
    assert stats.kurtosis == pytest.approx(-1.875)


def test_cic_is_cronbachs_alpha_times_100(stats: QuizStatistics) -> None:
    # Item variances (n − 1): q1 (4/3)/5 = 4/15, q2 (5/6)/5 = 1/6, q3 (3/2)/5 = 3/10; Σ = 11/15.
    # Total variance 4/5 = 12/15.  α = 3/2 · (1 − 11/12) = 1/8.
    assert stats.cic == pytest.approx(12.5)
    assert stats.positions == 3
    assert stats.reliability == "unsatisfactory"  # Moodle: below 64% is unsatisfactory
    assert stats.error_ratio == pytest.approx(100 * math.sqrt(0.875))
    # SE = ER · SD / 100 = sqrt(0.875 · 0.8) = sqrt(0.7) marks.
    assert stats.standard_error == pytest.approx(math.sqrt(0.7))


def test_cic_matches_the_textbook_alpha_on_partial_credit() -> None:
    matrix = {
        "a": (1.0, 0.5, 1.0, 0.75),
        "b": (0.5, 0.5, 0.0, 0.25),
        "c": (1.0, 1.0, 1.0, 1.0),
        "d": (0.0, 0.5, 0.0, 0.25),
        "e": (1.0, 0.0, 1.0, 0.5),
    }
    items = list(zip(*matrix.values(), strict=True))
    totals = [sum(row) for row in matrix.values()]
    k = len(items)
    alpha = (
        k / (k - 1) * (1 - sum(statistics.variance(i) for i in items) / statistics.variance(totals))
    )
    result = item_statistics(responses(matrix))
    assert result.cic == pytest.approx(100 * alpha)
    assert result.reliability == "satisfactory"


def test_cic_runs_over_slots_when_attempts_draw_different_questions() -> None:
    # Slot 1 draws q1 or q2 from a pool; slot 2 is always q3. Moodle's P is the 2 positions.
    rows = [("a", "q1", 1, 1), ("b", "q2", 0, 0), ("c", "q1", 1, 1), ("d", "q2", 0, 1)]
    result = item_statistics(
        ItemResponse(attempt, key, score, slot=slot)
        for attempt, key, first, second in rows
        for key, score, slot in ((key, float(first), 1), ("q3", float(second), 2))
    )
    assert result.positions == 2
    slot1, slot2, totals = [1, 0, 1, 0], [1, 0, 1, 1], [2, 0, 2, 1]
    var = statistics.variance
    expected = 2 * (1 - (var(slot1) + var(slot2)) / var(totals))
    assert result.cic == pytest.approx(100 * expected)
    assert list(result.questions) == ["q1", "q3", "q2"]


def moodle_reference(
    rows: list[ItemResponse],
) -> dict[str, tuple[float, float | None, float | None]]:
    """Transcribe Moodle's two-pass calculator directly: sorted arrays, averages, then sums."""
    summarks: dict[object, float] = {}
    for r in rows:
        summarks[r.attempt_id] = summarks.get(r.attempt_id, 0.0) + r.score * r.max_score
    result = {}
    for key in dict.fromkeys(r.question_key for r in rows):
        mine = [r for r in rows if r.question_key == key]
        marks = [r.score * r.max_score for r in mine]
        others = [summarks[r.attempt_id] - m for r, m in zip(mine, marks, strict=True)]
        s = len(marks)
        mark_avg, other_avg = sum(marks) / s, sum(others) / s
        var = sum((m - mark_avg) ** 2 for m in marks) / (s - 1)
        other_var = sum((o - other_avg) ** 2 for o in others) / (s - 1)
        cov = sum((m - mark_avg) * (o - other_avg) for m, o in zip(marks, others, strict=True)) / (
            s - 1
        )
        cov_max = sum(
            (m - mark_avg) * (o - other_avg)
            for m, o in zip(sorted(marks), sorted(others), strict=True)
        ) / (s - 1)
        di = 100 * cov / math.sqrt(var * other_var) if var * other_var else None
        de = 100 * cov / cov_max if cov_max else None
        result[key] = (100 * mark_avg / mine[0].max_score, di, de)
    return result


def test_one_pass_matches_a_transcription_of_moodles_calculator() -> None:
    rng = random.Random(7)
    rows = []
    for attempt in range(60):
        ability = rng.random()
        for q in range(8):
            if rng.random() < 0.2:
                continue  # not every attempt had every question
            score = rng.choice([0.0, 0.5, 1.0]) if q % 3 else float(rng.random() < ability)
            rows.append(ItemResponse(attempt, f"q{q}", score, max_score=1.0 + q % 2))
    ours = item_statistics(rows).questions
    for key, (facility, di, de) in moodle_reference(rows).items():
        assert ours[key].facility == pytest.approx(facility)
        assert ours[key].discrimination_index == pytest.approx(di)
        assert ours[key].discriminative_efficiency == pytest.approx(de)


# --- choices, guesses, thresholds and guards -----------------------------------------------


def test_choice_counts_and_shares_per_option() -> None:
    picks = [(0,), (0,), (2,), (1,), None, (0,)]  # None: answered without picking
    result = item_statistics(
        ItemResponse(f"a{i}", "q", 1.0 if pick == (0,) else 0.0, choice_indexes=pick)
        for i, pick in enumerate(picks)
    )
    q = result.questions["q"]
    assert q.choice_counts == {0: 3, 1: 1, 2: 1}
    assert q.choice_responses == 5
    assert q.choice_shares == {0: pytest.approx(0.6), 1: pytest.approx(0.2), 2: pytest.approx(0.2)}


def test_multiple_response_picks_count_each_option_once() -> None:
    result = item_statistics(
        [
            ItemResponse("a", "q", 1.0, choice_indexes=(0, 2)),
            ItemResponse("b", "q", 0.5, choice_indexes=(0, 0, 1)),
        ]
    )
    q = result.questions["q"]
    assert q.choice_counts == {0: 2, 1: 1, 2: 1}
    assert q.choice_shares[0] == 1.0


def test_random_guess_score_is_the_mean_credit_of_one_random_pick() -> None:
    assert random_guess_score([1, 0, 0, 0]) == 0.25
    assert random_guess_score([1.0, 0.0]) == 0.5  # true/false
    assert random_guess_score([1.0, 0.5, -0.5, 0.0]) == pytest.approx(1.5 / 4)
    with pytest.raises(ValueError):
        random_guess_score([])


def test_a_high_random_guess_score_is_flagged() -> None:
    result = item_statistics(responses(MATRIX), random_guess={"q1": 0.5, "q2": 0.25})
    assert result.questions["q1"].random_guess_score == pytest.approx(50.0)
    assert Flag.HIGH_RANDOM_GUESS in result.questions["q1"].flags  # 50% > 40%
    assert Flag.HIGH_RANDOM_GUESS not in result.questions["q2"].flags
    assert result.questions["q3"].random_guess_score is None


def test_too_easy_and_too_hard_use_the_facility_bands() -> None:
    # 20 attempts: q1 right in all (facility 100), q2 in none (0), q3 splits them.
    matrix = {f"a{i}": (1, 0, i % 2) for i in range(20)}
    result = item_statistics(responses(matrix))
    assert Flag.TOO_EASY in result.questions["q1"].flags
    assert Flag.TOO_HARD in result.questions["q2"].flags
    assert result.questions["q1"].discrimination_index is None  # no spread: not computable
    strict = FlagThresholds(too_hard=20.0, too_easy=40.0)
    q3 = item_statistics(responses(matrix), thresholds=strict).questions["q3"]
    assert Flag.TOO_EASY in q3.flags  # 50 ≥ 40


def test_too_few_responses_only_flag_insufficient_data() -> None:
    result = item_statistics(responses(dict(list(MATRIX.items())[:4])))
    q3 = result.questions["q3"]
    assert q3.flags == (Flag.INSUFFICIENT_DATA,)
    assert not q3.flagged
    assert q3.discrimination_index is not None  # the statistic is still reported


def test_one_attempt_gives_facility_but_no_spread_statistics() -> None:
    result = item_statistics(responses({"a": (1, 0, 1)}))
    q = result.questions["q1"]
    assert (q.n, q.facility) == (1, 100.0)
    assert (q.sd, q.discrimination_index, q.discriminative_efficiency) == (None, None, None)
    assert (result.attempts, result.mean, result.median) == (1, 2.0, 2.0)
    assert (result.sd, result.skewness, result.cic, result.standard_error) == (None,) * 4


def test_constant_totals_give_no_correlation_and_no_alpha() -> None:
    result = item_statistics(responses({"a": (1, 1), "b": (1, 1), "c": (1, 1), "d": (1, 1)}))
    assert result.sd == 0.0
    assert result.cic is None and result.skewness is None and result.kurtosis is None
    assert all(q.discrimination_index is None for q in result.questions.values())
    assert all(q.discriminative_efficiency is None for q in result.questions.values())


def test_no_responses_give_an_empty_report() -> None:
    result = item_statistics(iter([]))
    assert (result.attempts, result.mean, result.median, result.cic) == (0, None, None, None)
    assert result.questions == {}


def test_responses_must_be_grouped_by_attempt() -> None:
    rows = [
        ItemResponse("a", "q1", 1.0),
        ItemResponse("b", "q1", 0.0),
        ItemResponse("a", "q2", 1.0),
    ]
    with pytest.raises(ValueError, match="grouped by attempt"):
        item_statistics(rows)


def test_an_attempt_cannot_answer_a_question_twice() -> None:
    with pytest.raises(ValueError, match="twice"):
        item_statistics([ItemResponse("a", "q1", 1.0), ItemResponse("a", "q1", 0.0)])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"score": 1.5}, "score"),
        ({"score": -0.1}, "score"),
        ({"score": math.nan}, "score"),
        ({"score": 1.0, "max_score": 0.0}, "max_score"),
        ({"score": 1.0, "choice_indexes": (-1,)}, "choice_indexes"),
        ({"score": 1.0, "choice_indexes": (True,)}, "choice_indexes"),
    ],
)
def test_item_responses_are_checked(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ItemResponse("a", "q", **kwargs)  # type: ignore[arg-type]


def test_two_hundred_thousand_responses_stream_through_in_one_pass() -> None:
    consumed = 0

    def synthetic() -> Iterator[ItemResponse]:
        nonlocal consumed
        rng = random.Random(42)
        for attempt in range(20_000):
            ability = rng.random()
            for q in range(10):
                consumed += 1
                correct = rng.random() < (ability + q / 10) / 2
                yield ItemResponse(
                    attempt,
                    f"gen-sites-q{q}",
                    float(correct),
                    choice_indexes=(0 if correct else 1 + q % 3,),
                )

    # A generator can be read only once: a second pass would see nothing and the counts
    # below would come out wrong.
    result = item_statistics(synthetic())
    assert consumed == 200_000
    assert result.attempts == 20_000
    assert all(q.n == 20_000 for q in result.questions.values())
    assert all(
        q.discrimination_index is not None and q.discrimination_index > 0
        for q in result.questions.values()
    )
    assert sum(result.questions["gen-sites-q0"].choice_counts.values()) == 20_000


def test_results_convert_to_json(stats: QuizStatistics) -> None:
    data = json.loads(json.dumps(stats.to_dict()))
    assert data["cic"] == pytest.approx(12.5)
    assert data["questions"][2]["flags"] == ["negative discrimination", "dubious"]


# --- groups and generator families ---------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "family"),
    [
        ("gen-sites-lung-bone-1a2b3c", "sites"),
        ("gen-truefalse-abc", "truefalse"),
        ("gen-naming", "naming"),
        ("gen-", None),
        ("lung-bone-01", None),
        ("general-question", None),
    ],
)
def test_generator_family_is_read_from_the_key(key: str, family: str | None) -> None:
    assert generator_family(key) == family


def test_family_summary_averages_and_counts_flags_per_family() -> None:
    keys = {"q1": "gen-sites-a", "q2": "gen-sites-b", "q3": "gen-naming-c"}
    rows = [
        ItemResponse(attempt, keys[f"q{i + 1}"], float(score))
        for attempt, row in MATRIX.items()
        for i, score in enumerate(row)
    ]
    rows.append(ItemResponse("a7", "by-hand", 1.0))  # its own attempt: q1–q3 are unchanged
    families = family_summary(item_statistics(rows))
    assert list(families) == ["naming", "sites"]  # the hand-written question is left out
    sites = families["sites"]
    assert (sites.questions, sites.responses, sites.flagged) == (2, 12, 1)
    assert sites.mean_facility == pytest.approx((400 / 6 + 500 / 6) / 2)
    assert sites.flag_counts == {Flag.POOR_DISCRIMINATION: 1, Flag.DUBIOUS: 1}
    naming = families["naming"]
    assert naming.mean_discrimination is not None and naming.mean_discrimination < 0
    assert naming.flag_counts[Flag.NEGATIVE_DISCRIMINATION] == 1
    assert json.loads(json.dumps(naming.to_dict()))["flag_counts"]["dubious"] == 1


def test_family_summary_can_take_families_from_a_mapping(stats: QuizStatistics) -> None:
    families = family_summary(stats, {"q1": "terms", "q3": "terms"})
    assert list(families) == ["terms"]
    assert families["terms"].questions == 2


def test_group_by_takes_question_statistics_from_several_quizzes(stats: QuizStatistics) -> None:
    questions: list[QuestionStatistics] = list(stats.questions.values()) * 2
    groups = group_by(questions, lambda key: "all")
    assert groups["all"].questions == 6
    assert groups["all"].mean_efficiency == pytest.approx((100 + 100 / 7 - 100 / 3) / 3)


# --- mastery -------------------------------------------------------------------------------


def test_one_fresh_right_answer_is_not_full_mastery() -> None:
    result = mastery([Answer("bone", True, NOW)], NOW)
    # (1·1 + 1·0.5) / (1 + 1): the prior is one fresh answer's worth of "half right".
    assert result["bone"].score == pytest.approx(0.75)
    assert (result["bone"].evidence, result["bone"].correct) == (1, 1)
    assert mastery([Answer("bone", False, NOW)], NOW)["bone"].score == pytest.approx(0.25)


def test_an_old_wrong_answer_matters_less_than_a_recent_right_one() -> None:
    answers = [Answer("liver", False, NOW - 28 * DAY), Answer("liver", True, NOW - DAY)]
    m = mastery(answers, NOW)["liver"]
    old, recent = 0.5 ** (28 / 14), 0.5 ** (1 / 14)  # two half-lives: a quarter
    assert m.weight_sum == pytest.approx(old + recent)
    assert m.score == pytest.approx((recent + 0.5) / (old + recent + 1))
    assert m.score > 0.5
    assert (m.evidence, m.correct, m.last_answered_at) == (2, 1, NOW - DAY)
    # The same answers the other way round put the topic below a half.
    flipped = [Answer("liver", True, NOW - 28 * DAY), Answer("liver", False, NOW - DAY)]
    assert mastery(flipped, NOW)["liver"].score < 0.5


def test_mastery_is_per_topic_and_counts_its_evidence() -> None:
    answers = [Answer("bone", True, NOW)] * 3 + [Answer("lung", False, NOW)]
    result = mastery(answers, NOW)
    assert result["bone"].evidence == 3 and result["lung"].evidence == 1
    assert result["bone"].score == pytest.approx(3.5 / 4)


def test_half_life_and_prior_weight_are_adjustable() -> None:
    answers = [Answer("brain", True, NOW - 7 * DAY)]
    assert mastery(answers, NOW, half_life_days=7)["brain"].weight_sum == pytest.approx(0.5)
    assert mastery(answers, NOW, prior_weight=0)["brain"].score == 1.0


def test_answers_after_now_count_as_fresh() -> None:
    assert mastery([Answer("bone", True, NOW + DAY)], NOW)["bone"].weight_sum == 1.0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"half_life_days": 0}, ValueError),
        ({"prior_weight": -1}, ValueError),
        ({"now": datetime(2025, 3, 3)}, ValueError),
    ],
)
def test_mastery_rejects_bad_settings(kwargs: dict[str, object], error: type[Exception]) -> None:
    arguments: dict[str, object] = {"now": NOW} | kwargs
    with pytest.raises(error):
        mastery([Answer("bone", True, NOW)], **arguments)  # type: ignore[arg-type]


def test_mastery_rejects_naive_answer_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        mastery([Answer("bone", True, datetime(2025, 3, 1))], NOW)


def test_concept_grid_is_mastery_per_primary_and_site() -> None:
    grid = concept_grid(
        [
            ConceptAnswer("breast", "bone", True, NOW),
            ConceptAnswer("breast", "bone", True, NOW - 14 * DAY),
            ("lung", "brain", False, NOW),
        ],
        NOW,
    )
    assert set(grid) == {("breast", "bone"), ("lung", "brain")}
    assert grid[("breast", "bone")].score == pytest.approx((1 + 0.5 + 0.5) / (1.5 + 1))
    assert grid[("breast", "bone")].evidence == 2
    assert grid[("lung", "brain")].score == pytest.approx(0.25)
    assert json.loads(json.dumps(grid[("lung", "brain")].to_dict()))["evidence"] == 1


# --- streaks and calendars -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ([], 0),
        ([0], 1),
        ([0, 1, 2], 3),
        ([1, 2, 3], 3),  # today not yet active: the streak still stands
        ([2, 3, 4], 0),  # yesterday missed: broken
        ([0, 1, 3, 4], 2),  # a gap ends it
        ([0, 0, 1, 1], 2),  # repeats count once
        ([-1, 0], 1),  # days after today are ignored
    ],
)
def test_streak(offsets: list[int], expected: int) -> None:
    assert streak((TODAY - timedelta(days=o) for o in offsets), TODAY) == expected


def test_local_days_uses_the_students_zone() -> None:
    late = datetime(2025, 3, 2, 23, 30, tzinfo=UTC)
    assert local_days([late]) == {date(2025, 3, 2)}
    assert local_days([late], timezone(timedelta(hours=2))) == {date(2025, 3, 3)}


def test_activity_calendar_counts_each_day_of_the_window() -> None:
    stamps = [NOW, NOW - timedelta(hours=1), NOW - DAY, NOW - 83 * DAY, NOW - 84 * DAY, NOW + DAY]
    calendar = activity_calendar(stamps, TODAY)
    assert len(calendar) == 12 * 7
    assert calendar[0] == (TODAY - 83 * DAY, 1)  # the oldest day shown
    assert calendar[-1] == (TODAY, 2)
    assert calendar[-2] == (TODAY - DAY, 1)
    assert sum(count for _, count in calendar) == 4  # 84 days ago and tomorrow are outside


def test_activity_calendar_buckets_by_the_given_zone() -> None:
    stamp = datetime(2025, 3, 2, 23, 30, tzinfo=UTC)
    west = activity_calendar([stamp], TODAY, weeks=1)
    east = activity_calendar([stamp], TODAY, weeks=1, tz=timezone(timedelta(hours=2)))
    assert west[-2:] == [(TODAY - DAY, 1), (TODAY, 0)]
    assert east[-2:] == [(TODAY - DAY, 0), (TODAY, 1)]


@pytest.mark.parametrize("weeks", [0, -1, True, 1.5])
def test_activity_calendar_needs_whole_weeks(weeks: object) -> None:
    with pytest.raises(ValueError):
        activity_calendar([], TODAY, weeks=weeks)  # type: ignore[arg-type]


# --- score summaries -----------------------------------------------------------------------


def test_score_distribution_bins_hold_their_lower_edge_and_100_goes_last() -> None:
    scores = [0, 9.99, 10, 55, 70, 89.9, 90, 99.5, 100, 100]
    assert score_distribution(scores) == [2, 1, 0, 0, 0, 1, 0, 1, 1, 4]
    assert score_distribution([0, 49.9, 50, 100], bins=2) == [2, 2]
    assert score_distribution([]) == [0] * 10


@pytest.mark.parametrize("score", [-0.1, 100.1, math.nan, math.inf])
def test_score_distribution_rejects_scores_outside_0_to_100(score: float) -> None:
    with pytest.raises(ValueError):
        score_distribution([score])


def test_mean_median() -> None:
    assert mean_median([10, 20, 60]) == (30.0, 20)
    assert mean_median(iter([10.0, 20.0])) == (15.0, 15.0)
    assert mean_median([]) == (None, None)


_MS = timedelta(milliseconds=1)  # stored as float days: exact to well under a millisecond


def test_recency_tally_by_hand() -> None:
    from quiz.domain.analytics import RecencyTally

    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    tally = RecencyTally()
    assert tally.mastery(now) is None
    tally.add(False, now - timedelta(days=14))  # one half life old: weighs 1/2
    tally.add(True, now)
    result = tally.mastery(now)
    assert result is not None
    assert (result.evidence, result.correct) == (2, 1)
    assert result.weight_sum == pytest.approx(1.5)
    # (1 right × 1 + prior 1 × 0.5) ÷ (1.5 + 1)
    assert result.score == pytest.approx(1.5 / 2.5)
    # Two weeks later both weights halve: (0.5 + 0.5) ÷ (0.75 + 1).
    later = tally.mastery(now + timedelta(days=14))
    assert later is not None and later.score == pytest.approx(1.0 / 1.75)
    assert tally.last_correct is True
    assert tally.last_answered_at == pytest.approx(now, abs=_MS)


def test_recency_tally_matches_mastery_whatever_the_order() -> None:
    from quiz.domain.analytics import Answer, RecencyTally, mastery

    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    answers = [
        Answer("naming", correct, now - timedelta(hours=hours))
        for correct, hours in [(True, 5), (False, 400), (True, 30), (False, 2), (True, 900)]
    ]
    expected = mastery(answers, now)["naming"]
    for order in (answers, answers[::-1], sorted(answers, key=lambda a: a.correct)):
        tally = RecencyTally()
        for answer in order:
            tally.add(answer.correct, answer.answered_at)
        got = tally.mastery(now)
        assert got is not None
        assert got.score == pytest.approx(expected.score, rel=1e-12)
        assert got.weight_sum == pytest.approx(expected.weight_sum, rel=1e-12)
        assert (got.evidence, got.correct) == (expected.evidence, expected.correct)
        assert got.last_answered_at == pytest.approx(expected.last_answered_at, abs=_MS)
        assert tally.last_correct is False  # the latest answer (2 hours ago) was wrong


def test_recency_tally_round_trips_through_its_stored_fields() -> None:
    from quiz.domain.analytics import RecencyTally

    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    tally = RecencyTally()
    tally.add(True, now - timedelta(days=3))
    stored = RecencyTally(
        tally.answers,
        tally.correct,
        tally.weight,
        tally.weighted_correct,
        tally.last_answered_day,
        tally.last_correct,
    )
    stored.add(False, now)
    tally.add(False, now)
    assert stored.mastery(now) == tally.mastery(now)
    with pytest.raises(ValueError):
        RecencyTally(answers=2, correct=3)
    with pytest.raises(ValueError):
        RecencyTally(answers=1, correct=1)  # answers but no dates


def test_combined_and_mean_mastery() -> None:
    from quiz.domain.analytics import RecencyTally, combined_mastery, mean_mastery

    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    right, wrong, empty = RecencyTally(), RecencyTally(), RecencyTally()
    right.add(True, now)
    wrong.add(False, now)
    both = combined_mastery([right, wrong, empty], now)
    assert both is not None and both.evidence == 2 and both.score == pytest.approx(0.5)
    assert combined_mastery([empty], now) is None
    one, other = right.mastery(now), wrong.mastery(now)
    assert mean_mastery([one, None, other]) == (pytest.approx(0.5), 2)
    assert mean_mastery([None]) == (None, 0)


def test_mastery_levels_band_scores() -> None:
    from quiz.domain.analytics import mastery_level

    assert [mastery_level(s) for s in (None, 0.0, 0.49, 0.5, 0.79, 0.8, 1.0)] == [
        "none",
        "low",
        "low",
        "mid",
        "mid",
        "high",
        "high",
    ]
