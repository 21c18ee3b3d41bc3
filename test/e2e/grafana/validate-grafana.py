#!/usr/bin/env python3
"""Validate the Grafana configuration the grafana role renders.

Usage: validate-grafana.py RENDER_DIR DASHBOARDS_DIR ISSUER_PREFIX

RENDER_DIR contains grafana.ini, datasources.yml and dashboards.yml from
render.yml; DASHBOARDS_DIR the role's dashboard JSON files. Grafana itself
cannot be installed on the test machine and its JSON schemas are not
available there, so this checks the fields that Grafana 12's provisioning
and dashboard documentation require, the values the role promises (TLS,
sign-in through Keycloak) and that every panel uses a provisioned data
source. Prints "ok     NAME", or "FAILED NAME" and the problems, per check.
"""

import configparser
import json
import sys
from pathlib import Path

import yaml

# Data source plugins shipped with Grafana 12 that the role may provision.
CORE_DATASOURCE_TYPES = {"influxdb", "grafana-postgresql-datasource", "prometheus", "loki"}
# Panel plugins shipped with Grafana 12.
CORE_PANEL_TYPES = {
    "timeseries", "stat", "gauge", "bargauge", "table", "text", "barchart",
    "piechart", "state-timeline", "status-history", "heatmap", "logs", "row",
}


def check(name, problems):
    if problems:
        print(f"FAILED {name}")
        for problem in problems:
            print(f"  {problem}")
        return False
    print(f"ok     {name}")
    return True


def server_settings(path, issuer_prefix):
    # Grafana's ini: ';' comments, no interpolation, values may be in """.
    parser = configparser.ConfigParser(interpolation=None, comment_prefixes=(";", "#"))
    parser.read(path, encoding="utf-8")
    expected = {
        ("database", "type"): "postgres",
        ("database", "ssl_mode"): "verify-full",
        ("security", "cookie_secure"): "true",
        ("users", "allow_sign_up"): "false",
        ("auth.generic_oauth", "enabled"): "true",
        ("analytics", "reporting_enabled"): "false",
    }
    problems = []
    for (section, key), value in expected.items():
        actual = parser.get(section, key, fallback=None)
        if actual != value:
            problems.append(f"[{section}] {key} is {actual!r}, expected {value!r}")
    if not parser.get("server", "root_url", fallback="").startswith("https://"):
        problems.append("[server] root_url is not an https:// URL")
    for key in ("auth_url", "token_url", "api_url"):
        if not parser.get("auth.generic_oauth", key, fallback="").startswith(issuer_prefix):
            problems.append(f"[auth.generic_oauth] {key} does not start with {issuer_prefix}")
    for section, key in (("security", "admin_password"), ("security", "secret_key"),
                         ("auth.generic_oauth", "client_secret"), ("database", "password")):
        if not parser.get(section, key, fallback="").strip('"'):
            problems.append(f"[{section}] {key} is empty")
    return problems


def datasources(path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = []
    if document.get("apiVersion") != 1:
        problems.append(f"apiVersion is {document.get('apiVersion')!r}, expected 1")
    sources = document.get("datasources") or []
    if not sources:
        problems.append("no datasources")
    uids = set()
    for source in sources:
        label = source.get("name", "<no name>")
        for field in ("name", "uid", "type", "url"):
            if not source.get(field):
                problems.append(f"{label}: {field} missing")
        if source.get("type") not in CORE_DATASOURCE_TYPES:
            problems.append(f"{label}: type {source.get('type')!r} is not a core Grafana data source")
        if source.get("access", "proxy") != "proxy":
            problems.append(f"{label}: access is {source.get('access')!r}, expected proxy")
        if not (source.get("secureJsonData") or {}).get("password"):
            problems.append(f"{label}: secureJsonData.password missing")
        uids.add(source.get("uid"))
    if sum(1 for source in sources if source.get("isDefault")) != 1:
        problems.append("not exactly one default data source")
    return problems, uids


def dashboard_provider(path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = []
    if document.get("apiVersion") != 1:
        problems.append(f"apiVersion is {document.get('apiVersion')!r}, expected 1")
    for provider in document.get("providers") or [{}]:
        if provider.get("type") != "file":
            problems.append(f"provider {provider.get('name')!r}: type is {provider.get('type')!r}, expected file")
        if not (provider.get("options") or {}).get("path", "").startswith("/"):
            problems.append(f"provider {provider.get('name')!r}: options.path is not absolute")
    return problems


def dashboard(path, datasource_uids):
    document = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for field in ("uid", "title", "schemaVersion", "panels"):
        if field not in document:
            problems.append(f"{field} missing")
    if not isinstance(document.get("schemaVersion"), int):
        problems.append("schemaVersion is not an integer")
    panel_ids = set()
    for panel in document.get("panels", []):
        label = f"panel {panel.get('id')}"
        if panel.get("id") in panel_ids:
            problems.append(f"{label}: duplicate id")
        panel_ids.add(panel.get("id"))
        if panel.get("type") not in CORE_PANEL_TYPES:
            problems.append(f"{label}: type {panel.get('type')!r} is not a core Grafana panel")
        grid = panel.get("gridPos") or {}
        if not all(isinstance(grid.get(key), int) for key in ("h", "w", "x", "y")):
            problems.append(f"{label}: gridPos needs integer h, w, x, y")
        elif grid["x"] + grid["w"] > 24:
            problems.append(f"{label}: gridPos is wider than Grafana's 24 columns")
        if panel.get("type") == "row":
            continue
        uid = (panel.get("datasource") or {}).get("uid")
        if uid not in datasource_uids:
            problems.append(f"{label}: data source uid {uid!r} is not provisioned")
        if not panel.get("targets"):
            problems.append(f"{label}: no targets")
    return problems


def main():
    render_dir, dashboards_dir, issuer_prefix = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    results = [check("grafana.ini sets TLS and Keycloak sign-in", server_settings(render_dir / "grafana.ini", issuer_prefix))]
    source_problems, uids = datasources(render_dir / "datasources.yml")
    results.append(check("Grafana data sources provisioning valid", source_problems))
    results.append(check("Grafana dashboard provider valid", dashboard_provider(render_dir / "dashboards.yml")))
    dashboard_problems = []
    files = sorted(dashboards_dir.glob("*.json"))
    if not files:
        dashboard_problems.append(f"no dashboard JSON in {dashboards_dir}")
    for path in files:
        dashboard_problems += [f"{path.name}: {problem}" for problem in dashboard(path, uids)]
    results.append(check("Grafana dashboards use provisioned data sources", dashboard_problems))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
