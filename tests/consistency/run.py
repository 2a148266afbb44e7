#!/usr/bin/env python3
"""One judgment, checked from the outside.

design.md promises that the same facts give the same verdict in every
command and format: `check`, `check --tool ID` and `tools` judge the same
claims (the tool scope is a filter), text and JSON say the same thing, and
an unverified key is never called valid.  The scenario cases check single
commands; this harness runs every command over the same homes and compares
their answers with each other, so a disagreement between two layers shows up
even when each answer looks plausible on its own.

Homes: for every tool profile, its fixture (tests/fixtures/tools/ID, laid out
with the case runner's substitutions) with the mock making the winning key
valid, then deleted; the fixture with its shell variables exported only in
~/.bashrc; a home with nothing but a ~/.bashrc export; and pairs of fixtures
merged into one home, so every tool shares a machine with another one.

usage: tests/consistency/run.py BUILD_DIR [--only SUBSTRING] [--keep] [-j N]

Prints one `ok NAME` / `FAIL NAME: reason` line per assertion group and ends
with `N passed, N failed`; exits 1 when anything failed.  Stdlib only (python3
is there because Meson needs it).
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(TOP, "tests", "fixtures")
CASES = os.path.join(TOP, "tests", "cases")
# A closed port: connect() is refused at once, which is "network down"
# without waiting for a timeout.
DOWN_BASE = "http://127.0.0.1:1/api/v1"
OR_KEY = re.compile(r"^sk-or-v1-[0-9a-f]{64}$")
KEY_TOKEN = re.compile(r"@KEY:([A-Za-z0-9_]+)@")
# The exit codes of design.md for a tool's status in `tools --json`.
STATUS_EXIT = {"problem": 1, "undecided": 3, "ok": 0}
# An ok line must not claim what nobody observed (design.md: "No problem"
# and a check mark only about what was observed).
CLAIMS_VALID = re.compile(r"\bvalid\b|working key", re.I)
CMD_TIMEOUT = 30


class HarnessError(Exception):
    """The harness could not set up or run something: not a product verdict."""


# ---- fixture keys and redaction -------------------------------------------

def load_keys(path):
    keys = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, value = line.split(None, 1)
            keys[name] = value.strip()
    return keys


class Redactor:
    """Every string the harness prints goes through here, so a failure
    report can quote the product's output without ever showing a fixture
    key (the suite-wide rule: names, never values)."""

    def __init__(self, keys):
        # Longest first, so a key that contains another is replaced whole.
        self.pairs = sorted(((v, n) for n, v in keys.items()), key=lambda p: -len(p[0]))

    def __call__(self, text):
        for value, name in self.pairs:
            text = text.replace(value, "[FIXTURE KEY %s]" % name)
        return text

    def leaks(self, text):
        return [name for value, name in self.pairs if value in text]


def fingerprint(value):
    # ord_key_fingerprint(): 12 hex digits of SHA-256 of the normalised key;
    # fixture keys are already normal, so the raw value hashes the same.
    return hashlib.sha256(value.encode()).hexdigest()[:12]


# ---- the case runner's substitutions (tests/runner/util.c rc_subst) -------

def subst(text, root, home, work, keys):
    """@ROOT@, @HOME@, @WORK@ and @KEY:NAME@ exactly as rc_subst() does:
    left to right, anything else with an @ left alone, an unknown key name
    an error.  Fixtures never use @MOCK@ (it needs a started mock)."""
    out = []
    i = 0
    while i < len(text):
        if text[i] == "@":
            for tok, val in (("@ROOT@", root), ("@HOME@", home), ("@WORK@", work)):
                if text.startswith(tok, i):
                    out.append(val)
                    i += len(tok)
                    break
            else:
                if text.startswith("@MOCK@", i):
                    raise HarnessError("@MOCK@ in a fixture (no mock in a fixture layout)")
                m = KEY_TOKEN.match(text, i)
                if m:
                    if m.group(1) not in keys:
                        raise HarnessError("unknown fixture key @KEY:%s@" % m.group(1))
                    out.append(keys[m.group(1)])
                    i = m.end()
                else:
                    out.append("@")
                    i += 1
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def fixture_files(tool):
    """relpath -> text of every file of a tool fixture (README.md skipped,
    as copy_tree() skips it)."""
    base = os.path.join(FIXTURES, "tools", tool)
    files = {}
    for dp, dns, fns in os.walk(base):
        dns.sort()
        for fn in sorted(fns):
            if fn == "README.md":
                continue
            p = os.path.join(dp, fn)
            with open(p, encoding="utf-8", errors="surrogateescape") as f:
                files[os.path.relpath(p, base)] = f.read()
    return files


def fixture_env(tool):
    """The variables a tool's fixture is run with: the Env: lines of the
    scenario case that lays out `Fixture: tools/ID` (the -good case first,
    because it is the fixture as its README describes it)."""
    cands = []
    for fn in sorted(os.listdir(CASES)):
        if not fn.endswith(".case"):
            continue
        with open(os.path.join(CASES, fn), encoding="utf-8") as f:
            lines = f.read().splitlines()
        if not any(re.match(r"(?i)^fixture:\s*tools/%s\s*$" % re.escape(tool), l) for l in lines):
            continue
        rank = 0 if fn == "tool-%s-good.case" % tool else 1 if fn == "tool-%s.case" % tool else 2
        env = []
        for l in lines:
            m = re.match(r"(?i)^env:\s*(.*?)\s*$", l)
            if m and "=" in m.group(1):
                name, value = m.group(1).split("=", 1)
                env.append((name, value))
        cands.append((rank, fn, env))
    if not cands:
        return [], None
    cands.sort()
    return cands[0][2], cands[0][1]


# Files two fixtures may both bring: shell startup files and dotenv files
# are line lists, so a merged home concatenates them (what a user with both
# tools has).  Any other shared path (two compose.yaml) cannot be merged
# faithfully, so such a pair is not built.
def mergeable(relpath):
    b = os.path.basename(relpath)
    return b in (".bashrc", ".profile", ".zshrc") or b == ".env" or b.startswith(".env.") or b.endswith(".env")


def presence_markers(tool):
    """Files or directories that make a tool present, from the `present:
    dir|file` lines of data/tools/ID inside the home or the working
    directory, in profile order.  Some fixtures hold only a tool's
    configuration (LangChain's .env, Vercel's .env.local) and no sign of the
    tool being installed; the user who runs that tool has its package too,
    so the home gets it.  Yields (relpath, is_dir)."""
    with open(os.path.join(TOP, "data", "tools", tool), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^present:\s*(dir|file)\s+(\S+)\s*$", line)
            if not m:
                continue
            path = m.group(2)
            for prefix, rel in (("<cwd>/", "work/"), ("~/", "home/"), ("<xdg-config>/", "home/.config/"),
                                ("<xdg-data>/", "home/.local/share/")):
                if path.startswith(prefix):
                    rel += path[len(prefix):]
                    # A glob names an installed version: give it one.
                    rel = rel.replace("python3*", "python3.12").replace("*", "1.0.0")
                    yield rel, m.group(1) == "dir"
                    break


# ---- the mock -------------------------------------------------------------

class Mocks:
    """One mock per distinct keys file, started on first use and shared by
    every home that needs those key states (starting one per command would
    cost more than the commands)."""

    def __init__(self, binary, keys, tmp):
        self.binary, self.keys, self.tmp = binary, keys, tmp
        self.lock = threading.Lock()
        self.running = {}   # name -> (Popen, url, stderr path)

    def keys_text(self, deleted):
        # Every OpenRouter-shaped fixture key is known to the mock (active),
        # as in the tool-*-good cases; `deleted` names the one made dead.
        out = []
        for name, value in sorted(self.keys.items()):
            if OR_KEY.match(value):
                out.append("%s %s" % (value, "deleted" if name == deleted else "active"))
        return "\n".join(out) + "\n"

    def url(self, deleted):
        name = "deleted-" + deleted if deleted else "all-active"
        with self.lock:
            if name not in self.running:
                self.running[name] = self.start(name, deleted)
            return self.running[name][1]

    def start(self, name, deleted):
        kf = os.path.join(self.tmp, "mock-%s.keys" % name)
        with open(kf, "w") as f:
            f.write(self.keys_text(deleted))
        # stdout and stderr go to files, not pipes: a pipe nobody reads
        # after the "listening on" line could fill and stall the mock.
        outp = os.path.join(self.tmp, "mock-%s.stdout" % name)
        errp = os.path.join(self.tmp, "mock-%s.stderr" % name)
        with open(outp, "wb") as out, open(errp, "wb") as err:
            p = subprocess.Popen([self.binary, "mock", "--keys", kf, "--listen", "127.0.0.1:0"],
                                 stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 env={"HOME": self.tmp, "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
                                 cwd=self.tmp)
        deadline = time.time() + 10
        while time.time() < deadline:
            with open(outp, "rb") as f:
                m = re.search(rb"listening on (http://\S+)", f.read())
            if m:
                return (p, m.group(1).decode(), (outp, errp))
            if p.poll() is not None:
                break
            time.sleep(0.05)
        self.stop_one(p)
        with open(errp, encoding="utf-8", errors="replace") as f:
            raise HarnessError("mock %s did not say it listens: %s" % (name, f.read()[-300:]))

    @staticmethod
    def stop_one(p):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(2)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def stop(self):
        with self.lock:
            for p, _, _ in self.running.values():
                self.stop_one(p)

    def logs(self):
        """name -> everything the mocks printed (for the leak check)."""
        out = {}
        for name, (_, _, paths) in sorted(self.running.items()):
            for p in paths:
                with open(p, encoding="utf-8", errors="replace") as f:
                    out["%s %s" % (name, os.path.basename(p).rsplit(".", 1)[1])] = f.read()
        return out


# ---- one home --------------------------------------------------------------

class Result:
    def __init__(self, argv, rc, out, err):
        self.argv, self.rc, self.out, self.err = argv, rc, out, err
        self.json = None
        self.json_error = None

    def parse(self):
        try:
            self.json = json.loads(self.out)
        except ValueError as e:
            self.json_error = str(e)
        return self


class Home:
    """A home spec: which fixtures, which variables, which keys file."""

    def __init__(self, name, tools, extra_bashrc=None, env=None, bashrc_env=False, keys="all",
                 markers=(), scope_only=False):
        self.name = name
        self.scope_only = scope_only       # only `check --tool X` for each X, offline
        self.markers = markers             # (relpath, is_dir) presence markers
        self.tools = tools                 # fixture ids laid out (merged in order)
        self.extra_bashrc = extra_bashrc   # lines appended to ~/.bashrc
        self.env = env or []               # process variables (NAME, raw value)
        self.bashrc_env = bashrc_env       # move env into ~/.bashrc exports
        self.keys = keys                   # "all" | "winner" (deleted) | key NAME deleted


class Runner:
    def __init__(self, binary, keys, mocks, redact, names, keep):
        self.binary, self.keys, self.mocks = binary, keys, mocks
        self.redact, self.names, self.keep = redact, names, keep
        self.by_fp = {fingerprint(v): n for n, v in keys.items()}
        self.outputs = []   # every Result this runner produced (assertion 5)

    # -- layout

    def layout(self, h):
        root = os.path.realpath(tempfile.mkdtemp(prefix="ordoctor-consist."))
        home, work = os.path.join(root, "home"), os.path.join(root, "work")
        os.makedirs(home)
        os.makedirs(work)
        files = {}
        for t in h.tools:
            for rel, text in fixture_files(t).items():
                text = subst(text, root, home, work, self.keys)
                if rel in files:
                    if not mergeable(rel):
                        raise HarnessError("fixtures %s both have %s" % ("+".join(h.tools), rel))
                    files[rel] = files[rel].rstrip("\n") + "\n" + text
                else:
                    files[rel] = text
        env = {}
        for name, value in h.env:
            env[name] = subst(value, root, home, work, self.keys)
        bashrc = []
        if h.bashrc_env:
            # The shell would export these, but this process did not inherit
            # them (a GUI-started editor, a cron job, a fresh `env -i`).
            have = files.get(os.path.join("home", ".bashrc"), "").splitlines()
            bashrc = [l for l in ("export %s=%s" % (n, shlex.quote(v)) for n, v in env.items())
                      if l not in have]
            env = {}
        if h.extra_bashrc:
            bashrc += [subst(l, root, home, work, self.keys) for l in h.extra_bashrc]
        if bashrc:
            rel = os.path.join("home", ".bashrc")
            old = files.get(rel, "")
            files[rel] = (old.rstrip("\n") + "\n" if old else "") + "\n".join(bashrc) + "\n"
        for rel, text in files.items():
            p = os.path.join(root, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(text)
        for rel, is_dir in h.markers:
            p = os.path.join(root, rel)
            if is_dir:
                os.makedirs(p, exist_ok=True)
            elif not os.path.exists(p):
                os.makedirs(os.path.dirname(p), exist_ok=True)
                open(p, "w").close()
        return root, home, work, env

    # -- running

    def run(self, ctx, args, mode):
        root, home, work, env, mock = ctx
        argv = [self.binary] + args
        if mode == "off":
            argv.append("--offline")
        elif mode == "down":
            argv += ["--api-base", DOWN_BASE]
        else:
            argv += ["--api-base", mock + "/api/v1"]
        # The seen-valid cache (~/.cache/ordoctor) is state one command
        # leaves for the next; removing it before each command gives every
        # command of a home the same facts, whatever the order they ran in.
        shutil.rmtree(os.path.join(home, ".cache", "ordoctor"), ignore_errors=True)
        penv = {"HOME": home, "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
        penv.update(env)
        try:
            p = subprocess.run(argv, cwd=work, env=penv, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=CMD_TIMEOUT)
            rc, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            rc, out, err = "timeout", e.stdout or b"", e.stderr or b""
        r = Result(" ".join(shlex.quote(a) for a in [os.path.basename(self.binary)] + argv[1:]),
                   rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
        self.outputs.append(r)
        return r.parse() if "--json" in args else r

    # -- one home, every assertion

    def home(self, h):
        self.outputs = []
        groups = []     # (name, [reasons])
        try:
            root, home, work, env = self.layout(h)
        except (HarnessError, OSError) as e:
            return [("%s/setup" % h.name, ["harness: %s" % e])]
        try:
            if h.scope_only:
                return self.judge_scope(h, root, home, work, env)
            return self.judge_home(h, root, home, work, env, groups)
        except HarnessError as e:
            groups.append(("%s/harness" % h.name, ["harness: %s" % e]))
            groups.append(("%s/no-full-key" % h.name, self.a5_no_key(self.outputs)))
            return groups
        finally:
            if self.keep:
                sys.stderr.write("kept %s: %s\n" % (h.name, root))
            else:
                shutil.rmtree(root, ignore_errors=True)

    def present_in(self, h):
        """The tools `tools --json --offline` calls present in home h."""
        root, home, work, env = self.layout(h)
        try:
            r = self.run((root, home, work, env, None), ["tools", "--json"], "off")
            if r.json is None:
                raise HarnessError("%s: not JSON (%s)" % (r.argv, r.json_error))
            return [t["id"] for t in r.json["tools"] if t["present"]]
        finally:
            shutil.rmtree(root, ignore_errors=True)

    def winner_names(self, ctx):
        """Fixture key NAME of each present tool's winning key (offline:
        which key wins is a static fact)."""
        r = self.run(ctx, ["tools", "--json"], "off")
        if r.json is None:
            raise HarnessError("tools --json --offline: not JSON (%s)" % r.json_error)
        out = {}
        for t in r.json["tools"]:
            if t["present"] and t.get("key"):
                out[t["id"]] = self.by_fp.get(t["key"].get("fingerprint"))
        return out

    def judge_scope(self, h, root, home, work, env):
        """Every pair of tools in one home: `check --tool X --offline` is
        about X alone (its verdict and fix never name the other tool)."""
        ctx = (root, home, work, env, None)
        tool = {t: {"off": self.run(ctx, ["check", "--tool", t, "--json"], "off")} for t in h.tools}
        bad = []
        for t in h.tools:
            if tool[t]["off"].json is None:
                bad.append("`%s`: not JSON (%s)" % (tool[t]["off"].argv, tool[t]["off"].json_error))
            else:
                bad += self.a1_scope(t, tool, modes=("off",))
        return [("%s/scope" % h.name, bad), ("%s/no-full-key" % h.name, self.a5_no_key(self.outputs))]

    def judge_home(self, h, root, home, work, env, groups):
        ctx = (root, home, work, env, None)
        deleted = None
        if h.keys == "winner":
            # The key the home's first tool really sends is made dead: the
            # stale-key story every tool has.
            w = self.winner_names(ctx).get(h.tools[0])
            deleted = w if w and OR_KEY.match(self.keys[w]) else "ACTIVE_A"
        elif h.keys != "all":
            deleted = h.keys
        mock = self.mocks.url(deleted)
        ctx = (root, home, work, env, mock)
        label = h.name + ("[%s deleted]" % deleted if deleted else "[all valid]")

        res = {}
        for mode in ("net", "off", "down"):
            res[mode] = {
                "tools": self.run(ctx, ["tools", "--json"], mode),
                "check": self.run(ctx, ["check", "--json"], mode),
            }
            if mode != "down":
                res[mode]["check-text"] = self.run(ctx, ["check"], mode)
        for mode in res:
            for k in ("tools", "check"):
                r = res[mode][k]
                if r.json is None:
                    raise HarnessError("%s: exit %s, not JSON (%s): %s" % (
                        r.argv, r.rc, r.json_error, self.excerpt(r.out + r.err)))
        present = [t["id"] for t in res["net"]["tools"].json["tools"] if t["present"]]
        # Judged alone: every present tool, the tools whose fixtures make up
        # the home even when the product does not call them present (the
        # bashrc home of a tool found through a variable), and any tool a
        # machine verdict names (assertion 2).
        scoped = list(present)
        for t in list(h.tools) + [(res[m]["check"].json.get("verdict") or {}).get("tool") for m in res]:
            if t and t not in scoped:
                scoped.append(t)
        tool = {}
        for t in scoped:
            tool[t] = {}
            for mode in ("net", "off", "down"):
                tool[t][mode] = self.run(ctx, ["check", "--tool", t, "--json"], mode)
                if tool[t][mode].json is None:
                    r = tool[t][mode]
                    raise HarnessError("%s: exit %s, not JSON (%s): %s" % (
                        r.argv, r.rc, r.json_error, self.excerpt(r.out + r.err)))
                if mode != "down":
                    tool[t][mode + "-text"] = self.run(ctx, ["check", "--tool", t], mode)

        for t in scoped:
            if t in present:
                groups.append(("%s/%s/tool-vs-tools" % (label, t), self.a1_same_verdict(t, res, tool)))
            groups.append(("%s/%s/entries-agree" % (label, t), self.a1_entries(t, t in present, res, tool)))
            groups.append(("%s/%s/scope" % (label, t), self.a1_scope(t, tool)))
        groups.append(("%s/machine-vs-tool" % label, self.a2_machine_vs_tool(res, tool)))
        groups.append(("%s/offline-vs-down" % label, self.a3_offline_down(
            res["off"]["check"], res["down"]["check"])))
        for t in scoped:
            groups.append(("%s/%s/offline-vs-down" % (label, t), self.a3_offline_down(
                tool[t]["off"], tool[t]["down"], t)))
        groups.append(("%s/text-vs-json" % label, self.a4_text_json(
            [(res[m]["check-text"], res[m]["check"]) for m in ("net", "off")])))
        for t in scoped:
            groups.append(("%s/%s/text-vs-json" % (label, t), self.a4_text_json(
                [(tool[t][m + "-text"], tool[t][m]) for m in ("net", "off")])))
        groups.append(("%s/no-full-key" % label, self.a5_no_key(self.outputs)))
        return groups

    # -- the assertions; each returns a list of failure reasons

    def excerpt(self, text, n=240):
        text = self.redact(text).strip().replace("\n", " | ")
        return text if len(text) <= n else text[:n] + "..."

    @staticmethod
    def vfields(v):
        v = v or {}
        return (v.get("cause"), v.get("fix"))

    def a1_same_verdict(self, t, res, tool):
        """`check --tool T` is the judgment `tools` shows for T (cause and
        fix), its exit code is T's status, in every mode."""
        bad = []
        for mode in ("net", "off", "down"):
            tj = {x["id"]: x for x in res[mode]["tools"].json["tools"]}[t]
            c = tool[t][mode]
            cv, tv = self.vfields(c.json.get("verdict")), self.vfields(tj.get("verdict"))
            if cv != tv:
                bad.append("[%s] `%s` verdict (cause %s, fix %r) but `tools --json` tools[%s].verdict "
                           "(cause %s, fix %r)" % (mode, c.argv, cv[0], self.excerpt(cv[1] or "", 120),
                                                   t, tv[0], self.excerpt(tv[1] or "", 120)))
            want = STATUS_EXIT.get(tj.get("status"))
            if want is None:
                bad.append("[%s] tools[%s].status is %r, present tools should be judged "
                           "(problem/undecided/ok); `%s` exits %s" % (mode, t, tj.get("status"), c.argv, c.rc))
            elif c.rc != want:
                bad.append("[%s] tools[%s].status %s but `%s` exits %s" % (mode, t, tj.get("status"), c.argv, c.rc))
        return bad

    def a1_entries(self, t, present, res, tool):
        """The per-tool entries inside each document say the same: the
        tools[T] of `check --json` is the one of `tools --json` (for a
        present T), and `check --tool T --json` shows its own verdict in its
        tools[T]."""
        bad = []
        for mode in ("net", "off", "down"):
            want = {x["id"]: x for x in res[mode]["tools"].json["tools"]}[t]
            if present:
                got = {x["id"]: x for x in res[mode]["check"].json.get("tools") or []}.get(t) or {}
                for f in ("status",):
                    if got.get(f) != want.get(f):
                        bad.append("[%s] tools[%s].%s: %r in `%s`, %r in `%s`" % (
                            mode, t, f, got.get(f), res[mode]["check"].argv, want.get(f), res[mode]["tools"].argv))
                if self.vfields(got.get("verdict")) != self.vfields(want.get("verdict")):
                    bad.append("[%s] tools[%s].verdict: cause %s in `%s`, %s in `%s`" % (
                        mode, t, self.vfields(got.get("verdict"))[0], res[mode]["check"].argv,
                        self.vfields(want.get("verdict"))[0], res[mode]["tools"].argv))
            c = tool[t][mode]
            own = {x["id"]: x for x in c.json.get("tools") or []}.get(t) or {}
            if self.vfields(own.get("verdict")) != self.vfields(c.json.get("verdict")):
                bad.append("[%s] `%s`: verdict cause %s, its own tools[%s].verdict cause %s" % (
                    mode, c.argv, self.vfields(c.json.get("verdict"))[0], t, self.vfields(own.get("verdict"))[0]))
            w = STATUS_EXIT.get(own.get("status"))
            if w is not None and w != c.rc:
                bad.append("[%s] `%s` exits %s, its own tools[%s].status is %s" % (
                    mode, c.argv, c.rc, t, own.get("status")))
        return bad

    def a1_scope(self, t, tool, modes=("net", "off", "down")):
        """A tool's verdict is about that tool: verdict.tool is T or null,
        and its sentences do not name another tool."""
        bad = []
        own = self.names.get(t, t)
        for mode in modes:
            c = tool[t][mode]
            v = c.json.get("verdict") or {}
            if v.get("tool") not in (t, None):
                bad.append("[%s] `%s` verdict.tool is %s (cause %s)" % (mode, c.argv, v.get("tool"), v.get("cause")))
            if not v.get("cause"):
                continue
            for field in ("summary", "fix"):
                text = (v.get(field) or "").replace(own, "")
                for other, oname in self.names.items():
                    if other == t:
                        continue
                    for nm in {oname, oname.split(" (")[0]}:
                        if nm in own:
                            continue  # part of T's own name (Claude Code in claude-code-router)
                        if re.search(r"(?<![\w./~-])%s(?![\w/-])" % re.escape(nm), text):
                            bad.append("[%s] `%s` verdict.%s names %s (%r): %s" % (
                                mode, c.argv, field, other, nm, self.excerpt(v.get(field), 200)))
        return bad

    def a2_machine_vs_tool(self, res, tool):
        """When the machine's verdict is about tool T, it is T's verdict."""
        bad = []
        for mode in ("net", "off", "down"):
            m = res[mode]["check"]
            v = m.json.get("verdict") or {}
            t = v.get("tool")
            if not t:
                continue
            if t not in tool:
                bad.append("[%s] `%s` names unknown tool %s" % (mode, m.argv, t))
                continue
            c = tool[t][mode]
            if self.vfields(v) != self.vfields(c.json.get("verdict")):
                cv = self.vfields(c.json.get("verdict"))
                bad.append("[%s] `%s`: cause %s, fix %r; `%s`: cause %s, fix %r" % (
                    mode, m.argv, v.get("cause"), self.excerpt(v.get("fix") or "", 120),
                    c.argv, cv[0], self.excerpt(cv[1] or "", 120)))
        return bad

    def a3_offline_down(self, off, down, tool=None):
        """No network is no network: --offline and a refused connection give
        the same verdict and exit class; undecided says what is missing; no
        ok line calls an unverified key valid.  For a tool scope, the keys
        that count are the tool's: its winner, or a key `used_by` it."""
        bad = []
        co = (off.json.get("verdict") or {}).get("cause")
        cd = (down.json.get("verdict") or {}).get("cause")
        if co != cd:
            bad.append("cause %s with --offline, %s with the network down (`%s`)" % (co, cd, down.argv))
        if off.rc != down.rc:
            bad.append("exit %s with --offline, %s with the network down (`%s`)" % (off.rc, down.rc, down.argv))
        for r, cause in ((off, co), (down, cd)):
            keys = r.json.get("keys") or []
            if tool:
                entry = {x["id"]: x for x in r.json.get("tools") or []}.get(tool) or {}
                keys = [k for k in keys if tool in (k.get("used_by") or [])]
                if entry.get("key") and not keys:
                    keys = [entry["key"]]
            if cause is None and keys and r.rc != 3:
                bad.append("`%s`: no verdict, %d key(s)%s not verified, exit %s (want 3)" % (
                    r.argv, len(keys), " used by %s" % tool if tool else "", r.rc))
            if cause is not None and r.rc != 1:
                bad.append("`%s`: verdict %s but exit %s (want 1)" % (r.argv, cause, r.rc))
            if r.rc == 3 and not r.json.get("missing"):
                bad.append("`%s`: exit 3 but `missing` is empty" % r.argv)
            for ch in r.json.get("checks") or []:
                if ch.get("status") != "ok":
                    continue
                for line in [ch.get("message") or ""] + list(ch.get("evidence") or []):
                    if CLAIMS_VALID.search(line):
                        bad.append("`%s`: ok check %s says %r about keys nobody verified" % (
                            r.argv, ch.get("id"), self.excerpt(line, 160)))
        return bad

    def a4_text_json(self, pairs):
        """The text verdict is the JSON verdict: same cause, summary, fix,
        same exit code."""
        bad = []
        for text, js in pairs:
            lines = [l for l in text.out.splitlines() if l.startswith("Verdict:")]
            v = js.json.get("verdict") or {}
            if len(lines) != 1:
                bad.append("`%s`: %d Verdict: lines" % (text.argv, len(lines)))
                continue
            m = re.match(r"^Verdict: ([a-z0-9_]+) \(", lines[0])
            tcause = m.group(1) if m else None
            if tcause != v.get("cause"):
                bad.append("`%s` says %r; `%s` verdict.cause %s" % (
                    text.argv, self.excerpt(lines[0], 120), js.argv, v.get("cause")))
            elif tcause:
                for field in ("summary", "fix"):
                    if v.get(field) and v[field] not in text.out:
                        bad.append("`%s` lacks the JSON verdict.%s %r" % (
                            text.argv, field, self.excerpt(v[field], 120)))
            if text.rc != js.rc:
                bad.append("`%s` exits %s, `%s` exits %s" % (text.argv, text.rc, js.argv, js.rc))
        return bad

    def a5_no_key(self, outputs):
        bad = []
        for r in outputs:
            for where, s in (("stdout", r.out), ("stderr", r.err)):
                for name in self.redact.leaks(s):
                    bad.append("`%s` %s contains fixture key %s in full" % (r.argv, where, name))
        return bad


