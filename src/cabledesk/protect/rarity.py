"""How many cables name a word unredacted: a public figure (Putin, Lavrov) is named in many
cables and endangers no one by being named again; a name seen in one cable may be a source.

``data/name_frequency.tsv`` ships the document frequency of every capitalised non-lexicon word
seen in at least three cables of the corpus (its header says how it was made); an audit adds
the counts of the archive or of the files it reads. Rebuild with
``python -m cabledesk.protect.rarity CORPUS_DIR > data/name_frequency.tsv``.
"""

from __future__ import annotations

import functools
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from cabledesk.protect.lexicon import common_words

__all__ = ["cable_words", "corpus_frequency", "main"]

_DATA = Path(__file__).parent / "data" / "name_frequency.tsv"
_WORD = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z'’-]*[A-Za-z]")
_MIN_CABLES = 3


def cable_words(text: str) -> set[str]:
    """The capitalised words of a text that are not ordinary words, lower-cased."""
    common = common_words()
    return {w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in common}


@functools.cache
def corpus_frequency() -> dict[str, int]:
    """Word -> number of corpus cables naming it (words seen in fewer than three are absent)."""
    out: dict[str, int] = {}
    if not _DATA.is_file():
        return out
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, count = line.partition("\t")
            out[word] = int(count)
    return out


def _count(texts: Iterable[str]) -> tuple[Counter[str], int]:
    df: Counter[str] = Counter()
    n = 0
    for text in texts:
        df.update(cable_words(text))
        n += 1
    return df, n


def main(argv: list[str] | None = None) -> int:
    """``python -m cabledesk.protect.rarity CORPUS_DIR``: print the table to stdout."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m cabledesk.protect.rarity CORPUS_DIR", file=sys.stderr)
        return 2
    folder = Path(args[0])
    files = sorted(folder.glob("*.txt"))
    df, n = _count(p.read_text(encoding="utf-8") for p in files)
    print("# Cables naming each capitalised word that data/lowercase_words.txt does not list,")
    print(f"# counted by cabledesk.protect.rarity over the {n} cables of {folder.name}/;")
    print(f"# words in fewer than {_MIN_CABLES} cables left out. word<TAB>cables")
    for word, count in sorted(df.items(), key=lambda kv: (-kv[1], kv[0])):
        if count >= _MIN_CABLES:
            print(f"{word}\t{count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
