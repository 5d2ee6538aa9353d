"""One exception tree with codes; the CLI prints ``[E012] message`` and exits non-zero.

EventwatchError                 [E000] base; ``code`` and ``message``
├── ConfigError                 [E010] a setting is missing or invalid
├── ModelError                  [E020] the spaCy pipeline cannot be loaded
├── ResourceError               [E030] a packaged data file (actors, places, lexicon) is invalid
├── InputError                  [E100] an input cannot be read; names the file/URL and record
│   ├── UnsupportedInput        [E101] no reader knows this format
│   ├── RecordError             [E102] one record (line, row, item) is invalid
│   └── FetchError              [E103] a URL did not answer, or answered an error
├── StoreError                  [E200] the database cannot be opened or written
│   └── SchemaError             [E201] the database's schema is unknown or newer than ours
├── QueryError                  [E300] a query or export request is invalid
└── BatchError                  [E400] a batch partition failed; finished partitions are kept
"""

from __future__ import annotations


class EventwatchError(Exception):
    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class ConfigError(EventwatchError):
    code = "E010"


class ModelError(EventwatchError):
    code = "E020"


class ResourceError(EventwatchError):
    code = "E030"


class InputError(EventwatchError):
    """An input cannot be read. ``where`` names the file or URL, ``record`` the line/row/item."""

    code = "E100"

    def __init__(self, where: str, problem: str, *, record: str | None = None) -> None:
        location = f"{where}, {record}" if record else where
        super().__init__(f"{location}: {problem}")
        self.where = where
        self.record = record
        self.problem = problem


class UnsupportedInput(InputError):
    code = "E101"


class RecordError(InputError):
    code = "E102"


class FetchError(InputError):
    code = "E103"


class StoreError(EventwatchError):
    code = "E200"


class SchemaError(StoreError):
    code = "E201"


class QueryError(EventwatchError):
    code = "E300"


class BatchError(EventwatchError):
    """A partition failed: the batch stopped; finished partitions are kept for a re-run."""

    code = "E400"
