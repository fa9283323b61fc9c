"""One beat, enforced: the scheduler sends nothing unless it holds a Redis lock with an expiry.

A second beat started by mistake (or a standby on another node) waits; if the holder dies, its lock expires after
`beat_lock_ttl` seconds and the other one takes over. The lock is renewed on every tick (at least every
`beat_max_loop_interval` seconds, well inside the expiry). Jobs that must run once per period claim their period
as well (portal.jobs.services.claim_period), so even two beats that both believe they hold the lock — a Redis
restart between two ticks — start a yearly job once.
"""
from __future__ import annotations

import logging
import os
import socket
import uuid

from celery.beat import PersistentScheduler
import redis

log = logging.getLogger("portal.beat")

# Renew only our own lock; take it only if nobody holds it.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class LockedScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self._token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._held = False
        self._client = None
        super().__init__(*args, **kwargs)

    @property
    def lock_key(self) -> str:
        return self.app.conf.get("beat_lock_key") or "nastavnik:beat-lock"

    @property
    def lock_ttl_ms(self) -> int:
        return int(self.app.conf.get("beat_lock_ttl") or 30) * 1000

    def _redis(self):
        if self._client is None:
            self._client = redis.Redis.from_url(self.app.conf.broker_url, socket_connect_timeout=2, socket_timeout=5)
        return self._client

    def hold_lock(self) -> bool:
        """Renew the lock if it is ours, take it if it is free; False if another beat holds it."""
        url = self.app.conf.broker_url or ""
        if not url.startswith(("redis://", "rediss://")):
            return True   # the in-memory broker of the embedded default: one process, nothing to share
        try:
            client = self._redis()
            held = (self._held and client.eval(_RENEW, 1, self.lock_key, self._token, self.lock_ttl_ms)) or \
                bool(client.set(self.lock_key, self._token, nx=True, px=self.lock_ttl_ms))
        except Exception as exc:  # Redis is down: nothing could be sent anyway
            log.warning("beat lock unavailable (%s): sending nothing", type(exc).__name__)
            held = False
        if held != self._held or not getattr(self, "_announced", False):
            log.warning("beat lock %s (%s, key %s)", "taken" if held else "not held: another beat holds it, sending nothing",
                        self._token, self.lock_key)
            self._announced = True
        self._held = bool(held)
        return self._held

    def tick(self, *args, **kwargs):
        if not self.hold_lock():
            return min(self.max_interval, 5)
        return super().tick(*args, **kwargs)

    def close(self):
        try:
            if self._held:
                self._redis().eval(_RELEASE, 1, self.lock_key, self._token)
        except Exception:  # the lock expires by itself
            pass
        super().close()
