"""Instructors: browse, write, preview, edit, retire and delete the bank's questions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from quiz.domain import bank
from quiz.domain.grading import InvalidResponse, Verdict, grade
from quiz.extensions import db
from quiz.services import authoring, catalog
from quiz.services.authoring import AuthoringError, BankFilters, QuestionRecord
from quiz.web.access import STAFF_ROLES, role_required
from quiz.web.bank_forms import (
    TYPE_LABELS,
    BankFilterForm,
    QuestionForm,
    options,
    question_form,
)
from quiz.web.forms import EmptyForm

bp = Blueprint("bank", __name__, url_prefix="/author/bank")

# Each field gets a pseudo line, so a bank problem can be shown beside its field.
FIELD_LINES = {
    "id": 1,
    "type": 2,
    "prompt": 3,
    "choices": 4,
    "answers": 5,
    "explanation": 6,
    "source": 7,
    "topics": 8,
    "difficulty": 9,
    "origin": 10,
    "status": 11,
}
# Where a problem with a schema field is shown on the form.
FORM_FIELDS = {"id": "key", "source": "passage", "type": "prompt", "origin": "prompt"}
MAX_TRY = 300


@bp.route("/")
@role_required(*STAFF_ROLES)
def index() -> ResponseReturnValue:
    """List the bank: search prompts, filter, sort and page through."""
    form = BankFilterForm(formdata=request.args)
    form.topic.choices = options([("", "Any topic"), *authoring.topic_choices(db.session)])
    form.source.choices = options([("", "Any source"), *authoring.source_choices(db.session)])
    values = form.clean()
    filters = BankFilters(
        search=values["q"] or "",
        topic=values["topic"] or "",
        question_type=values["type"] or "",
        status=values["status"] or "",
        origin=values["origin"] or "",
        source=values["source"] or "",
        sort=values["sort"],
        descending=values["dir"] == "desc",
        page=values["page"] or 1,
    )
    result = authoring.list_questions(db.session, filters)
    # The links to other pages keep the search, filters and order.
    defaults = {"page": values["page"], "sort": "key", "dir": "asc"}
    kept = {k: v for k, v in values.items() if v and defaults.get(k) != v}
    return render_template(
        "bank/index.html", form=form, result=result, kept=kept, type_labels=TYPE_LABELS
    )


@bp.route("/passages")
@role_required(*STAFF_ROLES)
def passages() -> ResponseReturnValue:
    """Return the passage picker's list for one source, searched: an HTML fragment."""
    slug = request.args.get("source", "")
    try:
        groups = authoring.passages_of(db.session, slug, request.args.get("q", ""))
    except AuthoringError:
        abort(404)
    chosen = request.args.get("chosen", "")
    return render_template("bank/_passages.html", groups=groups, chosen=chosen)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def new() -> ResponseReturnValue:
    """Write a new question of the chosen type, grounded in a picked passage."""
    question_type = request.args.get("type", "")
    if question_type not in bank.QUESTION_TYPES:
        status = 400 if question_type else 200
        return render_template("bank/choose_type.html", type_labels=TYPE_LABELS), status
    return _editor(question_type, None)


