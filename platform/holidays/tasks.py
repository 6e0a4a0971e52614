"""Keep the national calendar loaded ahead of every deadline (beat, daily)."""

from xinfang.platform.celery import app


@app.task(name="holidays.ensure_calendar")
def ensure_calendar() -> list[int]:
    """Load the years up to the horizon that are missing (provisionally when no notice exists)."""
    from xinfang.platform.holidays import services

    return [year.year for year in services.ensure_calendar()]
