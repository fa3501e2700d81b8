"""One demo account per role, so a new user can see what each kind of staff member sees."""

from brigade.core.roles import (
    COMMAND,
    DETACHMENT,
    LEADER,
    LIAISON,
    ROLE_LABELS,
    SUPERVISION,
    TRAINING,
    assign_role,
)

# username, role, the street a liaison is held to (by name; the demo's first street if absent)
DEMO_ACCOUNTS = (
    ("leader", LEADER, None),
    ("officer", SUPERVISION, None),
    ("command", COMMAND, None),
    ("training", TRAINING, None),
    ("liaison", LIAISON, "九曲街道"),
    ("detachment", DETACHMENT, None),  # the detachment's staff: read every brigade, write nothing
)


def ensure_demo_accounts(password: str) -> list[tuple[str, str]]:
    """Create the role accounts that are missing; return (username, role label) for each one usable."""
    from django.contrib.auth import get_user_model

    from brigade.demo.generator import DEMO_BRIGADE_NAME
    from brigade.org.models import Brigade, Street

    # The brigade's own staff belong to the demo brigade: beside `brigade demo --detachment`'s other
    # brigades they see theirs only.
    brigade = Brigade.objects.filter(name=DEMO_BRIGADE_NAME).first()
    User = get_user_model()
    usable = []
    for username, role, street_name in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, password=password)
            street = None
            if role == LIAISON:
                streets = Street.objects.filter(brigade=brigade) if brigade else Street.objects.all()
                street = streets.filter(name=street_name).first() or streets.order_by("pk").first()
            assign_role(user, role, street=street, brigade=brigade if role not in (LIAISON, DETACHMENT) else None)
        if user.check_password(password):
            label = ROLE_LABELS[role]
            if role == LIAISON:
                label += f"·{street_name}"
            usable.append((username, label))
    return usable
