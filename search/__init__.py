"""xinfang.search: the petitions index and what is built on it.

- documents.py  the index family (versioned, behind an alias), mapping and CJK analyzer
- analysis.py   the CJK bigram analyzer and the matching rules (same place, body, similar content)
- indexing.py   petition -> document, idempotent writes, reconcile and rebuild
- signals.py    after-commit indexing hooks (connected in apps.py)
- tasks.py      Celery: index, repeat check, collective refresh, reconcile
- selectors.py  officer search, always scoped to what the office may see
- repeats.py    repeat detection across the province
- collective.py collective petition groups and alerts
- services.py   officers' decisions
"""
