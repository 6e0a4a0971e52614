"""Handoffs between offices: every state change that crosses from one office to another, one module
per step.

- `sending`: 转送 transfer, 交办 assignment to an office, 上报 escalation, a skip-level petition
  transferred down;
- `receiving`: the receiver signs for it (签收) or objects (异议); the objection decided;
- `assignments`: the assigned office's result report;
- `reviews`: 复查 review and 复核 re-review requests and opinions, and termination (终结);
- `copies` (the receiver's own copy), `delivery` (the receipt after commit), `common` (the ledger
  row, idempotency, the test seam).

All offices share one PostgreSQL database, so each service is ONE transaction spanning the
sender's schema (its petition locked, its transition and event), the public ledger (`Handoff`)
and the receiver's schema (its own copy of the petition: same `matter_id`, its own reference
number, the 15-day acceptance deadline started), with the registry rows of both copies synced and
their viewers recomputed by `registry/visibility.py`. It happens wholly or not at all. Side
effects (the delivery receipt, search indexing) wait for the commit.

A retried request is harmless: an idempotency key is unique per initiating office in the ledger,
and the sender's petition row lock serialises concurrent handoffs of the same petition.

Callers import the services from here (`services.petition_transfer(...)`).
"""

from xinfang.platform.exchange.services.assignments import ReportError, assignment_report
from xinfang.platform.exchange.services.common import HandoffError
from xinfang.platform.exchange.services.copies import (
    WITHHELD_NAME,
    identity_withheld_from,
)
from xinfang.platform.exchange.services.delivery import handoff_deliver
from xinfang.platform.exchange.services.receiving import (
    ObjectionError,
    common_superior,
    handoff_accept,
    handoff_object,
    objection_decide,
)
from xinfang.platform.exchange.services.reviews import (
    EvidenceKind,
    ReviewError,
    ReviewEvidence,
    recheck_request,
    review_opinion_issue,
    review_request,
)
from xinfang.platform.exchange.services.sending import (
    SendError,
    petition_assign_to_office,
    petition_escalate,
    petition_transfer,
    skip_level_transfer_down,
)

__all__ = [
    "WITHHELD_NAME",
    "EvidenceKind",
    "HandoffError",
    "ObjectionError",
    "ReportError",
    "ReviewError",
    "ReviewEvidence",
    "SendError",
    "assignment_report",
    "common_superior",
    "handoff_accept",
    "handoff_deliver",
    "handoff_object",
    "identity_withheld_from",
    "objection_decide",
    "petition_assign_to_office",
    "petition_escalate",
    "petition_transfer",
    "recheck_request",
    "review_opinion_issue",
    "review_request",
    "skip_level_transfer_down",
]
