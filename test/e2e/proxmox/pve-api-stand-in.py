#!/usr/bin/env python3
"""A stand-in for the Proxmox VE API, for testing the proxmox provider.

No Proxmox VE node can run on the test machine, so this HTTPS server plays
one on 127.0.0.1. Every request is checked against Proxmox's published API
schema (apidata.js from pve-docs) the way PVE checks it. Unknown paths and
methods, API tokens where the method allows none, and unknown, missing and
malformed parameters are rejected with PVE's status codes and error body.
Valid requests to the endpoints the provider uses change an in-memory node
with LXC guests, snapshots and worker tasks; every other valid request is
answered 501. Responses are checked against the schema's `returns`.

Usage:
  pve-api-stand-in.py --schema apidata.js --cert C --key K --port 18006 \
      --token 'user@realm!name=SECRET' --request-log requests.jsonl

Each accepted request is appended to the request log as one JSON line
(method, path, parameters with the password removed), for the test to read.
"""

import argparse
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pve_schema  # noqa: E402

API_PREFIX = "/api2/json"
NODE = "pve"
TEMPLATES = [
    "local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst",
    "local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst",
]
STORAGES = {
    "local": {"content": ["vztmpl", "iso", "backup"]},
    "local-lvm": {"content": ["images", "rootdir"]},
}
# Create parameters that PVE uses once and does not keep in the guest config.
CREATE_ONLY = {"ostemplate", "storage", "password", "ssh-public-keys", "start", "force",
               "restore", "unique", "ignore-unpack-errors", "bwlimit", "pool", "ha-managed"}


