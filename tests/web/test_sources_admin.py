"""Staff replace source texts (stale questions) and move the bank in and out as files."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz import resource_dir
from quiz.extensions import db
from quiz.models import Question, QuestionVersion
from quiz.services.accounts import PasswordPolicy, create_user


@pytest.fixture
def staff(app: Flask, client: FlaskClient) -> FlaskClient:
    with app.app_context():
        create_user(
            db.session,
            "teacher",
            "a long password",
            PasswordPolicy("pbkdf2:sha256:1000"),
            role="instructor",
        )
    client.post("/login", data={"username": "teacher", "password": "a long password"})
    return client


def upload(client: FlaskClient, url: str, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        url, data={"upload": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


ROUTES = [
    ("get", "/author/sources"),
    ("post", "/author/sources/diagnosis/replace"),
    ("get", "/author/transfer"),
    ("post", "/author/transfer"),
    ("get", "/author/transfer/bank.csv"),
]


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_staff_routes_refuse_students_and_anonymous_users(
    client: FlaskClient, auth, method: str, url: str
) -> None:
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.register()
    assert getattr(client, method)(url).status_code == 403


def test_replacing_a_source_keeps_unchanged_passages_and_marks_changed_ones_stale(
    app: Flask, staff: FlaskClient
) -> None:
    original = (resource_dir("questions") / "sources" / "diagnosis.md").read_text()
    passage = next(
        line for line in original.splitlines() if line.startswith("The Carenity article lists")
    )
    changed = original.replace(passage, passage.replace("urine tests", "urine checks"))
    assert changed != original
    with app.app_context():
        quoting_it = set(
            db.session.scalars(
                select(Question.key)
                .join(QuestionVersion, QuestionVersion.question_id == Question.id)
                .where(QuestionVersion.document == "diagnosis")
            )
        )
    response = upload(staff, "/author/sources/diagnosis/replace", "diagnosis.md", changed.encode())
    assert response.status_code == 302
    page = staff.get("/author/sources").get_data(as_text=True)
    assert "7 passages kept, 1 new, 1 gone; 1 question(s) now stale." in page
    with app.app_context():
        stale = set(db.session.scalars(select(Question.key).where(Question.stale.is_(True))))
    assert len(stale) == 1 and stale < quoting_it  # only the one quoting the changed passage
    assert next(iter(stale)) in page  # listed for re-approval


def test_replacing_with_a_bad_file_changes_nothing(app: Flask, staff: FlaskClient) -> None:
    response = upload(
        staff, "/author/sources/diagnosis/replace", "diagnosis.md", "caf\xe9".encode("latin-1")
    )
    assert response.status_code == 302
    assert "not UTF-8" in staff.get("/author/sources").get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(select(func.count(Question.id)).where(Question.stale.is_(True))) == 0
        )


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv", "gift"])
def test_export_then_import_each_format_changes_nothing(staff: FlaskClient, fmt: str) -> None:
    exported = staff.get(f"/author/transfer/bank.{fmt}")
    assert exported.status_code == 200 and exported.data
    response = upload(staff, "/author/transfer", f"bank.{fmt}", exported.data)
    assert response.status_code == 302
    assert "0 added, 0 updated" in staff.get("/author/transfer").get_data(as_text=True)


def test_anki_export_downloads(staff: FlaskClient) -> None:
    response = staff.get("/author/transfer/bank.apkg")
    assert response.status_code == 200 and response.data[:2] == b"PK"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bank.yaml", b"", "no questions"),
        ("bank.yaml", b"- id: [unclosed\n", "line 2: expected"),
        ("bank.csv", b"id,type\n", "line 1: missing column"),
        ("bank.gift", b"::x:: What? {=a ~b}\n", "no source passage"),
        ("bank.yaml", "caf\xe9".encode("latin-1"), "not UTF-8"),
        ("bank.pdf", b"%PDF", "Import a .yaml"),
        ("bank.yaml", b"x" * 5000, "upload at most 1 KB"),
    ],
)
def test_broken_imports_list_their_problems_and_write_nothing(
    app: Flask, staff: FlaskClient, name: str, data: bytes, message: str
) -> None:
    app.config["UPLOAD_MAX_BYTES"] = 1024 if len(data) > 1024 else 1024 * 1024
    with app.app_context():
        before = db.session.scalar(select(func.count(QuestionVersion.id)))
    response = upload(staff, "/author/transfer", name, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(QuestionVersion.id))) == before


def test_an_import_with_one_bad_question_writes_none(app: Flask, staff: FlaskClient) -> None:
    exported = staff.get("/author/transfer/bank.yaml").data.decode()
    edited = exported.replace("prompt: ", "prompt: Edited ", 1)
    broken = edited + "- id: broken-one\n  type: mcq\n  prompt: <script>alert(1)</script>\n"
    response = upload(staff, "/author/transfer", "bank.yaml", broken.encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "missing field" in html
    assert "<script>alert(1)</script>" not in html
    with app.app_context():
        assert not db.session.scalar(
            select(func.count()).where(QuestionVersion.prompt.like("Edited %"))
        )
