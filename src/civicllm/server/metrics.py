"""Prometheus metrics, one registry per app (no module-level state)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

__all__ = ["Metrics"]

LATENCY_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class Metrics:
    """The counters and histograms ``GET /metrics`` exposes."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "civicllm_requests",
            "HTTP requests by route and status",
            ["route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "civicllm_request_latency_seconds",
            "Time to the last byte of a response",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.first_token = Histogram(
            "civicllm_time_to_first_token_seconds",
            "Time from request to first generated text",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.tokens = Counter(
            "civicllm_tokens", "Tokens processed", ["kind"], registry=self.registry
        )
        self.queue_depth = Gauge(
            "civicllm_queue_depth", "Requests waiting for a generation slot", registry=self.registry
        )
        self.active = Gauge(
            "civicllm_active_generations", "Requests being generated", registry=self.registry
        )
