"""Webhooks: programme events POSTed, signed (Standard Webhooks), to admins' endpoints.

events.py queues deliveries in the transaction of the change (the services call it once
each); sender.py is the worker's part; addresses.py refuses what must not be called;
admin.py is what the API offers admins.
"""

EVENT_TYPES = (
    "milestone.achieved",
    "milestone.reverted",
    "evidence.added",
    "task.approved",
    "update.approved",
)
PING = "webhook.ping"
