"""Schemathesis against our own OpenAPI schema: no input, however odd, produces a server error.

Bounded and deterministic: a fixed number of examples per operation, derandomized.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from tests.conftest import make_credit_code

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
APP = get_wsgi_application()


@pytest.fixture
def keep_connection():
    """Calling the WSGI app directly fires request_started/finished, which would close the test's
    connection (Django's own test client disconnects this handler the same way)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(db, keep_connection):
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from brigade.org.models import Brigade, Station, Street
    from brigade.units.models import SocialUnit

    brigade = Brigade.objects.create(name="接口测试大队")
    street = Street.objects.create(brigade=brigade, name="测试街道")
    Station.objects.create(brigade=brigade, name="测试站", street=street)
    SocialUnit.objects.create(name="测试单位", credit_code=make_credit_code(5), site_category="school", street=street)
    # Token authentication only: no password to hash, which keeps 120 operations quick.
    user = User.objects.create_superuser("fuzz", password=None)
    return Token.objects.create(user=user).key


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=2, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_server_errors(case, token):
    case.call_and_validate(app=APP, headers={"Authorization": f"Token {token}"},
                           checks=[schemathesis.checks.not_a_server_error])