@bp.route("/<question_key>/edit", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def edit(question_key: str) -> ResponseReturnValue:
    """Edit a question: a change of content is saved as its new version."""
    record = authoring.get_question(db.session, question_key)
    if record is None:
        abort(404)
    return _editor(record.question.type, record)


@bp.route("/<question_key>/delete", methods=["POST"])
@role_required(*STAFF_ROLES)
def delete(question_key: str) -> ResponseReturnValue:
    """Delete a question no student has met; otherwise offer to retire it."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        deleted = authoring.delete_or_refuse(db.session, question_key)
    except AuthoringError:
        abort(404)
    if deleted:
        flash(f"Deleted {question_key}.", "success")
        return redirect(url_for("bank.index"))
    return render_template("bank/refused.html", question_key=question_key, form=EmptyForm()), 409


@bp.route("/<question_key>/retire", methods=["POST"])
@role_required(*STAFF_ROLES)
def retire(question_key: str) -> ResponseReturnValue:
    """Retire a question: never asked again, its past answers kept as they were."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        authoring.retire(db.session, question_key)
    except AuthoringError:
        abort(404)
    flash(f"Retired {question_key}; past answers to it are kept.", "success")
    return redirect(url_for("bank.edit", question_key=question_key))


def _initial_data(record: QuestionRecord) -> dict[str, Any]:
    question = record.question
    return {
        "prompt": question.prompt,
        "choices": [
            {"text": c.text, "correct": c.correct, "feedback": c.feedback} for c in question.choices
        ],
        "answers": "\n".join(question.answers),
        "explanation": question.explanation,
        "topics": list(question.topics),
        "difficulty": question.difficulty,
        "status": record.status,
        "source": question.source.document,
        "document": question.source.document,
        "passage": question.source.passage,
        "quote": question.source.quote,
    }


def _editor(question_type: str, record: QuestionRecord | None) -> ResponseReturnValue:
    """Show and handle the editor: pick a passage, preview, or save."""
    is_new = record is None
    if request.method == "POST":
        form = question_form(question_type, is_new=is_new)
    elif record is not None:
        form = question_form(question_type, is_new=False, data=_initial_data(record))
    else:
        form = question_form(question_type, is_new=True)
    form.topics.choices = options(authoring.topic_choices(db.session))
    sources = authoring.source_choices(db.session)
    form.source.choices = options(sources)
    slugs = [slug for slug, _ in sources]
    if form.source.data not in slugs:
        wanted = request.args.get("source") or form.document.data
        form.source.data = wanted if wanted in slugs else (slugs[0] if slugs else "")

    action = _action()
    if action == "pick":
        # A picked passage names its source too: "document/passage-key".
        document, _, passage = request.form.get("pick_passage", "").partition("/")
        form.document.data, form.passage.data = document[:80], passage[:120]
        form.quote.data = None
    keep = ""
    if record is not None and record.question.source.passage == form.passage.data:
        keep = record.question.source.quote
    picked = None
    if form.document.data and form.passage.data:
        picked = authoring.find_passage(db.session, form.document.data, form.passage.data)
    form.pick(picked, keep)
    form.fit_type()

    preview = None
    status = 200
    if action == "save":
        if form.validate_on_submit():
            question = _question_from(form, record)
            problems = authoring.save_question(db.session, question, current_user.id, is_new=is_new)
            if not problems:
                flash(f"Saved {question.id}.", "success")
                return redirect(url_for("bank.edit", question_key=question.id))
            _show_problems(form, problems)
        status = 400
    elif action == "preview":
        if form.validate():
            question = _question_from(form, record)
            _show_problems(form, authoring.check_question(db.session, question, is_new=is_new))
        preview = _preview(_question_from(form, record))
    try:
        groups = authoring.passages_of(
            db.session, form.source.data or "", form.passage_search.data or ""
        )
    except AuthoringError:
        groups = []
    return render_template(
        "bank/edit.html",
        form=form,
        record=record,
        question_type=question_type,
        type_label=TYPE_LABELS[question_type],
        groups=groups,
        preview=preview,
        delete_form=EmptyForm(),
    ), status


def _action() -> str:
    """Tell which of the editor's buttons was pressed; saving is the default."""
    if request.method != "POST":
        return "show"
    for name, action in (("pick_passage", "pick"), ("browse", "browse"), ("preview", "preview")):
        if name in request.form:
            return action
    return "save"


def _question_from(form: QuestionForm, record: QuestionRecord | None) -> bank.Question:
    """Build the bank's question from the form, as far as it is filled in."""
    question_type = form.question_type
    if record is not None:
        key, origin = record.question.id, record.question.origin
    else:
        key, origin = (form.key.data or "").strip(), "authored"
    choices = form.filled_choices() if question_type in bank.CHOICE_TYPES else []
    answers = form.answer_lines() if question_type in bank.TYPED_TYPES else []
    difficulty = form.difficulty.data if isinstance(form.difficulty.data, int) else 2
    return bank.Question(
        id=key,
        type=question_type,
        prompt=(form.prompt.data or "").strip(),
        explanation=(form.explanation.data or "").strip(),
        source=bank.SourceRef(
            form.document.data or "", form.passage.data or "", form.quote.data or ""
        ),
        topics=tuple(form.topics.data or ()),
        choices=tuple(choices),
        answers=tuple(answers),
        difficulty=difficulty,
        origin=origin,
        status=form.status.data or "draft",
        file="form",
        line=FIELD_LINES["prompt"],
        field_lines=FIELD_LINES,
    )


def _show_problems(form: QuestionForm, problems: list[bank.Problem]) -> None:
    by_line = {line: name for name, line in FIELD_LINES.items()}
    for problem in problems:
        name = by_line.get(problem.line, "prompt")
        field = getattr(form, FORM_FIELDS.get(name, name), None) or form.prompt
        message = problem.message[:1].upper() + problem.message[1:]
        if message not in field.errors:
            field.errors = [*list(field.errors or []), message]


def _preview(question: bank.Question) -> dict[str, Any]:
    """Grade the answer tried in the preview, if any: the student's grader, no saving."""
    verdict: Verdict | None = None
    error = ""
    typed = request.form.get("try_answer", "").strip()[:MAX_TRY]
    picked = request.form.getlist("try_choice")
    response: Any = None
    if question.type in bank.TYPED_TYPES and typed:
        response = typed
    elif question.type in bank.CHOICE_TYPES and picked:
        indexes = [int(p) for p in picked if p.isdigit()]
        response = indexes if question.type == "multi" else (indexes[0] if indexes else None)
    if response is not None:
        try:
            verdict = grade(question, response, catalog.known_words(db.session))
        except InvalidResponse as exc:
            error = str(exc)
    return {
        "question": question,
        "verdict": verdict,
        "typed": typed,
        "picked": {int(p) for p in picked if p.isdigit()},
        "error": error,
        "source_title": dict(authoring.source_choices(db.session)).get(
            question.source.document, question.source.document
        ),
    }
