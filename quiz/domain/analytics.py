"""Analyse answers: Moodle-style item analysis, mastery per topic, streaks and calendars.

Item analysis follows Moodle's quiz statistics report as its source computes it
(`question/classes/statistics/questions/calculator.php` and
`mod/quiz/report/statistics/classes/calculator.php`), not as third-party pages describe it:

- facility index: mean mark ÷ maximum mark, as a percentage;
- discrimination index: 100 × the Pearson correlation of the item's mark with the rest of
  the attempt (the attempt's total minus this item), over the attempts that had the item;
- discriminative efficiency: 100 × that covariance ÷ the covariance the two samples would
  have if both were sorted (the most any pairing of those marks could reach);
- coefficient of internal consistency (Cronbach's α): 100·P/(P−1)·(1 − Σ item variances ÷
  total variance), with the error ratio and standard error Moodle derives from it.

Variances and covariances use n − 1 denominators, as Moodle's do. Moodle reports first
attempts only by default; choosing the attempts is the caller's job.

Everything is one pass over plain records. Item analysis holds one attempt's responses at a
time, two totals per attempt (the median sorts them) and, per question, running sums and a
count of each distinct mark and rest-of-attempt total (which stand in for the sorted arrays
Moodle keeps). Functions take the clock (`now`, `today`) and never read it; datetimes must
be timezone-aware.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Generic, NamedTuple, TypeVar

K = TypeVar("K", bound=Hashable)

# Moodle's question bank "Needs checking?" column (qbank_statistics helper): a discrimination
# index below 30 is "very likely", below 50 "likely", otherwise "unlikely".
NEEDS_CHECKING_LIKELY = 50.0
NEEDS_CHECKING_VERY_LIKELY = 30.0

# Moodle's docs on the test as a whole: above 75% is satisfactory, below 64% unsatisfactory.
CIC_SATISFACTORY = 75.0
CIC_UNSATISFACTORY = 64.0

DEFAULT_HALF_LIFE_DAYS = 14.0
# Half a right answer and half a wrong one before any evidence: Jeffreys' Beta(½, ½) prior.
DEFAULT_PRIOR_WEIGHT = 1.0
PRIOR_MASTERY = 0.5

GENERATED_PREFIX = "gen-"


class Flag(StrEnum):
    """Why a question may need checking; the thresholds are in `FlagThresholds`."""

    INSUFFICIENT_DATA = "insufficient data"
    TOO_HARD = "too hard"
    TOO_EASY = "too easy"
    NEGATIVE_DISCRIMINATION = "negative discrimination"
    POOR_DISCRIMINATION = "poor discrimination"
    DUBIOUS = "dubious"
    HIGH_RANDOM_GUESS = "high random guess score"


class NeedsChecking(StrEnum):
    """Moodle's "Needs checking?" verdict, read off the discrimination index."""

    VERY_LIKELY = "very likely"
    LIKELY = "likely"
    UNLIKELY = "unlikely"


@dataclass(frozen=True)
class FlagThresholds:
    """When to flag a question; every number is a percentage, as Moodle shows them.

    Defaults, with their sources:

    - `too_hard` 5: facility at or below it. Moodle/OU guide: "5 or less: extremely
      difficult or something wrong with the question".
    - `too_easy` 95: facility at or above it. Moodle/OU guide: "95–100: extremely easy".
    - `poor_discrimination` 30: a discrimination index from 0 up to (not including) it is
      poor; Moodle's question bank says such a question "very likely" needs checking. Below 0
      it is `NEGATIVE_DISCRIMINATION` instead.
    - `dubious_efficiency` 15: discriminative efficiency below it. Moodle's statistics table
      marks such a question dubious (`is_dubious_question`).
    - `high_random_guess` 40: random-guess score above it. Moodle docs: "values above 40% are
      unsatisfactory".
    - `min_responses` 5: with fewer responses a question gets only `INSUFFICIENT_DATA`. This
      is ours, not Moodle's: statistics from a handful of answers flag good questions at random.
    """

    too_hard: float = 5.0
    too_easy: float = 95.0
    poor_discrimination: float = 30.0
    dubious_efficiency: float = 15.0
    high_random_guess: float = 40.0
    min_responses: int = 5


DEFAULT_THRESHOLDS = FlagThresholds()


