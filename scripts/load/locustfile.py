"""Locust users for the load check (run by scripts/load/run_load.py).

Coaches (one per company, so each company's toggles come from one client in order) read,
toggle, upload evidence, create tasks and approve submitted tasks and pending updates.
Members read, post progress updates, create and submit tasks. Every accepted write is
recorded and written to $LOAD_RECORD at the end, for the database check.
Any status other than the one expected counts as a failure.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import threading
from typing import Any

from locust import HttpUser, between, events, task

PEOPLE: dict[str, Any] = json.loads(os.environ.get("LOAD_PEOPLE", '{"companies": []}'))
PASSWORD = PEOPLE.get("password", "")
COMPANIES = PEOPLE["companies"]
WITH_MEMBERS = [c for c in COMPANIES if c.get("member")]
_coach_seq = itertools.count()
_member_seq = itertools.count()
_lock = threading.Lock()
KEYS = ["value_baseline", "first_customer", "x_customers", "ten_x_customers", "one_m_arr"]


def milestone_choice() -> dict[str, str]:
    """Always named: once a company has all five, the default (current) no longer exists."""
    return {"milestone": random.choice(KEYS)}


RECORD: dict[str, list[Any]] = {
    "toggles": [],
    "tasks_created": [],
    "tasks_submitted": [],
    "tasks_approved": [],
    "updates_created": [],
    "updates_approved": [],
    "evidence_created": [],
}


def record(kind: str, value: Any) -> None:
    with _lock:
        RECORD[kind].append(value)


@events.test_stop.add_listener
def _dump(**_: Any) -> None:
    path = os.environ.get("LOAD_RECORD")
    if path:
        with open(path, "w") as f:
            json.dump(RECORD, f)


class ApiUser(HttpUser):
    abstract = True
    wait_time = between(0.05, 0.4)
    company: dict[str, Any]
    csrf = ""

    def login(self, email: str) -> None:
        with self.client.post(
            "/api/v1/auth/login",
            json={"email": email, "password": PASSWORD},
            name="POST /auth/login",
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"login {r.status_code}: {r.text[:200]}")
                return
            self.csrf = r.json()["csrf_token"]

    def call(
        self, method: str, path: str, expect: int, name: str, **kwargs: Any
    ) -> dict[str, Any] | list[Any] | None:
        headers = kwargs.pop("headers", {})
        if method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        with self.client.request(
            method, f"/api/v1{path}", name=name, headers=headers, catch_response=True, **kwargs
        ) as r:
            if r.status_code != expect:
                r.failure(f"{method} {path}: expected {expect}, got {r.status_code} {r.text[:200]}")
                return None
            r.success()
            return r.json() if r.content else {}

    @property
    def cid(self) -> int:
        return int(self.company["id"])

    def read_company(self) -> None:
        path = random.choice(["/milestones", "/metrics", "/history", "/tasks", "/updates", ""])
        self.call("GET", f"/companies/{self.cid}{path}", 200, f"GET /companies/{{id}}{path}")


class Coach(ApiUser):
    weight = 3

    def on_start(self) -> None:
        self.company = COMPANIES[next(_coach_seq) % len(COMPANIES)]
        self.login(self.company["coach"])

    @task(6)
    def reads(self) -> None:
        if random.random() < 0.3:
            self.call("GET", "/portfolio", 200, "GET /portfolio")
        else:
            self.read_company()

    @task(3)
    def toggle(self) -> None:
        data = self.call("GET", f"/companies/{self.cid}/milestones", 200, "GET /milestones (pre)")
        if not isinstance(data, dict):
            return
        statuses = data["milestones"]
        achieved = [s["milestone"] for s in statuses if s["achieved"]]
        current = data.get("current_milestone")
        if current and (not achieved or random.random() < 0.65):
            key, body = current, {"achieved": True, "reason": "load: reached"}
        else:
            key, body = achieved[-1], {"achieved": False, "reason": "load: reverted"}
        out = self.call(
            "PUT", f"/companies/{self.cid}/milestones/{key}", 200, "PUT toggle", json=body
        )
        if isinstance(out, dict):
            if out.get("achieved") != body["achieved"]:
                return
            record("toggles", {"company": self.cid, "milestone": key, "achieved": body["achieved"]})

    @task(1)
    def upload(self) -> None:
        content = f"revenue,{random.randint(1, 10**6)}\n".encode()
        out = self.call(
            "POST",
            f"/companies/{self.cid}/milestones/value_baseline/evidence",
            201,
            "POST evidence (upload)",
            data={"evidence_type": "document", "title": "Load upload"},
            files={"file": ("figures.csv", io.BytesIO(content), "text/csv")},
        )
        if isinstance(out, dict):
            record("evidence_created", {"company": self.cid, "id": out["id"]})

    @task(1)
    def create_task(self) -> None:
        out = self.call(
            "POST",
            f"/companies/{self.cid}/tasks",
            201,
            "POST task",
            json={"title": "Coach task", **milestone_choice()},
        )
        if isinstance(out, dict):
            record("tasks_created", {"company": self.cid, "id": out["id"]})

    @task(2)
    def review(self) -> None:
        tasks = self.call(
            "GET",
            f"/companies/{self.cid}/tasks",
            200,
            "GET /tasks?status=submitted",
            params={"status": "submitted"},
        )
        if isinstance(tasks, list) and tasks:
            t = tasks[0]
            if self.call("POST", f"/tasks/{t['id']}/approve", 200, "POST task approve", json={}):
                record("tasks_approved", {"company": self.cid, "id": t["id"]})
        updates = self.call(
            "GET",
            f"/companies/{self.cid}/updates",
            200,
            "GET /updates?status=pending",
            params={"status": "pending"},
        )
        if isinstance(updates, list) and updates:
            u = updates[0]
            if self.call(
                "POST", f"/updates/{u['id']}/approve", 200, "POST update approve", json={}
            ):
                record("updates_approved", {"company": self.cid, "id": u["id"]})


class Member(ApiUser):
    weight = 2

    def on_start(self) -> None:
        self.company = WITH_MEMBERS[next(_member_seq) % len(WITH_MEMBERS)]
        self.login(self.company["member"])

    @task(5)
    def reads(self) -> None:
        self.read_company()

    @task(2)
    def post_update(self) -> None:
        out = self.call(
            "POST",
            f"/companies/{self.cid}/updates",
            201,
            "POST update",
            json={"body": f"Progress {random.randint(1, 10**6)}", **milestone_choice()},
        )
        if isinstance(out, dict):
            record("updates_created", {"company": self.cid, "id": out["id"]})

    @task(2)
    def task_and_submit(self) -> None:
        out = self.call(
            "POST",
            f"/companies/{self.cid}/tasks",
            201,
            "POST task",
            json={"title": "Member task", **milestone_choice()},
        )
        if not isinstance(out, dict):
            return
        record("tasks_created", {"company": self.cid, "id": out["id"]})
        if self.call("POST", f"/tasks/{out['id']}/submit", 200, "POST task submit", json={}):
            record("tasks_submitted", {"company": self.cid, "id": out["id"]})
