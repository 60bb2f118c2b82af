#!/usr/bin/python3
"""gen_benign_net.py: our generator of benign network idioms for command scoring: port checks with
bash's /dev/tcp, curl/wget to IP:port URLs, nc -z, database and service clients, interpreter health
checks (python, node, php, ruby, perl), wait-for-it and dockerize, and the wrappers that run them:
Docker HEALTHCHECK (CMD-SHELL runs `/bin/sh -c '...'`), Kubernetes exec probes, docker-compose
healthchecks, GitHub Actions / GitLab CI steps, wait-for-it style loops, timeouts.
These are the lines that look like reverse shells and download-and-run on the surface (a socket to
an address and port, a shell with -c) and raised "suspicious-command" alerts on real servers.

A template is one base check ({H} host, {P} port, {PATH}, {URL}, ... filled per instance from one
service: name, port, health paths); each instance is then put in a random form of its kind
(plain, `|| exit 1`, until/while/for retry loops, `timeout N bash -c '...'`, `/bin/sh -c '...'`).
A quarter of the templates of each group (a shuffle seeded by the group name) is HELD OUT: their
instances are never trained on and serve, with tests/score/benign-net.txt, as validation
(tools/eval_net.py). Deterministic (random.Random seeded).

As a module: rows(seed, per_template) -> (train, holdout), each a list of (template-id, line).
As a script: gen_benign_net.py [--per-template N] [--holdout] prints the lines (one a line).
"""
import argparse
import random
import re
import shlex

SEED = 20261122
HOLDOUT_SHARE = 0.25

