"""Admins promote users; nobody else may."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import User
from quiz.services.accounts import PasswordPolicy, create_user

POLICY = PasswordPolicy("pbkdf2:sha256:1000")


def login_as(app: Flask, client: FlaskClient, username: str, role: str) -> None:
    with app.app_context():
        create_user(db.session, username, "a long password", POLICY, role=role)
    client.post("/login", data={"username": username, "password": "a long password"})


def role_of(app: Flask, username: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.role).where(User.username == username))


def test_anonymous_users_go_to_log_in(client: FlaskClient) -> None:
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["student", "instructor"])
def test_only_admins_see_or_change_roles(app: Flask, client: FlaskClient, role: str) -> None:
    login_as(app, client, "someone", role)
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/1/role", data={"role": "admin"}).status_code == 403
    assert role_of(app, "someone") == role


def test_an_admin_promotes_a_student_to_instructor(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        create_user(db.session, "pupil", "a long password", POLICY)
        pupil_id = db.session.scalar(select(User.id).where(User.username == "pupil"))
    login_as(app, client, "boss", "admin")
    assert "pupil" in client.get("/admin/users?q=pup").get_data(as_text=True)
    client.post(f"/admin/users/{pupil_id}/role", data={"role": "instructor"})
    assert role_of(app, "pupil") == "instructor"
    client.post(f"/admin/users/{pupil_id}/role", data={"role": "emperor"})
    assert role_of(app, "pupil") == "instructor"


def test_the_last_admin_cannot_step_down(app: Flask, client: FlaskClient) -> None:
    login_as(app, client, "boss", "admin")
    with app.app_context():
        boss_id = db.session.scalar(select(User.id).where(User.username == "boss"))
    client.post(f"/admin/users/{boss_id}/role", data={"role": "student"})
    assert role_of(app, "boss") == "admin"
    assert "Keep at least one admin" in client.get("/admin/users").get_data(as_text=True)
