"""One builder of data for the tests and the demo seed: people, companies with their
coaches and members, milestone timelines, tasks with their reviews, progress updates,
evidence of every type (documents stored through the storage backend), stakeholders and
history.

Rows are written through the models with explicit times, so a test or the demo can place
them anywhere in the past; a company goes through services.companies.create_company,
which gives it its five statuses (and commits). Everything else is flushed, and
committed only when the builder was made with `commit=True` (the tests' factories, whose
API clients read through their own connections); company_stats follow on commit.

The bench seed writes its rows in bulk (seeds/bench_rows.py) and shares the people's
shape with this module through `person_row`.
"""

from __future__ import annotations

import hashlib
import io
import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from milestones.auth.passwords import hash_password
from milestones.catalogue import KEYS, MilestoneKey
from milestones.extensions import db
from milestones.models import (
    Attachment,
    CoachAssignment,
    Company,
    Evidence,
    EvidenceType,
    HistoryEvent,
    HistoryEventType,
    Membership,
    MetricKey,
    MilestoneStatus,
    ProgressUpdate,
    ReviewDecision,
    ReviewStatus,
    Role,
    Stakeholder,
    StakeholderFrequency,
    Task,
    TaskReview,
    TaskStatus,
    UpdateStatus,
    User,
)
from milestones.services import companies
from milestones.storage import get_storage, new_key
from milestones.timeutil import utcnow

# (started_at, achieved_at) per milestone, in order; the milestones after it stay upcoming.
Timeline = Sequence[tuple[datetime, datetime | None]]
_seq = itertools.count(1)


class HasId(Protocol):
    @property
    def id(self) -> int: ...


def person_row(
    email: str, name: str, role: Role | str, password_hash: str | None
) -> dict[str, Any]:
    """The columns of a person (the bench seed inserts these in bulk)."""
    return {
        "email": email,
        "name": name,
        "role": Role(role).value,
        "password_hash": password_hash,
        "active": True,
        "session_version": 1,
    }


def _status(company: Company | HasId, milestone: str) -> MilestoneStatus:
    return (
        db.session.query(MilestoneStatus)
        .filter_by(company_id=company.id, milestone=MilestoneKey(milestone))
        .one()
    )