# ---- the harness checks itself ------------------------------------------------

def self_test(keys, redact):
    """Each assertion must be able to fail: feed it a consistent and an
    inconsistent made-up answer and see that only the second is reported.
    Without this, a typo in a field name would pass every home silently."""
    r = Runner("ordoctor", keys, None, redact, {"aider": "Aider", "cline": "Cline"}, False)
    key = next(v for v in keys.values() if OR_KEY.match(v))

    def res(argv, rc, doc=None, out=""):
        x = Result(argv, rc, json.dumps(doc) if doc is not None else out, "")
        return x.parse() if doc is not None else x

    v_ok = {"cause": None, "fix": None, "tool": None}
    v_bad = {"cause": "tool_stale_stored_key", "fix": "Replace it.", "summary": "Aider sends it.", "tool": "aider"}
    gap = [{"kind": "offline", "what": "x", "how": "y"}]
    tools = lambda st, v: {"tools": [{"id": "aider", "present": True, "status": st, "verdict": v}]}
    good = {m: {"tools": res("tools", 0, tools("problem", v_bad)),
                "check": res("check", 1, dict(tools("problem", v_bad), verdict=v_bad))} for m in ("net", "off", "down")}
    tool_good = {"aider": {m: res("check --tool aider", 1, dict(tools("problem", v_bad), verdict=v_bad))
                           for m in ("net", "off", "down")}}
    tool_bad = {"aider": dict(tool_good["aider"], down=res("check --tool aider", 3, dict(
        tools("undecided", None), verdict=dict(v_ok, tool="cline"), missing=gap)))}
    off3 = res("c", 3, {"verdict": v_ok, "missing": gap, "keys": [{}], "checks": []})
    down3 = res("c", 3, {"verdict": v_ok, "missing": gap, "keys": [{}], "checks": [
        {"id": "tools", "status": "ok", "message": "every tool sends a working key"}]})
    down0 = res("c", 0, {"verdict": v_ok, "missing": [], "keys": [{}], "checks": []})
    used = [{"used_by": ["aider"]}]
    t3 = res("c", 3, {"verdict": v_ok, "missing": gap, "keys": used, "checks": []})
    t0 = res("c", 0, {"verdict": v_ok, "missing": [], "keys": used, "checks": []})
    text = res("c", 1, out="Verdict: tool_stale_stored_key (local runtime)\n  Aider sends it.\n  Fix: Replace it.\n")
    text_other = res("c", 1, out="Verdict: key_revoked_expired_or_unknown (account/auth)\n")
    j = good["net"]["check"]
    entries_bad = dict(good, off={"tools": good["off"]["tools"],
                                  "check": res("check", 1, dict(tools("ok", None), verdict=v_bad))})
    named = dict(v_bad, fix="Replace it; Cline too.")
    tool_named = {"aider": {m: res("check --tool aider", 1, {"verdict": named}) for m in ("net", "off", "down")}}
    cases = [
        ("same verdict", lambda g, t: r.a1_same_verdict("aider", g, t), (good, tool_good), (good, tool_bad)),
        ("entries", lambda g, t: r.a1_entries("aider", True, g, t), (good, tool_good), (entries_bad, tool_good)),
        ("scope", lambda t: r.a1_scope("aider", t), (tool_good,), (tool_bad,)),
        ("scope names", lambda t: r.a1_scope("aider", t), (tool_good,), (tool_named,)),
        ("machine vs tool", lambda g, t: r.a2_machine_vs_tool(g, t), (good, tool_good), (good, tool_bad)),
        ("offline vs down", r.a3_offline_down, (off3, off3), (off3, down0)),
        ("valid on ok line", r.a3_offline_down, (off3, off3), (off3, down3)),
        ("tool's unverified key", lambda a, b: r.a3_offline_down(a, b, "aider"), (t3, t3), (t0, t0)),
        ("text vs json", lambda t, js: r.a4_text_json([(t, js)]), (text, j), (text_other, j)),
        ("full key", lambda o: r.a5_no_key(o), ([res("c", 0, out="sk-or-v1-abc...xyz")],),
         ([res("c", 0, out="key: " + key)],)),
    ]
    bad = []
    for name, fn, ok_args, bad_args in cases:
        if fn(*ok_args):
            bad.append("%s: reports a consistent answer: %s" % (name, fn(*ok_args)[0]))
        if not fn(*bad_args):
            bad.append("%s: passes an inconsistent answer" % name)
    return bad


