"""The petition workflow inside one office, as a table of transitions.

Each row says from which states a transition may start, the state it leads to, which roles may
perform it, which deadline it starts, and whether the petitioner sees it in the progress lookup
(可查询). `apply` is the only code that changes `Petition.status`: services in `services.py` and
the exchange services call it inside their transaction, after locking the row. It checks role,
state and the version the client saw, bumps the version and writes the `PetitionEvent`.

The office's own steps are `Transition`s (clients see them as `availableTransitions`). What comes
through the ledger from another office is a `LedgerTransition`: a copy received (routed, or
accepted for a review), a copy returned to its sender and the sender taking it back after an
upheld objection, a review or re-review opinion issued; the exchange services check who may.

    registered ──route──► routed ──accept──► accepted ──assign──► in_handling ──reply──► replied
        │                   │                                    │    ▲    │                  │
        ├──decline──────────┴──► declined          start_hearing ▼    │ end_hearing     evaluate
        ├──transfer──► transferred  (from routed too:     in_hearing           ▼            │
        └──assign_out──► assigned_out   a received copy)                    evaluated ◄──────┘
                                                       replied / evaluated ──close──► closed
                accepted / in_handling / replied / evaluated / closed ──terminate──► terminated
                                                          (once its matter's 复核 ended it)
    extend: accepted / in_handling / in_hearing, once, by a leader (the state stays).
    through the ledger: registered ──receive──► routed, registered ──receive_for_review──► accepted,
    (open) ──return_to_sender──► transferred, transferred / assigned_out ──take_back──► registered,
    accepted / in_handling / in_hearing / replied ──review_opinion──► replied,
                                                  ──recheck_opinion──► terminated
    replied / evaluated / closed ──reopen──► in_handling (re-handling, 重新办理)
    accepted / in_handling / replied / evaluated ──mediate──► closed (调解协议)

Other apps attach conditions and consequences to a transition without this module knowing them
(`requires`, `then`; registered in their AppConfig.ready): the resolution app requires an
investigation before some opinions and an outcome on every closure, and reopens a matter rated
dissatisfied (docs/resolution.md).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from xinfang.platform.accounts.models import Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases import events
from xinfang.platform.cases.models import EventKind, Petition, PetitionEvent, Status
from xinfang.platform.errors import Conflict, ErrorCode, PermissionDenied, ServiceError

# `PetitionEvent.data["by"]` of a step the petitioner took themself (online, with the query code).
PETITIONER = "petitioner"


class WorkflowError(ServiceError):
    code = ErrorCode.INVALID_TRANSITION


class StaleVersion(Conflict):
    code = ErrorCode.STALE_VERSION


class Transition(StrEnum):
    ROUTE = "route"
    DECLINE = "decline"
    TRANSFER = "transfer"
    ASSIGN_OUT = "assign_out"
    ACCEPT = "accept"
    ASSIGN = "assign"
    EXTEND = "extend"
    START_HEARING = "start_hearing"
    END_HEARING = "end_hearing"
    REPLY = "reply"
    EVALUATE = "evaluate"
    CLOSE = "close"
    TERMINATE = "terminate"
    REOPEN = "reopen"
    MEDIATE = "mediate"


class LedgerTransition(StrEnum):
    """Steps that come from another office through the handoff ledger (exchange services)."""

    RECEIVE = "receive"
    RECEIVE_FOR_REVIEW = "receive_for_review"
    RETURN_TO_SENDER = "return_to_sender"
    TAKE_BACK = "take_back"
    REVIEW_OPINION = "review_opinion"
    RECHECK_OPINION = "recheck_opinion"


@dataclass(frozen=True)
class Step:
    transition: Transition | LedgerTransition
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    roles: tuple[str, ...]  # empty for a ledger step: the exchange service checks who may
    starts: str | None  # the deadline this step starts (a Petition field), if any
    public: bool  # shown to the petitioner by the progress lookup
    label: str
    event: EventKind  # the kind of the event it writes
    # The petitioner may take it themself, online, proved by their query code (the public site):
    # rating the handling, and the re-handling a dissatisfied rating starts.
    by_petitioner: bool = False

    @property
    def through_ledger(self) -> bool:
        return isinstance(self.transition, LedgerTransition)


def _step(
    transition, sources, target, roles, starts, public, label, event=None, by_petitioner=False
) -> Step:
    event = event or EventKind(transition.value)
    return Step(
        transition, frozenset(sources), target, tuple(roles), starts, public, label, event,
        by_petitioner,
    )  # fmt: skip


S, R = Status, Role
HANDLING = (S.ACCEPTED, S.IN_HANDLING, S.IN_HEARING)
# A received copy the sender may take back (an upheld objection): anything not yet finished.
RETURNABLE = tuple(set(S) - {S.CLOSED, S.TERMINATED})
L, E = LedgerTransition, EventKind

TRANSITIONS: dict[str, Step] = {
    step.transition: step
    for step in [
        _step(Transition.ROUTE, [S.REGISTERED], S.ROUTED, [R.REGISTRAR, R.LEADER],
              "accept_due", True, "交由本机关办理 routed for handling here"),
        _step(Transition.DECLINE, [S.REGISTERED, S.ROUTED], S.DECLINED, [R.REGISTRAR, R.LEADER],
              None, True, "不予受理 declined, with the channel to use"),
        # A copy received from another office arrives routed: it too may be sent on or down.
        _step(Transition.TRANSFER, [S.REGISTERED, S.ROUTED], S.TRANSFERRED,
              [R.REGISTRAR, R.LEADER], None, True, "转送 transferred to the competent office"),
        _step(Transition.ASSIGN_OUT, [S.REGISTERED, S.ROUTED], S.ASSIGNED_OUT,
              [R.REGISTRAR, R.LEADER], None, True, "交办 assigned to a lower office"),
        _step(Transition.ACCEPT, [S.ROUTED], S.ACCEPTED, [R.REGISTRAR, R.LEADER],
              "handling_due", True, "受理 accepted"),
        _step(Transition.ASSIGN, [S.ACCEPTED, S.IN_HANDLING], S.IN_HANDLING, [R.LEADER],
              None, False, "分派承办人 assigned to a handler"),
        _step(Transition.EXTEND, HANDLING, None, [R.LEADER],
              "handling_due", True, "延期 extended (once, at most 30 days)"),
        _step(Transition.START_HEARING, [S.IN_HANDLING], S.IN_HEARING, [R.HANDLER, R.LEADER],
              None, False, "听证开始 hearing started (the clock stops)"),
        _step(Transition.END_HEARING, [S.IN_HEARING], S.IN_HANDLING, [R.HANDLER, R.LEADER],
              "handling_due", False, "听证结束 hearing ended"),
        _step(Transition.REPLY, [S.IN_HANDLING], S.REPLIED, [R.HANDLER, R.LEADER],
              None, True, "出具处理意见 written opinion issued"),
        _step(Transition.EVALUATE, [S.REPLIED], S.EVALUATED, [R.REGISTRAR, R.HANDLER, R.LEADER],
              None, True, "满意度评价 evaluation recorded", by_petitioner=True),
        _step(Transition.CLOSE, [S.REPLIED, S.EVALUATED], S.CLOSED, [R.LEADER],
              None, True, "办结 closed"),
        # A copy still handled (re-handled, say) when the re-review ended its matter ends too.
        _step(Transition.TERMINATE, [S.ACCEPTED, S.IN_HANDLING, S.REPLIED, S.EVALUATED, S.CLOSED],
              S.TERMINATED, [R.LEADER], None, True, "终结 terminated after re-review"),
        # Whoever records a dissatisfied rating or a failed return visit reopens the matter.
        _step(Transition.REOPEN, [S.REPLIED, S.EVALUATED, S.CLOSED], S.IN_HANDLING,
              [R.REGISTRAR, R.HANDLER, R.LEADER], "handling_due", True,
              "重新办理 reopened for re-handling", E.REOPEN, by_petitioner=True),
        _step(Transition.MEDIATE, [S.ACCEPTED, S.IN_HANDLING, S.REPLIED, S.EVALUATED], S.CLOSED,
              [R.LEADER], None, True, "调解结案 closed by a mediation agreement", E.MEDIATE),
        _step(L.RECEIVE, [S.REGISTERED], S.ROUTED, [], "accept_due", True,
              "收到转交 received from another office", E.RECEIVED),
        _step(L.RECEIVE_FOR_REVIEW, [S.REGISTERED], S.ACCEPTED, [], "handling_due", True,
              "收到复查（复核）申请 received for review", E.RECEIVED),
        _step(L.RETURN_TO_SENDER, RETURNABLE, S.TRANSFERRED, [], None, True,
              "退回 returned to the sender (objection upheld)", E.RETURNED_TO_SENDER),
        _step(L.TAKE_BACK, [S.TRANSFERRED, S.ASSIGNED_OUT], S.REGISTERED, [], None, True,
              "被退回 taken back from the receiver (objection upheld)", E.RETURNED_BY_RECEIVER),
        _step(L.REVIEW_OPINION, [*HANDLING, S.REPLIED], S.REPLIED, [], None, True,
              "复查意见 review opinion issued", E.REVIEW_OPINION),
        _step(L.RECHECK_OPINION, [*HANDLING, S.REPLIED], S.TERMINATED, [], None, True,
              "复核意见 re-review opinion issued: the matter ends", E.RECHECK_OPINION),
    ]
}  # fmt: skip


# The states in which a petition waits for a decision before anyone handles it, and that
# decision (工作台: 待我决定): route or decline, accept, give it a handler.
AWAITING = {
    S.REGISTERED: Transition.ROUTE,
    S.ROUTED: Transition.ACCEPT,
    S.ACCEPTED: Transition.ASSIGN,
}


def awaiting_statuses(officer) -> list[str]:
    """Statuses in which a petition waits for a decision this officer's roles may take."""
    return sorted(
        status
        for status, transition in AWAITING.items()
        if officer.has_role(*step(transition).roles, Role.ADMIN)
    )