class Builder:
    def __init__(self, *, password: str | None = None, commit: bool = False) -> None:
        self.password = password
        self.commit = commit

    def _done(self, *rows: Any) -> None:
        db.session.add_all(rows)
        if self.commit:
            db.session.commit()
        else:
            db.session.flush()

    # People and companies

    def user(
        self,
        role: str | Role = Role.MEMBER,
        *,
        email: str | None = None,
        name: str | None = None,
        password: str | None = None,
        password_hash: str | None = None,
    ) -> User:
        """A person; e-mail and name made up from the role unless given."""
        role = Role(role)
        n = next(_seq)
        secret = password or self.password
        if password_hash is None and secret:
            password_hash = hash_password(secret)
        user = User(
            **person_row(
                email or f"{role.value}{n}@example.test",
                name or f"{role.value.title()} {n}",
                role,
                password_hash,
            )
        )
        self._done(user)
        return user

    def admin(self, **kw: Any) -> User:
        return self.user(Role.ADMIN, **kw)

    def coach(self, **kw: Any) -> User:
        return self.user(Role.COACH, **kw)

    def member(self, **kw: Any) -> User:
        return self.user(Role.MEMBER, **kw)

    def company(
        self,
        name: str | None = None,
        *,
        description: str = "",
        joined_at: datetime | None = None,
        coaches: Iterable[HasId] = (),
        members: Iterable[HasId] = (),
        cohort_id: int | None = None,
    ) -> Company:
        company = companies.create_company(
            name or f"Company {next(_seq)}", description, joined_at=joined_at, cohort_id=cohort_id
        )
        self._done(
            *[CoachAssignment(company_id=company.id, user_id=c.id) for c in coaches],
            *[Membership(company_id=company.id, user_id=m.id) for m in members],
        )
        if self.commit:
            db.session.refresh(company)
        return company

    # Milestones

    def timeline(
        self, company: Company, times: Timeline, *, actor: HasId | None = None
    ) -> list[MilestoneStatus]:
        """Set the statuses: times[i] = (started_at, achieved_at) of milestone i, the
        later ones upcoming. With an `actor`, each achievement is also recorded as theirs,
        a toggle in the history."""
        rows = {
            s.position: s
            for s in db.session.query(MilestoneStatus).filter_by(company_id=company.id).all()
        }
        events = []
        for position in range(len(KEYS)):
            status = rows[position]
            started, achieved = times[position] if position < len(times) else (None, None)
            status.started_at = started
            status.achieved_at = achieved
            status.achieved = achieved is not None
            if actor is not None and achieved is not None:
                status.last_updated = achieved
                status.updated_by_id = actor.id
                events.append(
                    self._event(
                        company, status.milestone, HistoryEventType.TOGGLED, actor, achieved,
                        previous=False, achieved=True, reason="All criteria met.",
                    )
                )  # fmt: skip
        self._done(*events)
        return [rows[p] for p in sorted(rows)]

    def _event(
        self,
        company: HasId,
        milestone: str,
        event: HistoryEventType,
        actor: HasId,
        at: datetime,
        **kw: Any,
    ) -> HistoryEvent:
        return HistoryEvent(
            company_id=company.id,
            milestone=MilestoneKey(milestone),
            event=event,
            actor_id=actor.id,
            created_at=at,
            **kw,
        )

    def history(
        self,
        company: HasId,
        milestone: str,
        event: HistoryEventType,
        actor: HasId,
        at: datetime,
        **kw: Any,
    ) -> HistoryEvent:
        row = self._event(company, milestone, event, actor, at, **kw)
        self._done(row)
        return row

    # Work

    def task(
        self,
        company: HasId,
        milestone: str,
        status: TaskStatus = TaskStatus.OPEN,
        created: datetime | None = None,
        *,
        author: HasId,
        title: str | None = None,
        description: str = "",
        completed: datetime | None = None,
        submitted: datetime | None = None,
        submitted_by: HasId | None = None,
        reviews: Sequence[tuple[ReviewDecision, datetime]] = (),
        reviewer: HasId | None = None,
        comment: str | None = None,
    ) -> Task:
        """A task; a submitted or cancelled one is so from `created` on unless told."""
        created = created or utcnow()
        if submitted is None and status == TaskStatus.SUBMITTED:
            submitted = created
        task = Task(
            company_id=company.id,
            milestone=MilestoneKey(milestone),
            title=title or f"{milestone} {status.value}",
            description=description,
            status=status,
            created_by_id=author.id,
            created_at=created,
            completed_at=completed,
            submitted_at=submitted,
            submitted_by_id=submitted_by.id if submitted_by else None,
            cancelled_at=created if status == TaskStatus.CANCELLED else None,
            last_review_comment=comment,
        )
        db.session.add(task)
        db.session.flush()
        self._done(
            *[
                TaskReview(
                    task_id=task.id,
                    company_id=company.id,
                    milestone=task.milestone,
                    decision=decision,
                    comment=comment if decision == ReviewDecision.REJECTED else None,
                    reviewer_id=(reviewer or author).id,
                    created_at=when,
                )
                for decision, when in reviews
            ]
        )
        return task

    def update(
        self,
        company: HasId,
        milestone: str,
        status: UpdateStatus = UpdateStatus.PENDING,
        created: datetime | None = None,
        *,
        author: HasId,
        body: str = "progress",
        reviewed: datetime | None = None,
        reviewer: HasId | None = None,
        task: HasId | None = None,
        comment: str | None = None,
    ) -> ProgressUpdate:
        update = ProgressUpdate(
            company_id=company.id,
            milestone=MilestoneKey(milestone),
            task_id=task.id if task else None,
            body=body,
            status=status,
            created_by_id=author.id,
            created_at=created or utcnow(),
            reviewed_at=reviewed,
            reviewed_by_id=(reviewer or author).id if reviewed else None,
            review_comment=comment,
        )
        self._done(update)
        return update

    # Evidence

    def document(self, company: HasId, filename: str, content_type: str, data: bytes) -> Attachment:
        """A file put into the configured storage backend, and its attachment row."""
        key = new_key(f"evidence/{company.id}")
        get_storage().put(key, io.BytesIO(data), size=len(data), content_type=content_type)
        attachment = Attachment(
            storage_key=key,
            filename=filename,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        self._done(attachment)
        return attachment

    def evidence(
        self,
        company: HasId,
        milestone: str,
        created: datetime | None = None,
        *,
        author: HasId,
        kind: EvidenceType = EvidenceType.LINK,
        title: str = "proof",
        description: str = "",
        url: str | None = None,
        criterion: str | None = None,
        metric: tuple[float, str | None, MetricKey | None] | None = None,
        attachment: Attachment | None = None,
        removed: datetime | None = None,
        review_status: ReviewStatus = ReviewStatus.ACCEPTED,
        recorded: bool = False,
    ) -> Evidence:
        """An evidence item (a link to example.test unless told); `metric` is (value,
        unit, key). `recorded`: its history event too (added, or proposed)."""
        created = created or utcnow()
        value, unit, key = metric or (None, None, None)
        if kind == EvidenceType.LINK and url is None:
            url = "https://example.test/proof"
        evidence = Evidence(
            status_id=_status(company, milestone).id,
            company_id=company.id,
            milestone=MilestoneKey(milestone),
            evidence_type=kind,
            title=title,
            description=description,
            url=url,
            criterion=criterion,
            metric_value=value,
            metric_unit=unit,
            metric_key=key,
            attachment_id=attachment.id if attachment else None,
            created_by_id=author.id,
            created_at=created,
            removed_at=removed,
            removed_by_id=author.id if removed else None,
            review_status=review_status,
        )
        db.session.add(evidence)
        db.session.flush()
        if recorded:
            proposed = review_status == ReviewStatus.PROPOSED
            event = (
                HistoryEventType.EVIDENCE_PROPOSED if proposed else HistoryEventType.EVIDENCE_ADDED
            )
            self._done(
                self._event(company, milestone, event, author, created, evidence_id=evidence.id)
            )
        else:
            self._done()
        return evidence

    def stakeholder(
        self,
        company: HasId,
        email: str,
        name: str = "",
        frequency: StakeholderFrequency = StakeholderFrequency.IMMEDIATE,
    ) -> Stakeholder:
        stakeholder = Stakeholder(
            company_id=company.id, email=email, name=name, frequency=frequency
        )
        self._done(stakeholder)
        return stakeholder