# Base checks. Kind "check": a command whose exit status says up/down (fits into loops, `|| exit
# 1`, `&& echo up`); kind "out": a command whose output is the point (fits plain or piped forms);
# kind "line": a complete line, used as is (wrappers of their own: wait-for-it, dockerize).
TEMPLATES = {
    "devtcp": [
        ("check", "echo > /dev/tcp/{H}/{P}"),
        ("check", "echo -n > /dev/tcp/{H}/{P}"),
        ("check", "cat < /dev/null > /dev/tcp/{H}/{P}"),
        ("check", "(echo > /dev/tcp/{H}/{P}) >/dev/null 2>&1"),
        ("check", "(echo > /dev/tcp/{H}/{P}) 2>/dev/null"),
        ("check", ": > /dev/tcp/{H}/{P}"),
        ("check", "printf '' > /dev/tcp/{H}/{P}"),
        ("check", "true &>/dev/null </dev/tcp/{H}/{P}"),
        ("check", "exec {FD}<>/dev/tcp/{H}/{P} && exec {FD}>&-"),
        ("out", "exec {FD}<>/dev/tcp/{H}/{P}; printf 'GET {PATH} HTTP/1.0\\r\\n\\r\\n' >&{FD}; cat <&{FD}"),
        ("out", "exec {FD}<>/dev/tcp/{H}/{P} && echo -e \"GET {PATH} HTTP/1.1\\r\\nHost: {H}\\r\\n"
                "Connection: close\\r\\n\\r\\n\" >&{FD} && timeout 1 cat <&{FD}"),
        ("check", "exec {FD}<>/dev/tcp/{H}/{P}; echo -e 'GET {PATH} HTTP/1.1\\r\\nHost: {H}\\r\\n\\r\\n' "
                  ">&{FD}; grep -q '200 OK' <&{FD}"),
        ("out", "exec {FD}<>/dev/tcp/{H}/{P}; printf 'HEAD {PATH} HTTP/1.0\\r\\n\\r\\n' >&{FD}; "
                "head -n 1 <&{FD}; exec {FD}>&-"),
        ("check", "exec {FD}<>/dev/tcp/{H}/{P}; printf 'PING\\r\\n' >&{FD}; read -r -t 2 reply <&{FD}; "
                  "[[ $reply == *PONG* ]]", "redis"),
    ],
    "http": [
        ("check", "curl -f {QURL}"),
        ("check", "curl -fsS {QURL}"),
        ("check", "curl -sf {QURL} > /dev/null"),
        ("check", "curl --fail --silent {QURL}"),
        ("check", "curl -s -o /dev/null {QURL}"),
        ("out", "curl -s {QURL}"),
        ("out", "curl {QURL}"),
        ("out", "curl -sS --max-time {N} {QURL}"),
        ("out", "curl -s -o /dev/null -w '%{http_code}' {QURL}"),
        ("out", "curl -sI {QURL}"),
        ("check", "curl -sf --retry {N} --retry-delay 2 --retry-connrefused {QURL}"),
        ("check", "curl -fs -m {N} {QURL} | grep -q {WORD}"),
        ("check", "curl -s {QURL} | jq -e '.status == \"{WORD}\"'"),
        ("out", "curl -s {QURL} | jq ."),
        ("out", "curl -s -X POST -H 'Content-Type: application/json' -d '{}' {QURL}"),
        ("check", "curl -k -fsS https://{H}:{P}{PATH}"),
        ("out", "wget -q -O - {QURL}"),
        ("out", "wget -qO- {QURL}"),
        ("check", "wget -q -O /dev/null {QURL}"),
        ("check", "wget --spider -q {QURL}"),
        ("check", "wget -q --spider {QURL}"),
        ("check", "wget --no-verbose --tries=1 --spider {QURL}"),
        ("check", "wget -q --timeout={N} --tries=1 -O- {QURL} | grep -q {WORD}"),
        ("out", "wget -S -O /dev/null {QURL} 2>&1 | grep 'HTTP/'"),
        ("check", "busybox wget -q --spider {QURL}"),
        ("check", "python3 -c \"import urllib.request; urllib.request.urlopen('{URL}', timeout={N})\""),
        ("check", "python3 -c \"import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('{URL}')"
                  ".status == 200 else 1)\""),
        ("check", "node -e \"require('http').get('{URL}', r => process.exit(r.statusCode == 200 ? 0 : 1))\""),
    ],
    "nc": [
        ("check", "nc -z {H} {P}"),
        ("check", "nc -zv {H} {P}"),
        ("check", "nc -vz {H} {P}"),
        ("check", "nc -z -w {N} {H} {P}"),
        ("check", "nc -w {N} -z {H} {P}"),
        ("check", "nc -zvw{N} {H} {P}"),
        ("check", "nc -z {H} {P} >/dev/null 2>&1"),
        ("check", "nc -zv {H} {P} 2>&1 | grep -q succeeded"),
        ("check", "printf 'PING\\r\\n' | nc -w 1 {H} {P} | grep -q PONG", "redis"),
        ("out", "echo stats | nc -w 1 {H} {P}", "memcached"),
        ("check", "ncat -z -w {N} {H} {P}"),
        ("out", "echo | openssl s_client -connect {H}:{P} 2>/dev/null | openssl x509 -noout -enddate"),
        ("check", "openssl s_client -connect {H}:{P} -servername {NAME} </dev/null >/dev/null 2>&1"),
    ],
    "client": [
        ("check", "pg_isready -h {H} -p {P}", "postgres"),
        ("check", "pg_isready -h {H} -p {P} -U {USER}", "postgres"),
        ("check", "pg_isready -q -h {H} -p {P} -U {USER} -d {NAME} -t {N}", "postgres"),
        ("check", "psql -h {H} -p {P} -U {USER} -c 'select 1'", "postgres"),
        ("check", "redis-cli -h {H} -p {P} ping", "redis"),
        ("check", "redis-cli -h {H} -p {P} ping | grep -q PONG", "redis"),
        ("check", "redis-cli -h {H} -p {P} -a \"$REDIS_PASSWORD\" ping", "redis"),
        ("check", "mysqladmin ping -h {H} -P {P}", "mysql"),
        ("check", "mysqladmin ping -h {H} -P {P} -u root -p\"$MYSQL_ROOT_PASSWORD\" --silent", "mysql"),
        ("check", "mysql -h {H} -P {P} -u {USER} -e 'SELECT 1'", "mysql"),
        ("check", "mongosh --host {H} --port {P} --quiet --eval 'db.adminCommand(\"ping\")'", "mongo"),
        ("check", "mongo --quiet {H}:{P}/test --eval 'quit(db.runCommand({ ping: 1 }).ok ? 0 : 2)'", "mongo"),
        ("check", "cqlsh {H} {P} -e 'describe keyspaces'", "cassandra"),
        ("check", "kafka-broker-api-versions --bootstrap-server {H}:{P}", "kafka"),
        ("check", "etcdctl --endpoints=http://{H}:{P} endpoint health", "etcd"),
        ("check", "consul members -http-addr=http://{H}:{P}", "consul"),
        ("check", "vault status -address=http://{H}:{P}", "vault"),
        ("check", "rabbitmq-diagnostics -q ping", "rabbitmq"),
        ("check", "ssh -o BatchMode=yes -o ConnectTimeout={N} {USER}@{H} -p {P} exit", "ssh"),
    ],
    # health checks in the interpreter an image has when it has no curl (Docker HEALTHCHECK)
    "lang": [
        ("check", "python3 -c \"import requests; requests.get('{URL}', timeout={N}).raise_for_status()\""),
        ("out", "python -c \"import urllib.request as u; print(u.urlopen('{URL}').read().decode())\""),
        ("check", "python3 -c \"import http.client as h; c = h.HTTPConnection('{H}', {P}, timeout={N}); "
                  "c.request('GET', '{PATH}'); exit(0 if c.getresponse().status < 400 else 1)\""),
        ("check", "python -c 'import sys, requests; sys.exit(requests.get(\"{URL}\").status_code != 200)'"),
        ("check", "node -e \"fetch('{URL}').then(r => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))\""),
        ("check", "node -e \"require('http').request({ host: '{H}', port: {P}, path: '{PATH}', timeout: 2000 }, "
                  "r => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1)).end()\""),
        ("check", "php -r 'exit(file_get_contents(\"{URL}\") === false ? 1 : 0);'"),
        ("check", "ruby -rnet/http -e 'exit Net::HTTP.get_response(URI(\"{URL}\")).is_a?(Net::HTTPSuccess)'"),
        ("check", "perl -MLWP::Simple -e 'exit(head(\"{URL}\") ? 0 : 1)'"),
    ],
    "wait": [
        ("line", "wait-for-it.sh {H}:{P} -t {N} -- {APP}"),
        ("line", "./wait-for-it.sh {H}:{P} --strict --timeout={N} -- {APP}"),
        ("line", "/wait-for-it.sh {H}:{P} -- {APP}"),
        ("line", "timeout {N} /usr/local/bin/wait-for-it.sh --quiet --child --host={H} --port={P} --timeout={N}"),
        ("line", "dockerize -wait tcp://{H}:{P} -timeout {N}s {APP}"),
        ("line", "dockerize -wait tcp://{H}:{P} -wait http://{H2}:{P2}{PATH} -timeout {N}s"),
        ("line", "./wait-for {H}:{P} -t {N} -- {APP}"),
        ("line", "wait-for-it -s -t {N} {H}:{P} -- {APP}"),
    ],
}

