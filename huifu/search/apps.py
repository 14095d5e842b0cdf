from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "huifu.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Each app's ``search_provider`` module registers its provider when imported; importing
        # them here (like the admin's autodiscover) means no app has to know the search exists.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("search_provider")
