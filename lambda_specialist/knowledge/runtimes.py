"""The Lambda runtime lifecycle as data, with the date it was last checked."""

from dataclasses import dataclass
from datetime import date

__all__ = ["CHECKED_ON", "RUNTIMES", "SOURCE", "Runtime", "find_runtime"]

CHECKED_ON = date(2026, 12, 1)
SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"


@dataclass(frozen=True)
class Runtime:
    """One runtime identifier and its lifecycle dates."""

    identifier: str
    os: str
    deprecation: date
    block_create: date | None
    block_update: date | None
    successor: str

    @property
    def glibc(self) -> str:
        """Return the glibc version of the runtime's operating system."""
        return "2.34" if self.os == "AL2023" else "2.26" if self.os == "AL2" else "2.17"


def _rt(
    identifier: str, os: str, dates: tuple[str, str | None, str | None], successor: str
) -> Runtime:
    dep, create, update = dates
    return Runtime(
        identifier=identifier,
        os=os,
        deprecation=date.fromisoformat(dep),
        block_create=date.fromisoformat(create) if create else None,
        block_update=date.fromisoformat(update) if update else None,
        successor=successor,
    )


_PY, _NODE, _JAVA, _NET, _RUBY, _CUSTOM = (
    "python3.14",
    "nodejs24.x",
    "java25",
    "dotnet10",
    "ruby4.0",
    "provided.al2023",
)

RUNTIMES: dict[str, Runtime] = {
    r.identifier: r
    for r in (
        _rt("python3.14", "AL2023", ("2029-06-30", "2029-07-31", "2029-08-31"), _PY),
        _rt("python3.13", "AL2023", ("2029-06-30", "2029-07-31", "2029-08-31"), _PY),
        _rt("python3.12", "AL2023", ("2028-10-31", "2028-11-30", "2029-01-10"), _PY),
        _rt("python3.11", "AL2", ("2027-06-30", "2027-07-31", "2027-08-31"), _PY),
        _rt("python3.10", "AL2", ("2026-10-31", "2027-02-01", "2027-03-03"), _PY),
        _rt("python3.9", "AL2", ("2025-12-15", "2027-02-01", "2027-03-03"), _PY),
        _rt("python3.8", "AL2", ("2024-10-14", "2027-02-01", "2027-03-03"), _PY),
        _rt("nodejs24.x", "AL2023", ("2028-04-30", "2028-06-01", "2028-07-01"), _NODE),
        _rt("nodejs22.x", "AL2023", ("2027-04-30", "2027-06-01", "2027-07-01"), _NODE),
        _rt("nodejs20.x", "AL2023", ("2026-04-30", "2027-02-01", "2027-03-03"), _NODE),
        _rt("nodejs18.x", "AL2", ("2025-09-01", "2027-02-01", "2027-03-03"), _NODE),
        _rt("nodejs16.x", "AL2", ("2024-06-12", "2027-02-01", "2027-03-03"), _NODE),
        _rt("java25", "AL2023", ("2029-06-30", "2029-07-31", "2029-08-31"), _JAVA),
        _rt("java21", "AL2023", ("2029-06-30", "2029-07-31", "2029-08-31"), _JAVA),
        _rt("java17", "AL2", ("2027-06-30", "2027-07-31", "2027-08-31"), _JAVA),
        _rt("java11", "AL2", ("2027-06-30", "2027-07-31", "2027-08-31"), _JAVA),
        _rt("java8.al2", "AL2", ("2027-06-30", "2027-07-31", "2027-08-31"), _JAVA),
        _rt("java8", "AL1", ("2024-01-08", "2024-02-08", "2024-03-12"), _JAVA),
        _rt("dotnet10", "AL2023", ("2028-11-14", "2028-12-14", "2029-01-15"), _NET),
        _rt("dotnet8", "AL2023", ("2026-11-10", "2027-02-01", "2027-03-03"), _NET),
        _rt("dotnet6", "AL2", ("2024-12-20", "2027-02-01", "2027-03-03"), _NET),
        _rt("ruby4.0", "AL2023", ("2029-03-31", "2029-04-30", "2029-05-31"), _RUBY),
        _rt("ruby3.4", "AL2023", ("2028-03-31", "2028-04-30", "2028-05-31"), _RUBY),
        _rt("ruby3.3", "AL2023", ("2027-03-31", "2027-04-30", "2027-05-31"), _RUBY),
        _rt("ruby3.2", "AL2", ("2026-03-31", "2027-02-01", "2027-03-03"), _RUBY),
        _rt("provided.al2023", "AL2023", ("2029-06-30", "2029-07-31", "2029-08-31"), _CUSTOM),
        _rt("provided.al2", "AL2", ("2026-07-31", "2027-02-01", "2027-03-03"), _CUSTOM),
        _rt("provided", "AL1", ("2024-01-08", "2024-02-08", "2024-03-12"), _CUSTOM),
        _rt("go1.x", "AL1", ("2024-01-08", "2024-02-08", "2024-03-12"), _CUSTOM),
    )
}


def find_runtime(identifier: str) -> Runtime | None:
    """Return the lifecycle of ``identifier``, or None for a runtime not in the table."""
    return RUNTIMES.get(identifier)
