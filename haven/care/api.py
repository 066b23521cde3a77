"""Professional care in the JSON API: each feature's router, for haven.api.urls to add."""

from ninja import Router

from haven.care.booking.api import router as booking_router
from haven.care.intake.api import router as intake_router
from haven.care.messaging.api import router as messaging_router
from haven.care.telehealth.api import router as telehealth_router
from haven.care.therapists.api import router as therapists_router


def _with_operation_ids(area: str, router: Router) -> Router:
    """Operation ids as they were generated when the router was haven.care.api.<area>: clients
    built from the schema call the operations by them."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            if operation.operation_id is None:
                name = operation.view_func.__name__
                operation.operation_id = f"haven_care_api_{area}_{name}"
    return router


routers: list[Router] = [
    _with_operation_ids("therapists", therapists_router),
    _with_operation_ids("matching", intake_router),
    _with_operation_ids("booking", booking_router),
    _with_operation_ids("messaging", messaging_router),
    _with_operation_ids("telehealth", telehealth_router),
]
