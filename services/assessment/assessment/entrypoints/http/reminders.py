"""/reminders: an employer's reminders of pending assessments, an institution's of employment
claims awaiting its confirmation, and unsubscribing from them."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from assessment.entrypoints.deps import UowFactoryDep
from assessment.entrypoints.schemas import ReminderSubscriptionPublic, ReminderSubscriptionSet
from assessment.service_layer import reminders as handlers
from shared.platform.names import API_PREFIX
from shared.platform.web.identity import CurrentIdentity

router = APIRouter(prefix=f"{API_PREFIX}/reminders", tags=["reminders"])


@router.get(
    "/subscription",
    response_model=ReminderSubscriptionPublic,
    summary="Your reminders (employers: pending assessments; institutions: claims to confirm)",
)
async def get_subscription(identity: CurrentIdentity, uow_factory: UowFactoryDep) -> Any:
    async with uow_factory() as uow:
        return await handlers.subscription(uow, identity)


@router.put(
    "/subscription",
    response_model=ReminderSubscriptionPublic,
    summary="Ask for (or change, or pause) your reminders (employers and institutions)",
)
async def set_subscription(
    body: ReminderSubscriptionSet, identity: CurrentIdentity, uow_factory: UowFactoryDep
) -> Any:
    async with uow_factory() as uow:
        return await handlers.subscribe(uow, identity, **body.model_dump())


@router.post(
    "/unsubscribe",
    status_code=204,
    summary="Stop reminders with the token of a reminder's link (RFC 8058 one-click; no sign-in)",
)
async def unsubscribe(
    token: Annotated[str, Query(min_length=20, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
    uow_factory: UowFactoryDep,
) -> Response:
    async with uow_factory() as uow:
        await handlers.unsubscribe(uow, token)
    return Response(status_code=204)