# Services: (names, port, health paths, words their health output contains).
SERVICES = [
    (["postgres", "db", "postgresql", "pg", "database"], 5432, ["/"], ["ok"]),
    (["mysql", "db", "mariadb"], 3306, ["/"], ["ok"]),
    (["redis", "cache", "redis-master"], 6379, ["/"], ["PONG"]),
    (["mongo", "mongodb"], 27017, ["/"], ["ok"]),
    (["elasticsearch", "es", "elastic"], 9200,
     ["/_cluster/health", "/_cluster/health?wait_for_status=yellow", "/_cat/health", "/"], ["green", "yellow"]),
    (["rabbitmq", "rabbit", "mq"], 5672, ["/"], ["ok"]),
    (["rabbitmq"], 15672, ["/api/health/checks/alarms", "/api/overview"], ["ok"]),
    (["kafka", "broker", "kafka-0"], 9092, ["/"], ["ok"]),
    (["zookeeper", "zk"], 2181, ["/"], ["imok"]),
    (["web", "nginx", "frontend", "proxy"], 80, ["/", "/health", "/nginx_status", "/healthz", "/index.html"], ["ok", "OK"]),
    (["api", "backend", "app", "service", "gateway"], 8080,
     ["/health", "/healthz", "/actuator/health", "/actuator/health/readiness", "/api/health", "/status",
      "/ready", "/readyz", "/livez", "/ping", "/metrics", "/api/v1/health"], ["UP", "ok", "healthy", "pass"]),
    (["app", "web", "frontend", "node"], 3000, ["/", "/health", "/api/health", "/healthz"], ["ok", "healthy"]),
    (["backend", "django", "api", "web"], 8000, ["/", "/health/", "/healthz", "/ping", "/api/status"], ["ok", "pong"]),
    (["flask", "app", "api"], 5000, ["/health", "/ping", "/"], ["ok"]),
    (["prometheus", "prom"], 9090, ["/-/ready", "/-/healthy", "/metrics"], ["Ready", "Healthy"]),
    (["grafana"], 3000, ["/api/health", "/login"], ["ok", "database"]),
    (["alertmanager"], 9093, ["/-/ready", "/-/healthy"], ["OK"]),
    (["node-exporter", "exporter"], 9100, ["/metrics"], ["node_"]),
    (["consul"], 8500, ["/v1/status/leader", "/v1/agent/self"], ["8300"]),
    (["vault"], 8200, ["/v1/sys/health"], ["initialized"]),
    (["etcd"], 2379, ["/health", "/version"], ["true"]),
    (["memcached", "cache"], 11211, ["/"], ["STAT"]),
    (["minio", "s3"], 9000, ["/minio/health/live", "/minio/health/ready"], ["ok"]),
    (["keycloak", "auth"], 8080, ["/health/ready", "/realms/master"], ["UP"]),
    (["jenkins", "ci"], 8080, ["/login", "/api/json"], ["ok"]),
    (["registry"], 5000, ["/v2/", "/v2/_catalog"], ["repositories"]),
    (["traefik"], 8082, ["/ping"], ["OK"]),
    (["envoy", "sidecar"], 15021, ["/healthz/ready"], ["ok"]),
    (["kubelet"], 10248, ["/healthz"], ["ok"]),
    (["web", "nginx", "ingress"], 443, ["/", "/healthz"], ["ok"]),
    (["cassandra", "cassandra-0"], 9042, ["/"], ["ok"]),
    (["bastion", "build", "web1", "db1"], 22, ["/"], ["ok"]),
]
# A template may name the service it talks to (the first name of a SERVICES entry).
SERVICE_KEY = {"postgres": "postgres", "mysql": "mysql", "redis": "redis", "mongo": "mongo",
               "cassandra": "cassandra", "kafka": "kafka", "etcd": "etcd", "consul": "consul",
               "vault": "vault", "rabbitmq": "rabbitmq", "memcached": "memcached", "ssh": "bastion"}
