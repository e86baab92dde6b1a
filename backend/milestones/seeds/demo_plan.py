"""What the demo holds: its people and twelve companies, every stage of the programme,
each with how long its milestones took and what waits for review. Days count back from
the moment the seed runs, so the demo always looks current."""

from __future__ import annotations

from dataclasses import dataclass

from milestones.models import Role, StakeholderFrequency

PASSWORD = "milestones-demo"
ADMIN, COACH, COACH2 = "admin@demo.test", "coach@demo.test", "coach2@demo.test"
FOUNDER, MEMBER = "founder@demo.test", "member@demo.test"
# The logins printed (every demo person has the same password).
PEOPLE = [
    (ADMIN, "Ada Admin", Role.ADMIN),
    (COACH, "Casey Coach", Role.COACH),
    (COACH2, "Robin Reyes", Role.COACH),
    (FOUNDER, "Frankie Founder", Role.MEMBER),
    (MEMBER, "Morgan Member", Role.MEMBER),
]


@dataclass(frozen=True)
class Plan:
    """One company: `spans` are the days each achieved milestone took (in order), `current`
    the days since the last achievement (in the current milestone, or since finishing),
    `waiting` the ages in days of what waits for a coach (even places: submitted tasks,
    odd: pending updates), `quiet` that nothing happened for over a month."""

    name: str
    description: str
    coaches: tuple[str, ...]
    spans: tuple[float, ...]
    current: float
    waiting: tuple[float, ...] = ()
    member: str | None = None  # e-mail; default team.<slug>@demo.test
    member_name: str | None = None
    stakeholders: tuple[tuple[str, str, StakeholderFrequency], ...] = ()
    proposed: bool = False  # a member's evidence waits for review
    quiet: bool = False

    @property
    def slug(self) -> str:
        return self.name.split()[0].lower()

    @property
    def member_email(self) -> str:
        return self.member or f"team.{self.slug}@demo.test"


_WEEKLY, _NOW = StakeholderFrequency.WEEKLY, StakeholderFrequency.IMMEDIATE

COMPANIES = [
    Plan(
        "Acme Analytics",
        "Self-serve analytics for small retailers.",
        (COACH,),
        spans=(12, 25, 34),
        current=20,
        waiting=(1, 9, 4),
        member=FOUNDER,
        member_name="Frankie Founder",
        proposed=True,
        stakeholders=(
            ("investor@northwind.example", "Northwind Ventures", _WEEKLY),
            ("board@acme.example", "Acme board", _NOW),
        ),
    ),
    Plan(
        "Birch Health",
        "Remote physiotherapy for clinics.",
        (COACH,),
        spans=(18, 40),
        current=110,
        waiting=(3, 30),
        member=MEMBER,
        member_name="Morgan Member",
        proposed=True,
    ),
    Plan(
        "Cobalt Robotics",
        "Warehouse picking robots as a service.",
        (COACH,),
        spans=(30,),
        current=14,
        waiting=(2,),
    ),
    Plan(
        "Dune Energy",
        "Solar micro-grids for rural co-operatives.",
        (COACH,),
        spans=(),
        current=8,
        waiting=(1, 5),
        proposed=True,
    ),
    Plan(
        "Evergreen Foods",
        "Plant-based school meals.",
        (COACH,),
        spans=(10, 22, 30, 45, 60),
        current=21,
        stakeholders=(("partners@greenfund.example", "Green Fund", _WEEKLY),),
    ),
    Plan(
        "Fjord Freight",
        "Route planning for short-sea shipping.",
        (COACH2,),
        spans=(6, 15),
        current=5,
        waiting=(1,),
    ),
    Plan(
        "Granite Security",
        "Access control for shared offices.",
        (COACH2,),
        spans=(25,),
        current=95,
        waiting=(32,),
        quiet=True,
    ),
    Plan(
        "Harbor Pay",
        "Invoice financing for marinas.",
        (COACH2,),
        spans=(8, 12, 20, 38),
        current=26,
        waiting=(4, 12, 2),
        proposed=True,
        stakeholders=(("angel@harbor.example", "Hana Angel", _NOW),),
    ),
    Plan(
        "Indigo Learning",
        "Language tutoring for nurses abroad.",
        (COACH2,),
        spans=(),
        current=75,
        waiting=(21,),
    ),
    Plan(
        "Juniper Bio",
        "Soil testing kits for farms.",
        (COACH2,),
        spans=(20, 35, 28),
        current=66,
        waiting=(14, 6),
        stakeholders=(("fund@seedlings.example", "Seedlings Fund", _WEEKLY),),
    ),
    Plan(
        "Kestrel Drones",
        "Roof inspections by drone.",
        (COACH, COACH2),
        spans=(14,),
        current=26,
        waiting=(7,),
        proposed=True,
    ),
    Plan(
        "Lumen Solar",
        "Community solar subscriptions.",
        (COACH2,),
        spans=(9, 18, 26, 33, 50),
        current=12,
    ),
]
