from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "xinfang.platform.cases"
    label = "cases"

    def ready(self) -> None:
        # 终结 sticks: no way forward but 不再受理 for a petition linked to a terminated matter.
        from xinfang.platform.cases import finality, workflow
        from xinfang.platform.cases.workflow import Transition

        for transition in (
            Transition.ROUTE,
            Transition.ACCEPT,
            Transition.TRANSFER,
            Transition.ASSIGN_OUT,
        ):
            workflow.requires(transition, finality.ensure_open)
