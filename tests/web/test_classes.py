"""Classes: instructors create them, students join with a code, owners alone see them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import ClassMember, StudyClass, User
from quiz.services import classes as service
from quiz.services.accounts import PasswordPolicy, create_user
from quiz.web import classes as classes_web

PASSWORD = "a long password"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def app(app: Flask) -> Flask:
    """The app with the classes blueprint, until quiz/__init__.py registers it."""
    if "classes" not in app.blueprints:
        app.register_blueprint(classes_web.bp)
    return app


def make_user(app: Flask, username: str, role: str = "student") -> int:
    with app.app_context():
        user = create_user(
            db.session, username, PASSWORD, PasswordPolicy("pbkdf2:sha256:1000"), role=role
        )
        return int(user.id)


@pytest.fixture
def login(app: Flask) -> Callable[[str, str], FlaskClient]:
    """Return a function that makes a user and gives back a client logged in as them."""

    def log_in(username: str, role: str = "student") -> FlaskClient:
        make_user(app, username, role)
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302
        return client

    return log_in


def create_class(client: FlaskClient, name: str = "Biology 101") -> int:
    response = client.post("/classes/new", data={"name": name})
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.fullmatch(r"/classes/(\d+)", response.headers["Location"])
    assert match
    return int(match.group(1))


def join_code(app: Flask, class_id: int) -> str:
    with app.app_context():
        study_class = db.session.get(StudyClass, class_id)
        assert study_class is not None
        return study_class.join_code


def member_count(app: Flask, class_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(ClassMember.id)).where(ClassMember.class_id == class_id)
        )


def test_an_instructor_creates_a_class_with_a_readable_join_code(app: Flask, login) -> None:
    teacher = login("teacher", "instructor")
    class_id = create_class(teacher)
    code = join_code(app, class_id)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code)  # no 0, O, 1 or I
    page = teacher.get(f"/classes/{class_id}").get_data(as_text=True)
    assert "Biology 101" in page and code in page
    assert code in teacher.get("/classes/").get_data(as_text=True)


def test_join_codes_are_unique_and_random(app: Flask) -> None:
    with app.app_context():
        owner_id = make_user(app, "teacher", "instructor")
        owner = db.session.get(User, owner_id)
        codes = {service.create_class(db.session, owner, f"Class {i}").join_code for i in range(30)}
    assert len(codes) == 30


def test_a_student_joins_with_the_code_in_any_case(app: Flask, login) -> None:
    teacher = login("teacher", "instructor")
    class_id = create_class(teacher)
    code = join_code(app, class_id)
    student = login("sam")
    typed = f" {code[:4].lower()}-{code[4:].lower()} "
    response = student.post("/classes/join", data={"code": typed}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "You joined" in html and "Biology 101" in html
    assert member_count(app, class_id) == 1
    assert "sam" in teacher.get(f"/classes/{class_id}").get_data(as_text=True)


def test_joining_twice_is_harmless(app: Flask, login) -> None:
    teacher = login("teacher", "instructor")
    class_id = create_class(teacher)
    student = login("sam")
    code = join_code(app, class_id)
    student.post("/classes/join", data={"code": code})
    response = student.post("/classes/join", data={"code": code}, follow_redirects=True)
    assert "already in" in response.get_data(as_text=True)
    assert member_count(app, class_id) == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Type the code"),
        ("   ", "Type the code"),
        ("NOSUCHCD", "No class has that code"),
        ("x" * 33, "longer than 32"),
        ("ABCD' OR 1=1 --", "No class has that code"),
        ("\x00\x01", "No class has that code"),
    ],
)
def test_a_bad_join_code_is_an_error_beside_the_field(
    app: Flask, login, code: str, message: str
) -> None:
    teacher = login("teacher", "instructor")
    class_id = create_class(teacher)
    student = login("sam")
    response = student.post("/classes/join", data={"code": code})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert member_count(app, class_id) == 0


def test_a_missing_join_code_field_is_an_error(login) -> None:
    assert login("sam").post("/classes/join", data={}).status_code == 400


def test_the_owner_cannot_join_their_own_class(app: Flask, login) -> None:
    teacher = login("teacher", "instructor")
    class_id = create_class(teacher)
    response = teacher.post("/classes/join", data={"code": join_code(app, class_id)})
    assert response.status_code == 400 and "You teach this class" in response.get_data(as_text=True)
    assert member_count(app, class_id) == 0


def test_another_instructor_may_join_as_a_member(app: Flask, login) -> None:
    teacher = login("teacher", "instructor")
    class_id = create_class(teacher)
    colleague = login("colleague", "instructor")
    assert (
        colleague.post("/classes/join", data={"code": join_code(app, class_id)}).status_code == 302
    )
    assert member_count(app, class_id) == 1


def test_an_instructor_sees_only_their_own_classes(app: Flask, login) -> None:
    teacher = login("teacher", "instructor")
    mine = create_class(teacher, "Mine")
    other = login("other", "instructor")
    theirs = create_class(other, "Theirs")
    page = teacher.get("/classes/").get_data(as_text=True)
    assert f"/classes/{mine}" in page and "Mine" in page
    assert f"/classes/{theirs}" not in page and "Theirs" not in page
    assert join_code(app, theirs) not in page


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the class a name"),
        ("   ", "Give the class a name"),
        ("x" * 121, "longer than 120"),
    ],
)
def test_a_bad_class_name_is_refused(app: Flask, login, name: str, message: str) -> None:
    teacher = login("teacher", "instructor")
    response = teacher.post("/classes/new", data={"name": name})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "has-error" in html and message in html
    with app.app_context():
        assert db.session.scalar(select(func.count(StudyClass.id))) == 0


def test_a_missing_class_name_field_is_refused(login) -> None:
    assert login("teacher", "instructor").post("/classes/new", data={}).status_code == 400


def test_the_longest_name_is_accepted(login) -> None:
    create_class(login("teacher", "instructor"), "x" * 120)


def test_html_in_a_class_name_is_shown_as_text(app: Flask, login) -> None:
    teacher = login("teacher", "instructor")
    class_id = create_class(teacher, XSS)
    student = login("sam")
    student.post("/classes/join", data={"code": join_code(app, class_id)})
    pages = [
        teacher.get("/classes/").get_data(as_text=True),
        teacher.get(f"/classes/{class_id}").get_data(as_text=True),
        student.get("/classes/").get_data(as_text=True),
    ]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html


def test_the_classes_page_needs_a_login(client: FlaskClient) -> None:
    response = client.get("/classes/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post("/classes/join", data={"code": "ABCDEFGH"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_student_sees_a_join_form_but_no_create_form(login) -> None:
    html = login("sam").get("/classes/").get_data(as_text=True)
    assert 'action="/classes/join"' in html and 'action="/classes/new"' not in html


# --- The access matrix for every instructor route -------------------------------------

OWNER_ROUTES = [
    ("get", "/classes/{class_id}", 200),
    ("post", "/classes/{class_id}/assignments/new", 400),  # an empty form: refused, not 403
    ("get", "/classes/{class_id}/assignments/{assignment_id}", 200),
]


@pytest.fixture
def owned(app: Flask, login) -> dict[str, object]:
    """A class with one assignment, owned by "owner"."""
    owner = login("owner", "instructor")
    class_id = create_class(owner)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "owner"))
        assignment = service.create_assignment(
            db.session,
            user,
            class_id,
            service.AssignmentFields(title="Week 1", question_count=3),
            service_now(),
        )
        assignment_id = assignment.id
    return {"owner": owner, "class_id": class_id, "assignment_id": assignment_id}


def service_now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


@pytest.mark.parametrize(("method", "url", "_status"), OWNER_ROUTES)
def test_anonymous_users_are_sent_to_log_in(
    app: Flask, owned: dict[str, object], method: str, url: str, _status: int
) -> None:
    response = getattr(app.test_client(), method)(url.format(**owned))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "url", "_status"), OWNER_ROUTES)
def test_students_get_403(
    app: Flask, login, owned: dict[str, object], method: str, url: str, _status: int
) -> None:
    student = login("sam")
    student.post("/classes/join", data={"code": join_code(app, owned["class_id"])})
    response = getattr(student, method)(url.format(**owned))
    assert response.status_code == 403
    assert "Week 1" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("method", "url", "_status"), OWNER_ROUTES)
def test_other_instructors_get_404(
    app: Flask, login, owned: dict[str, object], method: str, url: str, _status: int
) -> None:
    other = login("other", "instructor")
    response = getattr(other, method)(url.format(**owned))
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Week 1" not in html and join_code(app, owned["class_id"]) not in html


@pytest.mark.parametrize(("method", "url", "_status"), OWNER_ROUTES)
def test_admins_who_do_not_own_the_class_get_404(
    app: Flask, login, owned: dict[str, object], method: str, url: str, _status: int
) -> None:
    response = getattr(login("root", "admin"), method)(url.format(**owned))
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "url", "status"), OWNER_ROUTES)
def test_the_owner_gets_the_page(
    owned: dict[str, object], method: str, url: str, status: int
) -> None:
    owner = owned["owner"]
    assert isinstance(owner, FlaskClient)
    assert getattr(owner, method)(url.format(**owned)).status_code == status


def test_creating_a_class_needs_the_instructor_role(app: Flask, login) -> None:
    anonymous = app.test_client().post("/classes/new", data={"name": "X"})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert login("sam").post("/classes/new", data={"name": "X"}).status_code == 403
    assert (
        login("teacher", "instructor").post("/classes/new", data={"name": "X"}).status_code == 302
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(StudyClass.id))) == 1


def test_an_assignment_of_another_class_is_404_even_for_its_owner(
    app: Flask, owned: dict[str, object]
) -> None:
    owner = owned["owner"]
    assert isinstance(owner, FlaskClient)
    second = create_class(owner, "Second")
    url = f"/classes/{second}/assignments/{owned['assignment_id']}"
    assert owner.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/classes/0",
        "/classes/99999",
        "/classes/18446744073709551616",
        "/classes/-1",
        "/classes/1x",
        "/classes/{class_id}/assignments/0",
        "/classes/{class_id}/assignments/18446744073709551616",
    ],
)
def test_bad_ids_are_404_not_500(owned: dict[str, object], url: str) -> None:
    owner = owned["owner"]
    assert isinstance(owner, FlaskClient)
    assert owner.get(url.format(**owned)).status_code == 404