# ---- the homes --------------------------------------------------------------

def build_homes(tool_ids, runner):
    envs = {t: fixture_env(t)[0] for t in tool_ids}
    files = {t: set(fixture_files(t)) for t in tool_ids}
    # A tool absent from its own fixture home would only ever be judged
    # through --tool; give that home the tool's presence marker.
    markers = {}
    for t in tool_ids:
        markers[t] = ()
        if t in runner.present_in(Home(t, [t], env=envs[t])):
            continue
        # The first marker the product recognises (a glob inside a path,
        # like LangChain's .venv/lib/python3*/..., is a known format gap:
        # docs/profiles.md, "Globs in paths").
        for m in presence_markers(t):
            if t in runner.present_in(Home(t, [t], env=envs[t], markers=(m,))):
                markers[t] = (m,)
                break
        else:
            raise HarnessError("%s is absent from its fixture home and no dir/file presence line "
                               "of data/tools/%s makes it present" % (t, t))
    homes = []
    for t in tool_ids:
        homes.append(Home("%s" % t, [t], env=envs[t], keys="all", markers=markers[t]))
        homes.append(Home("%s" % t, [t], env=envs[t], keys="winner", markers=markers[t]))
        # With no variables of its own, the fixture gets the usual
        # OPENROUTER_API_KEY export, so every tool has a bashrc-only home.
        homes.append(Home("%s+bashrc" % t, [t], env=envs[t] or [("OPENROUTER_API_KEY", "@KEY:ACTIVE_A@")],
                          bashrc_env=True, keys="winner", markers=markers[t]))
    for keys in ("all", "ACTIVE_A"):
        homes.append(Home("bashrc-only", [], extra_bashrc=[
            "# my shell setup", "alias ll='ls -l'", "export OPENROUTER_API_KEY=@KEY:ACTIVE_A@"], keys=keys))

    def compatible(a, b):
        if any(not mergeable(p) for p in files[a] & files[b]):
            return False
        ea, eb = dict(envs[a]), dict(envs[b])
        return all(ea[n] == eb[n] for n in ea.keys() & eb.keys())

    # Pairs: each tool with the next compatible one not yet paired (then any
    # compatible one), so every tool shares a home with another tool.
    paired, pairs = set(), []
    for i, a in enumerate(tool_ids):
        if a in paired:
            continue
        order = tool_ids[i + 1:] + tool_ids[:i]
        b = next((x for x in order if x not in paired and compatible(a, x)), None) or \
            next((x for x in order if compatible(a, x)), None)
        if b is None:
            raise HarnessError("no fixture can share a home with %s" % a)
        pairs.append((a, b))
        paired.update((a, b))
    for a, b in pairs:
        env = list(dict(envs[a] + envs[b]).items())
        mk = markers[a] + markers[b]
        homes.append(Home("%s+%s" % (a, b), [a, b], env=env, keys="all", markers=mk))
        homes.append(Home("%s+%s" % (a, b), [a, b], env=env, keys="winner", markers=mk))
    # Scoping over EVERY compatible pair (issue 17): with X and Y both
    # present, `check --tool X` never names Y.  Offline only: which tool a
    # verdict is about does not depend on the answers.
    for i, a in enumerate(tool_ids):
        for b in tool_ids[i + 1:]:
            if compatible(a, b):
                homes.append(Home("pair:%s+%s" % (a, b), [a, b], env=list(dict(envs[a] + envs[b]).items()),
                                  markers=markers[a] + markers[b], scope_only=True))
    return homes


