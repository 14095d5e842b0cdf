from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SelectionsConfig(AppConfig):
    name = "huifu.selections"
    label = "selections"
    verbose_name = pgettext_lazy("selection", "Excellent analyst selection")

    def ready(self) -> None:
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .models import MATERIAL_PURPOSE
        from .selectors import material_readable

        # Staff too: a judge recused from an application must not open its materials by id.
        file_access.register(MATERIAL_PURPOSE, material_readable, staff_too=True)

        from .objective import register_metrics

        register_metrics()

        from .audit_visibility import register

        register()
