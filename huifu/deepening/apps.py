from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeepeningConfig(AppConfig):
    name = "huifu.deepening"
    label = "deepening"
    verbose_name = _("Enterprise deep-cultivation plan")

    def ready(self) -> None:
        from huifu.budget import funding
        from huifu.cases import sources as case_sources
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .models import DeepeningPlan
        from .selectors import evidence_file_readable
        from .services import EVIDENCE_PURPOSE, plan_payment_recorded

        file_access.register(EVIDENCE_PURPOSE, evidence_file_readable)
        case_sources.register(
            DeepeningPlan,
            finished=lambda plan: plan.status in ("completed", "closed"),
            enterprise=_first_enterprise,
            industry=lambda plan: ", ".join(
                dict.fromkeys(e.profile.industry for e in plan.enterprises.select_related("profile"))
            ),
        )
        funding.register(
            DeepeningPlan,
            funding.Funded(url=lambda plan: plan.get_absolute_url(), on_payment=plan_payment_recorded),
        )


def _first_enterprise(plan):  # noqa: ANN001, ANN202
    entry = plan.enterprises.filter(selected=True).select_related("profile__enterprise").first()
    return entry.profile.enterprise if entry is not None else None
