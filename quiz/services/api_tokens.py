"""Personal API tokens: one per user, shown once, stored only as its SHA-256."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select

from quiz.models import User
from quiz.services import DbSession

# The prefix makes a leaked token recognisable (to people and to secret scanners).
TOKEN_PREFIX = "quiz_"
TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters; allow some room, refuse anything bigger.
MAX_TOKEN_LENGTH = 128
TOKEN_PATTERN = re.compile(
    rf"{TOKEN_PREFIX}[A-Za-z0-9_-]{{32,{MAX_TOKEN_LENGTH - len(TOKEN_PREFIX)}}}"
)


def hash_api_token(token: str) -> str:
    """The stored form of a token: its SHA-256, in hex (64 characters)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def issue_api_token(session: DbSession, user: User) -> str:
    """Give `user` a new token, replacing any old one, commit, and return the token in the
    clear: this is the only time anyone sees it."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    user.api_token_hash = hash_api_token(token)
    session.commit()
    return token


def revoke_api_token(session: DbSession, user: User) -> None:
    """Remove the user's token, if any, so it stops working at once."""
    user.api_token_hash = None
    session.commit()


def has_api_token(user: User) -> bool:
    return user.api_token_hash is not None


def user_for_api_token(session: DbSession, token: str | None) -> User | None:
    """Return the user this token belongs to, or None. Input that cannot be a token
    (empty, too long, wrong prefix or alphabet) is refused before the database is asked."""
    if not token or len(token) > MAX_TOKEN_LENGTH or not TOKEN_PATTERN.fullmatch(token):
        return None
    user: User | None = session.scalar(
        select(User).where(User.api_token_hash == hash_api_token(token))
    )
    return user