def list_tools(binary, tmp):
    """The tool ids from the product itself, cross-checked with data/tools
    (a profile the binary does not list would escape the harness)."""
    home = os.path.join(tmp, "empty-home")
    os.makedirs(home, exist_ok=True)
    p = subprocess.run([binary, "tools", "--all", "--json", "--offline"], cwd=home,
                       env={"HOME": home, "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=CMD_TIMEOUT)
    try:
        doc = json.loads(p.stdout)
        names = {t["id"]: t["name"] for t in doc["tools"]}
    except (ValueError, KeyError, TypeError) as e:
        raise HarnessError("`ordoctor tools --all --json --offline` exited %s without the tool list (%s)"
                           % (p.returncode, e))
    data = sorted(os.listdir(os.path.join(TOP, "data", "tools")))
    return names, data


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build")
    ap.add_argument("--keep", action="store_true", help="keep each home and print its path")
    ap.add_argument("--only", help="only homes whose name contains this")
    # Most of the time goes to waiting, not computing: a base URL in a
    # fixture (https://openrouter.ai/...) is probed, and on a machine without
    # DNS an occasional lookup stalls for the resolver's 5 s; ten homes at
    # once keep the two cores busy meanwhile (about 30 s instead of 50).
    ap.add_argument("-j", type=int, default=10, help="homes judged at once (default 10)")
    a = ap.parse_args()
    binary = os.path.abspath(os.path.join(a.build, "ordoctor"))
    if not os.access(binary, os.X_OK):
        print("consistency: no binary %s" % binary)
        print("0 passed, 1 failed")
        return 1
    keys = load_keys(os.path.join(FIXTURES, "keys"))
    redact = Redactor(keys)
    tmp = tempfile.mkdtemp(prefix="ordoctor-consist-mocks.")
    mocks = Mocks(binary, keys, tmp)
    passed = failed = 0
    start = time.time()

    def report(name, reasons):
        nonlocal passed, failed
        if reasons:
            failed += 1
            print(redact("FAIL %s: %s" % (name, reasons[0])))
            for r in reasons[1:]:
                print(redact("    %s" % r))
        else:
            passed += 1
            print(redact("ok %s" % name))
        sys.stdout.flush()

    try:
        report("harness-self-test", self_test(keys, redact))
        names, data = list_tools(binary, tmp)
        # "this project" is generated from the working directory's code
        # (lib/codescan_project.c), not a file of data/tools
        names.pop("project", None)
        ids = sorted(names)
        report("tool-list", [] if ids == data else [
            "`ordoctor tools --all` lists %s, data/tools has %s" % (ids, data)])
        missing = [t for t in data if not os.path.isdir(os.path.join(FIXTURES, "tools", t))]
        report("fixtures", ["no fixture for %s" % ", ".join(missing)] if missing else [])
        ids = [t for t in data if t not in missing]
        setup = Runner(binary, keys, mocks, redact, names, False)
        homes = build_homes(ids, setup)
        report("setup/no-full-key", setup.a5_no_key(setup.outputs))
        if a.only:
            homes = [h for h in homes if a.only in h.name]

        def judge(h):
            # One Runner per thread: it collects that home's outputs.
            return Runner(binary, keys, mocks, redact, names, a.keep).home(h)

        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.j)) as ex:
            for groups in ex.map(judge, homes):
                for name, reasons in groups:
                    report(name, reasons)
    except HarnessError as e:
        report("harness", ["harness: %s" % e])
    finally:
        mocks.stop()
        for name, text in mocks.logs().items():
            report("mock %s/no-full-key" % name,
                   ["the mock's output contains fixture key %s in full" % n for n in redact.leaks(text)])
        shutil.rmtree(tmp, ignore_errors=True)
    sys.stderr.write("consistency: %.1fs\n" % (time.time() - start))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
