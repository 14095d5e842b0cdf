from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "huifu.activities"
    label = "activities"
    verbose_name = _("Co-hosted activities")

    def ready(self) -> None:
        from huifu.budget import funding
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .models import Activity
        from .selectors import activity_file_readable
        from .services import ACTIVITY_FILE_PURPOSE, on_invoice, on_payment

        file_access.register(ACTIVITY_FILE_PURPOSE, activity_file_readable)
        funding.register(
            Activity,
            funding.Funded(
                url=lambda activity: activity.get_absolute_url(), on_invoice=on_invoice, on_payment=on_payment
            ),
        )
