from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .identity import exchange
from .navigation import navigation_for


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "product_name": settings.HUIFU_PRODUCT_NAME,
        "exchange": SimpleLazyObject(exchange),
        "nav_items": navigation_for(getattr(request, "user", None)),
    }
