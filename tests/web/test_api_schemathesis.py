"""Schemathesis against the API's own OpenAPI document, in process (WSGI), with a read-write
token of a clerk who has a package: every operation gets generated requests, valid and
invalid, and no answer may be a 500 or differ from what the document declares (status code,
content type, body schema). Bounded (a few examples per operation) so the suite stays fast."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jixiao.web.api.main import api

APP = get_wsgi_application()
# No server error, and every answer as the document declares it (status, content type, headers,
# body). Not the checks of what the API should refuse: the package model reads what people type
# leniently on purpose (a number written as text is read as the number), wider than its schema.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = APP
# Generated examples only (bounded by max_examples below). The coverage phase walks every
# boundary of every property of the package's schema (hundreds of cases per operation): run
# it by hand with `schemathesis run` when the schema changes, not in every `make test`.
schema.config.phases.coverage.enabled = False


def test_the_document_is_openapi_3_1_and_valid():
    import json

    from openapi_spec_validator import validate

    doc = json.loads(json.dumps(api.get_openapi_schema()))  # as served
    assert doc["openapi"].startswith("3.1")
    validate(doc)  # raises on any violation of the OpenAPI 3.1 schema


@pytest.fixture
def token(world, settings):
    from apiworld import token_for
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    settings.JIXIAO_API_RATE = "100000/min"
    cache.clear()
    # The WSGI handler closes the database connection after each request, which would end the
    # test's transaction; Django's test client disconnects the same receivers.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield token_for(world.clerk)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_500_and_no_schema_violation(case, token):
    case.call_and_validate(app=APP, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
