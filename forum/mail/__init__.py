"""Mail: an outbox written in the transaction of the act that causes it, and a worker that sends it.

Other features call `forum.mail.services.enqueue(...)`; nothing else of this package is theirs to
use. See services.py for the delivery guarantees; views.py is the administrators' outbox page.
"""
