"""Given names, for restoring the case of all-capital wire text.

The lemmatizer's tables know many given names as words ("hector" is a verb, "carlos" a lemma), so
"HECTOR OQUELI" would come out as "hector Oqueli" and the tagger would miss the person. The given
names of the 1990 US census (about 5,000, Hispanic names among them) ship in the pinned ``names``
package (MIT licence; the census lists are public domain).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from eventwatch.errors import ResourceError

TABLES = ("dist.male.first", "dist.female.first")
# given names that are also common words, which all-capital text uses before a name as words
# ("YOUNG SANDINISTS", "LONG ISLAND", "GENERAL ORTEGA"): never read as given names
COMMON_WORDS = frozenset(
    {"young", "man", "long", "many", "son", "guy", "miss", "lady", "king", "prince", "queen", "rich",
     "royal", "noble", "golden", "junior", "major", "general", "grant", "mark", "chance", "hope", "love",
     "joy", "faith", "page", "will", "may", "see", "numbers", "marine", "china", "america", "india"}
)  # fmt: skip


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Lower-cased given names, less the common words (read once per process)."""
    found: set[str] = set()
    for table in TABLES:
        try:
            text = (files("names") / table).read_text(encoding="ascii")
        except (ModuleNotFoundError, FileNotFoundError) as exc:
            raise ResourceError(f"names package: cannot read its census table {table}: {exc}") from exc
        found.update(line.split()[0].lower() for line in text.splitlines() if line.strip())
    return frozenset(found - COMMON_WORDS)
