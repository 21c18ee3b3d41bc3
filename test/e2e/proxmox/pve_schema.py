"""Validate Proxmox VE API requests against the published API schema.

The schema is Proxmox's own api-viewer data (apidata.js of pve-docs): one
tree of paths, each with the HTTP methods it serves and a PVE JSON-Schema
for their parameters. Proxmox VE checks every request with that schema
(PVE::JSONSchema) before a handler runs. This module repeats those checks,
so a stand-in server rejects what a real node would reject.

Only the standard library is used, so the stand-in runs wherever python3 does.
"""

import ipaddress
import json
import re

PREFIX = "const apiSchema = "

# Parameters that PVE collapses into one schema entry: net0, net1, ... are
# all described as net[n] (RESTHandler::api_clone_schema).
INDEXED_NAME = re.compile(r"^([a-z]+)(\d+)$")


class ParameterError(Exception):
    """A request parameter that PVE would reject, keyed by parameter name."""

    def __init__(self, errors):
        super().__init__(json.dumps(errors, sort_keys=True))
        self.errors = errors


def load_schema(path):
    """Parse apidata.js (or its plain-JSON extract) into {path: node}."""
    with open(path, encoding="ascii") as handle:
        text = handle.read()

    if text.startswith(PREFIX):
        text = text[len(PREFIX) : text.rindex(";")]

    index = {}

    def walk(node):
        index[node["path"]] = node
        for child in node.get("children", []):
            walk(child)

    for root in json.loads(text):
        walk(root)
    return index


def compile_routes(index):
    """Turn each schema path into a regex; literal segments rank first."""
    routes = []
    for path in index:
        names = []
        parts = []
        literal_count = 0
        for segment in path.strip("/").split("/"):
            if segment.startswith("{") and segment.endswith("}"):
                names.append(segment[1:-1])
                parts.append("([^/]+)")
            else:
                literal_count += 1
                parts.append(re.escape(segment))
        regex = re.compile("^/" + "/".join(parts) + "$")
        routes.append((literal_count, path, regex, names))

    routes.sort(key=lambda route: -route[0])
    return routes


def match_route(routes, url_path):
    """Return (schema path, path variables) for a URL path, or (None, {})."""
    for _, path, regex, names in routes:
        found = regex.match(url_path)
        if found:
            return path, dict(zip(names, found.groups()))
    return None, {}


def perl_pattern(pattern):
    """Translate a PVE pattern (Perl syntax) for Python's re module.

    Stringified Perl Regexp objects look like (?^:...) or (?^i:...); Python
    spells them (?:...) and (?i:...). Atomic groups work since Python 3.11.
    """
    return pattern.replace("(?^i:", "(?i:").replace("(?^:", "(?:")


def matches_anchored(pattern, value):
    # PVE applies every pattern as m/^$pattern$/.
    return re.match("^(?:" + perl_pattern(pattern) + ")$", value) is not None


BOOLEAN_WORDS = {
    "1": 1, "on": 1, "yes": 1, "true": 1,
    "0": 0, "off": 0, "no": 0, "false": 0,
}


def parse_boolean(value):
    """PVE::JSONSchema::parse_boolean: 0/1, on/off, yes/no, true/false."""
    return BOOLEAN_WORDS.get(str(value).lower())


DNS_LABEL = r"[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?"
STORAGE_ID = r"[a-z][a-z0-9\-_.]*[a-z0-9]"
CONTENT_TYPES = {"images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import"}


def check_ipv4(value):
    try:
        ipaddress.IPv4Address(value)
        return True
    except ValueError:
        return False


def check_ipv4_cidr(value):
    if "/" not in value:
        return False
    try:
        ipaddress.IPv4Interface(value)
        return True
    except ValueError:
        return False


def check_ip_any(value):
    try:
        ipaddress.ip_address(value.split("%")[0])
        return True
    except ValueError:
        return False


