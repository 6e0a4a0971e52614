"""The transactional outbox: one row per piece of work that must follow a commit.

A service records an `Effect` in the same transaction as the change that requires it (index this
petition, check it for repeats, deliver this handoff's receipt, send this notice), so the work
exists exactly when the change does: a broker outage, a killed web server or a lost message can
delay it, never lose it. The worker runs it and stamps `done_at` in the transaction that did the
work; what fails is retried from `due_at` on, with back-off. An effect that cannot run until
something outside the database changes (a channel configured) waits, parked, until released.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Effect(models.Model):
    kind = models.CharField(max_length=40, help_text="the handler that runs it, e.g. search.index")
    # The schema it runs in (public table → public table; office tables never point here).
    office = models.ForeignKey("tenants.Office", on_delete=models.CASCADE, related_name="+")
    subject_id = models.CharField(max_length=64, help_text="what it is about: a petition, …")
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(default=timezone.now, help_text="not tried again before this")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # A condition outside the database it waits for (`services.park`: a notice's channel being
    # configured): never due until `services.release` lets it go.
    waiting_for = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["kind", "due_at", "id"],
                condition=Q(done_at__isnull=True),
                name="effect_pending_idx",
            ),
            models.Index(
                fields=["done_at"], condition=Q(done_at__isnull=False), name="effect_done_idx"
            ),
            models.Index(
                fields=["kind", "waiting_for", "created_at"],
                condition=Q(done_at__isnull=True) & ~Q(waiting_for=""),
                name="effect_waiting_idx",
            ),
        ]

    def __str__(self) -> str:
        state = "done" if self.done_at else f"pending ({self.attempts} attempts)"
        return f"{self.kind} {self.subject_id}: {state}"