def step(transition: Transition | LedgerTransition | str) -> Step:
    try:
        return TRANSITIONS[str(transition)]
    except KeyError:
        raise ValueError(f"no workflow step {transition!r}") from None


# Checks before and consequences after a transition, registered by other apps (see the docstring).
# A requirement raises a ServiceError to refuse; a consequence may perform further transitions.
Hook = Callable[..., None]
_REQUIREMENTS: dict[Transition, list[Hook]] = defaultdict(list)
_CONSEQUENCES: dict[Transition, list[Hook]] = defaultdict(list)


def requires(transition: Transition, check: Hook) -> None:
    """`check(petition, officer=…, data=…)` runs before `transition`; it raises to refuse."""
    if check not in _REQUIREMENTS[transition]:
        _REQUIREMENTS[transition].append(check)


def then(transition: Transition, consequence: Hook) -> None:
    """`consequence(petition, officer=…, event=…)` runs after `transition`'s event is written."""
    if consequence not in _CONSEQUENCES[transition]:
        _CONSEQUENCES[transition].append(consequence)


def ensure_allowed(
    petition: Petition, transition: Transition | str, officer, *, by_petitioner: bool = False
) -> Step:
    """Role first (for the office's own steps), then state: a typed error when this officer may
    not do this now. `by_petitioner`: the petitioner acts, proved by the caller (their query
    code), on a step the petitioner may take; no officer."""
    row = step(transition)
    if by_petitioner:
        if not row.by_petitioner or officer is not None:
            raise PermissionDenied(
                f"the petitioner cannot {row.transition}", code=ErrorCode.PERMISSION_DENIED
            )
    elif not row.through_ledger:
        ensure_role(officer, *row.roles)
    if petition.status not in row.sources:
        allowed = ", ".join(sorted(row.sources))
        raise WorkflowError(
            f"cannot {row.transition} a petition that is {petition.status} (only from: {allowed})",
            status=petition.status,
        )
    return row


