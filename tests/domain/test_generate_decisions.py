from quiz.domain.bank import Question, SourceRef
from quiz.domain.generate.decisions import Decisions, apply_decisions, parse_decisions


def question(qid: str) -> Question:
    return Question(
        qid, "short", "Q?", "Why.", SourceRef("d", "p-000000", "q"), ("basics",), answers=("a",)
    )


def test_decisions_approve_drop_and_report_stale_ids() -> None:
    decisions = Decisions(frozenset({"gen-a", "gen-gone"}), {"gen-b": "ambiguous"})
    kept, stale = apply_decisions(
        [question("gen-a"), question("gen-b"), question("gen-c")], decisions
    )
    assert [(q.id, q.status) for q in kept] == [("gen-a", "approved"), ("gen-c", "draft")]
    assert stale == ["gen-gone"]


def test_decisions_file_is_parsed_with_line_numbers() -> None:
    text = "approved:\n  - gen-a\n  - Not An Id\nrejected:\n  - id: gen-b\n    why: dull\n  - just text\nother: 1\n"
    decisions, problems = parse_decisions(text, "d.yaml")
    assert decisions.approved == {"gen-a"} and decisions.rejected == {"gen-b": "dull"}
    assert [(p.line, p.message) for p in problems] == [
        (8, "unknown key 'other'"),
        (3, "an approved entry is a question id"),
        (7, "a rejected entry needs 'id' (and 'why')"),
    ]


def test_an_id_both_approved_and_rejected_is_a_problem() -> None:
    _, problems = parse_decisions("approved: [gen-a]\nrejected: [{id: gen-a, why: x}]\n", "d.yaml")
    assert "both approved and rejected" in problems[0].message
