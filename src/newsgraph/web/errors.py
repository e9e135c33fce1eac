"""One error shape for every failure: ``{"error": {"status", "code", "message", "details"}}``.

API paths answer JSON; web pages answer a small escaped HTML page with the same status.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from markupsafe import escape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

log = logging.getLogger("newsgraph.web")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_parameters",
    500: "internal_error",
    501: "not_implemented",
    503: "unavailable",
}


def error_body(status: int, message: str, details: list[dict[str, Any]] | None = None) -> dict:
    code = _CODES.get(status) or HTTPStatus(status).phrase.lower().replace(" ", "_")
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(
    request: Request,
    status: int,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if _is_api(request):
        return JSONResponse(error_body(status, message, details), status, headers=headers)
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{status} · newsgraph</title><link rel='stylesheet' href='/static/css/app.css'>"
        f"</head><body><main class='error'><h1>{status} {escape(HTTPStatus(status).phrase)}</h1>"
        f"<p>{escape(message)}</p><p><a href='/'>Search</a></p></main></body></html>"
    )
    return HTMLResponse(page, status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for e in exc.errors():
        # Echo where and why, never the (possibly huge or hostile) input itself.
        out.append({"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))})
    return out


def _allowed_methods(app: FastAPI, request: Request) -> list[str]:
    methods: set[str] = set()
    for route in app.routes:
        if isinstance(route, APIRoute | Route) and route.path_regex.match(request.url.path):
            methods |= set(route.methods or ())
    return sorted(methods)


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            # Starlette names only the first route matching the path; list them all.
            headers["Allow"] = ", ".join(_allowed_methods(app, request))
        return error_response(request, exc.status_code, str(exc.detail), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, "invalid request parameters", _validation_details(exc))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal error (see the server log)")
