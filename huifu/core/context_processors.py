from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "product_name": settings.HUIFU_PRODUCT_NAME,
        "nav_items": navigation_for(getattr(request, "user", None)),
    }
