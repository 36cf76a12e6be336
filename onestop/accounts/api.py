from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from onestop.accounts import access, selectors, services
from onestop.accounts.models import ApiToken, User
from onestop.core.api_schemas import ErrorOut

router = Router()


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` for staff tokens issued by POST /api/v1/auth/token."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = selectors.active_token(token)
        if found is None:
            return None
        request.api_token = found  # type: ignore[attr-defined]
        request.user = found.user
        return found.user


bearer = BearerToken()


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=200)
    label: str = Field(default="", max_length=100)


class TokenOut(Schema):
    token: str
    expires_at: datetime


class AssignmentOut(Schema):
    role: str
    centre: str | None
    department: str | None
    region: str | None
    windows: list[int]


class MeOut(Schema):
    username: str
    full_name: str
    assignments: list[AssignmentOut]
    permissions: list[str]


@router.post(
    "/token",
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut},
    summary="Exchange a staff login for a bearer token",
)
def create_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    raw, token = services.issue_api_token(
        username=payload.username, password=payload.password, label=payload.label
    )
    return TokenOut(token=raw, expires_at=token.expires_at)


@router.delete(
    "/token",
    auth=bearer,
    response={204: None, 401: ErrorOut},
    summary="Revoke the token used for this request",
)
def revoke_token(request: HttpRequest) -> Status[None]:
    token: ApiToken = request.api_token  # type: ignore[attr-defined]
    services.revoke_api_token(token=token, actor=token.user)
    return Status(204, None)


@router.get("/me", auth=bearer, response={200: MeOut, 401: ErrorOut}, summary="Who am I")
def me(request: HttpRequest) -> MeOut:
    user: User = request.auth  # type: ignore[attr-defined]
    return MeOut(
        username=user.username,
        full_name=user.get_full_name(),
        assignments=[
            AssignmentOut(
                role=a.role,
                centre=a.centre.code if a.centre else None,
                department=a.department.code if a.department else None,
                region=a.region.code if a.region else None,
                windows=[w.number for w in a.windows.all()],
            )
            for a in selectors.assignments_of(user)
        ],
        permissions=sorted(str(p) for p in access.permissions_of(user)),
    )
