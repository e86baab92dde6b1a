"""Every model, importable from one place (Alembic sees them all through here)."""

from milestones.models.base import Base
from milestones.models.cohort import Cohort
from milestones.models.company import CoachAssignment, Company, Membership
from milestones.models.criteria import CriterionCheck
from milestones.models.digest import DigestSend
from milestones.models.milestone import (
    Attachment,
    Evidence,
    EvidenceType,
    HistoryEvent,
    HistoryEventType,
    MetricKey,
    MilestoneStatus,
    ReviewStatus,
)
from milestones.models.notification import (
    OutboxMessage,
    OutboxPayload,
    OutboxStatus,
    Stakeholder,
    StakeholderFrequency,
)
from milestones.models.rate_limit import RateLimitHit
from milestones.models.settings import ProgrammeSettings
from milestones.models.sharing import ShareLink
from milestones.models.stats import CompanyStats, MilestoneMedian, ProgrammeCounts
from milestones.models.task import (
    ProgressUpdate,
    ReviewDecision,
    Task,
    TaskReview,
    TaskStatus,
    UpdateStatus,
)
from milestones.models.user import PasswordToken, Role, TokenPurpose, User
from milestones.models.webhook import DeliveryStatus, Webhook, WebhookDelivery

__all__ = [
    "Attachment",
    "Base",
    "CoachAssignment",
    "Cohort",
    "Company",
    "CompanyStats",
    "CriterionCheck",
    "DeliveryStatus",
    "DigestSend",
    "Evidence",
    "EvidenceType",
    "HistoryEvent",
    "HistoryEventType",
    "Membership",
    "MetricKey",
    "MilestoneMedian",
    "MilestoneStatus",
    "OutboxMessage",
    "OutboxPayload",
    "OutboxStatus",
    "PasswordToken",
    "ProgrammeCounts",
    "ProgrammeSettings",
    "ProgressUpdate",
    "RateLimitHit",
    "ReviewDecision",
    "ReviewStatus",
    "Role",
    "ShareLink",
    "Stakeholder",
    "StakeholderFrequency",
    "Task",
    "TaskReview",
    "TaskStatus",
    "TokenPurpose",
    "UpdateStatus",
    "User",
    "Webhook",
    "WebhookDelivery",
]
