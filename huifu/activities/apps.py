from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "huifu.activities"
    label = "activities"
    verbose_name = _("Co-hosted activities")

    def ready(self) -> None:
        from huifu.audit.rendering import register_key_labels
        from huifu.budget import funding
        from huifu.cases import sources as case_sources
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .models import Activity, ActivityStatus, AudienceKind
        from .selectors import activity_file_readable
        from .services import ACTIVITY_FILE_PURPOSE, on_invoice, on_payment

        file_access.register(ACTIVITY_FILE_PURPOSE, activity_file_readable)
        # The history reads {"industry": 30} as "行业客户: 30" (issue #10, point 7).
        register_key_labels(Activity, "audience_expected", AudienceKind.choices)
        register_key_labels(Activity, "actual_attendance", AudienceKind.choices)
        funding.register(
            Activity,
            funding.Funded(
                url=lambda activity: activity.get_absolute_url(), on_invoice=on_invoice, on_payment=on_payment
            ),
        )
        # Good industry-service cases are selected from finished activities (the plan's last step).
        case_sources.register(
            Activity,
            finished=lambda activity: activity.status in ActivityStatus.finished(),
            industry=lambda activity: activity.activity_type.display_name,
        )
