"""A local HTTP server that speaks Alibaba Cloud SMS's `SendSms` (RPC API 2017-05-25) as its
documentation describes, and checks what it is sent as the provider would: the common
parameters, a fresh nonce, a timestamp, the HMAC-SHA1 signature over the sorted, encoded
parameters under the account's secret, a mobile number, the template and its parameters.
It answers with the provider's JSON (`Code`, `Message`, `RequestId`, `BizId`) and keeps what
it accepted. `fail_next` makes it answer the next requests with a given error code."""

import base64
import datetime
import hashlib
import hmac
import json
import re
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.servers import free_port

ACCESS_KEY_ID = "LTAI-test-key"
ACCESS_KEY_SECRET = "test-secret-of-the-account"
SIGN_NAME = "西湖信访"
TEMPLATES = {  # code → the parameters the registered template uses
    "SMS_100000001": {"office", "reference", "title"},
    "SMS_100000002": {"office", "reference", "title", "code"},
}
REQUIRED = {
    "AccessKeyId", "Action", "Format", "PhoneNumbers", "RegionId", "Signature",
    "SignatureMethod", "SignatureNonce", "SignatureVersion", "SignName", "TemplateCode",
    "Timestamp", "Version",
}  # fmt: skip


def _encode(value: str) -> str:
    return urllib.parse.quote(value, safe="~")


def expected_signature(params: dict[str, str]) -> str:
    """Computed here from the documentation, independently of the platform's code."""
    query = "&".join(
        f"{_encode(k)}={_encode(v)}" for k, v in sorted(params.items()) if k != "Signature"
    )
    to_sign = "POST&%2F&" + _encode(query)
    digest = hmac.new(f"{ACCESS_KEY_SECRET}&".encode(), to_sign.encode(), hashlib.sha1)
    return base64.b64encode(digest.digest()).decode()


class SmsProvider:
    def __init__(self) -> None:
        self.port = free_port()
        self.accepted: list[dict[str, str]] = []
        self.nonces: set[str] = set()
        self.fail_next: list[str] = []
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                status, answer = provider.answer(self.path, self.headers, form)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> "SmsProvider":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def clear(self) -> None:
        with self.lock:
            self.accepted.clear()
            self.fail_next.clear()

    def answer(self, path, headers, form) -> tuple[int, dict]:
        request_id = str(uuid.uuid4()).upper()

        def error(status: int, code: str, message: str) -> tuple[int, dict]:
            return status, {"RequestId": request_id, "Code": code, "Message": message}

        if path != "/" or "x-www-form-urlencoded" not in headers.get("Content-Type", ""):
            return error(400, "MissingParameter", "a form POST to / is expected")
        missing = REQUIRED - set(form)
        if missing:
            return error(400, "MissingParameter", f"missing {sorted(missing)}")
        if (form["Action"], form["Version"], form["Format"]) != ("SendSms", "2017-05-25", "JSON"):
            return error(400, "InvalidAction", "SendSms 2017-05-25 JSON expected")
        if (form["SignatureMethod"], form["SignatureVersion"]) != ("HMAC-SHA1", "1.0"):
            return error(400, "InvalidSignatureMethod", "HMAC-SHA1 1.0 expected")
        if form["AccessKeyId"] != ACCESS_KEY_ID:
            return error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if not hmac.compare_digest(form["Signature"], expected_signature(form)):
            return error(400, "SignatureDoesNotMatch", "Specified signature is not matched.")
        stamp = datetime.datetime.strptime(form["Timestamp"], "%Y-%m-%dT%H:%M:%SZ")
        skew = abs(datetime.datetime.now(datetime.UTC).replace(tzinfo=None) - stamp)
        if skew > datetime.timedelta(minutes=15):
            return error(400, "InvalidTimeStamp.Expired", "Specified time stamp is expired.")
        with self.lock:
            if form["SignatureNonce"] in self.nonces:
                return error(400, "SignatureNonceUsed", "Specified signature nonce was used.")
            self.nonces.add(form["SignatureNonce"])
            if self.fail_next:
                code = self.fail_next.pop(0)
                return error(200, code, f"{code} (as told by the test)")
        if form["SignName"] != SIGN_NAME:
            return error(200, "isv.SMS_SIGNATURE_ILLEGAL", "the signature name is not approved")
        wanted = TEMPLATES.get(form["TemplateCode"])
        if wanted is None:
            return error(200, "isv.SMS_TEMPLATE_ILLEGAL", "the template is not approved")
        params = json.loads(form.get("TemplateParam") or "{}")
        if set(params) != wanted or any(len(str(v)) > 35 for v in params.values()):
            return error(200, "isv.TEMPLATE_PARAMS_ILLEGAL", f"parameters {sorted(wanted)}")
        if not re.fullmatch(r"1[3-9]\d{9}", form["PhoneNumbers"]):
            return error(200, "isv.MOBILE_NUMBER_ILLEGAL", "illegal mobile number")
        with self.lock:
            self.accepted.append({**form, "TemplateParam": params})
        biz_id = f"{len(self.accepted)}^{uuid.uuid4().int % 10**10}"
        return 200, {"RequestId": request_id, "Code": "OK", "Message": "OK", "BizId": biz_id}
