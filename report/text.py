"""The renderers' text helpers; they live in :mod:`mealplan.textsafe` (below every layer, so the batch
summary and the CLI use the same ones without importing the report package)."""

from mealplan.textsafe import csv_cell, csv_dict_writer, csv_writer, md_escape, strip_control, term_text, terminal_safe

__all__ = ["csv_cell", "csv_dict_writer", "csv_writer", "md_escape", "strip_control", "term_text", "terminal_safe"]
