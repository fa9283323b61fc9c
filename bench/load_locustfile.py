"""Locust users for bench/load.py (not run on its own: load.py writes the plan this file reads).

Curators of different institutions log in (the CSRF token from the form, the password checked by argon2id) and
walk their mixed pages; one coordinator walks the city's pages; one anonymous user asks for a trivial page (the
login form) beside them all, in the same run. Every request's time is kept (PORTAL_LOAD_SAMPLES) for exact
percentiles per kind.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import time

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["PORTAL_LOAD_PLAN"], encoding="utf-8").read())
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SAMPLES: list[tuple[float, str, float, str]] = []   # (when, name, ms, error or "")
_next_curator = itertools.count()


@events.request.add_listener
def _keep(request_type, name, response_time, response_length, exception=None, response=None, **kwargs):
    SAMPLES.append((time.time(), name, response_time, "" if exception is None else str(exception)[:120]))


@events.quitting.add_listener
def _dump(environment, **kwargs):
    with open(os.environ["PORTAL_LOAD_SAMPLES"], "w", encoding="utf-8") as fh:
        json.dump(SAMPLES, fh)


def _login(client, email: str) -> None:
    form = client.get("/login", name="login form")
    token = CSRF.search(form.text)
    with client.post("/login", data={"email": email, "password": PLAN["password"],
                                     "csrf_token": token.group(1) if token else ""},
                     name="login", allow_redirects=False, catch_response=True) as r:
        if r.status_code != 302:
            r.failure(f"login answered {r.status_code}")


class Curator(HttpUser):
    """A curator of one institution (users spread over the institutions in turn)."""
    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.me = PLAN["curators"][next(_next_curator) % len(PLAN["curators"])]
        _login(self.client, self.me["email"])

    def _get(self, key: str, name: str):
        self.client.get(self.me[key], name=name)

    @task(3)
    def dashboard(self):
        self._get("dashboard", "dashboard")

    @task(2)
    def programs(self):
        self._get("programs", "programs")

    @task(2)
    def program(self):
        self._get("program", "program page")

    @task(2)
    def groups(self):
        self._get("groups", "groups")

    @task(1)
    def orders(self):
        self._get("orders", "orders")

    @task(2)
    def staff_card(self):
        self._get("staff_card", "staff card")

    @task(1)
    def roadmap(self):
        self._get("roadmap", "institution roadmap")


class Coordinator(HttpUser):
    fixed_count = 1
    wait_time = between(1, 3)

    def on_start(self):
        _login(self.client, PLAN["coordinator"]["email"])

    @task(2)
    def city_home(self):
        self.client.get(PLAN["coordinator"]["home"], name="city home")

    @task(2)
    def matrix(self):
        self.client.get(PLAN["coordinator"]["matrix"], name="status matrix")

    @task(1)
    def indicators(self):
        self.client.get(PLAN["coordinator"]["indicators"], name="indicators")


class Trivial(HttpUser):
    """Beside the others: a page that needs no login and reads nothing, to tell the server's queue from the pages."""
    fixed_count = 1
    wait_time = between(0.5, 1)

    @task
    def login_form(self):
        self.client.get("/login", name="trivial: login form")
