"""The period a report covers: from a day, to a day, both included; either may be open."""

import datetime as dt
from dataclasses import dataclass

from exchange import timezones


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def is_whole(self) -> bool:
        """No bound: the whole life of the pairing."""
        return self.start is None and self.end is None

    def contains(self, day: dt.date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def overlaps(self, first: dt.date, last: dt.date | None) -> bool:
        """Whether a span of days (an activity over several days) touches the period."""
        last = last or first
        return (self.end is None or first <= self.end) and (
            self.start is None or last >= self.start
        )

    def bounds(self, time_zone: str) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The period as UTC moments in a time zone: from the first moment of `start` to the
        first moment after `end` (excluded); None for an open side."""
        lower = timezones.to_utc(self.start, None, time_zone) if self.start else None
        upper = None
        if self.end is not None:
            upper = timezones.to_utc(self.end + dt.timedelta(days=1), None, time_zone)
        return lower, upper

    def query_args(self) -> dict[str, str]:
        """The period as the ?from=&to= of a link."""
        args = {}
        if self.start:
            args["from"] = self.start.isoformat()
        if self.end:
            args["to"] = self.end.isoformat()
        return args


WHOLE = Period()
