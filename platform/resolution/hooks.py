"""What resolving a matter adds to the workflow's transitions (registered at start-up):
an investigation before some opinions, an outcome on every closure, re-handling after a
dissatisfied rating. See docs/resolution.md."""

from xinfang.platform.cases import workflow
from xinfang.platform.cases.workflow import Transition
from xinfang.platform.resolution import services


def register() -> None:
    workflow.requires(Transition.REPLY, services.require_investigation)
    workflow.requires(Transition.CLOSE, services.require_outcome)
    workflow.requires(Transition.MEDIATE, services.require_outcome)
    workflow.then(Transition.EVALUATE, services.reopen_when_dissatisfied)
