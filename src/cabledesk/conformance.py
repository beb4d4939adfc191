"""Run cablemap's field-level test vectors against cabledesk's telegram layer.

Each ``*.json`` file in the vector folder holds cases for one field (see its ``semantics``).
Cases with an ``input`` call the field function directly; cases with ``input: null`` name a
cable that is parsed from the corpus folder when it is there, and are skipped otherwise.
Nothing here special-cases an input: a vector the parser disagrees with simply fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cabledesk.errors import ParseError
from cabledesk.telegram import model

__all__ = ["CaseResult", "FileResult", "run", "run_file"]

_TAG_KIND = {
    "subject": "SUBJECT",
    "geographic": "GEO",
    "program": "PROGRAM",
    "person": "PERSON",
    "organisation": "ORG",
    "unknown": "UNKNOWN",
}
_TAG_KIND_BACK = {v: k for k, v in _TAG_KIND.items()}


class Skip(Exception):
    """The case cannot run here (its cable is not in the corpus folder)."""


@dataclass
class CaseResult:
    index: int
    passed: bool
    expected: Any = None
    actual: Any = None
    error: str | None = None
    note: str | None = None


@dataclass
class FileResult:
    name: str
    passed: int = 0
    total: int = 0
    skipped: int = 0
    failures: list[CaseResult] = field(default_factory=list)

    def as_json(self) -> dict[str, int]:
        return {"passed": self.passed, "total": self.total, "skipped": self.skipped}


class _Corpus:
    """Looks up and parses cables by reference id, once each."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._cache: dict[str, model.Cable] = {}

    def cable(self, reference_id: str) -> model.Cable:
        if reference_id in self._cache:
            return self._cache[reference_id]
        if self.folder is None:
            raise Skip(reference_id)
        path = self.folder / f"{reference_id}.txt"
        if not path.is_file():
            raise Skip(reference_id)
        from cabledesk.telegram.parser import parse

        cable = parse(path.read_text(encoding="utf-8"), hints={"reference_id": reference_id})
        self._cache[reference_id] = cable
        return cable


def _recipient(a: model.Addressee) -> dict[str, Any]:
    return {
        "route": a.routing_indicator,
        "name": a.address,
        "precedence": a.precedence,
        "mcn": a.mcn,
        "excluded": list(a.excluded),
    }


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _cable_refs(refs: list[model.Reference]) -> list[str]:
    return _dedupe([r.cable_id for r in refs if r.kind == "cable" and r.cable_id])