USERS = ["postgres", "app", "root", "admin", "healthcheck", "monitor", "deploy", "ci", "test"]
APPS = ["python manage.py runserver 0.0.0.0:8000", "npm start", "node server.js", "gunicorn app:app",
        "java -jar /app/app.jar", "./start.sh", "bundle exec rails s -b 0.0.0.0", "celery -A proj worker",
        "/docker-entrypoint.sh", "yarn test", "pytest -q", "uvicorn main:app --host 0.0.0.0",
        "echo ready", "make integration-test", "php-fpm", "nginx -g 'daemon off;'"]
NAMESPACES = ["default", "prod", "staging", "monitoring", "kube-system", "data", "web"]
DOMAINS = ["internal", "local", "lan", "corp.example.com", "example.com", "svc.local"]
HOSTVARS = ["$HOST", "$DB_HOST", "${DB_HOST}", "${REDIS_HOST:-localhost}", "$host", "$1", "${HOST:-127.0.0.1}",
            "$SERVICE_HOST", "${POSTGRES_HOST}", "$TARGET", "${API_HOST:-localhost}", "$MYSQL_HOST"]
PORTVARS = ["$PORT", "$DB_PORT", "${DB_PORT}", "${PORT:-8080}", "$port", "$2", "${REDIS_PORT:-6379}",
            "$SERVICE_PORT", "${POSTGRES_PORT:-5432}"]


