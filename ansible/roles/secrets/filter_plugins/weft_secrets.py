"""Filters that fill the site's secret dictionary without ever printing it."""

import re
import secrets

# Some services (n8n's owner account, for one) reject passwords without a
# digit, an upper-case and a lower-case letter, so every generated secret
# contains all three.
_COMPLEX = re.compile(r"^(?=.*[0-9])(?=.*[A-Z])(?=.*[a-z])")


def _generate(length):
    if length < 3:
        raise ValueError(f"secret length {length} is too short to hold a digit, an upper-case and a lower-case letter")
    while True:
        # token_urlsafe(n) gives about 1.3 characters per byte.
        value = secrets.token_urlsafe(length)[:length]
        if _COMPLEX.match(value):
            return value


def weft_secrets_fill(existing, required, length=32):
    """Return existing secrets plus a random value for each missing name.

    `required` maps a group (mqtt, postgresql, ...) to a list of names.
    Values already present are kept, so a secret is generated only once.
    """
    result = {group: dict(values) for group, values in (existing or {}).items()}
    for group, names in required.items():
        values = result.setdefault(group, {})
        for name in names:
            if not values.get(name):
                values[name] = _generate(length)
    return result


class FilterModule:
    def filters(self):
        return {"weft_secrets_fill": weft_secrets_fill}
