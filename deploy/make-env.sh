#!/usr/bin/env bash
# Print a fresh env file with random secrets:  deploy/make-env.sh > .env
# (docker compose reads .env; for Kubernetes put the same values in the xinfang-secrets Secret).
# Keep the output secret and never commit it. Losing XINFANG_FIELD_KEYS loses every encrypted ID
# and phone number; XINFANG_PERSON_KEY_SECRET must be the same for every office of the platform.
set -euo pipefail
python3 - <<'PY'
import base64
import secrets

print("DJANGO_DEBUG=0")
print(f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}")
print(f"XINFANG_FIELD_KEYS={base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}")
print(f"XINFANG_PERSON_KEY_SECRET={secrets.token_urlsafe(32)}")
print(f"XINFANG_QUERY_CODE_KEY={secrets.token_urlsafe(32)}")
print("DJANGO_ALLOWED_HOSTS=.localhost,localhost")
print("# behind a TLS proxy in production: XINFANG_HTTPS=1 and your own host names")
PY
