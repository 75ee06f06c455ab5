"""API plumbing shared by every router: problem responses, input clean-up, versions.

Errors are RFC 9457 problem documents in the reader's language; validation problems list
each failing field::

    {"type": "validation-error", "title": "…", "status": 422,
     "errors": [{"field": "email", "message": "Bitte eine gültige E-Mail-Adresse …",
                 "code": "invalid"}]}

Every record carries its ``version``, sent as ``ETag``; a write with ``If-Match`` of an older
version answers 412 (``core.concurrency``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, RawPostDataException
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination
from ninja.parser import Parser
from ninja.schema import DjangoGetter
from pydantic import ConfigDict, model_validator

from innendienst.core.concurrency import PreconditionFailed, VersionedModel, etag, parse_if_match
from innendienst.core.paging import LIST_COUNT_LIMIT, LimitedPaginator

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Ids beyond a signed 64-bit integer cannot exist and would overflow the database driver.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class ProblemField(Schema):
    field: str = Field(description="The failing field; __all__ for the record as a whole")
    message: str
    code: str


class Problem(Schema):
    """RFC 9457 problem document, sent as application/problem+json."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[ProblemField] | None = None


ERROR_RESPONSES: dict[int, type[Schema]] = {
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
    429: Problem,
}
# Operations with a JSON body: too large a body, or one that is not JSON.
BODY_RESPONSES: dict[int, type[Schema]] = {**ERROR_RESPONSES, 413: Problem, 415: Problem}
# Changes of a versioned record: a stale If-Match.
WRITE_RESPONSES: dict[int, type[Schema]] = {**BODY_RESPONSES, 412: Problem}


class RecordOut(Schema):
    """A record as the API sends it, read from the model instance field by field.

    Ninja's own path wraps the instance in a getter that pydantic asks once per field through
    Python: a sixth of the CPU time of a 50-record list page.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: Any, info: Any) -> Any:
        if not isinstance(values, models.Model):
            return handler(DjangoGetter(values, cls, info.context))
        resolvers = cls._ninja_resolvers  # type: ignore[attr-defined]
        getter = DjangoGetter(values, cls, info.context) if resolvers else None
        data = {}
        for name in cls.model_fields:
            resolver = resolvers.get(name)
            data[name] = resolver(getter=getter) if resolver else getattr(values, name)
        return handler(data)


class InputSchema(Schema):
    """A request body: a JSON object with known fields only, so a misspelt field is an error
    instead of being silently ignored."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _require_object(cls, data: Any) -> Any:
        unwrapped = getattr(data, "_obj", data)
        if not isinstance(unwrapped, dict):
            raise ValueError(_("Please send a JSON object."))
        return data


class Pagination(PageNumberPagination):
    """Page numbers with an upper bound, so no page number can overflow the database; the
    count stops at a limit, as on the list pages (``core.paging``)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1)

    class Output(Schema):
        items: list[Any]
        count: int = Field(description=f"Matching rows, counted up to {LIST_COUNT_LIMIT:,}")
        count_is_limited: bool = Field(
            description="More rows match than `count` says: page on, or narrow the filters"
        )

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        paginator = LimitedPaginator(queryset, page_size)
        return {
            self.items_attribute: queryset[offset : offset + page_size],
            "count": paginator.count,
            "count_is_limited": paginator.is_limited,
        }


# Locations ninja puts in front of a field name; the client only needs the field itself.
_LOCATION_PARTS = {"body", "query", "path", "header", "cookie", "form", "payload", "filters"}


class Conflict(Exception):
    """The request does not fit the record's state (an import undone already); answered 409
    with the message as the problem's detail."""


class UnsupportedMediaType(Exception):
    """A body that is not JSON sent to an operation that reads a JSON body."""


