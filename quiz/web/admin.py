"""Admins: see users and change their roles."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from quiz.extensions import db
from quiz.services.accounts import ROLES, AccountError, list_users, set_role
from quiz.web.access import role_required
from quiz.web.forms import EmptyForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@role_required("admin")
def users() -> ResponseReturnValue:
    """List users with their roles."""
    query = request.args.get("q", "")[:40]
    page = request.args.get("page", "1")
    number = int(page) if page.isdigit() and len(page) < 6 else 1
    return render_template(
        "admin/users.html",
        users=list_users(db.session, query, number),
        roles=ROLES,
        query=query,
        page=number,
        form=EmptyForm(),
    )


@bp.route("/users/<int(max=2147483647):user_id>/role", methods=["POST"])
@role_required("admin")
def change_role(user_id: int) -> ResponseReturnValue:
    """Give a user another role."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        user = set_role(
            db.session, current_user._get_current_object(), user_id, request.form.get("role", "")
        )
    except LookupError:
        abort(404)
    except AccountError as exc:
        flash(exc.message, "error")
    else:
        flash(
            f"{user.username} is now {'an' if user.role[0] in 'aei' else 'a'} {user.role}.",
            "success",
        )
    return redirect(url_for("admin.users", q=request.args.get("q") or None))
