"""Admission control: API keys, rate limits, and the bounded request queue."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import math
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from civicllm.errors import AuthError, InputError, OverloadedError, RateLimitError

__all__ = ["AdmissionQueue", "KeyStore", "RateLimiter", "hash_key"]

KEY_PREFIX = "civ-"


def hash_key(key: str) -> str:
    """Return the SHA-256 hex digest under which an API key is stored."""
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class StoredKey:
    """An API key as kept at rest: an id, a name and the key's hash."""

    id: str
    name: str
    hash: str


class KeyStore:
    """API keys, kept only as hashes: given at start (settings) or created into keys.json.

    When no key exists the API is open to anonymous sessions.
    """

    def __init__(self, path: Path, plaintext_keys: list[str] | tuple[str, ...] = ()):
        self.path = path
        self._keys: list[StoredKey] = [
            StoredKey(id=f"key-{hash_key(k)[:8]}", name="settings", hash=hash_key(k))
            for k in plaintext_keys
        ]
        self._keys += self.read_file()

    def read_file(self) -> list[StoredKey]:
        """Return the keys stored in keys.json."""
        if not self.path.exists():
            return []
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return [StoredKey(**entry) for entry in data]

    @property
    def required(self) -> bool:
        """Return True when requests must carry a key."""
        return bool(self._keys)

    def create(self, name: str) -> tuple[StoredKey, str]:
        """Create a key, store its hash, and return it with the plaintext (shown once)."""
        if not name or len(name) > 64:
            raise InputError("A key needs a name of 1 to 64 characters.", param="name")
        plaintext = KEY_PREFIX + secrets.token_urlsafe(24)
        digest = hash_key(plaintext)
        stored = StoredKey(id=f"key-{digest[:8]}", name=name, hash=digest)
        existing = self.read_file()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps([k.__dict__ for k in [*existing, stored]], indent=2), encoding="utf-8"
        )
        tmp.replace(self.path)  # atomic: a crash never leaves a half-written key file
        self._keys.append(stored)
        return stored, plaintext

    def identify(self, authorization: str | None) -> str | None:
        """Return the key id for an Authorization header; None when anonymous use is allowed."""
        if not self._keys:
            return None
        if not authorization or not authorization.lower().startswith("bearer "):
            raise AuthError("This server needs an API key: send 'Authorization: Bearer KEY'.")
        digest = hash_key(authorization[7:].strip())
        for key in self._keys:
            if hmac.compare_digest(key.hash, digest):
                return key.id
        raise AuthError("The API key is not valid. Ask the operator for a key.")


class RateLimiter:
    """A token bucket per identity (API key id or anonymous session)."""

    def __init__(self, per_minute: int, *, max_identities: int = 100_000):
        self.per_minute = per_minute
        self.max_identities = max_identities
        self._buckets: dict[str, tuple[float, float]] = {}

    def check(self, identity: str) -> None:
        """Take one request from the identity's bucket or raise RateLimitError."""
        if self.per_minute <= 0:
            return
        now = time.monotonic()
        rate = self.per_minute / 60.0
        tokens, last = self._buckets.get(identity, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * rate)
        if tokens < 1.0:
            wait = math.ceil((1.0 - tokens) / rate)
            self._buckets[identity] = (tokens, now)
            raise RateLimitError(
                f"Too many requests: the limit is {self.per_minute} a minute. "
                f"Try again in {wait} s.",
                retry_after=wait,
            )
        if len(self._buckets) >= self.max_identities and identity not in self._buckets:
            self._buckets.clear()  # bounded memory; forgetting buckets only forgives
        self._buckets[identity] = (tokens - 1.0, now)


class AdmissionQueue:
    """At most ``active`` requests run; at most ``waiting`` more wait; the rest get 503."""

    def __init__(self, active: int, waiting: int):
        self.active = active
        self.waiting_limit = waiting
        self._slots = asyncio.Semaphore(active)
        self.running = 0
        self.waiting = 0

    @property
    def depth(self) -> int:
        """Return how many requests wait for a slot."""
        return self.waiting

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a slot for the duration of a request, or raise OverloadedError."""
        if self._slots.locked() and self.waiting >= self.waiting_limit:
            raise OverloadedError(
                "The server is busy answering other people. Try again in a few seconds.",
                retry_after=2,
            )
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        try:
            yield
        finally:
            self.running -= 1
            self._slots.release()