def _finite(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    return float(value)


def _aware(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got a naive datetime)")
    return moment


# --- item analysis -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemResponse:
    """One attempt's final mark on one question.

    Send every question the attempt contained, with score 0 for those left unanswered, as
    Moodle does; a missing record means the question was not in that attempt.

    Attributes:
        attempt_id: the attempt (one student's sitting of the quiz).
        question_key: the question's stable id; generated ones look like "gen-<family>-...".
        score: the fraction of the marks earned, 0 to 1.
        max_score: the marks the question is worth in this quiz (its weight).
        choice_indexes: the options picked, as positions in the question's own choice list;
            None for questions without choices or not answered.
        slot: the question's position in the quiz, when attempts draw different questions
            into the same position; the internal consistency is then computed over
            positions, as Moodle does. None uses the question itself as the position.
    """

    attempt_id: int | str
    question_key: str
    score: float
    max_score: float = 1.0
    choice_indexes: tuple[int, ...] | None = None
    slot: int | None = None

    def __post_init__(self) -> None:
        # Kept to bare comparisons: a million of these are built per report. NaN fails every
        # comparison, so it is refused too.
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score must be from 0 to 1, not {self.score!r}")
        if not 0.0 < self.max_score < math.inf:
            raise ValueError(f"max_score must be a finite number above 0, not {self.max_score!r}")
        choices = self.choice_indexes
        # type() rather than isinstance(): True is an int but not an option index.
        if choices is not None and not all(type(i) is int and i >= 0 for i in choices):
            raise ValueError("choice_indexes must be whole numbers, 0 or more")


@dataclass(frozen=True)
class QuestionStatistics:
    """Moodle's item statistics for one question.

    Percentages are 0–100. A statistic that needs a spread is None when there are fewer than
    two responses or the marks (or the rest of the attempts) do not vary.

    Attributes:
        question_key: the question.
        n: how many attempts had the question.
        facility: mean mark ÷ maximum mark × 100.
        sd: standard deviation of the mark as a percentage of the maximum (n − 1).
        discrimination_index: 100 × correlation of the mark with the rest of the attempt.
        discriminative_efficiency: 100 × covariance with the rest ÷ its sorted maximum.
        random_guess_score: the mean mark (in %) of a random guess, when known.
        choice_counts: how many responses picked each option, by option index.
        choice_responses: how many responses recorded picked options at all.
        needs_checking: Moodle's question-bank verdict from the discrimination index.
        flags: the reasons to check the question, in `Flag` order.
    """

    question_key: str
    n: int
    facility: float | None
    sd: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None
    random_guess_score: float | None
    choice_counts: dict[int, int]
    choice_responses: int
    needs_checking: NeedsChecking | None
    flags: tuple[Flag, ...]

    @property
    def choice_shares(self) -> dict[int, float]:
        """Return the share (0–1) of responses picking each option; they may sum above 1."""
        if not self.choice_responses:
            return {}
        return {index: count / self.choice_responses for index, count in self.choice_counts.items()}

    @property
    def flagged(self) -> bool:
        """Return whether any flag other than `INSUFFICIENT_DATA` is raised."""
        return any(flag is not Flag.INSUFFICIENT_DATA for flag in self.flags)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (choice indexes become string keys, as JSON needs)."""
        return {
            "question_key": self.question_key,
            "n": self.n,
            "facility": self.facility,
            "sd": self.sd,
            "discrimination_index": self.discrimination_index,
            "discriminative_efficiency": self.discriminative_efficiency,
            "random_guess_score": self.random_guess_score,
            "choice_counts": {str(i): c for i, c in self.choice_counts.items()},
            "choice_responses": self.choice_responses,
            "needs_checking": None if self.needs_checking is None else self.needs_checking.value,
            "flags": [flag.value for flag in self.flags],
        }


@dataclass(frozen=True)
class QuizStatistics:
    """Moodle's test statistics plus the statistics of every question.

    Totals are in marks (the sum of score × max_score over an attempt's questions); the
    `*_percent` figures use each attempt's total as a percentage of its own maximum. Moments
    follow Moodle: sd with n − 1; skewness and kurtosis from k-statistics (skewness needs 3
    attempts, kurtosis 4); CIC needs 3 attempts, 2 positions and totals that vary.

    Attributes:
        attempts: how many attempts were analysed.
        mean, median, sd, skewness, kurtosis: of the attempts' total marks.
        mean_percent, median_percent, sd_percent: of the attempts' percentage scores.
        cic: coefficient of internal consistency (Cronbach's α × 100).
        error_ratio: 100 × sqrt(1 − CIC/100).
        standard_error: error_ratio × sd ÷ 100, in marks.
        positions: how many positions (slots, else questions) the CIC ran over.
        questions: each question's statistics, in order of first appearance.
    """

    attempts: int
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    mean_percent: float | None
    median_percent: float | None
    sd_percent: float | None
    cic: float | None
    error_ratio: float | None
    standard_error: float | None
    positions: int
    questions: dict[str, QuestionStatistics] = field(default_factory=dict)

    @property
    def reliability(self) -> str | None:
        """Return how Moodle's docs read the CIC: "satisfactory", "doubtful" or "unsatisfactory".

        Above 75 is satisfactory and below 64 unsatisfactory; the docs leave the band between
        unnamed, and we call it "doubtful".
        """
        if self.cic is None:
            return None
        if self.cic > CIC_SATISFACTORY:
            return "satisfactory"
        return "unsatisfactory" if self.cic < CIC_UNSATISFACTORY else "doubtful"

    @property
    def flagged(self) -> list[QuestionStatistics]:
        """Return the questions with a flag other than `INSUFFICIENT_DATA`."""
        return [stat for stat in self.questions.values() if stat.flagged]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict with the questions as a list."""
        return {
            "attempts": self.attempts,
            "mean": self.mean,
            "median": self.median,
            "sd": self.sd,
            "skewness": self.skewness,
            "kurtosis": self.kurtosis,
            "mean_percent": self.mean_percent,
            "median_percent": self.median_percent,
            "sd_percent": self.sd_percent,
            "cic": self.cic,
            "error_ratio": self.error_ratio,
            "standard_error": self.standard_error,
            "positions": self.positions,
            "questions": [stat.to_dict() for stat in self.questions.values()],
        }


class _Item:
    """Running sums for one question: Welford moments and co-moment, histograms, choices."""

    __slots__ = (
        "choice_counts",
        "choice_responses",
        "comoment",
        "mark_counts",
        "mark_m2",
        "mark_mean",
        "n",
        "rest_counts",
        "rest_m2",
        "rest_mean",
        "score_m2",
        "score_mean",
    )

    def __init__(self) -> None:
        self.n = 0
        self.score_mean = 0.0
        self.score_m2 = 0.0
        self.mark_mean = 0.0
        self.mark_m2 = 0.0
        self.rest_mean = 0.0
        self.rest_m2 = 0.0
        self.comoment = 0.0
        # Value histograms stand in for Moodle's sorted mark arrays: marks take few distinct
        # values, so sorting the histogram is far cheaper than sorting every response.
        self.mark_counts: dict[float, int] = {}
        self.rest_counts: dict[float, int] = {}
        self.choice_counts: dict[int, int] = {}
        self.choice_responses = 0

    def add(self, score: float, mark: float, rest: float, choices: tuple[int, ...] | None) -> None:
        # Welford's updates: sums of squared deviations without the cancellation that
        # Σx² − (Σx)²/n suffers over a million responses.
        self.n += 1
        n = self.n
        delta = score - self.score_mean
        self.score_mean += delta / n
        self.score_m2 += delta * (score - self.score_mean)
        d_mark = mark - self.mark_mean
        self.mark_mean += d_mark / n
        d_rest = rest - self.rest_mean
        self.rest_mean += d_rest / n
        self.mark_m2 += d_mark * (mark - self.mark_mean)
        self.rest_m2 += d_rest * (rest - self.rest_mean)
        self.comoment += d_mark * (rest - self.rest_mean)
        self.mark_counts[mark] = self.mark_counts.get(mark, 0) + 1
        self.rest_counts[rest] = self.rest_counts.get(rest, 0) + 1
        if choices is not None:
            self.choice_responses += 1
            # A multiple-response answer picks each option once, however it was recorded.
            for index in set(choices):
                self.choice_counts[index] = self.choice_counts.get(index, 0) + 1


class _Moments:
    """Running mean and sum of squared deviations of one position's marks."""

    __slots__ = ("m2", "mean", "n")

    def __init__(self) -> None:
        self.n = 0
        self.mean = 0.0
        self.m2 = 0.0

    def add(self, value: float) -> None:
        self.n += 1
        delta = value - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (value - self.mean)

    def variance(self) -> float | None:
        return self.m2 / (self.n - 1) if self.n > 1 else None


def _sorted_comoment(
    xs: Mapping[float, int], ys: Mapping[float, int], mean_x: float, mean_y: float
) -> float:
    """Return Σ(x − x̄)(y − ȳ) with both samples sorted, from their value histograms."""
    x_items = sorted(xs.items())
    y_items = sorted(ys.items())
    total = 0.0
    i = j = 0
    x_value, x_left = x_items[0]
    y_value, y_left = y_items[0]
    # Both histograms count the same n responses, so they run out together.
    while True:
        take = min(x_left, y_left)
        total += take * (x_value - mean_x) * (y_value - mean_y)
        x_left -= take
        y_left -= take
        if x_left == 0:
            i += 1
            if i == len(x_items):
                return total
            x_value, x_left = x_items[i]
        if y_left == 0:
            j += 1
            if j == len(y_items):
                return total
            y_value, y_left = y_items[j]


def _needs_checking(discrimination: float | None) -> NeedsChecking | None:
    if discrimination is None:
        return None
    if discrimination < NEEDS_CHECKING_VERY_LIKELY:
        return NeedsChecking.VERY_LIKELY
    if discrimination < NEEDS_CHECKING_LIKELY:
        return NeedsChecking.LIKELY
    return NeedsChecking.UNLIKELY


def _flags(
    n: int,
    facility: float | None,
    discrimination: float | None,
    efficiency: float | None,
    guess: float | None,
    limits: FlagThresholds,
) -> tuple[Flag, ...]:
    if n < limits.min_responses:
        return (Flag.INSUFFICIENT_DATA,)
    raised: set[Flag] = set()
    if facility is not None and facility <= limits.too_hard:
        raised.add(Flag.TOO_HARD)
    if facility is not None and facility >= limits.too_easy:
        raised.add(Flag.TOO_EASY)
    if discrimination is not None and discrimination < 0:
        raised.add(Flag.NEGATIVE_DISCRIMINATION)
    elif discrimination is not None and discrimination < limits.poor_discrimination:
        raised.add(Flag.POOR_DISCRIMINATION)
    if efficiency is not None and efficiency < limits.dubious_efficiency:
        raised.add(Flag.DUBIOUS)
    if guess is not None and guess > limits.high_random_guess:
        raised.add(Flag.HIGH_RANDOM_GUESS)
    return tuple(flag for flag in Flag if flag in raised)


def _question_statistics(
    key: str, item: _Item, guess: float | None, limits: FlagThresholds
) -> QuestionStatistics:
    n = item.n
    sd = discrimination = efficiency = None
    if n > 1:
        sd = 100.0 * math.sqrt(item.score_m2 / (n - 1))
        # The n − 1 denominators cancel in both ratios, so the raw sums serve.
        spread = item.mark_m2 * item.rest_m2
        if spread > 0:
            discrimination = 100.0 * item.comoment / math.sqrt(spread)
        sorted_comoment = _sorted_comoment(
            item.mark_counts, item.rest_counts, item.mark_mean, item.rest_mean
        )
        if sorted_comoment > 0:
            efficiency = 100.0 * item.comoment / sorted_comoment
    facility = 100.0 * item.score_mean if n else None
    guess_percent = None if guess is None else 100.0 * guess
    return QuestionStatistics(
        question_key=key,
        n=n,
        facility=facility,
        sd=sd,
        discrimination_index=discrimination,
        discriminative_efficiency=efficiency,
        random_guess_score=guess_percent,
        choice_counts=dict(sorted(item.choice_counts.items())),
        choice_responses=item.choice_responses,
        needs_checking=_needs_checking(discrimination),
        flags=_flags(n, facility, discrimination, efficiency, guess_percent, limits),
    )


def _test_statistics(
    totals: Sequence[float],
    percents: Sequence[float],
    positions: Mapping[Hashable, _Moments],
    questions: dict[str, QuestionStatistics],
) -> QuizStatistics:
    s = len(totals)
    mean = median = sd = skewness = kurtosis = None
    mean_pc = median_pc = sd_pc = cic = error_ratio = standard_error = None
    p = len(positions)
    if s:
        mean = math.fsum(totals) / s
        median = statistics.median(totals)
        mean_pc = math.fsum(percents) / s
        median_pc = statistics.median(percents)
    if s > 1 and mean is not None and mean_pc is not None:
        power2 = math.fsum((t - mean) ** 2 for t in totals)
        sd = math.sqrt(power2 / (s - 1))
        sd_pc = math.sqrt(math.fsum((t - mean_pc) ** 2 for t in percents) / (s - 1))
        # Moodle computes skewness, kurtosis and the CIC in one block that needs s > 2.
        if s > 2:
            m2 = power2 / s
            m3 = math.fsum((t - mean) ** 3 for t in totals) / s
            m4 = math.fsum((t - mean) ** 4 for t in totals) / s
            k2 = s * m2 / (s - 1)
            k3 = s * s * m3 / ((s - 1) * (s - 2))
            if k2 > 0:
                skewness = k3 / k2**1.5
                if s > 3:
                    k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2)
                    kurtosis = k4 / ((s - 1) * (s - 2) * (s - 3)) / (k2 * k2)
                if p > 1:
                    # A position seen once has no variance; Moodle's null adds as 0.
                    item_variance = math.fsum(m.variance() or 0.0 for m in positions.values())
                    cic = 100.0 * p / (p - 1) * (1.0 - item_variance / k2)
                    # With attempts drawing different questions the CIC can pass 100, and
                    # then the error ratio has no real value.
                    if cic <= 100.0:
                        error_ratio = 100.0 * math.sqrt(1.0 - cic / 100.0)
                        standard_error = error_ratio * sd / 100.0
    return QuizStatistics(
        attempts=s,
        mean=mean,
        median=median,
        sd=sd,
        skewness=skewness,
        kurtosis=kurtosis,
        mean_percent=mean_pc,
        median_percent=median_pc,
        sd_percent=sd_pc,
        cic=cic,
        error_ratio=error_ratio,
        standard_error=standard_error,
        positions=p,
        questions=questions,
    )


def item_statistics(
    responses: Iterable[ItemResponse],
    *,
    random_guess: Mapping[str, float] | None = None,
    thresholds: FlagThresholds = DEFAULT_THRESHOLDS,
) -> QuizStatistics:
    """Compute Moodle's quiz statistics report from final marks, in one pass.

    The discrimination index correlates each question with the rest of the attempt (total
    minus this question), so a question is never correlated with itself. Moodle does the same
    for fixed questions; for questions drawn at random it correlates with the whole total,
    which we do not copy.

    Args:
        responses: every attempt's responses, grouped by attempt (consecutive, as
            `ORDER BY attempt_id` gives them), so that only one attempt is held at a time.
        random_guess: the mean score (0–1) a random guess earns, by question key, for the
            questions where that is known (see `random_guess_score`).
        thresholds: when to flag a question.

    Returns:
        The test statistics, with every question's statistics.

    Raises:
        ValueError: an attempt's responses are not consecutive, or an attempt answers the
            same question twice.
    """
    items: dict[str, _Item] = {}
    positions: dict[Hashable, _Moments] = {}
    totals: list[float] = []
    percents: list[float] = []
    finished: set[int | str] = set()
    attempt: list[ItemResponse] = []

    def close(responses_of_attempt: list[ItemResponse]) -> None:
        marks = [r.score * r.max_score for r in responses_of_attempt]
        total = math.fsum(marks)
        maximum = math.fsum(r.max_score for r in responses_of_attempt)
        keys = {r.question_key for r in responses_of_attempt}
        if len(keys) < len(responses_of_attempt):
            attempt_id = responses_of_attempt[0].attempt_id
            raise ValueError(f"attempt {attempt_id!r} answers the same question twice")
        totals.append(total)
        percents.append(100.0 * total / maximum)
        for response, mark in zip(responses_of_attempt, marks, strict=True):
            key = response.question_key
            item = items.get(key)
            if item is None:
                item = items[key] = _Item()
            item.add(response.score, mark, total - mark, response.choice_indexes)
            position: Hashable = key if response.slot is None else response.slot
            moments = positions.get(position)
            if moments is None:
                moments = positions[position] = _Moments()
            moments.add(mark)

    for response in responses:
        if attempt and response.attempt_id != attempt[0].attempt_id:
            finished.add(attempt[0].attempt_id)
            close(attempt)
            attempt = []
        if not attempt and response.attempt_id in finished:
            raise ValueError(
                f"responses must be grouped by attempt; {response.attempt_id!r} came back"
            )
        attempt.append(response)
    if attempt:
        close(attempt)

    guesses = random_guess or {}
    questions = {
        key: _question_statistics(key, item, guesses.get(key), thresholds)
        for key, item in items.items()
    }
    return _test_statistics(totals, percents, positions, questions)


def random_guess_score(option_fractions: Sequence[float]) -> float:
    """Return the mean score (0–1) of picking one option at random, as Moodle estimates it.

    For a one-answer choice question every option is equally likely to be picked, so the
    score is the mean of the options' credit (negative credit counts as 0, as the question's
    mark cannot go below 0). True/false is [1, 0] → 0.5.

    Args:
        option_fractions: the credit (0–1) each option earns.

    Returns:
        The expected score of a random pick.

    Raises:
        ValueError: there are no options.
    """
    if not option_fractions:
        raise ValueError("a choice question needs at least one option")
    return math.fsum(max(0.0, _finite(f, "option fraction")) for f in option_fractions) / len(
        option_fractions
    )


@dataclass(frozen=True)
class GroupSummary:
    """Item statistics summed up over a group of questions, such as a generator family.

    Means are over questions (each counts once), leaving out those whose statistic is None.

    Attributes:
        group: the group's name.
        questions: how many questions are in the group.
        responses: how many responses they had in all.
        mean_facility: mean facility index.
        mean_discrimination: mean discrimination index.
        mean_efficiency: mean discriminative efficiency.
        flagged: how many questions raised a flag other than `INSUFFICIENT_DATA`.
        flag_counts: how many questions raised each flag (only flags raised appear).
    """

    group: str
    questions: int
    responses: int
    mean_facility: float | None
    mean_discrimination: float | None
    mean_efficiency: float | None
    flagged: int
    flag_counts: dict[Flag, int]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return {
            "group": self.group,
            "questions": self.questions,
            "responses": self.responses,
            "mean_facility": self.mean_facility,
            "mean_discrimination": self.mean_discrimination,
            "mean_efficiency": self.mean_efficiency,
            "flagged": self.flagged,
            "flag_counts": {flag.value: count for flag, count in self.flag_counts.items()},
        }


def _mean_of(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return math.fsum(present) / len(present) if present else None


def group_by(
    stats: QuizStatistics | Iterable[QuestionStatistics], key: Callable[[str], str | None]
) -> dict[str, GroupSummary]:
    """Summarise question statistics per group of questions.

    Args:
        stats: one quiz's statistics, or question statistics from any number of quizzes.
        key: the group of a question key; None leaves the question out.

    Returns:
        Each group's summary, by group name, sorted by name.
    """
    questions = stats.questions.values() if isinstance(stats, QuizStatistics) else stats
    members: dict[str, list[QuestionStatistics]] = {}
    for stat in questions:
        group = key(stat.question_key)
        if group is not None:
            members.setdefault(group, []).append(stat)
    summaries: dict[str, GroupSummary] = {}
    for group in sorted(members):
        rows = members[group]
        counts = {flag: sum(flag in row.flags for row in rows) for flag in Flag}
        summaries[group] = GroupSummary(
            group=group,
            questions=len(rows),
            responses=sum(row.n for row in rows),
            mean_facility=_mean_of(row.facility for row in rows),
            mean_discrimination=_mean_of(row.discrimination_index for row in rows),
            mean_efficiency=_mean_of(row.discriminative_efficiency for row in rows),
            flagged=sum(row.flagged for row in rows),
            flag_counts={flag: count for flag, count in counts.items() if count},
        )
    return summaries


def generator_family(question_key: str) -> str | None:
    """Return the generator family of a generated question's key ("gen-sites-…" → "sites").

    Returns:
        The family, or None for a question written by hand.
    """
    if not question_key.startswith(GENERATED_PREFIX):
        return None
    family = question_key[len(GENERATED_PREFIX) :].split("-", 1)[0]
    return family or None


def family_summary(
    stats: QuizStatistics | Iterable[QuestionStatistics],
    family_of: Mapping[str, str] | None = None,
) -> dict[str, GroupSummary]:
    """Summarise item statistics per question-generator family.

    Args:
        stats: one quiz's statistics, or question statistics from several quizzes.
        family_of: each question's family, by key; when None it is read from the key
            (`generator_family`). Questions without a family are left out.

    Returns:
        Each family's summary, by family name.
    """
    if family_of is None:
        return group_by(stats, generator_family)
    return group_by(stats, family_of.get)


# --- mastery -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer counted towards a topic's mastery."""

    topic: str
    correct: bool
    answered_at: datetime


class ConceptAnswer(NamedTuple):
    """One answer about a primary cancer spreading to a site, for the concept grid."""

    primary: str
    site: str
    correct: bool
    answered_at: datetime


@dataclass(frozen=True)
class Mastery:
    """How well a topic is known, from recency-weighted answers shrunk toward a half.

    Attributes:
        score: the estimate, 0 to 1 (0.5 with no evidence).
        evidence: how many answers it rests on.
        correct: how many of those were right.
        weight_sum: the answers' total recency weight; a fresh answer weighs 1, so this is
            the number of "fresh answers" the evidence is worth.
        last_answered_at: when the latest answer was given.
    """

    score: float
    evidence: int
    correct: int
    weight_sum: float
    last_answered_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (ISO 8601 datetime)."""
        return {
            "score": self.score,
            "evidence": self.evidence,
            "correct": self.correct,
            "weight_sum": self.weight_sum,
            "last_answered_at": self.last_answered_at.isoformat(),
        }


class _Tally:
    """Running recency-weighted counts for one topic or grid cell."""

    __slots__ = ("correct", "evidence", "last", "weight_sum", "weighted_correct")

    def __init__(self, first: datetime) -> None:
        self.weight_sum = 0.0
        self.weighted_correct = 0.0
        self.evidence = 0
        self.correct = 0
        self.last = first

    def add(self, weight: float, correct: bool, answered_at: datetime) -> None:
        self.weight_sum += weight
        self.evidence += 1
        if correct:
            self.weighted_correct += weight
            self.correct += 1
        self.last = max(self.last, answered_at)

    def mastery(self, prior_weight: float) -> Mastery:
        denominator = self.weight_sum + prior_weight
        # Only answers too old to carry any weight, with no prior, leave nothing to divide by.
        score = (
            (self.weighted_correct + prior_weight * PRIOR_MASTERY) / denominator
            if denominator > 0
            else PRIOR_MASTERY
        )
        return Mastery(score, self.evidence, self.correct, self.weight_sum, self.last)


def _check_weighting(half_life_days: float, prior_weight: float) -> None:
    if _finite(half_life_days, "half_life_days") <= 0:
        raise ValueError("half_life_days must be more than 0")
    if _finite(prior_weight, "prior_weight") < 0:
        raise ValueError("prior_weight must be 0 or more")


def _mastery_by(
    answers: Iterable[tuple[K, bool, datetime]],
    now: datetime,
    half_life_days: float,
    prior_weight: float,
) -> dict[K, Mastery]:
    _check_weighting(half_life_days, prior_weight)
    moment = _aware(now, "now")
    day = timedelta(days=1)
    tallies: dict[K, _Tally] = {}
    for key, correct, answered_at in answers:
        if not isinstance(correct, bool):
            raise TypeError("correct must be True or False")
        # An answer stamped a little after `now` (clock skew) counts as fresh, not heavier.
        age_days = max(0.0, (moment - _aware(answered_at, "answered_at")) / day)
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = _Tally(answered_at)
        tally.add(0.5 ** (age_days / half_life_days), correct, answered_at)
    return {key: tally.mastery(prior_weight) for key, tally in tallies.items()}


def mastery(
    answers: Iterable[Answer],
    now: datetime,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    prior_weight: float = DEFAULT_PRIOR_WEIGHT,
) -> dict[str, Mastery]:
    """Estimate mastery per topic from answers, recent ones counting more.

    An answer `age` days old weighs 0.5 ** (age / half_life_days): 1 today, ½ after one half
    life, ¼ after two. The score is (Σ weight × correct + prior_weight × 0.5) ÷ (Σ weight +
    prior_weight): the posterior mean under a Beta(½, ½) prior when prior_weight is 1, so one
    fresh right answer gives 0.75, not 1, and one fresh wrong answer 0.25, not 0. A question
    on several topics should be sent once per topic.

    Args:
        answers: the student's answers.
        now: the time ages are measured to.
        half_life_days: how many days halve an answer's weight.
        prior_weight: how many fresh answers' worth of "half right" the score starts from;
            0 gives the plain recency-weighted accuracy.

    Returns:
        Each answered topic's mastery, by topic.

    Raises:
        ValueError: a datetime is naive, half_life_days is not positive or prior_weight is
            negative.
    """
    return _mastery_by(
        ((a.topic, a.correct, a.answered_at) for a in answers), now, half_life_days, prior_weight
    )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY = timedelta(days=1)


def epoch_days(moment: datetime) -> float:
    """Return a time as days since 1970-01-01 UTC; a naive time is taken as UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return (aware - _EPOCH) / _DAY


def from_epoch_days(days: float) -> datetime:
    """Return the UTC time `days` after 1970-01-01 (the inverse of `epoch_days`)."""
    return _EPOCH + timedelta(days=days)


class RecencyTally:
    """A running, recency-weighted count of answers that can be stored and updated in place.

    It keeps the weighted sums as of the latest answer; adding an answer decays them to its
    time, and reading them decays them to `now`. Decay is multiplicative, so this gives
    exactly what `mastery` computes from every answer, while a database keeps one row per
    student and topic instead of re-reading their answers. Times are kept as days since the
    Unix epoch (`epoch_days`): plain numbers are what a dashboard reading thousands of rows
    can decay fastest.
    """

    __slots__ = (
        "answers",
        "correct",
        "half_life_days",
        "last_answered_day",
        "last_correct",
        "weight",
        "weighted_correct",
    )

    def __init__(
        self,
        answers: int = 0,
        correct: int = 0,
        weight: float = 0.0,
        weighted_correct: float = 0.0,
        last_answered_day: float | None = None,
        last_correct: bool = False,
        half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    ) -> None:
        _check_weighting(half_life_days, 0.0)
        if not 0 <= correct <= answers:
            raise ValueError("counts must satisfy 0 <= correct <= answers")
        if answers and last_answered_day is None:
            raise ValueError("a tally with answers needs last_answered_day")
        self.answers = answers
        self.correct = correct
        self.weight = weight
        self.weighted_correct = weighted_correct
        self.last_answered_day = last_answered_day
        self.last_correct = last_correct
        self.half_life_days = half_life_days

    @property
    def last_answered_at(self) -> datetime | None:
        """Return when the latest answer was given (UTC), or None before any."""
        day = self.last_answered_day
        return None if day is None else from_epoch_days(day)

    def add(self, correct: bool, answered_at: datetime) -> None:
        """Count one answer; answers may arrive in any order."""
        if not isinstance(correct, bool):
            raise TypeError("correct must be True or False")
        day = epoch_days(_aware(answered_at, "answered_at"))
        mark = 1.0 if correct else 0.0
        last = self.last_answered_day
        if last is None or day >= last:
            factor = 1.0 if last is None else 0.5 ** ((day - last) / self.half_life_days)
            self.weight = self.weight * factor + 1.0
            self.weighted_correct = self.weighted_correct * factor + mark
            self.last_answered_day = day
            self.last_correct = correct
        else:  # an older answer arriving late weighs what it would have at the latest one
            weight = 0.5 ** ((last - day) / self.half_life_days)
            self.weight += weight
            self.weighted_correct += weight * mark
        self.answers += 1
        self.correct += 1 if correct else 0

    def stored(self, key: K) -> StoredTally[K]:
        """Return the tally as a stored row under `key`, for `masteries_from_stored`."""
        if self.last_answered_day is None:
            raise ValueError("a tally without answers has no stored form")
        return StoredTally(
            key,
            self.answers,
            self.correct,
            self.weight,
            self.weighted_correct,
            self.last_answered_day,
            self.half_life_days,
        )

    def mastery(self, now: datetime, prior_weight: float = DEFAULT_PRIOR_WEIGHT) -> Mastery | None:
        """Return the mastery as of `now`, or None before any answer."""
        return combined_mastery([self], now, prior_weight)


class StoredTally(NamedTuple, Generic[K]):
    """A `RecencyTally` as a database row holds it, under the key it is reported by."""

    key: K
    answers: int
    correct: int
    weight: float
    weighted_correct: float
    last_answered_day: float
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS


def masteries_from_stored(
    rows: Iterable[StoredTally[K] | tuple[Any, ...]],
    now: datetime,
    prior_weight: float = DEFAULT_PRIOR_WEIGHT,
) -> dict[K, Mastery]:
    """Return the mastery per key of stored tallies, rows with the same key taken together.

    This is the read side of `RecencyTally`, kept to plain arithmetic per row: a class
    dashboard reads tens of thousands of rows (students × topics, students × questions).
    Rows may be plain tuples in `StoredTally`'s field order. A row dated after `now` (clock
    skew) decays by nothing rather than growing.

    Raises:
        ValueError: prior_weight is negative, or `now` is naive.
    """
    _check_weighting(DEFAULT_HALF_LIFE_DAYS, prior_weight)
    today = epoch_days(_aware(now, "now"))
    sums: dict[K, list[Any]] = {}
    for row in rows:
        key, answers, correct, weight, weighted_correct, last = row[:6]
        half_life = row[6] if len(row) > 6 else DEFAULT_HALF_LIFE_DAYS
        factor = 0.5 ** ((today - last) / half_life) if today > last else 1.0
        found = sums.get(key)
        if found is None:
            sums[key] = [weight * factor, weighted_correct * factor, answers, correct, last]
        else:
            found[0] += weight * factor
            found[1] += weighted_correct * factor
            found[2] += answers
            found[3] += correct
            found[4] = max(found[4], last)
    masteries = {}
    for key, (weight, weighted_correct, answers, correct, last) in sums.items():
        if not answers:
            continue
        denominator = weight + prior_weight
        score = (
            (weighted_correct + prior_weight * PRIOR_MASTERY) / denominator
            if denominator > 0
            else PRIOR_MASTERY
        )
        masteries[key] = Mastery(score, answers, correct, weight, from_epoch_days(last))
    return masteries


def group_mean_scores(
    rows: Iterable[tuple[Any, ...]],
    now: datetime,
    prior_weight: float = DEFAULT_PRIOR_WEIGHT,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
) -> dict[Any, tuple[float, int]]:
    """Return, per group, the mean of its members' mastery scores and how many members.

    Rows are (group, member, answers, correct, weight, weighted_correct,
    last_answered_day): stored tallies, where one member's rows in a group are taken
    together as `masteries_from_stored` does. A class's mean per concept-map cell is the
    mean over its students, each counting once however much they practised. Only scores
    are built, not `Mastery` records, as a class of hundreds reads ten thousand rows.

    Raises:
        ValueError: prior_weight is negative, or `now` is naive.
    """
    _check_weighting(half_life_days, prior_weight)
    today = epoch_days(_aware(now, "now"))
    sums: dict[tuple[Any, Any], list[float]] = {}
    for group, member, answers, _correct, weight, weighted_correct, last in rows:
        if not answers:
            continue
        factor = 0.5 ** ((today - last) / half_life_days) if today > last else 1.0
        found = sums.get((group, member))
        if found is None:
            sums[(group, member)] = [weight * factor, weighted_correct * factor]
        else:
            found[0] += weight * factor
            found[1] += weighted_correct * factor
    totals: dict[Any, list[float]] = {}
    prior = prior_weight * PRIOR_MASTERY
    for (group, _member), (weight, weighted_correct) in sums.items():
        denominator = weight + prior_weight
        score = (weighted_correct + prior) / denominator if denominator > 0 else PRIOR_MASTERY
        total = totals.get(group)
        if total is None:
            totals[group] = [score, 1]
        else:
            total[0] += score
            total[1] += 1
    return {group: (total / count, int(count)) for group, (total, count) in totals.items()}


def combined_mastery(
    tallies: Iterable[RecencyTally], now: datetime, prior_weight: float = DEFAULT_PRIOR_WEIGHT
) -> Mastery | None:
    """Return the mastery of several tallies' answers taken together (several questions of
    one concept, say), or None when none has an answer.

    Raises:
        ValueError: prior_weight is negative, or `now` is naive.
    """
    stored: list[StoredTally[int]] = [tally.stored(0) for tally in tallies if tally.answers]
    found: dict[int, Mastery] = masteries_from_stored(stored, now, prior_weight)
    return found.get(0)


MASTERY_HIGH = 0.8
MASTERY_MID = 0.5


def mastery_level(score: float | None) -> str:
    """Return the band a mastery score falls in, for colour: high (80% and over), mid
    (50-79%), low, or none without answers. Pages print the number too."""
    if score is None:
        return "none"
    if score >= MASTERY_HIGH:
        return "high"
    return "mid" if score >= MASTERY_MID else "low"


def mean_mastery(masteries: Iterable[Mastery | None]) -> tuple[float | None, int]:
    """Return the mean score of the masteries that exist, and how many there were.

    A class's mastery of a topic is the mean of its students' masteries, so that each
    student counts once however much they practised.
    """
    scores = [m.score for m in masteries if m is not None]
    return (math.fsum(scores) / len(scores) if scores else None), len(scores)


def concept_grid(
    answers: Iterable[tuple[str, str, bool, datetime]],
    now: datetime,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    prior_weight: float = DEFAULT_PRIOR_WEIGHT,
) -> dict[tuple[str, str], Mastery]:
    """Estimate mastery for each primary cancer × metastatic site, as `mastery` does per topic.

    Args:
        answers: (primary, site, correct, answered_at) tuples, such as `ConceptAnswer`s.
        now: the time ages are measured to.
        half_life_days: how many days halve an answer's weight.
        prior_weight: the strength of the pull toward 0.5 (see `mastery`).

    Returns:
        The mastery of each (primary, site) cell that has answers; empty cells are absent.

    Raises:
        ValueError: as `mastery`.
    """
    return _mastery_by(
        (((primary, site), correct, at) for primary, site, correct, at in answers),
        now,
        half_life_days,
        prior_weight,
    )


# --- activity ------------------------------------------------------------------------------


def local_days(timestamps: Iterable[datetime], tz: tzinfo = UTC) -> set[date]:
    """Return the calendar days in `tz` on which anything happened, for `streak`.

    Raises:
        ValueError: a datetime is naive.
    """
    return {_aware(moment, "timestamp").astimezone(tz).date() for moment in timestamps}


def streak(days_active: Iterable[date], today: date) -> int:
    """Count the consecutive active days ending today, or yesterday if today is not over.

    A streak is not lost until a whole day passes without activity, so a student who was
    active yesterday but not yet today still has it. Days after `today` are ignored.

    Args:
        days_active: the days with activity, in any order, repeats allowed.
        today: the student's current day.

    Returns:
        The streak's length in days; 0 when neither today nor yesterday was active.
    """
    active = set(days_active)
    day = today if today in active else today - timedelta(days=1)
    count = 0
    while day in active:
        count += 1
        day -= timedelta(days=1)
    return count


def activity_calendar(
    timestamps: Iterable[datetime], today: date, weeks: int = 12, tz: tzinfo = UTC
) -> list[tuple[date, int]]:
    """Count activity on each of the last `weeks` × 7 days, ending today.

    Args:
        timestamps: when each answer or review happened (timezone-aware).
        today: the last day shown, in `tz`.
        weeks: how many weeks to show.
        tz: the zone whose midnight starts a day.

    Returns:
        One (day, count) pair per day, oldest first, including days with no activity;
        activity outside the window is left out.

    Raises:
        ValueError: a datetime is naive or `weeks` is not a whole number, 1 or more.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        raise ValueError("weeks must be a whole number, 1 or more")
    length = weeks * 7
    first = today - timedelta(days=length - 1)
    counts = [0] * length
    for moment in timestamps:
        offset = (_aware(moment, "timestamp").astimezone(tz).date() - first).days
        if 0 <= offset < length:
            counts[offset] += 1
    return [(first + timedelta(days=i), count) for i, count in enumerate(counts)]


# --- score summaries -----------------------------------------------------------------------


def score_distribution(scores: Iterable[float], bins: int = 10) -> list[int]:
    """Count percentage scores into equal bins from 0 to 100.

    With 10 bins they are [0, 10), [10, 20), …, [90, 100]: a bin holds its lower edge, and
    100% goes in the last bin.

    Args:
        scores: percentages, 0 to 100.
        bins: how many bins.

    Returns:
        The count in each bin, lowest first.

    Raises:
        ValueError: a score is outside 0–100 or `bins` is not a whole number, 1 or more.
    """
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise ValueError("bins must be a whole number, 1 or more")
    counts = [0] * bins
    for score in scores:
        value = _finite(score, "score")
        if not 0.0 <= value <= 100.0:
            raise ValueError(f"a percentage score must be from 0 to 100, not {value:g}")
        # Multiplying before dividing keeps edges exact: 70 × 10 / 100 is 7, not 6.999….
        counts[min(int(value * bins / 100.0), bins - 1)] += 1
    return counts


def mean_median(scores: Iterable[float]) -> tuple[float | None, float | None]:
    """Return the mean and median of some scores, or (None, None) when there are none."""
    values = [_finite(score, "score") for score in scores]
    if not values:
        return None, None
    return math.fsum(values) / len(values), statistics.median(values)
