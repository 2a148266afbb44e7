#!/usr/bin/env python3
"""The man page's EXAMPLES are tests (the idea of jq's documented examples).

usage: tests/man-examples.py BUILD/ordoctor [docs/ordoctor.1]

Reads the EXAMPLES section of docs/ordoctor.1: every `.EX` block's `$ `
lines are commands, and the paragraph before the block says "exit status N".
Lays out the home the section describes in a temporary directory (a working
key exported by ~/.bashrc, a dead one in the project's .env, a copy of the
dead one in ~/src/old.py), starts `ordoctor mock` with those two keys as
OpenRouter, and runs each command with `sh -c` in the project directory, the
build's ordoctor first on PATH.  Each example must exit with its documented
status, and nothing it prints (or writes) may hold either key in full.
Ends with "N passed, N failed".
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# The roff escapes the EXAMPLES section may use inside .EX; any other
# backslash fails the test, so a command is never run other than it reads.
ESCAPES = [(r"\-", "-"), (r"\(aq", "'"), (r"\(dq", '"'), (r"\(ti", "~"),
           (r"\(ha", "^"), (r"\e", "\\"), (r"\&", "")]


def unroff(line):
    for esc, text in ESCAPES:
        line = line.replace(esc, "\0" + text + "\0")
    if "\\" in line.replace("\0\\\0", ""):
        raise ValueError("unknown roff escape in example: %r" % line)
    return line.replace("\0", "")


def examples(page):
    with open(page, encoding="utf-8") as f:
        lines = f.read().split("\n")
    try:
        start = lines.index(".SH EXAMPLES")
    except ValueError:
        raise SystemExit("%s: no .SH EXAMPLES section" % page)
    out, text, block = [], [], None
    for no, line in enumerate(lines[start + 1:], start + 2):
        if line.startswith(".SH"):
            break
        if line == ".EX":
            block = []
        elif line == ".EE":
            said = re.findall(r"exit status (\d)", " ".join(text))
            if not said or not block:
                raise SystemExit("%s line %d: an example without %s" % (
                    page, no, "a command" if said else "'exit status N' before it"))
            for cmd in block:
                out.append((no, cmd, int(said[-1])))
            block, text = None, []
        elif block is not None:
            if not line.startswith("$ "):
                raise SystemExit("%s line %d: example lines start with '$ '" % (page, no))
            block.append(unroff(line[2:]))
        else:
            text.append(re.sub(r"^\.[A-Z]+ ?", "", line))
    if not out:
        raise SystemExit("%s: EXAMPLES has no example" % page)
    return out


def fixture_keys():
    keys = {}
    with open(os.path.join(HERE, "fixtures", "keys"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and not line.startswith("#"):
                keys[parts[0]] = parts[1]
    return keys


def start_mock(binary, keys_file, log):
    mock = subprocess.Popen([binary, "mock", "--keys", keys_file, "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=log, text=True)
    line = mock.stdout.readline()
    if not line.startswith("listening on "):
        mock.kill()
        raise SystemExit("the mock did not start: %r" % line)
    return mock, line[len("listening on "):].strip()


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    page = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "docs", "ordoctor.1")
    lint = 0
    # groff must not warn (-ww); mandoc -Tlint is stricter, where it is installed
    for argv in (["groff", "-man", "-Tutf8", "-ww", "-z", page],
                 ["mandoc", "-Tlint", "-Wwarning", page]):
        if shutil.which(argv[0]) is None:
            if argv[0] == "groff":
                raise SystemExit("groff is missing (scripts/deps.sh --test installs groff-base)")
            continue
        r = subprocess.run(argv, capture_output=True, text=True)
        if r.returncode or r.stdout.strip() or r.stderr.strip():
            lint += 1
            print("FAIL %s: %s" % (" ".join(argv[:-1]), (r.stdout + r.stderr).strip()))
    cases = examples(page)
    keys = fixture_keys()
    good, dead = keys["ACTIVE_A"], keys["DELETED"]

    root = tempfile.mkdtemp(prefix="ordoctor-man-")
    mock = None
    passed, failed = 0, lint
    try:
        home = os.path.join(root, "home")
        project = os.path.join(home, "project")
        os.makedirs(project)
        os.makedirs(os.path.join(home, "src"))
        bindir = os.path.join(root, "bin")
        os.makedirs(bindir)
        os.symlink(binary, os.path.join(bindir, "ordoctor"))
        with open(os.path.join(home, ".bashrc"), "w") as f:
            f.write("export OPENROUTER_API_KEY=%s\n" % good)
        with open(os.path.join(project, ".env"), "w") as f:
            f.write("OPENROUTER_API_KEY=%s\n" % dead)
        with open(os.path.join(home, "src", "old.py"), "w") as f:
            f.write('OPENROUTER_KEY = "%s"\n' % dead)
        keys_file = os.path.join(root, "mock-keys")
        with open(keys_file, "w") as f:
            f.write("%s active\n%s deleted\n" % (good, dead))
        mock_log = open(os.path.join(root, "mock.log"), "w")
        mock, url = start_mock(binary, keys_file, mock_log)

        env = {
            "PATH": bindir + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "LANG": "C.UTF-8",
            "TERM": "dumb",
            "NO_COLOR": "1",
            "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_STATE_HOME": os.path.join(home, ".local", "state"),
            "OPENROUTER_API_KEY": good,
            "ORDOCTOR_API_BASE": url + "/api/v1",
        }
        for no, cmd, want in cases:
            before = set(os.listdir(project))
            t0 = time.monotonic()
            try:
                r = subprocess.run(["sh", "-c", cmd], cwd=project, env=env, stdin=subprocess.DEVNULL,
                                   capture_output=True, timeout=60)
                rc, out = r.returncode, r.stdout + r.stderr
            except subprocess.TimeoutExpired as e:
                rc, out = "timeout", (e.stdout or b"") + (e.stderr or b"")
            # what the example wrote into the project counts as its output
            for name in sorted(set(os.listdir(project)) - before):
                with open(os.path.join(project, name), "rb") as f:
                    out += f.read()
                os.unlink(os.path.join(project, name))
            text = out.decode("utf-8", "replace")
            why = None
            if rc != want:
                why = "exit status %s, the man page says %d" % (rc, want)
            elif good in text or dead in text:
                why = "a key appears in full in the output"
            elif not text.strip():
                why = "printed nothing"
            if why:
                failed += 1
                shown = text.replace(good, "[KEY ACTIVE_A]").replace(dead, "[KEY DELETED]")
                print("FAIL line %d: %s: %s" % (no, cmd, why))
                print("".join("    " + l + "\n" for l in shown.splitlines()[:40]), end="")
            else:
                passed += 1
                print("ok   line %d: %s (exit %d, %.2fs)" % (no, cmd, rc, time.monotonic() - t0))
    finally:
        if mock:
            mock.terminate()
            mock.wait()
        shutil.rmtree(root, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
