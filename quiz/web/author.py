"""Instructors: generate draft questions from a source and review them."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from wtforms.fields.choices import SelectChoice

from quiz.domain import bank
from quiz.extensions import db
from quiz.models import User
from quiz.services import cards, catalog, review
from quiz.services.review import ReviewError
from quiz.services.transfer import (
    EXPORT_CHOICES,
    EXPORTS,
    ImportRefused,
    export_bank,
    import_bank_file,
)
from quiz.web.access import STAFF_ROLES, role_required
from quiz.web.forms import DraftForm, EmptyForm, GenerateForm, ImportForm, ReplaceForm, UploadForm

bp = Blueprint("author", __name__, url_prefix="/author")

# Each draft field gets a pseudo line, so bank problems can be shown beside their field.
FIELD_LINES = {
    "prompt": 1,
    "choices": 2,
    "answers": 3,
    "explanation": 4,
    "source": 5,
    "topics": 6,
    "difficulty": 7,
}
MAX_CHOICES_SHOWN = 6


class UploadTooLarge(ValueError):
    """An upload over QUIZ_UPLOAD_MAX_BYTES; the message names the file and the limit."""


def _read_upload(file: FileStorage, default_name: str) -> tuple[str, bytes]:
    """Read an uploaded file, no more than one byte past the configured limit."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = file.read(limit + 1)
    name = file.filename or default_name
    if len(data) > limit:
        raise UploadTooLarge(f"{name}: upload at most {limit // 1024} KB")
    return name, data


def _generate_form() -> GenerateForm:
    form = GenerateForm()
    form.source.choices = [SelectChoice(s.slug, s.title) for s in catalog.list_sources(db.session)]
    return form


@bp.route("/review")
@role_required(*STAFF_ROLES)
def queue() -> ResponseReturnValue:
    """List generated drafts beside their highlighted passages."""
    source_slug = request.args.get("source") or None
    drafts = review.list_drafts(db.session, source_slug)
    return render_template(
        "author/review.html",
        drafts=drafts,
        source_slug=source_slug,
        generate_form=_generate_form(),
        upload_form=UploadForm(),
        form=EmptyForm(),
    )


@bp.route("/generate", methods=["POST"])
@role_required(*STAFF_ROLES)
def generate() -> ResponseReturnValue:
    """Run the generator on a stored source."""
    form = _generate_form()
    if not form.validate_on_submit():
        flash("Pick a source to generate from.", "error")
        return redirect(url_for("author.queue"))
    report = review.generate_drafts(db.session, form.source.data)
    _flash_report(report)
    return redirect(url_for("author.queue", source=form.source.data))


@bp.route("/upload", methods=["POST"])
@role_required(*STAFF_ROLES)
def upload() -> ResponseReturnValue:
    """Store an uploaded text as a source, then generate drafts from it."""
    form = UploadForm()
    if form.validate_on_submit():
        try:
            name, data = _read_upload(form.upload.data, "upload.txt")
            source = review.upload_source(db.session, name, data)
        except (ReviewError, UploadTooLarge) as exc:
            form.upload.errors.append(str(exc))
        else:
            _flash_report(review.generate_drafts(db.session, source.slug))
            return redirect(url_for("author.queue", source=source.slug))
    drafts = review.list_drafts(db.session)
    return render_template(
        "author/review.html",
        drafts=drafts,
        source_slug=None,
        generate_form=_generate_form(),
        upload_form=form,
        form=EmptyForm(),
    ), 400


def _flash_report(report: review.GenerationReport) -> None:
    flash(
        f"{report.source_title}: {report.new} new draft(s); "
        f"{report.already_in_bank} already in the bank, {report.rejected_before} rejected before.",
        "success",
    )


@bp.route("/review/decide", methods=["POST"])
@role_required(*STAFF_ROLES)
def decide() -> ResponseReturnValue:
    """Approve or reject one draft or every ticked one."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    # A draft's own buttons name it in the URL; the bulk buttons send the ticked boxes.
    action = request.args.get("action") or request.form.get("action")
    keys = request.args.getlist("keys") or request.form.getlist("keys")
    if action not in ("approve", "reject") or not keys:
        flash("Tick at least one draft, then approve or reject.", "error")
        return redirect(request.referrer or url_for("author.queue"))
    try:
        if action == "approve":
            count = review.approve(db.session, keys, current_user.id)
            flash(f"Approved {count} question(s); they can now be asked.", "success")
        else:
            count = review.reject(db.session, keys, current_user.id)
            flash(f"Rejected {count} draft(s); the generator will not offer them again.", "info")
    except ReviewError as exc:
        flash(str(exc), "error")
    return redirect(url_for("author.queue", source=request.form.get("source") or None))


@bp.route("/sources")
@role_required(*STAFF_ROLES)
def sources() -> ResponseReturnValue:
    """List sources with their questions, stale ones first, and a way to replace the text."""
    return render_template(
        "author/sources.html",
        sources=review.source_summaries(db.session),
        form=ReplaceForm(),
        url_rules={rule.endpoint for rule in current_app.url_map.iter_rules()},
    )


@bp.route("/sources/<slug>/replace", methods=["POST"])
@role_required(*STAFF_ROLES)
def replace_source(slug: str) -> ResponseReturnValue:
    """Replace a source's text; questions whose passage changed become stale."""
    form = ReplaceForm()
    if form.validate_on_submit():
        try:
            name, data = _read_upload(form.upload.data, "upload.txt")
            report = review.replace_source(db.session, slug, name, data)
        except (ReviewError, UploadTooLarge) as exc:
            flash(str(exc), "error")
        else:
            flash(
                f"{report.title}: {report.passages_kept} passages kept, {report.passages_new} new, "
                f"{report.passages_gone} gone; {report.questions_stale} question(s) now stale.",
                "success",
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for("author.sources"))


