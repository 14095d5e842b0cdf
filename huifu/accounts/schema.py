"""Tells drf-spectacular how our Bearer token authentication looks in the OpenAPI schema.
Imported in ``AccountsConfig.ready`` (extensions register themselves on import)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "huifu.accounts.authentication.BearerTokenAuthentication"
    name = "BearerAuth"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
        return {"type": "http", "scheme": "bearer", "description": "A personal access token (profile page)."}
