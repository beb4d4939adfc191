"""Build ``protect/data/lowercase_words.txt``: words the corpus writes in lower case.

A capitalised word mid-sentence is a name candidate; whether it is a *name* depends on whether
English writes it in lower case elsewhere ("Ministry" / "ministry": a common word; "Kadyrov":
never lower case). This counts, over the mixed-case cables of the corpus, how often each word
appears in lower case and capitalised, and keeps the words seen in lower case at least
``MIN_LOWER`` times and at least ``MIN_SHARE`` of their uses. Names that are also common words
("Rice", "Wells", "Bush") land in the list too: the extractor then needs a title, a given name
or a context frame before it calls them a person.

Usage: ``python scripts/build_name_lexicon.py /work/shared/corpus/raw``.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

MIN_LOWER = 5
MIN_SHARE = 0.01
WORD = re.compile(r"[A-Za-z][a-z'-]*[a-z]|[a-z]")
OUT = Path(__file__).resolve().parent.parent / "src/cabledesk/protect/data/lowercase_words.txt"


def main() -> None:
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for path in sorted(Path(sys.argv[1]).glob("*.txt")):
        text = path.read_text("utf-8")
        letters = [c for c in text if c.isalpha()]
        if not letters or sum(c.islower() for c in letters) < 0.3 * len(letters):
            continue  # all-caps cables say nothing about case
        for m in WORD.finditer(text):
            w = m.group()
            if w[0].islower():
                lower[w] += 1
            elif w[1:].islower() or len(w) == 1:
                capital[w.lower()] += 1
    words = sorted(
        w
        for w, n in lower.items()
        if n >= MIN_LOWER and n >= MIN_SHARE * (n + capital[w]) and len(w) > 1
    )
    header = (
        "# Words the mixed-case cables of shared/corpus/raw write in lower case (at least "
        f"{MIN_LOWER} times and {MIN_SHARE:.0%} of their uses).\n"
        "# Built by scripts/build_name_lexicon.py; a capitalised word listed here is not a name "
        "on its own.\n"
    )
    OUT.write_text(header + "\n".join(words) + "\n", "utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
