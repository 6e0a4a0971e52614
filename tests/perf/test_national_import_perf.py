"""Import every office of the country from the real division list (cpca's adcodes table).

Run with `make perf` (or `XINFANG_INSTANCE=perf .venv/bin/pytest
tests/perf/test_national_import_perf.py -s -p no:cacheprovider --override-ini addopts=`): the
session's `national_offices` fixture runs one
`import_offices` over the whole national file, committed as in production, and prints its summary
(created / skipped / failed, the time, the median per office by tenth of the run) and what the
catalogue's size costs a new process and a fresh connection. `XINFANG_BENCH_NATIONAL_LIMIT`
bounds the number of offices (default: all of them).
"""

from tests.perf.conftest import NATIONAL_LIMIT
from tests.support.divisions import national_divisions
from xinfang.tenants.models import Office


def test_every_office_of_the_country_imports_without_a_failure(committed, national_offices):
    codes = [row[0] for row in national_divisions()[: NATIONAL_LIMIT or None]]
    assert Office.objects.offices().filter(code__in=codes).count() == len(codes)