class NetValues:
    """Placeholder values for one instance, coherent (one service, its port and paths)."""

    def __init__(self, rng):
        self.r = rng

    def ip(self):
        r = self.r
        k = r.random()
        if k < 0.35:
            return "127.0.0.1"
        if k < 0.55:
            return "10.%d.%d.%d" % (r.randrange(256), r.randrange(256), r.randrange(1, 255))
        if k < 0.75:
            return "172.%d.%d.%d" % (r.randrange(16, 32), r.randrange(256), r.randrange(2, 255))
        if k < 0.92:
            return "192.168.%d.%d" % (r.randrange(256), r.randrange(1, 255))
        if k < 0.96:
            return "0.0.0.0"
        return "100.%d.%d.%d" % (r.randrange(64, 128), r.randrange(256), r.randrange(1, 255))

    def host(self, names):
        r = self.r
        k = r.random()
        name = r.choice(names)
        if k < 0.35:
            return self.ip()
        if k < 0.5:
            return "localhost"
        if k < 0.7:
            return name
        if k < 0.78:
            return "%s.%s.svc.cluster.local" % (name, r.choice(NAMESPACES))
        if k < 0.84:
            return "%s.%s" % (name, r.choice(DOMAINS))
        if k < 0.88:
            return "%s-%d" % (name, r.randrange(1, 4))
        if k < 0.91:
            return "host.docker.internal"
        return r.choice(HOSTVARS)

    def instance(self, service=None):
        r = self.r
        pool = [s for s in SERVICES if service is None or s[0][0] == SERVICE_KEY[service]]
        names, port, paths, words = r.choice(pool)
        host = self.host(names)
        if host.startswith("$"):
            p = r.choice(PORTVARS) if r.random() < 0.6 else str(port)
        else:
            p = str(port) if r.random() < 0.85 else str(r.choice([port + 1, port + 10, 18080, 8081, 9000 + r.randrange(100)]))
        path = r.choice(paths)
        if r.random() < 0.1:
            url = "http://%s%s" % (host, path)  # default port
        else:
            url = "%s://%s:%s%s" % ("https" if p in ("443", "8443") else "http", host, p, path)
        qurl = url
        if r.random() < 0.1 or "?" in url:
            qurl = "'%s'" % url if r.random() < 0.5 else "\"%s\"" % url
        names2, port2, paths2, _ = r.choice(SERVICES)
        return {
            "H": host, "P": p, "PATH": path, "URL": url, "QURL": qurl, "WORD": r.choice(words),
            "H2": self.host(names2), "P2": str(port2), "FD": str(r.choice([3, 3, 3, 4, 5, 6, 7, 8, 9])),
            "N": str(r.choice([1, 2, 3, 5, 10, 15, 30, 60, 90, 120])), "USER": r.choice(USERS),
            "NAME": r.choice(names), "APP": r.choice(APPS),
        }


def q(s, rng):
    """Quote a command for `sh -c`, the way people write it."""
    if "'" not in s and rng.random() < 0.8:
        return "'%s'" % s
    if not re.search(r"[\"$`\\]", s):
        return "\"%s\"" % s
    return shlex.quote(s)


def loop(c, r):
    s = r.choice(["1", "1", "2", "5", "0.5", "3", "10"])
    msg = r.choice(["", "", "echo waiting; ", "echo 'waiting for service...'; ",
                    "echo \"waiting for $HOST\"; ", ">&2 echo 'not up yet - sleeping'; "])
    n = r.choice(["10", "30", "60", "20"])
    return r.choice([
        "until %s; do %ssleep %s; done" % (c, msg, s),
        "while ! %s; do %ssleep %s; done" % (c, msg, s),
        "for i in $(seq 1 %s); do %s && break; sleep %s; done" % (n, c, s),
        "for i in {1..%s}; do %s && exit 0; sleep %s; done; exit 1" % (n, c, s),
        "until %s; do %ssleep %s; done; echo ready" % (c, msg, s),
        "n=0; until %s || [ $n -ge %s ]; do n=$((n+1)); sleep %s; done" % (c, n, s),
    ])


