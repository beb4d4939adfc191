"""The search box's query language: words, "phrases", prefix*, AND/OR/NOT, -word, parentheses
and field filters, parsed into a small tree and compiled to a safe FTS5 expression.

cabledesk parses the query itself instead of passing it to FTS5, so that any string a user can
type gives results or a :class:`QueryError` naming the problem, never an SQLite error: every
word reaches FTS5 as a quoted string, and the operators FTS5 sees are the ones built here.

Rules (docs/search.md): only upper-case ``AND``, ``OR``, ``NOT`` are operators (as in FTS5 and
web search engines), so "not" and "or" are words; a word is split into tokens the way the index
splits text (``ZANU-PF`` is the phrase "zanu pf"); a word without a letter or digit is ignored;
an unmatched ``"`` is ignored; brackets inside a word belong to it (``1.4(b)``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cabledesk.errors import CabledeskError

__all__ = [
    "FIELDS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_TERMS",
    "And",
    "CompiledQuery",
    "Filter",
    "Node",
    "Not",
    "Or",
    "QueryError",
    "Term",
    "compile_query",
    "has_prefix",
    "has_tokens",
    "parse_query",
]

MAX_LENGTH = 1000
"""Longest query accepted, in characters."""

MAX_DEPTH = 16
"""Deepest nesting of parentheses and NOTs accepted."""

MAX_TERMS = 64
"""Most words, phrases and filters in one query."""

FILTER_FIELDS = ("caption", "classification", "date", "has", "origin", "tag", "year")
FIELDS = (*FILTER_FIELDS, "subject")
"""Field names recognised before a colon; ``subject:`` restricts a word to the subject line."""

_OPERATORS = {"AND", "OR", "NOT"}
_FIELD_PREFIX = re.compile(r"([A-Za-z]+):")


class QueryError(CabledeskError, ValueError):
    """The query cannot be understood; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Term:
    """A word or quoted phrase (``prefix``: ended with ``*``), in subject and text, or in the
    subject only (``column="subject"``)."""

    text: str
    phrase: bool = False
    prefix: bool = False
    column: str | None = None


@dataclass(frozen=True, slots=True)
class Filter:
    """A field filter, ``origin:MOSCOW``: the field name (lower case) and the value as typed."""

    field: str
    value: str


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node = Term | Filter | And | Or | Not


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """What the search runs: ``match`` (FTS5 expression of the words, ranked), ``exclude`` (FTS5
    expression whose matches are removed, for a query of only negated words) and ``filters``
    (a tree of Filter/And/Or/Not nodes, or None)."""

    match: str | None = None
    exclude: str | None = None
    filters: Node | None = None


# -- tokens ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(" ")" "AND" "OR" "NOT" "-" "term" "filter"
    pos: int
    node: Node | None = None


def _is_token_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "LN" or cat == "Co"


def has_tokens(text: str) -> bool:
    """Whether the index's tokenizer (unicode61) finds a word in ``text``: a letter or digit."""
    return any(_is_token_char(ch) for ch in text)


def _sanitise(query: str) -> str:
    """Control characters and lone surrogates become spaces (SQLite would choke on them)."""
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch for ch in query
    )


