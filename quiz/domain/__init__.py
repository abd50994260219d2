"""Plain-Python rules of the app: no Flask, SQLAlchemy or WTForms imports here."""