def ensure_version(petition: Petition, expected_version: int | None) -> None:
    """Optimistic concurrency: the client acted on the version it saw, or nothing changes."""
    if expected_version is not None and petition.version != expected_version:
        raise StaleVersion(
            f"the petition changed since you loaded it (version {expected_version}, now "
            f"{petition.version}); reload and try again",
            field="version",
            current_version=petition.version,
        )


def apply(
    petition: Petition,
    transition: Transition | LedgerTransition | str,
    *,
    officer,
    expected_version: int | None = None,
    note: str = "",
    data: dict | None = None,
    at=None,
    by_petitioner: bool = False,
) -> PetitionEvent:
    """Check and perform one transition on a locked petition; write its event.

    The caller holds the row lock (select_for_update) inside its transaction and saves the
    petition afterwards with `changed_fields(...)`. A step the petitioner took themself
    (`by_petitioner`) records it in the event's data (`"by": "petitioner"`), so consequences know.
    """
    row = ensure_allowed(petition, transition, officer, by_petitioner=by_petitioner)
    if by_petitioner:
        data = {**(data or {}), "by": PETITIONER}
    ensure_version(petition, expected_version)
    for check in _REQUIREMENTS[row.transition]:
        check(petition, officer=officer, data=data or {})
    from_status = petition.status
    if row.target is not None:
        petition.status = row.target
    petition.version += 1
    event = events.record(
        petition,
        row.event,
        at=at,
        actor=officer,
        from_status=from_status,
        to_status=petition.status,
        note=note,
        public=row.public,
        data=data,
    )
    for consequence in _CONSEQUENCES[row.transition]:
        consequence(petition, officer=officer, event=event)
    return event


def available(petition: Petition, officer) -> list[Transition]:
    """The transitions this officer may perform on this petition now (for clients' buttons)."""
    return [
        row.transition
        for row in TRANSITIONS.values()
        if not row.through_ledger
        and petition.status in row.sources
        and officer.has_role(*row.roles, Role.ADMIN)
    ]


def changed_fields(*fields: str) -> list[str]:
    """`update_fields` for a transition: what the service changed plus what `apply` changes."""
    return sorted({"status", "version", "updated_at", "next_due", *fields})