class ApiError(Exception):
    """An error that PVE returns as a status code and a message."""

    def __init__(self, status, message, errors=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors


class Node:
    """The state of one Proxmox VE node: guests, their snapshots, tasks."""

    def __init__(self):
        self.lock = threading.Lock()
        self.guests = {}
        self.tasks = {}
        self.task_counter = 0

    def finish_task(self, kind, vmid, user):
        # Work happens at once here; the task is born finished with OK.
        self.task_counter += 1
        now = int(time.time())
        upid = f"UPID:{NODE}:{os.getpid():08X}:{self.task_counter:08X}:{now:08X}:{kind}:{vmid}:{user}:"
        self.tasks[upid] = {
            "upid": upid, "node": NODE, "pid": os.getpid(), "pstart": self.task_counter,
            "starttime": now, "type": kind, "id": str(vmid), "user": user,
            "status": "stopped", "exitstatus": "OK",
        }
        return upid

    def guest(self, vmid):
        guest = self.guests.get(int(vmid))
        if guest is None:
            raise ApiError(500, f"Configuration file 'nodes/{NODE}/lxc/{vmid}.conf' does not exist")
        return guest


def parse_token(header):
    """Split 'PVEAPIToken=user@realm!name=secret' into (token id, secret)."""
    if not header.startswith("PVEAPIToken="):
        return None, None
    token, _, secret = header[len("PVEAPIToken="):].partition("=")
    return token, secret


class Handlers:
    """The endpoints the proxmox provider and its rollback playbook call."""

    def __init__(self, node):
        self.node = node

    def dispatch(self, method, path, params, user):
        table = {
            ("GET", "/version"): self.version,
            ("GET", "/nodes"): self.nodes,
            ("GET", "/cluster/resources"): self.cluster_resources,
            ("GET", "/cluster/nextid"): self.next_id,
            ("GET", "/nodes/{node}/storage/{storage}/content"): self.storage_content,
            ("POST", "/nodes/{node}/lxc"): self.create_lxc,
            ("GET", "/nodes/{node}/lxc/{vmid}/status/current"): self.lxc_status,
            ("POST", "/nodes/{node}/lxc/{vmid}/status/start"): self.lxc_start,
            ("GET", "/nodes/{node}/lxc/{vmid}/config"): self.lxc_config,
            ("PUT", "/nodes/{node}/lxc/{vmid}/config"): self.lxc_update_config,
            ("GET", "/nodes/{node}/lxc/{vmid}/snapshot"): self.snapshots,
            ("POST", "/nodes/{node}/lxc/{vmid}/snapshot"): self.create_snapshot,
            ("POST", "/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/rollback"): self.rollback,
            ("GET", "/nodes/{node}/tasks/{upid}/status"): self.task_status,
            ("GET", "/nodes/{node}/tasks/{upid}/log"): self.task_log,
        }
        handler = table.get((method, path))
        if handler is None:
            raise ApiError(501, f"Method '{method} {path}' is valid but not implemented by the stand-in")

        if "node" in params and params["node"] != NODE:
            raise ApiError(500, f"no such cluster node '{params['node']}'")
        with self.node.lock:
            return handler(params, user)

    def version(self, params, user):
        return {"version": "9.1.4", "release": "9.1", "repoid": "5e0b7c3a"}

    def nodes(self, params, user):
        return [{"node": NODE, "status": "online", "type": "node", "id": f"node/{NODE}",
                 "maxcpu": 8, "maxmem": 34359738368, "uptime": 3600}]

    def cluster_resources(self, params, user):
        if params.get("type") not in (None, "vm"):
            return []
        return [
            {"id": f"lxc/{vmid}", "type": "lxc", "vmid": vmid, "node": NODE,
             "name": guest["config"].get("hostname", f"CT{vmid}"), "status": guest["status"],
             "maxmem": int(guest["config"].get("memory", 512)) * 1048576}
            for vmid, guest in sorted(self.node.guests.items())
        ]

    def next_id(self, params, user):
        vmid = 100
        while vmid in self.node.guests:
            vmid += 1
        return str(vmid)

    def storage_content(self, params, user):
        storage = params["storage"]
        if storage not in STORAGES:
            raise ApiError(500, f"storage '{storage}' does not exist")
        volumes = [
            {"volid": volid, "content": "vztmpl", "format": "tzst", "size": 129024000, "ctime": 1735689600}
            for volid in TEMPLATES if volid.startswith(storage + ":")
        ]
        if "content" in params:
            volumes = [volume for volume in volumes if volume["content"] == params["content"]]
        return volumes

    def create_lxc(self, params, user):
        vmid = int(params["vmid"])
        if vmid in self.node.guests:
            raise ApiError(500, f"unable to create CT {vmid} - CT {vmid} already exists on node '{NODE}'")
        if params["ostemplate"] not in TEMPLATES:
            raise ApiError(500, f"unable to create CT {vmid} - volume '{params['ostemplate']}' does not exist")

        config = {key: value for key, value in params.items() if key not in CREATE_ONLY | {"node", "vmid"}}
        config["rootfs"] = self.allocate_rootfs(vmid, params.get("rootfs"), params.get("storage", "local"))
        config.setdefault("arch", "amd64")
        config.setdefault("ostype", "debian")
        self.node.guests[vmid] = {
            "status": "stopped", "config": config, "snapshots": {},
            "ssh_public_keys": params.get("ssh-public-keys", ""),
        }
        return self.node.finish_task("vzcreate", vmid, user)

    def allocate_rootfs(self, vmid, rootfs, default_storage):
        # "local-lvm:16" requests a new 16 GiB volume, and PVE stores the volume it made.
        fmt = {"volume": {"default_key": 1}, "size": {}}
        spec = pve_schema.parse_property_string(fmt, rootfs or f"{default_storage}:4")
        storage, _, size = spec["volume"].partition(":")
        if storage not in STORAGES or "rootdir" not in STORAGES[storage]["content"]:
            raise ApiError(500, f"unable to create CT {vmid} - storage '{storage}' does not support container directories")
        return f"{storage}:vm-{vmid}-disk-0,size={size}G"

    def lxc_status(self, params, user):
        vmid = int(params["vmid"])
        guest = self.node.guest(vmid)
        return {"vmid": vmid, "status": guest["status"], "name": guest["config"].get("hostname"),
                "type": "lxc", "ha": {"managed": 0}}

    def lxc_start(self, params, user):
        guest = self.node.guest(params["vmid"])
        guest["status"] = "running"
        return self.node.finish_task("vzstart", params["vmid"], user)

    def lxc_config(self, params, user):
        guest = self.node.guest(params["vmid"])
        config = dict(guest["config"])
        config["digest"] = format(abs(hash(json.dumps(config, sort_keys=True))), "040x")[:40]
        return config

    def lxc_update_config(self, params, user):
        guest = self.node.guest(params["vmid"])
        for key in params.get("delete", "").replace(",", " ").split():
            guest["config"].pop(key, None)
        for key, value in params.items():
            if key not in ("node", "vmid", "delete", "digest", "revert"):
                guest["config"][key] = value
        return None

    def snapshots(self, params, user):
        guest = self.node.guest(params["vmid"])
        listing = [
            {"name": name, "description": snap["description"], "snaptime": snap["snaptime"],
             **({"parent": snap["parent"]} if snap["parent"] else {})}
            for name, snap in guest["snapshots"].items()
        ]
        current = {"name": "current", "description": "You are here!"}
        if guest["snapshots"]:
            current["parent"] = list(guest["snapshots"])[-1]
        return listing + [current]

    def create_snapshot(self, params, user):
        guest = self.node.guest(params["vmid"])
        name = params["snapname"]
        if name in guest["snapshots"] or name == "current":
            raise ApiError(500, f"snapshot name '{name}' already used")
        parent = list(guest["snapshots"])[-1] if guest["snapshots"] else None
        guest["snapshots"][name] = {
            "config": dict(guest["config"]), "description": params.get("description", ""),
            "snaptime": int(time.time()), "parent": parent,
        }
        return self.node.finish_task("vzsnapshot", params["vmid"], user)

    def rollback(self, params, user):
        guest = self.node.guest(params["vmid"])
        name = params["snapname"]
        if name not in guest["snapshots"]:
            raise ApiError(500, f"snapshot '{name}' does not exist")
        guest["config"] = dict(guest["snapshots"][name]["config"])
        # PVE stops the container for the rollback and starts it only on request.
        guest["status"] = "running" if pve_schema.parse_boolean(params.get("start", "0")) else "stopped"
        return self.node.finish_task("vzrollback", params["vmid"], user)

    def task_status(self, params, user):
        task = self.node.tasks.get(params["upid"])
        if task is None:
            raise ApiError(500, f"unable to parse worker upid '{params['upid']}'")
        return task

    def task_log(self, params, user):
        if params["upid"] not in self.node.tasks:
            raise ApiError(500, f"unable to parse worker upid '{params['upid']}'")
        return [{"n": 1, "t": "TASK OK"}]


class StandInServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, schema_index, token, request_log):
        super().__init__(address, RequestHandler)
        self.schema_index = schema_index
        self.routes = pve_schema.compile_routes(schema_index)
        self.token_id, self.token_secret = parse_token("PVEAPIToken=" + token)
        self.handlers = Handlers(Node())
        self.request_log = request_log
        self.log_lock = threading.Lock()


