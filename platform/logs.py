"""Logs never keep personal data: every record's message, arguments and traceback are scrubbed of
ID numbers, phone numbers and query codes before any handler writes them (settings.LOGGING)."""

import logging

from xinfang.platform.pii import redact_for_logs


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_for_logs(record.getMessage())
        record.args = None
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = redact_for_logs(formatter.formatException(record.exc_info))
            record.exc_info = None  # formatted above; a handler must not format it again
        if record.stack_info:
            record.stack_info = redact_for_logs(record.stack_info)
        return True
