from huifu.accounts import demo as accounts_demo
from huifu.directory import demo as directory_demo
from huifu.incentives import demo
from huifu.incentives.models import Participation, Project


def test_demo_seeds_projects_covering_12_futures_and_8_options(db, official_calendar):
    directory_demo.seed(scale=1)
    accounts_demo.seed(scale=1)
    demo.seed(scale=1)
    projects = Project.objects.filter(year=2023).exclude(kind="research")
    assert projects.count() == 9
    kinds = set()
    for project in projects:
        kinds |= {(p.kind, p.code) for p in project.products.all()}
    assert len([c for k, c in kinds if k == "futures"]) == 12
    assert len([c for k, c in kinds if k == "option"]) == 8
    assert set(projects.values_list("service_line", flat=True)) == {
        "",
        "pricing_benchmark",
        "enterprise_expansion",
        "tool_application",
    }
    n = Participation.objects.count()
    assert n >= 18
    states = set(Participation.objects.values_list("status", flat=True))
    assert {"submitted", "tracking", "accepted", "closed", "rejected", "failed"} <= states
    demo.seed(scale=1)  # idempotent
    assert Participation.objects.count() == n and Project.objects.count() == 10
    # The research call (issue 12): university topics in several states.
    research = Participation.objects.filter(project__kind="research")
    assert research.count() == 5
    assert set(research.values_list("organisation__kind", flat=True)) == {"university"}
    assert {"submitted", "tracking", "accepted"} <= set(research.values_list("status", flat=True))
