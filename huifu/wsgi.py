import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huifu.settings")
application = get_wsgi_application()

# Word segmentation for similar-item suggestions: loaded here, once per worker before it serves,
# not by the first submission (issue #9). Only servers import this module.
from huifu.servicedesk.similarity import warm_up  # noqa: E402

warm_up()
