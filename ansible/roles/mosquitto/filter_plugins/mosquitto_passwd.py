"""Build Mosquitto 2 password files without running mosquitto_passwd.

Mosquitto 2.0 stores `user:$7$ITERATIONS$SALT$HASH`, where 7 means
PBKDF2-HMAC-SHA512 and SALT and HASH are base64 (mosquitto's
password_mosq.c). mosquitto_passwd draws a new salt on every call, which
would change the file on every run; this filter keeps a line whose hash
still matches the password and hashes only new or changed passwords.
"""

import base64
import hashlib
import hmac
import os

ITERATIONS = 101
SALT_BYTES = 12
HASH_BYTES = 64


def _hash(password, salt, iterations):
    return hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, iterations, HASH_BYTES)


def _line_matches(line, password):
    parts = line.split("$")
    # ['user:', '7', iterations, salt, hash]
    if len(parts) != 5 or parts[1] != "7":
        return False
    salt = base64.b64decode(parts[3])
    expected = base64.b64decode(parts[4])
    return hmac.compare_digest(_hash(password, salt, int(parts[2])), expected)


def mosquitto_password_file(passwords, existing=""):
    """Return the password file text for `passwords` ({user: password})."""
    old = {}
    for line in (existing or "").splitlines():
        if ":" in line:
            user, _, rest = line.partition(":")
            old[user] = f"{user}:{rest}"

    lines = []
    for user in sorted(passwords):
        password = passwords[user]
        if user in old and _line_matches(old[user], password):
            lines.append(old[user])
            continue
        salt = os.urandom(SALT_BYTES)
        digest = _hash(password, salt, ITERATIONS)
        lines.append(
            f"{user}:$7${ITERATIONS}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
        )
    return "\n".join(lines) + "\n"


class FilterModule:
    def filters(self):
        return {"mosquitto_password_file": mosquitto_password_file}
