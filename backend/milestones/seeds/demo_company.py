"""One demo company's history, from its plan (seeds/demo_plan.py), written through the
shared builder: its milestone timeline with the toggles, tasks with reviews (a rejection
now and then), progress updates every other week, evidence of each type (links, metrics
with their metric key, a PDF or a PNG stored through the storage backend), what waits for
review, members' proposals and stakeholders."""

from __future__ import annotations

from datetime import datetime, timedelta

from milestones import catalogue
from milestones.catalogue import KEYS
from milestones.models import (
    Company,
    EvidenceType,
    MetricKey,
    ReviewDecision,
    ReviewStatus,
    TaskStatus,
    UpdateStatus,
    User,
)
from milestones.seeds import demo_files
from milestones.seeds.demo_plan import Plan
from milestones.seeds.factory import Builder

DAY = timedelta(days=1)
_APPROVED, _REJECTED = ReviewDecision.APPROVED, ReviewDecision.REJECTED
# The figure each milestone's metric evidence reports: (value, unit, key).
_METRICS = {
    "value_baseline": (1200.0, "USD", MetricKey.AVG_DEAL_SIZE_USD),
    "first_customer": (1.0, "customers", MetricKey.PAYING_CUSTOMERS),
    "x_customers": (9.0, "customers", MetricKey.PAYING_CUSTOMERS),
    "ten_x_customers": (41500.0, "USD", MetricKey.MRR_USD),
    "one_m_arr": (1_050_000.0, "USD", MetricKey.ARR_USD),
}
_UPDATES = (
    "Ran five customer interviews; two asked for a pilot.",
    "Pricing page live; first inbound leads this week.",
    "Closed the pilot contract, onboarding next Monday.",
    "Churned one account; wrote up why and what changes.",
    "Pipeline review with the coach: three deals in late stage.",
    "Hired a part-time sales lead.",
)


