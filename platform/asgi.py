import os

from django.core.asgi import get_asgi_application

from xinfang.platform.safety import refuse_unsafe_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.platform.settings")
application = get_asgi_application()
# After set-up, before the first request: a production start with a default secret stops here.
refuse_unsafe_start()
