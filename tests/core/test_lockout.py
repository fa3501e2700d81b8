"""Repeated failed logins lock the account with a Chinese page; the right password then waits too."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def test_five_failures_lock_the_account(client, settings):
    User.objects.create_user("officer", password="the-right-password-1", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "officer", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    locked = client.post("/admin/login/", {"username": "officer", "password": "wrong"})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    still = client.post("/admin/login/", {"username": "officer", "password": "the-right-password-1"})
    assert still.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, settings):
    User.objects.create_user("officer2", password="the-right-password-2", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/admin/login/", {"username": "officer2", "password": "wrong"})
    ok = client.post("/admin/login/", {"username": "officer2", "password": "the-right-password-2"})
    assert ok.status_code == 302
