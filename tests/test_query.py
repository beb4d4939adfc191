"""The query language: tokens, tree, FTS5 text and errors (docs/search.md)."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cabledesk.errors import CabledeskError
from cabledesk.services.query import (
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    CompiledQuery,
    Filter,
    Not,
    Or,
    QueryError,
    Term,
    compile_query,
    has_tokens,
    parse_query,
)


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("putin", Term("putin")),
        ("Putin medvedev", And((Term("Putin"), Term("medvedev")))),
        ('"human rights"', Term("human rights", phrase=True)),
        ('"human rights"*', Term("human rights", phrase=True, prefix=True)),
        ("terror*", Term("terror", prefix=True)),
        ("a OR b c", Or((Term("a"), And((Term("b"), Term("c")))))),
        ("a AND b", And((Term("a"), Term("b")))),
        ("a and b or not c", And(tuple(Term(w) for w in ["a", "and", "b", "or", "not", "c"]))),
        ("-a", Not(Term("a"))),
        ("NOT a", Not(Term("a"))),
        ("a NOT b", And((Term("a"), Not(Term("b"))))),
        ('-"a b"', Not(Term("a b", phrase=True))),
        ("-(a OR b)", Not(Or((Term("a"), Term("b"))))),
        ("(a OR b) c", And((Or((Term("a"), Term("b"))), Term("c")))),
        ("ZANU-PF", Term("ZANU-PF")),
        ("S/NF", Term("S/NF")),
        ("1.4(b)", Term("1.4(b)")),
        ("(1.4(b))", Term("1.4(b)")),
        ("(a)", Term("a")),
        ("U.S.", Term("U.S.")),
        ("O'Brien", Term("O'Brien")),
        ('5" gun', And((Term('5"'), Term("gun")))),
        ('"unclosed quote', And((Term("unclosed"), Term("quote")))),
        ("a - b", And((Term("a"), Term("-"), Term("b")))),
        ("origin:MOSCOW", Filter("origin", "MOSCOW")),
        ('origin:"San  Jose"', Filter("origin", "San Jose")),
        ("TAG:prel", Filter("tag", "prel")),
        ("-tag:PREL", Not(Filter("tag", "PREL"))),
        ("(origin:A OR origin:B)", Or((Filter("origin", "A"), Filter("origin", "B")))),
        ("date:2008-01-01..2009-12-31", Filter("date", "2008-01-01..2009-12-31")),
        ("subject:iran*", Term("iran", prefix=True, column="subject")),
        ('subject:"oil deal"', Term("oil deal", phrase=True, column="subject")),
        ("http://x.org/a", Term("http://x.org/a")),
        ("note:this", Term("note:this")),
    ],
)
def test_tree(query: str, tree: object) -> None:
    assert parse_query(query) == tree


@pytest.mark.parametrize(
    ("query", "compiled"),
    [
        ("putin", CompiledQuery(match='"putin"')),
        ("ZANU-PF", CompiledQuery(match='"ZANU-PF"')),
        ('say "no"', CompiledQuery(match='("say" AND "no")')),
        ('5"', CompiledQuery(match='"5"""')),
        ("gov* OR state", CompiledQuery(match='("gov" * OR "state")')),
        ("a -b -c", CompiledQuery(match='"a" NOT ("b" OR "c")')),
        ("(a -b) OR c", CompiledQuery(match='(("a" NOT "b") OR "c")')),
        ("a NOT NOT b", CompiledQuery(match='("a" AND "b")')),
        ("-a -b", CompiledQuery(exclude='("a" OR "b")')),
        ("subject:iran", CompiledQuery(match='subject : "iran"')),
        ("iran ??? --", CompiledQuery(match='"iran"')),
        ("tag:PREL", CompiledQuery(filters=Filter("tag", "PREL"))),
        (
            "iran tag:PREL -year:2009",
            CompiledQuery(
                match='"iran"', filters=And((Filter("tag", "PREL"), Not(Filter("year", "2009"))))
            ),
        ),
        ("", CompiledQuery()),
        ("   ", CompiledQuery()),
    ],
)
def test_compiled(query: str, compiled: CompiledQuery) -> None:
    assert compile_query(query) == compiled


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("AND", "AND at character 1 needs a word before it"),
        ("a OR", "OR at character 3 needs a word after it"),
        ("a AND OR b", "AND at character 3 needs a word after it"),
        ("NOT", "NOT at character 1 needs a word after it"),
        ("(a", "'(' at character 1 is never closed"),
        ("a)", "')' at character 2 has no matching '('"),
        ("()", "empty parentheses at character 1"),
        ("origin:", "origin: at character 1 needs a value"),
        ("origin:(A OR B)", "takes one value"),
        ("a OR -b", "NOT inside OR"),
        ("(-a -b) OR c", "NOT needs a word to subtract from"),
        ("putin OR origin:MOSCOW", "cannot be combined with words"),
        ("-(putin origin:MOSCOW)", "cannot be combined with words"),
        ("???", "nothing to search for"),
        ("x" * (MAX_LENGTH + 1), "too long"),
        ("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1), "nests too deeply"),
        (" ".join(["a"] * 65), "too many terms"),
    ],
)
def test_errors_say_what_and_where(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        compile_query(query)


def test_query_error_is_a_cabledesk_error() -> None:
    assert issubclass(QueryError, CabledeskError)


def test_has_tokens_follows_unicode61() -> None:
    assert has_tokens("é") and has_tokens("٣") and has_tokens("漢")
    assert not has_tokens("-/.*'\"«»()") and not has_tokens("")


def _fts5() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5 (subject, text, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    conn.execute("INSERT INTO t VALUES ('ZANU-PF talks', 'S/NF 1.4(b) U.S. O''Brien')")
    return conn


FTS5 = _fts5()
PIECES = [
    *'aZ9 "()*-:\'/.,\\;%_?!^{}+\x00\t\né«\U0001e900',
    "AND", "OR", "NOT", "NEAR", "NEAR(", "subject:", "text:", "{subject}", "origin:", "tag:",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(query=st.one_of(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.text()))
def test_every_query_compiles_to_valid_fts5_or_a_query_error(query: str) -> None:
    try:
        compiled = compile_query(query)
    except QueryError:
        return
    for expression in (compiled.match, compiled.exclude):
        if expression is not None:  # any SQLite error here fails the test
            FTS5.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()


@pytest.mark.parametrize(
    ("query", "hits"),
    [("zanu-pf", 1), ("S/NF", 1), ("1.4(b)", 1), ("U.S.", 1), ("o'brien", 1), ("pf talks", 1)],
)
def test_codes_match_as_phrases(query: str, hits: int) -> None:
    compiled = compile_query(query)
    found = FTS5.execute("SELECT count(*) FROM t WHERE t MATCH ?", (compiled.match,)).fetchone()
    assert found[0] == hits
