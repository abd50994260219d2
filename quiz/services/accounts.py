"""Accounts: register, authenticate, and end every copy of a session at logout."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from quiz.extensions import db
from quiz.models import LoginFailure, User, new_session_token, utcnow
from quiz.services import DbSession

ROLES = ("student", "instructor", "admin")
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,39}$")


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash to check against when the user does not exist, so both failures cost the
    same time and do not tell which usernames exist."""
    return generate_password_hash(secrets.token_hex(16), method=method)


class AccountError(ValueError):
    """A registration or login that cannot go ahead; `field` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class PasswordPolicy:
    hash_method: str
    min_length: int = 8
    max_length: int = 256


def normalise_username(raw: str) -> str:
    """Fold a username so that look-alike spellings (case, width) name one account."""
    return unicodedata.normalize("NFKC", raw).strip().casefold()


def check_username(username: str) -> None:
    if not USERNAME_PATTERN.match(username):
        raise AccountError(
            "username",
            "Use 3 to 40 characters: letters, digits, dot, hyphen or underscore, "
            "starting with a letter or digit.",
        )


def check_password(password: str, policy: PasswordPolicy) -> None:
    if len(password) < policy.min_length:
        raise AccountError("password", f"Use at least {policy.min_length} characters.")
    if len(password) > policy.max_length:
        raise AccountError("password", f"Use at most {policy.max_length} characters.")
    if "\x00" in password:
        raise AccountError("password", "The password holds a character that is not allowed.")


def create_user(
    session: DbSession,
    raw_username: str,
    password: str,
    policy: PasswordPolicy,
    role: str = "student",
) -> User:
    """Create an account and commit it."""
    username = normalise_username(raw_username)
    check_username(username)
    check_password(password, policy)
    if role not in ROLES:
        raise AccountError("role", f"Role must be one of {', '.join(ROLES)}.")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError("username", "That username is taken.")
    user = User(
        username=username,
        password_hash=generate_password_hash(password, method=policy.hash_method),
        role=role,
    )
    session.add(user)
    session.commit()
    return user


@dataclass(frozen=True)
class Throttle:
    """How many failed logins an account, or an address, may make in a window."""

    per_account: int = 10
    per_address: int = 50
    window: timedelta = timedelta(minutes=15)


class TooManyAttempts(AccountError):
    def __init__(self, minutes: int) -> None:
        super().__init__(
            "password",
            f"Too many failed attempts. Wait {minutes} minutes, then try again.",
        )


def authenticate(
    session: DbSession,
    raw_username: str,
    password: str,
    policy: PasswordPolicy,
    address: str = "",
    throttle: Throttle = Throttle(),
) -> User | None:
    """Return the user whose credentials these are, or None; upgrade a weak stored hash.

    Raises:
        TooManyAttempts: the account or the address failed too often lately; the
            password is not even checked, so guessing gains nothing.
    """
    username = normalise_username(raw_username)[:40]
    since = utcnow() - throttle.window
    recent = select(func.count(LoginFailure.id)).where(LoginFailure.failed_at >= since)
    if (
        session.scalar(recent.where(LoginFailure.username == username)) or 0
    ) >= throttle.per_account or (
        session.scalar(recent.where(LoginFailure.address == address)) or 0
    ) >= throttle.per_address:
        raise TooManyAttempts(int(throttle.window.total_seconds() // 60))
    user: User | None = None
    if len(password) <= policy.max_length:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            check_password_hash(_dummy_hash(policy.hash_method), password)
        elif not check_password_hash(user.password_hash, password):
            user = None
    if user is None:
        session.execute(delete(LoginFailure).where(LoginFailure.failed_at < since))
        session.add(LoginFailure(username=username, address=address[:64]))
        session.commit()
        return None
    if not user.password_hash.startswith(policy.hash_method + "$"):
        user.password_hash = generate_password_hash(password, method=policy.hash_method)
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    session.commit()
    return user


def end_all_sessions(session: DbSession, user: User) -> None:
    """Rotate the user's session token, so every cookie issued so far stops working."""
    user.session_token = new_session_token()
    session.commit()


def load_user_by_session_token(token: str) -> User | None:
    """Flask-Login's user loader: the cookie carries the session token, not the row id."""
    if not token or len(token) > 64:
        return None
    user: User | None = db.session.scalar(select(User).where(User.session_token == token))
    return user


def set_role(session: DbSession, actor: User, user_id: int, role: str) -> User:
    """Change a user's role (admins only); the last admin cannot step down.

    Raises:
        AccountError: an unknown role, or the change would leave no admin.
        LookupError: no such user.
    """
    if role not in ROLES:
        raise AccountError("role", f"Role must be one of {', '.join(ROLES)}.")
    user = session.get(User, user_id)
    if user is None:
        raise LookupError("no such user")
    if user.role == "admin" and role != "admin":
        admins = session.scalar(select(func.count(User.id)).where(User.role == "admin")) or 0
        if admins <= 1:
            raise AccountError("role", "Keep at least one admin: promote someone else first.")
    user.role = role
    session.commit()
    return user


def list_users(
    session: DbSession, query: str = "", page: int = 1, per_page: int = 50
) -> list[User]:
    """Return users whose name contains `query`, by name, one page at a time."""
    statement = select(User).order_by(User.username)
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(
            User.username.like(f"%{normalise_username(escaped)}%", escape="\\")
        )
    return list(session.scalars(statement.offset((max(page, 1) - 1) * per_page).limit(per_page)))
