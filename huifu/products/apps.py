from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "huifu.products"
    label = "products"
    verbose_name = _("Products")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)