class RequestHandler(BaseHTTPRequestHandler):
    server_version = "pve-api-daemon/3.0"

    def do_GET(self):
        self.handle_api("GET")

    def do_POST(self):
        self.handle_api("POST")

    def do_PUT(self):
        self.handle_api("PUT")

    def do_DELETE(self):
        self.handle_api("DELETE")

    def log_message(self, fmt, *args):
        sys.stderr.write("pve-stand-in: " + (fmt % args) + "\n")

    def handle_api(self, method):
        url = urlsplit(self.path)
        try:
            data = self.serve(method, url)
            self.reply(200, "OK", {"data": data})
        except ApiError as error:
            body = {"data": None}
            if error.errors:
                body["errors"] = error.errors
            else:
                body["message"] = error.message + "\n"
            self.reply(error.status, error.message, body)

    def serve(self, method, url):
        server = self.server
        if not url.path.startswith(API_PREFIX + "/"):
            raise ApiError(501, f"Method '{method} {url.path}' not implemented")
        api_path = unquote(url.path[len(API_PREFIX):]).rstrip("/") or "/"

        path, path_params = pve_schema.match_route(server.routes, api_path)
        info = server.schema_index[path]["info"].get(method) if path else None
        if info is None:
            raise ApiError(501, f"Method '{method} {api_path}' not implemented")

        user = self.authenticate(info)
        params = self.read_parameters(method, url)
        overlap = set(params) & set(path_params)
        if overlap:
            raise ApiError(400, "Parameter verification failed.",
                           {name: "duplicate parameter (path and request)" for name in overlap})
        params.update(path_params)
        try:
            pve_schema.validate_parameters(info.get("parameters", {}), params)
        except pve_schema.ParameterError as error:
            raise ApiError(400, "Parameter verification failed.", error.errors) from None

        self.record(method, path, params)
        typed = pve_schema.coerce_parameters(info.get("parameters", {}), params)
        data = server.handlers.dispatch(method, path, typed, user)
        problems = pve_schema.validate_returns(info.get("returns"), data)
        if problems:
            raise ApiError(500, "stand-in response breaks the returns schema: " + "; ".join(problems))
        return data

    def authenticate(self, info):
        header = self.headers.get("Authorization", "")
        if header == "" and "PVEAuthCookie" not in self.headers.get("Cookie", ""):
            raise ApiError(401, "No ticket")

        token, secret = parse_token(header)
        if token is None or token != self.server.token_id or secret != self.server.token_secret:
            raise ApiError(401, "authentication failure")
        if not info.get("allowtoken", 1):
            raise ApiError(401, "API tokens are not allowed for this method")
        return token

    def read_parameters(self, method, url):
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        if method in ("POST", "PUT"):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8") if length else ""
            if self.headers.get("Content-Type", "").startswith("application/json") and body:
                params.update({key: value if isinstance(value, str) else json.dumps(value)
                               for key, value in json.loads(body).items()})
            else:
                params.update(parse_qsl(body, keep_blank_values=True))
        return params

    def record(self, method, path, params):
        if not self.server.request_log:
            return
        logged = {key: value for key, value in params.items() if key != "password"}
        line = json.dumps({"method": method, "path": path, "params": logged}, sort_keys=True)
        with self.server.log_lock, open(self.server.request_log, "a", encoding="utf-8") as log:
            log.write(line + "\n")

    def reply(self, status, reason, body):
        payload = json.dumps(body).encode("utf-8")
        # PVE puts its message in the status line; keep it to one line.
        self.send_response(status, reason.splitlines()[0] if reason else None)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def main():
    parser = argparse.ArgumentParser(description="Stand-in Proxmox VE API for tests.")
    parser.add_argument("--schema", required=True, help="apidata.js of pve-docs, or its JSON extract")
    parser.add_argument("--cert", required=True, help="PEM certificate the server presents")
    parser.add_argument("--key", required=True, help="PEM private key of the certificate")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=18006, help="TCP port (default 18006)")
    parser.add_argument("--node", default="pve", help="name of the one cluster node (default pve)")
    parser.add_argument("--token", required=True, help="the one valid API token, as USER@REALM!NAME=SECRET")
    parser.add_argument("--request-log", default="", help="file to append each accepted request to, as JSON lines")
    args = parser.parse_args()

    if args.host not in ("127.0.0.1", "::1", "localhost"):
        parser.error(f"--host {args.host} is not a loopback address; the stand-in serves tests on this machine only")

    global NODE
    NODE = args.node
    server = StandInServer((args.host, args.port), pve_schema.load_schema(args.schema), args.token, args.request_log)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"pve-stand-in: listening on https://{args.host}:{args.port}{API_PREFIX}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print("pve-stand-in: stopped", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
