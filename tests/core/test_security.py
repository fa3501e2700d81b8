"""Production settings come from the environment and pass Django's deployment checks."""

import secrets

import pytest

from tests.test_cli import brigade


def test_production_without_a_secret_key_is_refused_in_one_line():
    result = brigade("check", env={"BRIGADE_DEBUG": "0", "BRIGADE_SECRET_KEY": ""})
    assert result.returncode == 2
    assert result.stderr.strip() == "配置错误：生产环境（BRIGADE_DEBUG=0）必须通过环境变量 BRIGADE_SECRET_KEY 设置密钥。"


def test_check_deploy_is_clean_with_production_settings():
    env = {"BRIGADE_DEBUG": "0", "BRIGADE_SECRET_KEY": secrets.token_urlsafe(50),
           "BRIGADE_ALLOWED_HOSTS": "brigade.example"}
    result = brigade("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/admin/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_passwords_are_hashed_with_argon2(db):
    from django.contrib.auth.models import User

    user = User.objects.create_user("officer", password="a-long-enough-password")
    assert user.password.startswith("argon2$")
