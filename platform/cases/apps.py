from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "xinfang.platform.cases"
    label = "cases"

    def ready(self) -> None:
        # 终结 sticks: no way forward but 不再受理 for a petition linked to a terminated matter.
        from xinfang.platform.cases import finality, workflow

        for transition in finality.BLOCKED:
            workflow.requires(transition, finality.ensure_open)
        # 终结 follows a real re-review of the matter, and the matter is never handled again.
        workflow.requires(workflow.Transition.TERMINATE, finality.ensure_re_reviewed)
        for transition in finality.HANDLED_AGAIN:
            workflow.requires(transition, finality.ensure_not_ended)
