"""`manage.py search_index create|upgrade|rebuild|reconcile|status`: the petitions index.

- `create`     the index family (version 1 behind the alias) if it does not exist; a live build
               with an older mapping gets the new fields (search/documents.py);
- `upgrade`    `create`, then `rebuild` when the live build's mapping is older than the code's
               (what a deployment runs after `migrate`; nothing to do: it says so and exits);
- `rebuild`    build the next version from every office's petitions, swap the alias (no downtime),
               drop the old version; an interrupted rebuild resumes where it stopped;
- `reconcile`  index petitions missing or stale in the live index (after an outage) and run
               again the repeat checks that found search unavailable;
- `status`     the alias, its versions and document counts.

Exits non-zero when any petition failed to index.
"""

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from xinfang.search import documents, indexing


class Command(BaseCommand):
    help = "Create, rebuild (new version + alias swap) or reconcile the petitions index."

    def add_arguments(self, parser):
        parser.add_argument(
            "action", choices=["create", "upgrade", "rebuild", "reconcile", "status"]
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, action: str, no_progress: bool = False, **options):
        if action == "create":
            self.stdout.write(
                f"index ready: {documents.ensure_index()} -> {documents.aliased_index()}"
            )
            return
        if action == "status":
            self._status()
            return
        if action == "upgrade":
            documents.ensure_index()
            if not documents.needs_upgrade():
                self.stdout.write(
                    f"index up to date: {documents.aliased_index()} "
                    f"(mapping v{documents.MAPPING_VERSION})"
                )
                return
            action = "rebuild"
        offices = indexing.offices_to_index()
        total = indexing.count_petitions(offices)
        with Progress(
            TextColumn(f"[bold]{action}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            disable=no_progress,
            console=None,
        ) as bar:
            task = bar.add_task(action, total=total)

            def advance(n: int) -> None:
                bar.advance(task, n)

            if action == "rebuild":
                report = indexing.rebuild(progress=advance, offices=offices)
            else:
                report = indexing.reconcile(progress=advance, offices=offices)
        summary = (
            f"{action}: {report.checked} petitions checked, {report.indexed} indexed, "
            f"{report.deleted} deleted, {report.failed} failed"
        )
        if report.rechecked:
            summary += f"; {report.rechecked} repeat checks run again"
        if action == "rebuild":
            resumed = " (resumed)" if report.resumed else ""
            summary += f"; alias now on {report.index}{resumed}, dropped {report.previous or '-'}"
        self.stdout.write(summary)
        for error in report.errors[:10]:
            self.stderr.write(f"  {error}")
        if report.failed:
            raise CommandError(f"{report.failed} petitions could not be indexed")

    def _status(self) -> None:
        from xinfang.search.client import es_client

        current = documents.aliased_index()
        self.stdout.write(
            f"alias {documents.alias_name()} -> {current or '(none)'}; "
            f"the code's mapping is v{documents.MAPPING_VERSION}"
        )
        for version, name in sorted(documents.existing_versions().items()):
            count = es_client().count(index=name)["count"]
            mark = "*" if name == current else " "
            mapping = documents.mapping_version_of(name)
            stale = "  (older mapping: run `search_index upgrade`)" * (
                mapping < documents.MAPPING_VERSION
            )
            self.stdout.write(
                f" {mark} v{version} {name}: {count} documents, mapping v{mapping}{stale}"
            )
