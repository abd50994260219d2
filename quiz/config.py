"""Configuration: defaults here, then QUIZ_* environment variables, then a test mapping."""

from __future__ import annotations

from typing import Any, ClassVar


class Config:
    # Filled in by create_app from QUIZ_DATABASE_URL or the instance folder.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": True}
    # Uploads and forms never need more; larger bodies are refused before they are read.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 512 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # QUIZ_SESSION_COOKIE_SECURE=true behind HTTPS
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 3600 * 8
    # OWASP ASVS 5.0 appendix C: PBKDF2-SHA256 at 600,000 iterations or more.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:600000"
    PASSWORD_MIN_LENGTH = 8
    PASSWORD_MAX_LENGTH = 256
    UPLOAD_MAX_BYTES = 1024 * 1024  # a source text; whole books belong in several files
    QUIZ_LENGTHS = (5, 10, 20)
    DEFAULT_QUIZ_LENGTH = 10


TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "SQLALCHEMY_DATABASE_URI": "sqlite:///:memory:",
    "WTF_CSRF_ENABLED": False,
    # The strong hash costs ~0.5 s a call; tests check the default separately.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
}
