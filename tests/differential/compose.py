#!/usr/bin/python3
"""Docker Compose services' environment against the real Compose.

Generates small Compose projects (a fixed seed): list- and map-form
environment: entries (NAME=value, bare NAME, ${VAR}, $VAR, ${VAR:-d},
${VAR-d}, ${VAR:?e}, ${VAR?e}, $$, text around a reference), env_file: as a
string or a list, a project .env used for interpolation, values quoted or
not, and a shell environment that sets, empties or leaves out each
variable.  For each one it runs Debian's `docker-compose config` (1.29.2,
no daemon needed) in `env -i` with that shell environment and HOME set to
the project, and compares every service's environment with what
lib/compose.c computes (build/tests/ord-parse compose DIR, run in the same
environment): the same variables, each set to the same bytes or left out.

ordoctor models Compose v2 (compose-spec/compose-go); where 1.29 differs
the input carries a trait and tests/differential/KNOWN lists it with v2's
source (oracle name compose-1.29).  Ends with
"compose-1.29: N inputs, N agree, N known differences, N disagreements";
exits 1 on a disagreement KNOWN does not list.

usage: tests/differential/compose.py [BUILD_DIR] [-v] [-n COUNT]
"""
import fnmatch
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
ORACLE = "compose-1.29"
rng = random.Random(20261208)


def genkey():
    return "sk-or-v1-" + "".join(rng.choice("0123456789abcdef") for _ in range(64))


KEYS = [genkey(), genkey(), genkey()]
NAMES = ["OPENROUTER_API_KEY", "OPENAI_API_KEY", "A", "B"]


def show(v):
    if v is None:
        return "(unset)"
    for k in KEYS:
        if k in v:
            v = v.replace(k, "<key %s fp %s>" % (k[9:13], hashlib.sha256(k.encode()).hexdigest()[:12]))
    return repr(v)


def literal():
    return rng.choice([KEYS[0], KEYS[1], "plain", "two words", "", "x-" + KEYS[2]])


def yaml_scalar(v):
    """A value as the YAML of an environment: entry, quoted at random."""
    if v == "" or " " in v or rng.random() < 0.4:
        return '"%s"' % v.replace("\\", "\\\\").replace('"', '\\"')
    return v


def gen_value(tr):
    n = rng.choice(NAMES)
    kind = rng.randrange(12)
    if kind in (9, 10) and rng.random() < 0.7:
        kind = 1  # v2-only forms, kept rare so most inputs compare
    if kind == 0:
        return literal()
    if kind == 1:
        return "${%s}" % n
    if kind == 2:
        return "$%s" % n
    if kind == 3:
        return "${%s:-%s}" % (n, rng.choice(["sk-or-v1-placeholder", "", "dflt"]))
    if kind == 4:
        return "${%s-dflt}" % n
    if kind == 5:
        return "${%s:?%s is required}" % (n, n)
    if kind == 6:
        return "${%s?unset}" % n
    if kind == 7:
        return "a$$b"
    if kind == 8:
        return "pre-${%s}" % n
    if kind == 9:
        tr.add("nested-default")
        return "${%s:-${%s}}" % (n, rng.choice(NAMES))
    if kind == 10:
        tr.add("plus-modifier")
        return "${%s:+alt}" % n
    return literal()


def gen_dotenv_line(name, tr):
    kind = rng.randrange(8)
    v = rng.choice([KEYS[0], KEYS[2], "dotval", ""])
    if kind == 0:
        return "%s=%s" % (name, v)
    if kind == 1:
        return '%s="%s"' % (name, v)
    if kind == 2:
        return "%s='%s'" % (name, v)
    if kind == 3:
        return "export %s=%s" % (name, v)
    if kind == 4:
        return "%s=%s # a comment" % (name, v)
    if kind == 5:
        tr.add("dotenv-dollar")
        return "%s=${%s}" % (name, rng.choice(NAMES))
    if kind == 6:
        return "# %s=commented" % name
    return "%s=%s" % (name, v)


def gen_envfile_line(name, tr):
    line = gen_dotenv_line(name, tr)
    if rng.random() < 0.08:
        line = name  # a bare NAME: the value of the interpolation environment
        tr.add("envfile-bare")
    if "$" in line:
        tr.add("envfile-dollar")
    return line


