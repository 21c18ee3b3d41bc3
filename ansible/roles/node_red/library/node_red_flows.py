#!/usr/bin/python3
"""Deploy managed tabs to Node-RED through its admin HTTP API."""

import hashlib
import json
import urllib.error
import urllib.request

from ansible.module_utils.basic import AnsibleModule

DOCUMENTATION = r"""
module: node_red_flows
short_description: Deploy managed Node-RED tabs, leaving every other tab alone
description:
  - Reads the running flows (GET /flows, API version v2), replaces the nodes
    of the managed tabs with the given ones and deploys the result
    (POST /flows, deployment type C(flows)), so only changed flows restart.
  - Nodes that do not belong to a managed tab, such as tabs users made in
    the editor, are sent back unchanged.
  - Each managed tab carries a revision hash of its nodes and credentials in
    its C(info) text; the module deploys only when a hash differs, because
    Node-RED never returns credentials to compare.
options:
  url: {description: Base URL of the admin API., required: true, type: str}
  username: {description: Admin API login., required: true, type: str}
  password: {description: Admin API password., required: true, type: str, no_log: true}
  tabs:
    description: Managed tabs, each a list of nodes whose first node is the C(tab) node.
    required: true
    type: list
    elements: list
  credentials:
    description: Credentials per node id, sent with the deployment only.
    type: dict
    default: {}
    no_log: true
"""

REVISION_MARK = "weft-revision:"


def request(module, method, url, token=None, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    all_headers = {"Content-Type": "application/json", "Node-RED-API-Version": "v2"}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    all_headers.update(headers or {})
    req = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            text = response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        module.fail_json(msg=f"{method} {url} failed with HTTP {error.code}: {error.read()[:300]!r}")
    except urllib.error.URLError as error:
        module.fail_json(msg=f"{method} {url} failed: {error.reason}; is Node-RED running?")
    return json.loads(text) if text else {}


def sign_in(module, base, username, password):
    body = {
        "client_id": "node-red-admin",
        "grant_type": "password",
        "scope": "*",
        "username": username,
        "password": password,
    }
    return request(module, "POST", f"{base}/auth/token", body=body)["access_token"]


def revision(nodes, credentials):
    node_ids = {node["id"] for node in nodes}
    own_credentials = {key: value for key, value in credentials.items() if key in node_ids}
    text = json.dumps([nodes, own_credentials], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def main():
    module = AnsibleModule(
        argument_spec={
            "url": {"type": "str", "required": True},
            "username": {"type": "str", "required": True},
            "password": {"type": "str", "required": True, "no_log": True},
            "tabs": {"type": "list", "elements": "list", "required": True},
            "credentials": {"type": "dict", "default": {}, "no_log": True},
        },
        supports_check_mode=True,
    )
    base = module.params["url"].rstrip("/")
    credentials = module.params["credentials"]

    desired = []
    managed_ids = set()
    for nodes in module.params["tabs"]:
        tab = dict(nodes[0])
        if tab.get("type") != "tab":
            module.fail_json(msg=f"the first node of a managed tab must be the tab, got {tab.get('type')!r}")
        mark = f"{REVISION_MARK} {revision(nodes, credentials)}"
        tab["info"] = f"Managed by Ansible (role node_red); edits here are replaced on the next deploy.\n{mark}"
        managed_ids.add(tab["id"])
        desired.append(tab)
        desired.extend(nodes[1:])

    token = sign_in(module, base, module.params["username"], module.params["password"])
    current = request(module, "GET", f"{base}/flows", token=token)

    current_tabs = {node["id"]: node for node in current["flows"] if node.get("type") == "tab"}
    outdated = [
        node["id"]
        for node in desired
        if node.get("type") == "tab" and current_tabs.get(node["id"], {}).get("info") != node["info"]
    ]
    if not outdated:
        module.exit_json(changed=False, managed_tabs=sorted(managed_ids))

    kept = [
        node
        for node in current["flows"]
        if node["id"] not in managed_ids and node.get("z") not in managed_ids
    ]
    outgoing = []
    for node in desired:
        node = dict(node)
        if node["id"] in credentials:
            node["credentials"] = credentials[node["id"]]
        outgoing.append(node)

    if not module.check_mode:
        request(
            module,
            "POST",
            f"{base}/flows",
            token=token,
            body={"rev": current["rev"], "flows": kept + outgoing},
            headers={"Node-RED-Deployment-Type": "flows"},
        )
    module.exit_json(changed=True, managed_tabs=sorted(managed_ids), outdated_tabs=outdated, kept_nodes=len(kept))


if __name__ == "__main__":
    main()
