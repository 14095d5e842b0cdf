from rest_framework.routers import SimpleRouter

from .api import ContactViewSet, DepartmentViewSet, OrganisationViewSet

router = SimpleRouter()
router.register("directory/organisations", OrganisationViewSet, basename="directory-organisation")
router.register("directory/contacts", ContactViewSet, basename="directory-contact")
router.register("directory/departments", DepartmentViewSet, basename="directory-department")

urlpatterns = router.urls