def gen_project(i):
    """-> (files {relpath: text}, shell env {name: value}, traits)"""
    tr = set()
    files = {}
    shell = {}
    for n in NAMES:
        r = rng.random()
        if r < 0.35:
            shell[n] = rng.choice([KEYS[1], "shellval", ""])
    if rng.random() < 0.7:
        files[".env"] = "".join(gen_dotenv_line(n, tr) + "\n" for n in rng.sample(NAMES, rng.randint(1, 4)))
    services = []
    for s in range(rng.randint(1, 2)):
        lines = ["  svc%d:" % s, "    image: busybox"]
        if rng.random() < 0.5:
            efs = []
            for k in range(rng.randint(1, 2)):
                fn = "s%d-%d.env" % (s, k)
                efs.append(fn)
                files[fn] = "".join(gen_envfile_line(n, tr) + "\n" for n in rng.sample(NAMES, rng.randint(1, 3)))
            if len(efs) == 1 and rng.random() < 0.5:
                lines.append("    env_file: %s" % efs[0])
            else:
                lines.append("    env_file:")
                lines += ["      - %s" % f for f in efs]
        names = rng.sample(NAMES, rng.randint(1, 4))
        if names:
            lines.append("    environment:")
            listform = rng.random() < 0.5
            for n in names:
                bare = rng.random() < 0.25
                v = None if bare else gen_value(tr)
                if listform:
                    lines.append("      - %s" % n if bare else "      - %s" % yaml_scalar("%s=%s" % (n, v)))
                else:
                    lines.append("      %s:" % n if bare else "      %s: %s" % (n, yaml_scalar(v)))
        services.append("\n".join(lines))
    files["compose.yaml"] = "services:\n" + "\n".join(services) + "\n"
    return files, shell, tr


def fixed_projects():
    """Hand-picked inputs for the differences KNOWN lists, and the issue's
    cases."""
    k = KEYS[0]
    return [
        ("key-only-in-dotenv", {".env": "OPENROUTER_API_KEY=%s\n" % k,
                                "compose.yaml": "services:\n  web:\n    image: x\n    environment:\n"
                                                "      OPENROUTER_API_KEY: ${OPENROUTER_API_KEY}\n"}, {}, set()),
        ("bare-unset", {".env": "OTHER=1\n", "compose.yaml": "services:\n  web:\n    image: x\n    environment:\n"
                                                            "      - OPENROUTER_API_KEY\n"}, {}, set()),
        ("bare-exported", {"compose.yaml": "services:\n  web:\n    image: x\n    environment:\n"
                                           "      - OPENROUTER_API_KEY\n"}, {"OPENROUTER_API_KEY": k}, set()),
        ("bare-over-env-file", {"k.env": "OPENROUTER_API_KEY=%s\n" % k,
                                "compose.yaml": "services:\n  web:\n    image: x\n    env_file: k.env\n"
                                                "    environment:\n      - OPENROUTER_API_KEY\n"}, {}, set()),
        ("environment-over-env-file", {"k.env": "OPENROUTER_API_KEY=%s\n" % k,
                                       "compose.yaml": "services:\n  web:\n    image: x\n    env_file: [k.env]\n"
                                                       "    environment:\n      OPENROUTER_API_KEY: other\n"}, {}, set()),
        ("both-file-names", {"docker-compose.yml": "services:\n  web:\n    image: x\n    environment:\n      A: old\n",
                             "compose.yaml": "services:\n  web:\n    image: x\n    environment:\n      A: new\n"},
         {}, {"both-file-names"}),
        ("format-raw", {"k.env": "OPENROUTER_API_KEY='%s'\n" % k,
                        "compose.yaml": "services:\n  web:\n    image: x\n    env_file:\n      - path: k.env\n"
                                        "        format: raw\n"}, {}, {"env-file-long-syntax"}),
        ("lone-dollar", {"compose.yaml": "services:\n  web:\n    image: x\n    environment:\n      A: cost $5\n"},
         {}, {"lone-dollar"}),
        ("envfile-from-dotenv", {".env": "A=fromdot\n", "k.env": "B=${A}\n",
                                 "compose.yaml": "services:\n  web:\n    image: x\n    env_file: k.env\n"},
         {}, {"envfile-dollar"}),
    ]