@bp.route("/transfer", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def transfer() -> ResponseReturnValue:
    """Import a bank file (all or nothing) or download the bank in another format."""
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            name, data = _read_upload(form.upload.data, "upload")
            report = import_bank_file(db.session, name, data)
        except UploadTooLarge as exc:
            problems = [f"line 1: {exc}"]
        except ImportRefused as exc:
            problems = [f"line {p.line}: {p.message}" for p in exc.problems]
        else:
            flash(
                f"Imported: {report.added} added, {report.updated} updated, "
                f"{report.unchanged} unchanged.",
                "success",
            )
            return redirect(url_for("author.transfer"))
    status = 400 if problems or form.errors else 200
    return render_template(
        "author/transfer.html", form=form, problems=problems, formats=EXPORT_CHOICES
    ), status


@bp.route("/transfer/bank.<fmt>")
@role_required(*STAFF_ROLES)
def export(fmt: str) -> ResponseReturnValue:
    """Download the whole bank."""
    if fmt not in EXPORTS:
        abort(404)
    content, mimetype, name = export_bank(db.session, fmt)
    return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.route("/leeches")
@role_required(*STAFF_ROLES)
def leeches() -> ResponseReturnValue:
    """Show the cards students keep forgetting, grouped by card: likely misconceptions."""
    student_ids = list(db.session.scalars(select(User.id).where(User.role == "student")))
    grouped: dict[tuple[str, str], list[int]] = {}
    details = {}
    for _student, leech in cards.leeches(db.session, student_ids):
        key = (leech.front, leech.answer)
        grouped.setdefault(key, []).append(leech.lapses)
        details[key] = leech
    rows = sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0][0]))
    return render_template("author/leeches.html", rows=rows, details=details)


@bp.route("/review/<question_key>/edit", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def edit(question_key: str) -> ResponseReturnValue:
    """Edit a draft; it is saved only when it passes every bank check."""
    draft = review.get_draft(db.session, question_key)
    if draft is None:
        abort(404)
    form = DraftForm(obj=None) if request.method == "POST" else _filled_form(draft)
    form.topics.choices = [
        SelectChoice(t.slug, t.title) for t, _ in catalog.topics_with_counts(db.session)
    ]
    if form.validate_on_submit():
        edited = _edited_question(draft, form)
        problems = review.update_draft(db.session, edited)
        if not problems:
            flash("Draft saved.", "success")
            return redirect(url_for("author.queue", source=draft.source.document))
        _show_problems(form, problems)
    return render_template("author/edit.html", form=form, draft=draft), 400 if form.errors else 200


def _filled_form(draft: bank.Question) -> DraftForm:
    form = DraftForm(
        data={
            "prompt": draft.prompt,
            "answers": "\n".join(draft.answers),
            "explanation": draft.explanation,
            "topics": list(draft.topics),
            "difficulty": draft.difficulty,
            "choices": [
                {"text": c.text, "correct": c.correct, "feedback": c.feedback}
                for c in draft.choices
            ],
        }
    )
    if draft.type in bank.CHOICE_TYPES and draft.type != "truefalse":
        while len(form.choices) < MAX_CHOICES_SHOWN:
            form.choices.append_entry()
    return form


def _edited_question(draft: bank.Question, form: DraftForm) -> bank.Question:
    choices: tuple[bank.Choice, ...] = ()
    if draft.type in bank.CHOICE_TYPES:
        choices = tuple(
            bank.Choice(
                entry.text.data.strip(),
                bool(entry.correct.data),
                (entry.feedback.data or "").strip(),
            )
            for entry in form.choices
            if (entry.text.data or "").strip()
        )
    answers: tuple[str, ...] = ()
    if draft.type in bank.TYPED_TYPES:
        answers = tuple(
            line.strip() for line in (form.answers.data or "").splitlines() if line.strip()
        )
    return bank.Question(
        id=draft.id,
        type=draft.type,
        prompt=(form.prompt.data or "").strip(),
        explanation=(form.explanation.data or "").strip(),
        source=draft.source,
        topics=tuple(form.topics.data or ()),
        choices=choices,
        answers=answers,
        difficulty=form.difficulty.data or 2,
        origin="generated",
        status="draft",
        file="form",
        line=FIELD_LINES["prompt"],
        field_lines=FIELD_LINES,
    )


def _show_problems(form: DraftForm, problems: list[bank.Problem]) -> None:
    by_line = {line: name for name, line in FIELD_LINES.items()}
    for problem in problems:
        name = by_line.get(problem.line, "prompt")
        field = getattr(form, name, None) if name != "source" else form.prompt
        if field is None:
            field = form.prompt
        field.errors = [*list(field.errors or []), problem.message]