def _read_word(s: str, i: int) -> int:
    """End of the word starting at ``i``: up to white space, or a ``)`` the word did not open."""
    depth = 0
    n = len(s)
    while i < n and not s[i].isspace():
        ch = s[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return i


def _term(text: str, pos: int, *, phrase: bool, column: str | None = None) -> _Token:
    prefix = False
    if not phrase and text.endswith("*"):
        text, prefix = text.rstrip("*"), True
    return _Token("term", pos, Term(text, phrase=phrase, prefix=prefix, column=column))


def _tokenize(s: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token(ch, i))
            i += 1
        elif ch == '"':
            end = s.find('"', i + 1)
            if end < 0:  # an unmatched quote is ignored
                i += 1
                continue
            prefix = end + 1 < n and s[end + 1] == "*"
            term = Term(s[i + 1 : end], phrase=True, prefix=prefix)
            tokens.append(_Token("term", i, term))
            i = end + 1 + prefix
        elif ch == "-" and i + 1 < n and not s[i + 1].isspace() and s[i + 1] not in ")-":
            tokens.append(_Token("-", i))
            i += 1
        elif field := _FIELD_PREFIX.match(s, i):
            name = field.group(1).lower()
            if name not in FIELDS:
                end = _read_word(s, i)
                tokens.append(_term(s[i:end], i, phrase=False))
                i = end
                continue
            i = field.end()
            tokens.append(_field(s, i, name, field.start()))
            i = _field_end(s, i)
        else:
            end = _read_word(s, i)
            word = s[i:end]
            if word in _OPERATORS:
                tokens.append(_Token(word, i))
            else:
                tokens.append(_term(word, i, phrase=False))
            i = end
    return tokens


def _field_end(s: str, i: int) -> int:
    if i < len(s) and s[i] == '"':
        end = s.find('"', i + 1)
        if end >= 0:
            return end + 1 + (end + 1 < len(s) and s[end + 1] == "*")
        i += 1
    return _read_word(s, i)


def _field(s: str, i: int, name: str, start: int) -> _Token:
    """The value after ``name:`` (a word or a quoted phrase) as a filter or subject term."""
    quoted = i < len(s) and s[i] == '"' and s.find('"', i + 1) >= 0
    if quoted:
        end = s.find('"', i + 1)
        value = s[i + 1 : end]
    else:
        begin = i + 1 if i < len(s) and s[i] == '"' else i
        value = s[begin : _read_word(s, begin)]
    if value.startswith("("):
        raise QueryError(
            f"{name}: at character {start + 1} takes one value; "
            f"write ({name}:A OR {name}:B) for several"
        )
    if not value.strip(" *"):
        example = "subject:embassy" if name == "subject" else f"{name}:VALUE"
        raise QueryError(f"{name}: at character {start + 1} needs a value, e.g. {example}")
    if name == "subject":
        if quoted:
            prefix = end + 1 < len(s) and s[end + 1] == "*"
            return _Token("term", start, Term(value, phrase=True, prefix=prefix, column=name))
        return _term(value, start, phrase=False, column=name)
    return _Token("filter", start, Filter(name, " ".join(value.split())))


# -- parser ---------------------------------------------------------------------------------


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary ([AND] unary)*;
    unary := (NOT | -) unary | primary; primary := ( or ) | term | filter."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        node = self.parse_or()
        extra = self.peek()
        if extra is not None:  # only a ")" can stop parse_or early
            raise QueryError(f"')' at character {extra.pos + 1} has no matching '('")
        return node

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            self.need_operand(tok)
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Node:
        items = [self.parse_unary()]
        while (tok := self.peek()) is not None and tok.kind not in ("OR", ")"):
            if tok.kind == "AND":
                self.take()
                self.need_operand(tok)
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self) -> Node:
        tok = self.peek()
        if tok is not None and tok.kind in ("NOT", "-"):
            self.take()
            self.need_operand(tok)
            self.enter(tok)
            node = Not(self.parse_unary())
            self.depth -= 1
            return node
        return self.parse_primary()

    def parse_primary(self) -> Node:
        tok = self.take()
        if tok.kind in ("term", "filter"):
            assert tok.node is not None
            return tok.node
        if tok.kind == "(":
            inner = self.peek()
            if inner is None:
                raise QueryError(f"'(' at character {tok.pos + 1} is never closed")
            if inner.kind == ")":
                raise QueryError(f"empty parentheses at character {tok.pos + 1}")
            self.enter(tok)
            node = self.parse_or()
            self.depth -= 1
            close = self.peek()
            if close is None:
                raise QueryError(f"'(' at character {tok.pos + 1} is never closed")
            self.take()
            return node
        if tok.kind == ")":
            raise QueryError(f"')' at character {tok.pos + 1} has no matching '('")
        raise QueryError(
            f"{tok.kind} at character {tok.pos + 1} needs a word before it "
            f'(to search for the word itself, write it in lower case or in quotes: "{tok.kind}")'
        )

    def need_operand(self, op: _Token) -> None:
        nxt = self.peek()
        if nxt is None or nxt.kind in (")", "AND", "OR"):
            name = "-" if op.kind == "-" else op.kind
            raise QueryError(f"{name} at character {op.pos + 1} needs a word after it")

    def enter(self, tok: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(
                f"the query nests too deeply at character {tok.pos + 1} (at most {MAX_DEPTH})"
            )


def parse_query(query: str) -> Node | None:
    """The query as a tree (None for a blank query); raises QueryError for a malformed one."""
    if len(query) > MAX_LENGTH:
        raise QueryError(f"the query is too long ({len(query)} characters; at most {MAX_LENGTH})")
    tokens = _tokenize(_sanitise(query))
    if not tokens:
        return None
    atoms = sum(t.kind in ("term", "filter") for t in tokens)
    if atoms > MAX_TERMS:
        raise QueryError(f"the query has too many terms ({atoms}; at most {MAX_TERMS})")
    return _Parser(tokens).parse()


# -- compiler -------------------------------------------------------------------------------


def _is_filter(node: Node) -> bool | None:
    """True: only filters below; False: only words; None: both."""
    if isinstance(node, Filter):
        return True
    if isinstance(node, Term):
        return False
    if isinstance(node, Not):
        return _is_filter(node.item)
    kinds = {_is_filter(n) for n in node.items}
    return kinds.pop() if len(kinds) == 1 else None


def _flatten(node: Node) -> Node:
    """Nested ANDs and ORs merged, double negations removed."""
    if isinstance(node, Not):
        inner = _flatten(node.item)
        return inner.item if isinstance(inner, Not) else Not(inner)
    if isinstance(node, And | Or):
        kind = type(node)
        items: list[Node] = []
        for child in map(_flatten, node.items):
            items.extend(child.items if isinstance(child, kind) else (child,))
        return items[0] if len(items) == 1 else kind(tuple(items))
    return node


def _fts_term(term: Term) -> str | None:
    if not has_tokens(term.text):
        return None
    text = '"' + term.text.replace('"', '""') + '"'
    if term.prefix:
        text += " *"
    return f"{term.column} : {text}" if term.column else text


def _fts(node: Node) -> str | None:
    """FTS5 text of a words-only subtree; None when none of its words can match anything."""
    if isinstance(node, Term):
        return _fts_term(node)
    if isinstance(node, Or):
        for child in node.items:
            if isinstance(child, Not):
                raise QueryError(
                    "NOT inside OR has nothing to subtract from; "
                    "write (a NOT b) OR c, or move the NOT outside the OR"
                )
        parts = [p for p in map(_fts, node.items) if p is not None]
        return None if not parts else parts[0] if len(parts) == 1 else f"({' OR '.join(parts)})"
    if isinstance(node, Not):
        raise QueryError("NOT needs a word to subtract from in the same group: write (a NOT b)")
    assert isinstance(node, And)
    positive, negative = _and_parts(node.items)
    if positive is None:
        if negative is None:
            return None
        raise QueryError("NOT needs a word to subtract from in the same group: write (a NOT b)")
    return positive if negative is None else f"({positive} NOT {negative})"


def _and_parts(items: tuple[Node, ...]) -> tuple[str | None, str | None]:
    """The FTS5 text of the positive items ANDed, and of the negated items ORed."""
    pos = [p for p in (_fts(n) for n in items if not isinstance(n, Not)) if p is not None]
    neg = [p for p in (_fts(n.item) for n in items if isinstance(n, Not)) if p is not None]
    positive = None if not pos else pos[0] if len(pos) == 1 else f"({' AND '.join(pos)})"
    negative = None if not neg else neg[0] if len(neg) == 1 else f"({' OR '.join(neg)})"
    return positive, negative


def has_prefix(match: str) -> bool:
    """Whether an FTS5 expression has a prefix term (``"word" *``): a ``*`` outside its
    quoted strings. FTS5 expands a prefix over the whole index at each evaluation."""
    return "*" in "".join(match.split('"')[0::2])


def compile_query(query: str | Node | None) -> CompiledQuery:
    """Split the query into its FTS5 part and its filters; raises QueryError for a query that
    mixes filters and words under OR or NOT, or whose words are all unsearchable."""
    node = parse_query(query) if isinstance(query, str) else query
    if node is None:
        return CompiledQuery()
    node = _flatten(node)
    conjuncts = node.items if isinstance(node, And) else (node,)
    filters: list[Node] = []
    words: list[Node] = []
    for item in conjuncts:
        kind = _is_filter(item)
        if kind is None:
            raise QueryError(
                "field filters cannot be combined with words under OR or NOT; "
                "write them side by side (they are ANDed), e.g. putin origin:MOSCOW"
            )
        (filters if kind else words).append(item)
    flt = None if not filters else filters[0] if len(filters) == 1 else And(tuple(filters))
    if not words:
        return CompiledQuery(filters=flt)
    positive, negative = _and_parts(tuple(words))
    if positive is None and negative is None:
        raise QueryError(
            "nothing to search for: the query's words have no letters or digits "
            "(punctuation alone is not indexed)"
        )
    if positive is None:
        return CompiledQuery(exclude=negative, filters=flt)
    match = positive if negative is None else f"{positive} NOT {negative}"
    return CompiledQuery(match=match, filters=flt)