class DemoCompany:
    def __init__(
        self, build: Builder, plan: Plan, coaches: list[User], member: User, now: datetime
    ) -> None:
        self.build, self.plan, self.now = build, plan, now
        self.coach, self.member = coaches[0], member
        spans = [d * DAY for d in plan.spans]
        joined = now - sum(spans, timedelta()) - plan.current * DAY
        self.company: Company = build.company(
            plan.name,
            description=plan.description,
            joined_at=joined,
            coaches=coaches,
            members=[member],
        )
        self.times: list[tuple[datetime, datetime | None]] = []
        cursor = joined
        for span in spans:
            self.times.append((cursor, cursor + span))
            cursor += span
        if len(spans) < len(KEYS):
            self.times.append((cursor, None))
        self.ends = cursor  # the start of the current milestone (or when the last was achieved)
        self.n = 0  # a counter that varies texts and figures
        self.proofs = 0

    def write(self) -> Company:
        for position, (start, done) in enumerate(self.times):
            if done is not None:
                self._achieved(KEYS[position], start, done)
            else:
                self._current(KEYS[position], start)
        if len(self.times) == len(KEYS) and self.times[-1][1] is not None:
            self._weekly_updates(KEYS[-1], self.ends)  # finished: still reporting
        self.build.timeline(self.company, self.times, actor=self.coach)
        for email, name, frequency in self.plan.stakeholders:
            self.build.stakeholder(self.company, email, name, frequency)
        return self.company

    def _next(self) -> int:
        self.n += 1
        return self.n

    # An achieved milestone: its work done, reviewed and proven.

    def _achieved(self, key: str, start: datetime, done: datetime) -> None:
        span = done - start
        criteria = catalogue.get(key).criteria
        for i, criterion in enumerate(criteria[:3]):
            created = start + span * (0.05 + 0.15 * i)
            submitted = start + span * (0.45 + 0.12 * i)
            completed = submitted + span * 0.05
            reviews: list[tuple[ReviewDecision, datetime]] = [(_APPROVED, completed)]
            if i == 0 and self._next() % 3 == 0:
                reviews.insert(0, (_REJECTED, created + (submitted - created) / 2))
            self.build.task(
                self.company, key, TaskStatus.APPROVED, created, author=self.coach,
                title=criterion.text, description="Gather the evidence and write it up.",
                completed=completed, submitted=submitted, submitted_by=self.member,
                reviews=reviews, reviewer=self.coach,
                comment="Add the signed page, please." if len(reviews) > 1 else None,
            )  # fmt: skip
        self._update(key, start + span * 0.4, reviewed_after=span * 0.1)
        self._proof(key, criteria[0].key, done - span * 0.08)
        self._metric(key, criteria[-1].key, done - span * 0.04)

    def _proof(self, key: str, criterion: str, created: datetime) -> None:
        """A link, a PDF or a PNG, in turn."""
        title = catalogue.get(key).title
        self.proofs += 1
        kind = (self.proofs + len(self.plan.name)) % 3
        attachment = None
        if kind == 1:
            data = demo_files.pdf(
                f"{self.plan.name}: {title}",
                [f"Criterion: {criterion.replace('_', ' ')}", f"Signed {created:%d %B %Y}."],
            )
            filename = f"{self.plan.slug}-{key}.pdf"
            attachment = self.build.document(self.company, filename, "application/pdf", data)
        elif kind == 2:
            data = demo_files.png_chart([3, 5, 4, 8, 11, 13][: 3 + self.n % 4])
            filename = f"{self.plan.slug}-{key}-chart.png"
            attachment = self.build.document(self.company, filename, "image/png", data)
        self.build.evidence(
            self.company, key, created, author=self.coach,
            kind=EvidenceType.LINK if attachment is None else EvidenceType.DOCUMENT,
            title=f"{title}: {'review notes' if attachment is None else attachment.filename}",
            description="Reviewed with the founders.",
            url=f"https://docs.example.com/{self.plan.slug}/{key}" if attachment is None else None,
            criterion=criterion, attachment=attachment, recorded=True,
        )  # fmt: skip

    def _metric(self, key: str, criterion: str, created: datetime) -> None:
        value, unit, metric_key = _METRICS[key]
        self.build.evidence(
            self.company, key, created, author=self.coach, kind=EvidenceType.METRIC,
            title=metric_key.value.replace("_", " ").capitalize(),
            metric=(float(round(value * (1 + 0.25 * (self.n % 4)))), unit, metric_key),
            criterion=criterion, recorded=True,
        )  # fmt: skip

    def _update(self, key: str, created: datetime, *, reviewed_after: timedelta) -> None:
        self.build.update(
            self.company, key, UpdateStatus.APPROVED, created, author=self.member,
            body=_UPDATES[self._next() % len(_UPDATES)], reviewed=created + reviewed_after,
            reviewer=self.coach,
        )  # fmt: skip

    # The current milestone: work under way and waiting for a coach.

    def _current(self, key: str, start: datetime) -> None:
        span = self.now - start
        criteria = catalogue.get(key).criteria
        # Quiet companies did their last work over a month ago.
        recent = start + span * 0.3 if self.plan.quiet else self.now - min(span * 0.4, 9 * DAY)
        self.build.task(
            self.company, key, TaskStatus.APPROVED, start + span * 0.1, author=self.coach,
            title=criteria[0].text, completed=recent, submitted=recent - span * 0.05,
            submitted_by=self.member, reviews=[(_APPROVED, recent)], reviewer=self.coach,
        )  # fmt: skip
        self.build.task(
            self.company, key, TaskStatus.OPEN, start + span * 0.15, author=self.coach,
            title=criteria[-1].text, description="Agree the numbers with the coach first.",
        )  # fmt: skip
        for i, age in enumerate(self.plan.waiting):
            self._waiting(key, criteria[1 + i % 2].text, self.now - age * DAY, start, i % 2 == 0)
        if not self.plan.quiet:
            self._weekly_updates(key, start)
        else:
            self._update(key, start + span * 0.2, reviewed_after=2 * DAY)
        if self.plan.proposed:
            self.build.evidence(
                self.company, key, self.now - (1 + self._next() % 6) * DAY, author=self.member,
                title=f"{criteria[1].text} (draft)", criterion=criteria[1].key,
                url=f"https://docs.example.com/{self.plan.slug}/draft",
                review_status=ReviewStatus.PROPOSED, recorded=True,
            )  # fmt: skip

    def _waiting(self, key: str, title: str, at: datetime, start: datetime, task: bool) -> None:
        assert at >= start, f"{self.plan.name}: a wait older than its milestone"
        if task:
            self.build.task(
                self.company, key, TaskStatus.SUBMITTED, max(start, at - 3 * DAY),
                author=self.coach, title=title, submitted=at, submitted_by=self.member,
            )  # fmt: skip
        else:
            self.build.update(
                self.company, key, UpdateStatus.PENDING, at, author=self.member,
                body=_UPDATES[self._next() % len(_UPDATES)],
            )  # fmt: skip

    def _weekly_updates(self, key: str, since: datetime) -> None:
        """An approved update every other week of the last twelve (since `since`)."""
        for week in range(0, 12, 2):
            created = self.now - (week * 7 + 2 + self.n % 3) * DAY
            if created > since:
                self._update(key, created, reviewed_after=DAY)
