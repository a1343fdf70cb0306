"""The self-contained HTML report: ``relkit report DIR -o report.html`` / ``relkit analyze PATH --html FILE``.

A section per analysis (built-in renderers for the built-in analyses, any plugin's via the
``register_report_sections`` hook, a generic table view for the rest), a corpus overview
and a document viewer that highlights evidence, in one offline HTML file.
"""

from __future__ import annotations

from .data import DOCUMENTS_FILE, DocInfo, ReportData, document_record, write_documents
from .page import Column, Markup, Page, esc
from .render import render_directory, render_report, render_run

__all__ = ["render_report", "render_directory", "render_run", "ReportData", "DocInfo", "Page", "Column", "Markup", "esc",
           "DOCUMENTS_FILE", "document_record", "write_documents"]
