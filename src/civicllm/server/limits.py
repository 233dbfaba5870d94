"""Admission control: API keys, rate limits, client addresses, and the bounded queue."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import logging
import math
import secrets
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from civicllm.errors import AuthError, InputError, OverloadedError, RateLimitError
from civicllm.safety.audit import write_private

__all__ = [
    "AdmissionQueue",
    "KeyStore",
    "RateLimiter",
    "client_address",
    "hash_key",
    "parse_networks",
]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

log = logging.getLogger("civicllm.server")

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

    When no key exists the API is open to anonymous sessions. keys.json is looked at again
    (one ``stat``) on every check, so a key made by ``civicllm keys create`` while the server
    runs applies at once, and so does a key file removed or replaced by the operator.
    """

    def __init__(self, path: Path, plaintext_keys: list[str] | tuple[str, ...] = ()):
        self.path = path
        self._settings_keys: list[StoredKey] = [
            StoredKey(id=f"key-{hash_key(k)[:8]}", name="settings", hash=hash_key(k))
            for k in plaintext_keys
        ]
        self._file_keys: list[StoredKey] = []
        self._file_stamp: tuple[int, int, int] | None = None
        self._refresh()

    def read_file(self) -> list[StoredKey]:
        """Return the keys stored in keys.json."""
        if not self.path.exists():
            return []
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return [StoredKey(**entry) for entry in data]

    def _refresh(self) -> None:
        """Re-read keys.json when it changed since the last look."""
        try:
            info = self.path.stat()
            stamp: tuple[int, int, int] | None = (info.st_ino, info.st_mtime_ns, info.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp == self._file_stamp:
            return
        try:
            self._file_keys = self.read_file()
        except (OSError, ValueError, TypeError) as exc:
            # Keep the keys already known rather than open the API on a damaged file.
            log.error("Cannot read %s (%s); the keys read before stay in force.", self.path, exc)
            return
        self._file_stamp = stamp

    @property
    def _keys(self) -> list[StoredKey]:
        return [*self._settings_keys, *self._file_keys]

    @property
    def required(self) -> bool:
        """Return True when requests must carry a key."""
        self._refresh()
        return bool(self._keys)

    def create(self, name: str) -> tuple[StoredKey, str]:
        """Create a key, store its hash, and return it with the plaintext (shown once)."""
        if not name or len(name) > 64:
            raise InputError("A key needs a name of 1 to 64 characters.", param="name")
        plaintext = KEY_PREFIX + secrets.token_urlsafe(24)
        digest = hash_key(plaintext)
        stored = StoredKey(id=f"key-{digest[:8]}", name=name, hash=digest)
        existing = self.read_file()
        data = json.dumps([k.__dict__ for k in [*existing, stored]], indent=2)
        # Owner-only (0600) and atomic: a crash never leaves a half-written key file.
        write_private(self.path, data.encode("utf-8"))
        self._file_stamp = None  # read back on the next check
        self._refresh()
        return stored, plaintext

    def identify(self, authorization: str | None) -> str | None:
        """Return the key id for an Authorization header; None when anonymous use is allowed."""
        self._refresh()
        keys = self._keys
        if not keys:
            return None
        if not authorization or not authorization.lower().startswith("bearer "):
            raise AuthError("This server needs an API key: send 'Authorization: Bearer KEY'.")
        digest = hash_key(authorization[7:].strip())
        for key in keys:
            if hmac.compare_digest(key.hash, digest):
                return key.id
        raise AuthError("The API key is not valid. Ask the operator for a key.")


class RateLimiter:
    """A token bucket per identity (API key id, client address, or a session within one).

    ``check(identity, *narrower)`` takes a token from every bucket named or from none:
    a narrower bucket (a session within an address) can only refuse sooner, never let more
    requests through than the identity's own bucket.
    """

    def __init__(self, per_minute: int, *, max_identities: int = 100_000):
        self.per_minute = per_minute
        self.max_identities = max_identities
        self._buckets: dict[str, tuple[float, float, bool]] = {}  # tokens, last, refused

    def check(self, identity: str, *narrower: str) -> None:
        """Take one request from each named bucket or raise RateLimitError.

        The error's ``repeated`` is True when the identity was already refused and its
        bucket has not refilled since: callers record the first refusal, not every one.
        """
        if self.per_minute <= 0:
            return
        now = time.monotonic()
        rate = self.per_minute / 60.0
        names = (identity, *narrower)
        filled = {}
        for name in names:
            tokens, last, refused = self._buckets.get(name, (float(self.per_minute), now, False))
            filled[name] = (min(float(self.per_minute), tokens + (now - last) * rate), refused)
        short = [name for name, (tokens, _) in filled.items() if tokens < 1.0]
        if short:
            wait = max(math.ceil((1.0 - filled[name][0]) / rate) for name in short)
            repeated = all(filled[name][1] for name in short)
            for name in short:
                self._buckets[name] = (filled[name][0], now, True)
            raise RateLimitError(
                f"Too many requests: the limit is {self.per_minute} a minute. "
                f"Try again in {wait} s.",
                retry_after=wait,
                repeated=repeated,
            )
        if len(self._buckets) + len(names) > self.max_identities:
            self._buckets.clear()  # bounded memory; forgetting buckets only forgives
        for name, (tokens, _) in filled.items():
            self._buckets[name] = (tokens - 1.0, now, False)


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Return the networks named by IP addresses or CIDRs (settings: trusted_proxies)."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def client_address(peer: str, forwarded: Sequence[str], trusted: Sequence[Network]) -> str:
    """Return the client's address: the peer, or what a trusted proxy says it forwarded.

    ``X-Forwarded-For`` is believed only when the direct peer is a trusted proxy; then the
    right-most address that is not itself a trusted proxy is the client (everything left of
    it was written by the client and may be forged).
    """
    if not trusted or not is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for value in forwarded for hop in value.split(",") if hop.strip()]
    if not hops:
        return peer
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            return peer  # a proxy wrote something that is no address: trust nothing of it
        if not is_trusted(address, trusted):
            return address
    return parse_address(hops[0]) or peer  # every hop is a trusted proxy


def parse_address(text: str) -> str | None:
    """Return an IP address in canonical form (ports and brackets removed), or None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    """Return True when the address lies in one of the trusted networks."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


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
