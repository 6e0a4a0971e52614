import os

from django.core.wsgi import get_wsgi_application

from xinfang.platform.safety import refuse_unsafe_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.platform.settings")
application = get_wsgi_application()
# After set-up, before the first request: a production start with a default secret stops here.
refuse_unsafe_start()
