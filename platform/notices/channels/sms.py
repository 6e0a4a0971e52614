"""SMS through a provider's HTTP API (`XINFANG_SMS_*`). One provider is spoken: Alibaba Cloud
SMS (阿里云短信, Dysms), the `SendSms` action of its RPC API, version 2017-05-25, signed with
HMAC-SHA1 (signature version 1.0) as its documentation describes. An SMS carries no free text:
the provider sends a template the office registered with it, filled with parameters (the
reference, the document's title, the office; the query code in the registration template).
`OutId` is the notice's id, so the provider's delivery reports name it."""

import base64
import datetime
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings

from xinfang.platform.notices.channels import Message, Retry, Undeliverable

API_VERSION = "2017-05-25"
# Codes that no retry can change (the number itself); every other failure is retried: a rate
# limit passes, and a wrong key or template can be corrected while the notice waits.
NEVER = {
    "isv.MOBILE_NUMBER_ILLEGAL": "the number is not a mobile number",
    "isv.MOBILE_COUNT_OVER_LIMIT": "too many numbers",
    "isv.BLACK_KEY_CONTROL_LIMIT": "the provider refused the text",
    "isv.DAY_LIMIT_CONTROL": "the number reached its daily limit",
}
# A template parameter is at most this long at the provider.
PARAMETER_LENGTH = 35


def unconfigured() -> str:
    if not settings.XINFANG_SMS_PROVIDER:
        return "SMS is not configured (XINFANG_SMS_PROVIDER)"
    if settings.XINFANG_SMS_PROVIDER != "aliyun":
        return f"unknown SMS provider {settings.XINFANG_SMS_PROVIDER!r} (aliyun)"
    missing = [
        name
        for name in (
            "XINFANG_SMS_ACCESS_KEY_ID",
            "XINFANG_SMS_ACCESS_KEY_SECRET",
            "XINFANG_SMS_SIGN_NAME",
            "XINFANG_SMS_TEMPLATE",
            "XINFANG_SMS_TEMPLATE_REGISTERED",
        )
        if not getattr(settings, name)
    ]
    return f"SMS is not configured ({', '.join(missing)})" if missing else ""


def template(message: Message) -> tuple[str, dict[str, str]]:
    """The provider's template code and its parameters for this notice."""
    params = {
        "office": message.office,
        "reference": message.reference,
        "title": message.subject.split("（")[0],
    }
    if message.query_code:
        return settings.XINFANG_SMS_TEMPLATE_REGISTERED, {**params, "code": message.query_code}
    return settings.XINFANG_SMS_TEMPLATE, params


def send(message: Message) -> str:
    code, params = template(message)
    form = signed(
        {
            "Action": "SendSms",
            "Version": API_VERSION,
            "RegionId": "cn-hangzhou",
            "PhoneNumbers": message.address,
            "SignName": settings.XINFANG_SMS_SIGN_NAME,
            "TemplateCode": code,
            "TemplateParam": json.dumps(
                {k: v[:PARAMETER_LENGTH] for k, v in params.items()}, ensure_ascii=False
            ),
            "OutId": message.notice_id,
        },
        method="POST",
    )
    answer = _post(form)
    if answer.get("Code") == "OK":
        return str(answer.get("BizId", ""))
    why = f"{answer.get('Code')}: {answer.get('Message', '')}"
    if answer.get("Code") in NEVER:
        raise Undeliverable(f"{NEVER[answer['Code']]} ({why})")
    raise Retry(why)


def signed(params: dict[str, str], *, method: str) -> dict[str, str]:
    """The request's parameters with the common ones and their `Signature`."""
    common = {
        "AccessKeyId": settings.XINFANG_SMS_ACCESS_KEY_ID,
        "Format": "JSON",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": uuid.uuid4().hex,
        "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    unsigned = {**common, **params}
    key = settings.XINFANG_SMS_ACCESS_KEY_SECRET
    return {**unsigned, "Signature": signature(unsigned, key=key, method=method)}


def signature(params: dict[str, str], *, key: str, method: str) -> str:
    """Base64(HMAC-SHA1(secret + "&", METHOD & %2F & encode(sorted, encoded parameters)))."""
    canonical = "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{encode('/')}&{encode(canonical)}"
    digest = hmac.new(f"{key}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def encode(value: str) -> str:
    """The provider's percent-encoding: RFC 3986 unreserved characters kept, UTF-8, space as
    %20 (never +), and `*` encoded, `~` not."""
    return urllib.parse.quote(str(value), safe="~")


def _post(form: dict[str, str]) -> dict:
    request = urllib.request.Request(
        settings.XINFANG_SMS_ENDPOINT,
        data=urllib.parse.urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.XINFANG_SMS_TIMEOUT) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:  # the provider answers its errors with a JSON body
        try:
            return json.loads(exc.read())
        except ValueError:
            raise Retry(f"HTTP {exc.code} from the SMS provider") from exc
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise Retry(f"{type(exc).__name__}: {exc}") from exc
