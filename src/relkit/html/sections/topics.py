"""The topics section (placeholder until its report shape is known: generic tables)."""

from __future__ import annotations

from typing import Any

from ..page import Page
from . import generic


def render(report: dict[str, Any], page: Page) -> str:
    return generic.render(report, page)
