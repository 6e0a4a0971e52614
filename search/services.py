"""State changes of the search app: officers' decisions on repeat candidates, on-demand checks,
and acknowledging collective alerts. Every write goes through here."""

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.accounts.models import Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases import events
from xinfang.platform.cases.models import EventKind, Petition
from xinfang.platform.errors import Conflict, ErrorCode, NotFound, ServiceError
from xinfang.platform.registry import services as registry
from xinfang.search import alerts
from xinfang.search.models import CollectiveAlert, RepeatCandidate
from xinfang.search.repeats import RepeatCheckResult, check_repeats

DECIDERS = (Role.REGISTRAR, Role.HANDLER, Role.LEADER)
READERS = (Role.REGISTRAR, Role.HANDLER, Role.LEADER, Role.SUPERVISOR)


class SearchUnavailable(ServiceError):
    code = ErrorCode.SEARCH_UNAVAILABLE


def repeat_check_run(*, petition_id, officer) -> RepeatCheckResult:
    """Run the repeat check of a petition of this office now (on demand)."""
    ensure_role(officer, *READERS)
    petition = Petition.objects.filter(pk=petition_id).first()
    if petition is None:
        raise NotFound(
            "no such petition in this office", code=ErrorCode.NOT_FOUND, field="petitionId"
        )
    return check_repeats(petition)


def repeat_candidate_confirm(*, candidate_id, officer) -> RepeatCandidate:
    """Confirm that a petition repeats an earlier matter (确认重复信访).

    The petition is marked repeat and linked to the earlier matter; the registry row (what metrics
    count: repeat, not first-time) changes in the same transaction; indexing follows the commit
    (once: search follows the registry row).
    """
    ensure_role(officer, *DECIDERS)
    with transaction.atomic():
        candidate = _locked_candidate(candidate_id)
        if candidate.decision == RepeatCandidate.Decision.CONFIRMED:
            return candidate
        petition = Petition.objects.select_for_update().get(pk=candidate.petition_id)
        if petition.is_repeat and petition.repeat_of_matter not in (
            None,
            candidate.candidate_matter_id,
        ):
            raise Conflict(
                "the petition is already confirmed as a repeat of another matter",
                code=ErrorCode.ALREADY_REPEAT,
                field="candidateId",
            )
        now = timezone.now()
        candidate.decision = RepeatCandidate.Decision.CONFIRMED
        candidate.decided_by = officer
        candidate.decided_at = now
        candidate.save(update_fields=["decision", "decided_by", "decided_at"])
        _mark_repeat(petition, of_matter=candidate.candidate_matter_id, officer=officer)
    return candidate


def repeat_candidate_dismiss(*, candidate_id, officer) -> RepeatCandidate:
    """Dismiss a candidate: not the same matter. Undoes a confirmation of that candidate."""
    ensure_role(officer, *DECIDERS)
    with transaction.atomic():
        candidate = _locked_candidate(candidate_id)
        was_confirmed = candidate.decision == RepeatCandidate.Decision.CONFIRMED
        candidate.decision = RepeatCandidate.Decision.DISMISSED
        candidate.decided_by = officer
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["decision", "decided_by", "decided_at"])
        if was_confirmed:
            petition = Petition.objects.select_for_update().get(pk=candidate.petition_id)
            still_confirmed = RepeatCandidate.objects.filter(
                petition=petition, decision=RepeatCandidate.Decision.CONFIRMED
            ).exists()
            if not still_confirmed and petition.repeat_of_matter == candidate.candidate_matter_id:
                _mark_repeat(petition, of_matter=None, officer=officer)
    return candidate


def _mark_repeat(petition: Petition, *, of_matter, officer) -> None:
    """Link the petition to the earlier matter it repeats (or unlink it): its event, its version,
    its registry row (what metrics count), whose save records the indexing (search/signals.py)."""
    earlier = petition.repeat_of_matter
    petition.is_repeat = of_matter is not None
    petition.repeat_of_matter = of_matter
    petition.version += 1
    petition.save(update_fields=["is_repeat", "repeat_of_matter", "version", "updated_at"])
    events.record(
        petition,
        EventKind.REPEAT_CONFIRMED if of_matter else EventKind.REPEAT_UNCONFIRMED,
        actor=officer,
        data={"matter": str(of_matter or earlier)},
    )
    registry.sync(petition)


def _locked_candidate(candidate_id) -> RepeatCandidate:
    candidate = RepeatCandidate.objects.select_for_update().filter(pk=candidate_id).first()
    if candidate is None:
        raise NotFound("no such repeat candidate", code=ErrorCode.NOT_FOUND, field="candidateId")
    return candidate


def collective_alert_acknowledge(*, alert_id, officer) -> CollectiveAlert:
    """已知悉: this office has seen the alert (its own copy only; the action goes on)."""
    ensure_role(officer, *READERS)
    with transaction.atomic():
        alert = _locked_alert(alert_id)
        if alert.state not in (CollectiveAlert.State.OPEN, CollectiveAlert.State.ACKNOWLEDGED):
            raise _ended(alert)
        alert.state = CollectiveAlert.State.ACKNOWLEDGED
        alert.save(update_fields=["state"])
    return alert


def collective_alert_resolve(*, alert_id, officer) -> CollectiveAlert:
    """已化解: an officer ends the collective action's alert. The end is the action's: every
    office's copy (same group key) ends in the same transaction, the province's copy too, which
    is the book refreshes read, so no refresh reopens it; this office's copy names the officer."""
    ensure_role(officer, *DECIDERS)
    with transaction.atomic():
        alert = _locked_alert(alert_id)
        if alert.state not in (CollectiveAlert.State.OPEN, CollectiveAlert.State.ACKNOWLEDGED):
            raise _ended(alert)
        now = timezone.now()
        ended = {"state": CollectiveAlert.State.RESOLVED, "closed_at": now}
        for office in alerts.offices_of(alert):
            with tenant_context(office):
                CollectiveAlert.objects.filter(group_id=alert.group_id).update(**ended)
        alert.refresh_from_db()
        alert.resolved_by = officer
        alert.save(update_fields=["resolved_by"])
    return alert


def _locked_alert(alert_id) -> CollectiveAlert:
    alert = CollectiveAlert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None:
        raise NotFound("no such alert", code=ErrorCode.NOT_FOUND, field="alertId")
    return alert


def _ended(alert: CollectiveAlert) -> Conflict:
    return Conflict(
        f"the alert has ended ({alert.state})", code=ErrorCode.INVALID_STATE, field="alertId"
    )
