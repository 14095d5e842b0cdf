"""The incentive lists' filters, declared once (``huifu.core.filters``): the project list and the
participation list, each used by its page and its API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huifu.core.filters import FilterSet, IntegerFilter, QuickChoiceFilter, QuickModelChoiceFilter
from huifu.core.widgets import QuickSelect

from . import selectors
from .models import Participation, ParticipationStatus, Project, ProjectKind, ProjectStatus


class ProjectFilter(FilterSet):
    year = IntegerFilter(label=_("Year"), min_value=2000, max_value=2100)
    kind = QuickChoiceFilter(label=_("Kind"), choices=ProjectKind.choices, empty_label=_("All"))
    status = QuickChoiceFilter(label=_("Status"), choices=ProjectStatus.choices, empty_label=_("All"))

    class Meta:
        model = Project
        fields: list[str] = []


def _readable_projects(request):  # noqa: ANN001, ANN202 (django-filter's queryset callable)
    """The projects the user may read (the picker's choices): one not readable is not a choice."""
    user = request.user if request is not None else None
    return selectors.project_list(user=user).order_by("-year", "code") if user is not None else Project.objects.none()


class ParticipationFilter(FilterSet):
    status = QuickChoiceFilter(label=_("Status"), choices=ParticipationStatus.choices, empty_label=_("All"))
    project = QuickModelChoiceFilter(
        label=_("Project"),
        queryset=_readable_projects,
        label_field="name_zh",
        empty_label=_("All"),
        widget=QuickSelect(searchable=True),
    )

    class Meta:
        model = Participation
        fields: list[str] = []
