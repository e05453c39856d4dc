"""The PRISMA 2020 flow diagram: counting every box from stored data, and its renderers."""

from __future__ import annotations

from screener.prisma.counting import count_flow
from screener.prisma.flow import Flow

__all__ = ["Flow", "count_flow"]
