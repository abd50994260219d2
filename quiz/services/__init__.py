"""Use cases over the database: each takes a session, calls the domain, commits once."""

from typing import Any, TypeAlias

from sqlalchemy.orm import Session, scoped_session

# Flask-SQLAlchemy hands out a scoped session; tests and scripts may pass a plain one.
DbSession: TypeAlias = Session | scoped_session[Any]
