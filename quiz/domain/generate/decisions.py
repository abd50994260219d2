"""Reviewers' decisions on generated questions, kept beside the generated set.

Regenerating from the notes applies them, so a reviewed set can be rebuilt at any time:
approved questions join the bank, rejected ones are left out, the rest stay drafts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from quiz.domain import yamlnodes
from quiz.domain.bank import ID_PATTERN, Problem, Question


@dataclass(frozen=True)
class Decisions:
    approved: frozenset[str] = frozenset()
    rejected: dict[str, str] = field(default_factory=dict)  # id -> why


def parse_decisions(text: str, filename: str) -> tuple[Decisions, list[Problem]]:
    """Parse `approved: [ids]` and `rejected: [{id, why}]`, reporting file:line problems."""
    try:
        root = yamlnodes.load(text)
    except yamlnodes.YamlSyntaxError as exc:
        return Decisions(), [Problem(filename, exc.line, exc.message)]
    if root.value is None:
        return Decisions(), []
    if not isinstance(root.value, dict):
        return Decisions(), [
            Problem(filename, root.line, "expected 'approved' and 'rejected' lists")
        ]
    problems: list[Problem] = []
    for key, node in root.value.items():
        if key not in ("approved", "rejected"):
            problems.append(Problem(filename, node.line, f"unknown key '{key}'"))
    approved: set[str] = set()
    rejected: dict[str, str] = {}
    for entry in _items(root.value.get("approved"), "approved", filename, problems):
        if isinstance(entry.value, str) and ID_PATTERN.match(entry.value):
            approved.add(entry.value)
        else:
            problems.append(Problem(filename, entry.line, "an approved entry is a question id"))
    for entry in _items(root.value.get("rejected"), "rejected", filename, problems):
        data = entry.value
        qid = data.get("id") if isinstance(data, dict) else None
        if isinstance(data, dict) and qid is not None and isinstance(qid.value, str):
            why = data.get("why")
            reason = why.value if why is not None else None
            rejected[qid.value] = reason if isinstance(reason, str) else ""
        else:
            needs = "a rejected entry needs 'id' (and 'why')"
            problems.append(Problem(filename, entry.line, needs))
    for both in sorted(approved & set(rejected)):
        problems.append(Problem(filename, root.line, f"'{both}' is both approved and rejected"))
    return Decisions(frozenset(approved), rejected), problems


def _items(
    node: yamlnodes.Located | None, name: str, filename: str, problems: list[Problem]
) -> list[yamlnodes.Located]:
    if node is None or node.value is None:
        return []
    if not isinstance(node.value, list):
        problems.append(Problem(filename, node.line, f"'{name}' must be a list"))
        return []
    return node.value


def apply_decisions(
    questions: Sequence[Question], decisions: Decisions
) -> tuple[list[Question], list[str]]:
    """Approve, drop or keep as drafts; also return decided ids no longer generated.

    Returns:
        The questions to keep, and the ids in the decisions that match no question (a
        note changed under them: they need a fresh look).
    """
    kept = [
        replace(q, status="approved" if q.id in decisions.approved else "draft")
        for q in questions
        if q.id not in decisions.rejected
    ]
    generated = {q.id for q in questions}
    stale = sorted((decisions.approved | set(decisions.rejected)) - generated)
    return kept, stale
