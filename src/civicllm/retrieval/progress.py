"""A dependency-free progress bar for long ingests, drawn on stderr."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Draw ``[#####-----] 12/40 files  name`` in place; silent when not enabled."""

    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None) -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self._started = time.monotonic()

    def advance(self, label: str = "") -> None:
        """Count one more item done and redraw."""
        self.done += 1
        if not self.enabled:
            return
        width = 28
        filled = int(width * self.done / self.total)
        elapsed = time.monotonic() - self._started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        line = (
            f"\r[{'#' * filled}{'-' * (width - filled)}] {self.done}/{self.total} files"
            f" {rate:5.1f}/s  {label[-40:]:<40}"
        )
        self.stream.write(line)
        self.stream.flush()

    def finish(self) -> None:
        """End the bar's line."""
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
