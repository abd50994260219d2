"""Use cases over the database: each takes a session, calls the domain, commits once."""

from datetime import UTC, datetime
from typing import Any, TypeAlias

from sqlalchemy.orm import Session, scoped_session

# Flask-SQLAlchemy hands out a scoped session; tests and scripts may pass a plain one.
DbSession: TypeAlias = Session | scoped_session[Any]


def as_utc(moment: datetime) -> datetime:
    """Return a time read from the database (naive, UTC) as an aware UTC time."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
