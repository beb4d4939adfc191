"""Readers for the formats users hold cables in; each yields raw text with hints."""

from cabledesk.sources.text import RawCable, read_text_file

__all__ = ["RawCable", "read_text_file"]