def compose_env(root, shell):
    env = dict(shell, HOME=root, PATH="/usr/bin:/bin")
    for attempt in (1, 2):
        # a loaded machine can stall the python start-up: one more try
        try:
            r = subprocess.run(["docker-compose", "config"], cwd=root, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=90)
            break
        except subprocess.TimeoutExpired:
            if attempt == 2:
                return None, ["docker-compose config timed out"]
    if r.returncode:
        return None, r.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
    doc = yaml.safe_load(r.stdout) or {}
    out = {}
    for name, svc in (doc.get("services") or {}).items():
        env_ = {}
        for k, v in (svc.get("environment") or {}).items():
            # config prints a value's $ as $$; null is "not set"
            env_[k] = None if v is None else str(v).replace("$$", "$")
        out[name] = env_
    return out, None


def ordoctor_env(ordparse, root, shell):
    env = dict(shell, HOME=root, PATH="/usr/bin:/bin")
    r = subprocess.run([ordparse, "compose", root], cwd=root, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    out, errors = {}, []
    cur = None
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        p = line.split(" ")
        if p[0] == "S":
            cur = out.setdefault(bytes.fromhex(p[1]).decode(), {})
        elif p[0] == "V":
            v = None if p[2] == "!" else ("" if p[2] == "-" else bytes.fromhex(p[2]).decode("utf-8", "replace"))
            cur[bytes.fromhex(p[1]).decode()] = v
        elif p[0] == "X":
            errors.append(bytes.fromhex(p[1]).decode())
    return out, errors


def load_known():
    rules = []
    with open(os.path.join(HERE, "KNOWN")) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            if len(parts) == 3 and fnmatch.fnmatchcase(ORACLE, parts[0]):
                rules.append(parts)
    return rules


def known_reason(rules, iid, tr):
    for _, sel, why in rules:
        if sel.startswith("trait:") and sel[6:] in tr or fnmatch.fnmatchcase(iid, sel):
            return why
    return None


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    count = 150
    if "-n" in args:
        count = int(args[args.index("-n") + 1])
    rest = [a for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] != "-n")]
    build = os.path.abspath(rest[0] if rest else os.path.join(TOP, "build"))
    ordparse = os.path.join(build, "tests", "ord-parse")
    if not shutil.which("docker-compose"):
        print("%s: docker-compose is missing (scripts/deps.sh --differential)" % ORACLE)
        return 1
    rules = load_known()
    inputs = [("fixed:compose/" + n, f, s, t) for n, f, s, t in fixed_projects()]
    inputs += [("gen:compose/%03d" % i,) + gen_project(i) for i in range(count)]
    agree = known = bad = 0
    for iid, files, shell, tr in inputs:
        root = tempfile.mkdtemp(prefix="compose-diff.")
        for rel, text in files.items():
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        if verbose:
            print("input %s" % iid, flush=True)
        want, werr = compose_env(root, shell)
        got, gerr = ordoctor_env(ordparse, root, shell)
        if want is None:
            # compose refused the project: ordoctor must say it refuses
            # an entry (${VAR:?err}) for the same reason
            same = bool(gerr)
        else:
            same = want == got
        if same:
            agree += 1
        else:
            why = known_reason(rules, iid, tr)
            if why:
                known += 1
            else:
                bad += 1
            if not why or verbose:
                print("%s %s (traits: %s)" % ("KNOWN" if why else "DISAGREE", iid, ",".join(sorted(tr)) or "-"))
                if why:
                    print("  why: " + why)
                for rel, text in sorted(files.items()):
                    print("  --- %s" % rel)
                    for line in text.splitlines():
                        print("    " + show(line)[1:-1])
                print("  shell: " + ", ".join("%s=%s" % (k, show(v)) for k, v in sorted(shell.items())))
                if want is None:
                    print("  docker-compose refused: %s; ordoctor: %s" % (werr, gerr or "no refusal"))
                else:
                    for svc in sorted(set(want) | set(got or {})):
                        w, g = want.get(svc, {}), (got or {}).get(svc, {})
                        for n in sorted(set(w) | set(g)):
                            if w.get(n, "<absent>") != g.get(n, "<absent>"):
                                print("  %s.%s: docker-compose %s, ordoctor %s" % (
                                    svc, n, show(w.get(n)) if n in w else "(absent)",
                                    show(g.get(n)) if n in g else "(absent)"))
        shutil.rmtree(root, ignore_errors=True)
    print("%s: %d inputs, %d agree, %d known differences, %d disagreements" % (
        ORACLE, len(inputs), agree, known, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
