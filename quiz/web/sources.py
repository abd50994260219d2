"""The study notes: a list, and each note with an anchor on every passage."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from quiz.extensions import db
from quiz.services import catalog

bp = Blueprint("sources", __name__, url_prefix="/sources")


@bp.route("/")
def index() -> ResponseReturnValue:
    """List the study notes."""
    return render_template("sources/index.html", sources=catalog.list_sources(db.session))


@bp.route("/<slug>")
def show(slug: str) -> ResponseReturnValue:
    """Show one note, every passage addressable as #passage-id."""
    source = catalog.get_source(db.session, slug)
    if source is None:
        abort(404)
    sections = [
        (key, list(passages))
        for key, passages in groupby(
            source.passages, key=lambda p: (p.section_slug, p.section_title, p.section_level)
        )
    ]
    return render_template("sources/show.html", source=source, sections=sections)