# Named formats the endpoints of the provider use. Each returns an error
# message, or None for a valid value. The schema file does not define them.
# NOTE: their rules and messages are written from what PVE is known to do,
# not from its source, so a real node may word an error differently.
FORMATS = {
    "pve-node": lambda v: None if re.match("^" + DNS_LABEL + "$", v) else "value does not look like a valid node name",
    "pve-vmid": lambda v: None if re.match(r"^[1-9][0-9]{2,8}$", v) else "value does not look like a valid VM ID",
    "pve-storage-id": lambda v: None if re.match("^(?i:" + STORAGE_ID + ")$", v) else f"storage ID '{v}' contains illegal characters",
    "pve-configid": lambda v: None if re.match(r"^(?i:[a-z][a-z0-9_-]+)$", v) else f"invalid configuration ID '{v}'",
    "dns-name": lambda v: None if re.match("^(" + DNS_LABEL + r"\.)*" + DNS_LABEL + "$", v) else "value does not look like a valid DNS name",
    "dns-name-list": lambda v: None if all(re.match("^(" + DNS_LABEL + r"\.)*" + DNS_LABEL + "$", p) for p in re.split(r"[;, ]+", v) if p) else "value does not look like a valid DNS name",
    "pve-volume-id": lambda v: None if re.match("^(?i:(" + STORAGE_ID + "):(.+))$", v) else f"unable to parse volume ID '{v}'",
    "pve-lxc-mp-string": lambda v: None if re.match(r"^[^\0,=]+$", v) else f"invalid mount point volume '{v}'",
    "pve-storage-content": lambda v: None if v in CONTENT_TYPES else f"invalid content type '{v}'",
    "pve-poolid": lambda v: None if re.match(r"^[A-Za-z0-9_\-]+$", v) else f"invalid pool ID '{v}'",
    "pve-tag-list": lambda v: None if all(re.match(r"^(?i:[a-z0-9_][a-z0-9_\-+.]*)$", t) for t in re.split(r"[;, ]+", v) if t) else f"invalid tag list '{v}'",
    "disk-size": lambda v: None if re.match(r"^(\d+(\.\d+)?)([KMGT])?$", v) else f"unable to parse size '{v}'",
    "ipv4": lambda v: None if check_ipv4(v) else "value does not look like a valid IPv4 address",
    "ipv6": lambda v: None if ":" in v and check_ip_any(v) else "value does not look like a valid IPv6 address",
    "pve-ipv4-config": lambda v: None if v in ("dhcp", "manual") or check_ipv4_cidr(v) else "value does not look like a valid ipv4 network configuration",
    "pve-ipv6-config": lambda v: None if v in ("auto", "dhcp", "manual") or ("/" in v and check_ip_any(v.split("/")[0])) else "value does not look like a valid ipv6 network configuration",
    "mac-addr": lambda v: None if re.match(r"^(?i:[a-f0-9][02468ace](?::[a-f0-9]{2}){5})$", v) else f"value '{v}' is not a valid unicast MAC address",
    "lxc-ip-with-ll-iface-list": lambda v: None if all(check_ip_any(p) for p in re.split(r"[;, ]+", v) if p) else "value does not look like a valid IP address",
}


def schema_for(properties, name):
    """Look a parameter up, resolving net0 to net[n] and the like."""
    if name in properties:
        return properties[name]

    indexed = INDEXED_NAME.match(name)
    if indexed and indexed.group(1) + "[n]" in properties:
        return properties[indexed.group(1) + "[n]"]
    return None