def _references(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.references import parse_references

    if case["input"] is None:
        return _cable_refs(corpus.cable(case["reference_id"]).references)
    return _cable_refs(parse_references(case["input"], case["year"], case["reference_id"]))


def _references_typed(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.references import parse_references

    refs = parse_references(case["input"], case["year"], case["reference_id"])
    return [
        {
            "value": r.cable_id if r.kind == "cable" else r.text,
            "kind": r.kind.upper(),
            "bullet": r.letter,
            "title": None,
        }
        for r in refs
        if r.kind != "other"  # "unrecognised items ... are not listed"
    ]


def _recipients(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.header import parse_recipients

    return [_recipient(a) for a in parse_recipients(case["input"])]


def _info_recipients(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.header import parse_info_recipients

    return [_recipient(a) for a in parse_info_recipients(case["input"])]


def _tags(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.tags import parse_tags

    options = case.get("options") or {}
    if case["input"] is None:
        return [t.code for t in corpus.cable(case["reference_id"]).tags]
    return parse_tags(case["input"], canonicalize=options.get("canonicalize", True))


def _tag_kind(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.tags import tag_kind

    options = case.get("options") or {}
    default = _TAG_KIND_BACK.get(options.get("default", "UNKNOWN"), "unknown")
    return _TAG_KIND.get(tag_kind(case["input"], default=default), "UNKNOWN")


def _signers(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.signers import parse_signers

    canonicalize = (case.get("options") or {}).get("canonicalize", True)
    if case["input"] is None:
        cable = corpus.cable(case["reference_id"])
        if canonicalize:
            return list(cable.signers)
        return parse_signers(cable.text, canonicalize=False)
    return parse_signers(case["input"], canonicalize=canonicalize)


def _classified_by(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.classified_by import normalize_name, parse_classified_by

    normalize = (case.get("options") or {}).get("normalize", True)
    if case["input"] is None:
        cable = corpus.cable(case["reference_id"])
        cb = cable.classified_by
        if cb is None or not cb.name:
            return []
        # Several officials are joined with "; " in the one ``name`` field.
        names = cb.name.split("; ")
        return [normalize_name(n) for n in names] if normalize else names
    return parse_classified_by(case["input"], normalize=normalize)


def _nondisclosure_deadline(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.declassification import parse_declassify_on

    value = parse_declassify_on(case["input"])
    return value.isoformat() if value else None


def _subject(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.subject import parse_subject, subject_from_html

    clean = (case.get("options") or {}).get("clean", True)
    if case["input"] is None:
        return corpus.cable(case["reference_id"]).subject or ""
    if case.get("input_format") == "wikileaks_cable_html":
        return subject_from_html(case["input"])
    return parse_subject(case["input"], clean=clean)


def _summary(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.summary import parse_summary

    return parse_summary(case["input"])


def _canonical(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.ids import canonical_id

    return canonical_id(case["input"])


def _id_equivalence(case: dict[str, Any], corpus: _Corpus) -> Any:
    """The vectors' corpus check where the cable is held, else the id-string equivalence.

    The corpus check is what a user meets: the cable published under the bad id parses with
    that ``reference_id`` and the correct ``canonical_id`` (read from its own text). Without
    the cable, only the string can be judged: canonical_id(input) == canonical_id(correct_id).
    """
    from cabledesk.telegram.ids import canonical_id

    correct = case["expected"]["correct_id"]
    want = canonical_id(correct)
    try:
        cable = corpus.cable(case["input"])
    except Skip:
        got = canonical_id(case["input"])
        return {"correct_id": correct} if got == want else {"canonical": got}
    if cable.reference_id == case["input"] and cable.canonical_id == want:
        return {"correct_id": correct}
    return {"reference_id": cable.reference_id, "canonical": cable.canonical_id}


def _clean_content(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.clean import clean_content

    return clean_content(case["input"])


def _titlefy(case: dict[str, Any], corpus: _Corpus) -> Any:
    from cabledesk.telegram.subject import titlefy

    return titlefy(case["input"])


def _cable_properties(case: dict[str, Any], corpus: _Corpus) -> Any:
    cable = corpus.cable(case["reference_id"])
    props = {
        "transmission_id": cable.header.transmission_id,
        "reference_id": cable.reference_id,
        "canonical_id": cable.canonical_id,
        "is_partial": cable.partial,
    }
    return {k: props[k] for k in case["expected"]}


def _media_uris(case: dict[str, Any], corpus: _Corpus) -> Any:
    raise Skip("needs the WikiLeaks page (a sources-layer field)")


ADAPTERS: dict[str, Callable[[dict[str, Any], _Corpus], Any]] = {
    "references": _references,
    "references_typed": _references_typed,
    "recipients": _recipients,
    "info_recipients": _info_recipients,
    "tags": _tags,
    "tag_kind": _tag_kind,
    "signers": _signers,
    "classified_by": _classified_by,
    "nondisclosure_deadline": _nondisclosure_deadline,
    "subject": _subject,
    "summary": _summary,
    "reference_id_c14n": _canonical,
    "malformed_ids": _id_equivalence,
    "invalid_ids": _id_equivalence,
    "clean_content": _clean_content,
    "titlefy": _titlefy,
    "cable_properties": _cable_properties,
    "media_uris": _media_uris,
}


def _matches(expected: Any, actual: Any, mode: str | None) -> bool:
    if mode == "contains_all":
        return isinstance(actual, list) and all(e in actual for e in expected)
    if mode == "unordered_equal":
        return isinstance(actual, list) and sorted(map(str, expected)) == sorted(map(str, actual))
    return bool(expected == actual)


def run_file(path: Path, corpus: Path | None = None) -> FileResult:
    """Run one vector file; by-id cases whose cable is not in ``corpus`` are skipped."""
    return _run_file(path, _Corpus(corpus))


def _run_file(path: Path, corpus: _Corpus) -> FileResult:
    name = path.stem
    result = FileResult(name)
    adapter = ADAPTERS.get(name)
    doc = json.loads(path.read_text(encoding="utf-8"))
    for i, case in enumerate(doc["cases"]):
        if adapter is None:
            result.skipped += 1
            continue
        error: str | None = None
        try:
            actual = adapter(case, corpus)
        except Skip:
            result.skipped += 1
            continue
        except ParseError as exc:
            actual, error = None, f"ParseError: {exc}"
        except Exception as exc:  # a crash is a failed case, reported with its type
            actual, error = None, f"{type(exc).__name__}: {exc}"
        result.total += 1
        if error is None and _matches(case["expected"], actual, case.get("match")):
            result.passed += 1
        else:
            result.failures.append(
                CaseResult(i, False, case["expected"], actual, error, case.get("note"))
            )
    return result


def run(
    folder: Path, corpus: Path | None = None, only: list[str] | None = None
) -> list[FileResult]:
    """Run every vector file in ``folder`` (or only the named ones)."""
    shared = _Corpus(corpus)
    return [
        _run_file(path, shared)
        for path in sorted(folder.glob("*.json"))
        if not only or path.stem in only
    ]


def iter_failure_lines(res: FileResult, cases: list[dict[str, Any]]) -> Iterator[str]:
    for f in res.failures:
        case = cases[f.index]
        label = case.get("comment") or case.get("reference_id") or ""
        yield f"--- {res.name}[{f.index}] {label}"
        if case.get("input") is not None:
            yield f"    input:    {case['input'][:300]!r}"
        yield f"    expected: {f.expected!r}"
        yield f"    actual:   {f.actual!r}"
        if f.error:
            yield f"    error:    {f.error}"
        if f.note:
            yield f"    note:     {f.note}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cabledesk.conformance")
    ap.add_argument("folder", type=Path)
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus/raw"))
    ap.add_argument("--only", action="append")
    ap.add_argument("--failures", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    corpus = args.corpus if args.corpus.is_dir() else None
    results = run(args.folder, corpus, args.only)
    if args.json:
        print(json.dumps({r.name: r.as_json() for r in results}))
        return 0
    for r in results:
        pct = 100.0 * r.passed / r.total if r.total else 0.0
        print(f"{r.name:24} {r.passed:4}/{r.total:<4} {pct:6.1f}%  skipped {r.skipped}")
        if args.failures:
            cases = json.loads((args.folder / f"{r.name}.json").read_text("utf-8"))["cases"]
            for line in iter_failure_lines(r, cases):
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
