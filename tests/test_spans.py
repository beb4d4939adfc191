"""Comments and redactions found by ``spans`` (format.md §5.8), around its literal gates."""

from __future__ import annotations

from cabledesk.telegram.spans import find_comments


def test_lower_case_comment_right_at_start_is_not_a_label() -> None:
    # the lower-case scan starts at the first ``omment`` after ``start`` (a word is skipped)
    text = "Comment: the talks went well.  End comment.  More."
    spans = find_comments(text, 0, len(text))
    assert [(s.start, s.end) for s in spans] == [(0, text.index("More") - 2)]


def test_close_needs_an_end_word() -> None:
    # no ``end``/``END`` before the second label: it opens again, it does not close
    text = "\nCOMMENT: first.\n\nCOMMENT: second.\n"
    spans = find_comments(text, 0, len(text))
    assert [text[s.start : s.end] for s in spans] == ["COMMENT: first.", "COMMENT: second."]


def test_upper_case_close() -> None:
    text = "1. (C) COMMENT: WE DOUBT IT. END COMMENT.\n"
    spans = find_comments(text, 0, len(text))
    assert [text[s.start : s.end] for s in spans] == ["COMMENT: WE DOUBT IT. END COMMENT."]