def form(kind, c, r):
    """Put a base check into a random form of its kind (how it is run: shell, CI, Docker, k8s)."""
    if kind == "line":
        return c
    k = r.random()
    sh = r.choice(["sh", "/bin/sh", "bash", "/bin/bash", "/usr/bin/env bash"])
    if "/dev/tcp" in c:  # /dev/tcp is bash's
        sh = r.choice(["bash", "/bin/bash", "/usr/bin/bash"])
    if kind == "out":
        if k < 0.45:
            return c
        if k < 0.6:
            return "%s -c %s" % (sh, q(c, r))
        if k < 0.7:
            return "timeout %s %s" % (r.choice(["1", "2", "5", "10"]), c if "/dev/tcp" not in c else
                                      "%s -c %s" % (sh, q(c, r)))
        if k < 0.8:
            return "%s; echo" % c
        if k < 0.9:
            return "echo \"== %s\"; %s" % (r.choice(["health", "status", "check"]), c)
        return "%s -c %s" % (sh, q("%s || exit 1" % c, r))
    if k < 0.18:
        return c
    if k < 0.3:
        return "%s || exit 1" % c
    if k < 0.38:
        return "%s && echo %s" % (c, r.choice(["ok", "up", "open", "\"port open\"", "ready"]))
    if k < 0.44:
        return "%s && echo open || echo closed" % c
    if k < 0.56:  # Docker HEALTHCHECK / compose CMD-SHELL, Kubernetes exec probe
        return "%s -c %s" % (sh, q(r.choice(["%s || exit 1", "%s", "%s || exit 1", "%s && exit 0 || exit 1"]) % c, r))
    if k < 0.66:  # timeout runs a program: a /dev/tcp redirection needs its own bash
        return "timeout %s %s" % (r.choice(["1", "2", "3", "5"]), c if "/dev/tcp" not in c else
                                  "%s -c %s" % (sh, q(c, r)))
    if k < 0.76:
        return "timeout %s %s -c %s" % (r.choice(["1", "2", "5", "30", "60", "120", "300"]), sh, q(loop(c, r) if r.random() < 0.6 else c, r))
    if k < 0.95:
        return loop(c, r)
    return "if %s; then echo up; else echo down; exit 1; fi" % c


def wrap(line, r):
    """An attack in one of the forms the benign checks come in (never the plain line): for the
    adv-wrapped evaluation copies, so a wrapper cannot become a way to hide an attack."""
    while True:
        w = form("check", line, r)
        if w != line:
            return w


def holdout_templates(group, n):
    ids = list(range(n))
    random.Random("%d-net-%s" % (SEED, group)).shuffle(ids)
    return set(ids[:max(1, round(n * HOLDOUT_SHARE))])


def rows(seed=SEED, per_template=20):
    """(train, holdout): lists of (template-id, command line)."""
    r = random.Random("%d-benign-net" % seed)
    vals = NetValues(r)
    train, hold = [], []
    for group, tpls in TEMPLATES.items():
        held = holdout_templates(group, len(tpls))
        for t, (kind, tpl, *service) in enumerate(tpls):
            for _ in range(per_template):
                v = vals.instance(*service)
                c = re.sub(r"\{([A-Z0-9]+)\}", lambda m: v.get(m.group(1), m.group(0)), tpl)
                (hold if t in held else train).append(("net-%s%d" % (group, t), form(kind, c, r)))
    return train, hold


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-template", type=int, default=20)
    ap.add_argument("--holdout", action="store_true", help="print the held-out lines instead")
    ap.add_argument("--ids", action="store_true", help="prefix each line with its template id and a TAB")
    a = ap.parse_args()
    train, hold = rows(per_template=a.per_template)
    for tid, line in hold if a.holdout else train:
        print("%s\t%s" % (tid, line) if a.ids else line)


if __name__ == "__main__":
    main()