def check_value(schema, value):
    """Check one value and return an error message, or None when it is valid."""
    kind = schema.get("type", "string")
    text = str(value)

    if kind == "boolean":
        if parse_boolean(text) is None:
            return f"type check ('boolean') failed - got '{text}'"
        return None

    if kind == "integer":
        if not re.match(r"^-?\d+$", text):
            return f"type check ('integer') failed - got '{text}'"
        return check_range(schema, int(text))

    if kind == "number":
        if not re.match(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$", text):
            return f"type check ('number') failed - got '{text}'"
        return check_range(schema, float(text))

    if kind in ("string", "string-alike"):
        return check_string(schema, text)

    # Arrays and objects do not occur as request parameters of the
    # endpoints the stand-in serves; accept them as PVE would a string.
    return None


def check_range(schema, number):
    if "minimum" in schema and number < schema["minimum"]:
        return f"value must have a minimum value of {schema['minimum']}"
    if "maximum" in schema and number > schema["maximum"]:
        return f"value must have a maximum value of {schema['maximum']}"
    return None


def check_string(schema, text):
    if "maxLength" in schema and len(text) > schema["maxLength"]:
        return f"value may only be {schema['maxLength']} characters long"
    if "minLength" in schema and len(text) < schema["minLength"]:
        return f"value must be at least {schema['minLength']} characters long"
    if "enum" in schema and text not in schema["enum"]:
        return f"value '{text}' does not have a value in the enumeration '{', '.join(schema['enum'])}'"
    if "pattern" in schema and not matches_anchored(schema["pattern"], text):
        return "value does not match the regex pattern"

    fmt = schema.get("format")
    if isinstance(fmt, dict):
        return check_property_string(fmt, text)
    if isinstance(fmt, str):
        checker = FORMATS.get(fmt)
        # NOTE: formats missing from FORMATS are accepted unchecked; none of
        # the parameters the provider sends uses one.
        if checker is not None:
            return checker(text)
    return None


def parse_property_string(fmt, text):
    """Split key=value,key=value; a bare value belongs to the default key."""
    default_key = next((key for key, sub in fmt.items() if sub.get("default_key")), None)
    values = {}

    for part in text.split(","):
        if part == "":
            continue
        if "=" in part:
            key, value = part.split("=", 1)
        elif default_key is not None and default_key not in values:
            key, value = default_key, part
        else:
            raise ValueError(f"value without key, but schema does not define a default key: '{part}'")
        if key in values:
            raise ValueError(f"duplicate key in comma-separated list property: {key}")
        values[key] = value
    return values


def check_property_string(fmt, text):
    """Check a property string such as name=eth0,bridge=vmbr0,ip=dhcp."""
    try:
        values = parse_property_string(fmt, text)
    except ValueError as error:
        return f"invalid format - {error}"

    for key, value in values.items():
        if key not in fmt:
            return f"invalid format - invalid key in comma-separated list property: {key}"
        error = check_value(fmt[key], value)
        if error is not None:
            return f"invalid format - {key}: {error}"

    for key, sub in fmt.items():
        if not sub.get("optional") and key not in values:
            return f"invalid format - {key}: property is missing and it is not optional"
    return None


def validate_parameters(parameters_schema, params):
    """Raise ParameterError with one message per invalid parameter."""
    properties = parameters_schema.get("properties", {}) or {}
    allow_additional = parameters_schema.get("additionalProperties", 1)
    errors = {}

    for name, value in params.items():
        schema = schema_for(properties, name)
        if schema is None:
            if not allow_additional:
                errors[name] = "property is not defined in schema and the schema does not allow additional properties"
            continue
        error = check_value(schema, value)
        if error is not None:
            errors[name] = error
        elif "requires" in schema and schema["requires"] not in params:
            errors[schema["requires"]] = f"missing property - '{name}' requires this property"

    for name, schema in properties.items():
        if name.endswith("[n]") or schema.get("optional"):
            continue
        if name not in params:
            errors[name] = "property is missing and it is not optional"

    if errors:
        raise ParameterError(errors)


def coerce_parameters(parameters_schema, params):
    """Convert validated parameters to the types their schema names.

    Booleans become 0 or 1 and numbers become int or float, as PVE stores
    them in a guest's configuration.
    """
    properties = parameters_schema.get("properties", {}) or {}
    typed = {}
    for name, value in params.items():
        kind = (schema_for(properties, name) or {}).get("type")
        if kind == "boolean":
            typed[name] = parse_boolean(value)
        elif kind == "integer":
            typed[name] = int(value)
        elif kind == "number":
            number = float(value)
            typed[name] = int(number) if number.is_integer() else number
        else:
            typed[name] = value
    return typed


def validate_returns(schema, data, where="data"):
    """Return a list of places where a response breaks its returns schema."""
    if schema is None or data is None and schema.get("optional"):
        return []

    kind = schema.get("type")
    problems = []
    if kind == "null":
        return [] if data is None else [f"{where}: expected null"]
    if kind == "array":
        if not isinstance(data, list):
            return [f"{where}: expected an array"]
        for position, item in enumerate(data):
            problems += validate_returns(schema.get("items"), item, f"{where}[{position}]")
        return problems
    if kind == "object":
        if not isinstance(data, dict):
            return [f"{where}: expected an object"]
        for name, sub in (schema.get("properties") or {}).items():
            if name in data:
                problems += validate_returns(sub, data[name], f"{where}.{name}")
            elif not sub.get("optional"):
                problems.append(f"{where}.{name}: missing")
        return problems
    if kind == "integer" and not isinstance(data, int):
        return [f"{where}: expected an integer"]
    if kind == "number" and not isinstance(data, (int, float)):
        return [f"{where}: expected a number"]
    if kind == "string" and not isinstance(data, str):
        return [f"{where}: expected a string"]
    if kind == "string" and "pattern" in schema and not matches_anchored(schema["pattern"], data):
        return [f"{where}: {data!r} does not match {schema['pattern']}"]
    if kind == "boolean" and data not in (0, 1, True, False):
        return [f"{where}: expected a boolean"]
    if "enum" in schema and data not in schema["enum"]:
        return [f"{where}: {data!r} is not one of {schema['enum']}"]
    return problems
