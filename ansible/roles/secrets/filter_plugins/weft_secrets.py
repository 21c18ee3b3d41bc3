"""Filters that fill the site's secret dictionary without ever printing it."""

import secrets


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
                # token_urlsafe(n) gives about 1.3 characters per byte.
                values[name] = secrets.token_urlsafe(length)[:length]
    return result


class FilterModule:
    def filters(self):
        return {"weft_secrets_fill": weft_secrets_fill}