def is_json(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


class JsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        if not is_json(request.content_type or ""):
            raise UnsupportedMediaType(request.content_type)
        return super().parse_body(request)


class InnendienstAPI(NinjaAPI):
    """Declares error responses with the media type they are sent with, and routes a literal
    path segment before a parameter whichever app's router was mounted first: Django takes the
    first pattern that matches, and "/companies/match" (matching) is no "/companies/{id}"
    (contacts)."""

    def _get_urls(self) -> list[Any]:
        def specificity(url: Any) -> tuple[int, ...]:
            route = str(getattr(url, "pattern", ""))
            return tuple(int(segment.startswith("<")) for segment in route.split("/"))

        return sorted(super()._get_urls(), key=specificity)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith("4") and "application/json" in content:
                        response["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
        return schema


def problem_body(
    status: int,
    title: str,
    *,
    kind: str,
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": kind, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    return body


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    title: str,
    *,
    kind: str,
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    body = problem_body(status, title, kind=kind, detail=detail, errors=errors)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _field_of(location: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if str(part) not in _LOCATION_PARTS]
    return ".".join(parts) or NON_FIELD_ERRORS


def _sent_fields(request: HttpRequest) -> set[str]:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, RawPostDataException):
        return set()
    return set(body) if isinstance(body, dict) else set()


def _django_errors(exc: DjangoValidationError, sent: set[str]) -> list[dict[str, str]]:
    """Field errors named as the client sent the field: a service speaks of ``person``,
    the client sent ``person_id``."""
    if hasattr(exc, "error_dict"):
        return [
            {
                "field": f"{field}_id" if field not in sent and f"{field}_id" in sent else field,
                "message": str(message),
                "code": error.code or "invalid",
            }
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [
        {"field": NON_FIELD_ERRORS, "message": str(message), "code": error.code or "invalid"}
        for error in exc.error_list
        for message in error.messages
    ]


def _limit(error: dict[str, Any]) -> dict[str, Any]:
    context = error.get("ctx") or {}
    limit = next((context[key] for key in ("ge", "gt", "le", "lt") if key in context), "")
    return {"limit": limit, **context}


def _choices(error: dict[str, Any]) -> str:
    """Pydantic lists the allowed values as "'a', 'b' or 'c'": the "or" is English."""
    return str((error.get("ctx") or {}).get("expected", "")).replace(" or ", ", ")


# Pydantic's messages are English; the reader gets them in his language.
_PYDANTIC_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda e: _("This field is required."),
    "extra_forbidden": lambda e: _("There is no such field. Please check the spelling."),
    "string_type": lambda e: _("Please send a text."),
    "string_too_long": lambda e: (
        _("Please send at most %(max_length)s characters.") % (e.get("ctx") or {})
    ),
    "int_type": lambda e: _("Please send a whole number."),
    "int_parsing": lambda e: _("Please send a whole number."),
    "int_from_float": lambda e: _("Please send a whole number."),
    "bool_type": lambda e: _("Please send true or false."),
    "bool_parsing": lambda e: _("Please send true or false."),
    "float_type": lambda e: _("Please send a number."),
    "float_parsing": lambda e: _("Please send a number."),
    "decimal_type": lambda e: _("Please send a number."),
    "decimal_parsing": lambda e: _("Please send a number."),
    "decimal_max_digits": lambda e: _("This number has too many digits."),
    "decimal_max_places": lambda e: _("This number has too many decimal places."),
    "decimal_whole_digits": lambda e: _("This number has too many digits."),
    "finite_number": lambda e: _("Please send a number."),
    "date_type": lambda e: _("Please send a date as YYYY-MM-DD."),
    "date_parsing": lambda e: _("Please send a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": lambda e: _("Please send a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": lambda e: _("Please send a date as YYYY-MM-DD."),
    "datetime_type": lambda e: _("Please send a date and time as YYYY-MM-DDTHH:MM."),
    "datetime_parsing": lambda e: _("Please send a date and time as YYYY-MM-DDTHH:MM."),
    "datetime_from_date_parsing": lambda e: _("Please send a date and time as YYYY-MM-DDTHH:MM."),
    "datetime_object_invalid": lambda e: _("Please send a date and time as YYYY-MM-DDTHH:MM."),
    "greater_than_equal": lambda e: _("Please send at least %(limit)s.") % _limit(e),
    "greater_than": lambda e: _("Please send more than %(limit)s.") % _limit(e),
    "less_than_equal": lambda e: _("Please send at most %(limit)s.") % _limit(e),
    "less_than": lambda e: _("Please send less than %(limit)s.") % _limit(e),
    "enum": lambda e: _("Please send one of: %(expected)s.") % {"expected": _choices(e)},
    "literal_error": lambda e: _("Please send one of: %(expected)s.") % {"expected": _choices(e)},
    "list_type": lambda e: _("Please send a list."),
    "dict_type": lambda e: _("Please send a JSON object."),
    "model_type": lambda e: _("Please send a JSON object."),
    "model_attributes_type": lambda e: _("Please send a JSON object."),
    "json_invalid": lambda e: _("The request body is not valid JSON."),
    # Raised by our own validators with a translated message.
    "value_error": lambda e: str((e.get("ctx") or {}).get("error", "")),
}


def pydantic_message(error: dict[str, Any]) -> str:
    render = _PYDANTIC_MESSAGES.get(str(error.get("type", "")))
    if render is not None:
        try:
            message = render(error)
        except (KeyError, TypeError, ValueError):
            message = ""
        if message:
            return message
    return _("This value is not valid.")


def _unauthorized(api: NinjaAPI, request: HttpRequest) -> HttpResponse:
    response = problem(
        api,
        request,
        401,
        _("Authentication required."),
        kind="unauthorized",
        detail=_("Send a personal API token: Authorization: Bearer <token>."),
    )
    response["WWW-Authenticate"] = 'Bearer realm="innendienst"'
    return response


def install_error_handlers(api: NinjaAPI) -> None:
    def validation_failed(request: HttpRequest, exc: Exception) -> HttpResponse:
        if isinstance(exc, NinjaValidationError):
            errors = [
                {
                    "field": _field_of(error.get("loc", ())),
                    "message": pydantic_message(error),
                    "code": str(error.get("type", "invalid")),
                }
                for error in exc.errors
            ]
        else:
            errors = _django_errors(exc, _sent_fields(request))  # type: ignore[arg-type]
        return problem(
            api, request, 422, _("The input is not valid."), kind="validation-error", errors=errors
        )

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(api, request, 404, _("Not found."), kind="not-found")

    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(
            api, request, 403, _("Not allowed."), kind="forbidden", detail=str(exc) or ""
        )

    def precondition_failed(request: HttpRequest, exc: PreconditionFailed) -> HttpResponse:
        response = problem(
            api,
            request,
            412,
            _("The record was changed in the meantime."),
            kind="precondition-failed",
            detail=_(
                "Read it again (its version is now %(version)s) and send your change with "
                "If-Match of the new version."
            )
            % {"version": exc.current_version},
        )
        response["ETag"] = etag(exc.current_version)
        return response

    def conflict(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(
            api, request, 409, _("Not possible now."), kind="conflict", detail=str(exc) or ""
        )

    def too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(
            api,
            request,
            413,
            _("The request body is too large."),
            kind="too-large",
            detail=_("Send at most %(limit)s bytes.")
            % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        )

    def not_json(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(
            api,
            request,
            415,
            _("Please send the body as JSON."),
            kind="unsupported-media-type",
            detail=_("Set Content-Type: application/json."),
        )

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return _unauthorized(api, request)
        if exc.status_code == 429:
            return problem(
                api,
                request,
                429,
                _("Too many failed attempts. Please wait a quarter of an hour."),
                kind="too-many-requests",
            )
        if exc.status_code == 403:  # ninja's CSRF check of a browser session
            return problem(
                api,
                request,
                403,
                _("The security token of the page is missing or out of date."),
                kind="csrf-failed",
                detail=_("Reload the page and try again."),
            )
        if exc.status_code == 400 and isinstance(exc.__cause__, UnsupportedMediaType):
            return not_json(request, exc)
        if exc.status_code == 400:
            return problem(
                api, request, 400, _("The request body is not valid JSON."), kind="bad-request"
            )
        return problem(api, request, exc.status_code, str(exc), kind="http-error")

    api.add_exception_handler(NinjaValidationError, validation_failed)
    api.add_exception_handler(DjangoValidationError, validation_failed)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(PreconditionFailed, precondition_failed)
    api.add_exception_handler(Conflict, conflict)
    api.add_exception_handler(RequestDataTooBig, too_big)
    # The browser session's CSRF check has read a form body already: it is not JSON.
    api.add_exception_handler(RawPostDataException, not_json)
    api.add_exception_handler(HttpError, http_error)


def model_input(model: type[models.Model], data: dict[str, Any]) -> dict[str, Any]:
    """JSON null for a text column means "empty": the database keeps "" there, not NULL."""
    cleaned = {}
    for name, value in data.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            try:
                field = model._meta.get_field(name.removesuffix("_id"))
            except FieldDoesNotExist:
                cleaned[name] = value
                continue
        if (
            value is None
            and not field.null
            and isinstance(field, models.CharField | models.TextField)
        ):
            value = ""
        cleaned[name] = value
    return cleaned


def referenced(queryset: models.QuerySet, pk: int, field: str) -> models.Model:
    """The record a request body points to; an unknown or invisible one is a field error."""
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as exc:
        raise DjangoValidationError(
            {
                field: DjangoValidationError(
                    _("There is no such record, or you may not see it."), code="does_not_exist"
                )
            }
        ) from exc


def if_match(request: HttpRequest) -> int | None:
    """The version the client's change is based on (``If-Match``), if it sent one."""
    return parse_if_match(request.headers.get("If-Match"))


def versioned(response: HttpResponse, record: VersionedModel) -> VersionedModel:
    """Send the record's version as its ETag."""
    response["ETag"] = etag(record.version)
    return record
