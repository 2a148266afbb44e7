#!/usr/bin/python3
"""Differential oracle for "this project" (lib/codescan*.c): small generated
apps, run for real against `ordoctor mock`, against what
`ordoctor tools --json --offline` predicts for the tool `project`.

  JavaScript  the real `openai` npm SDK (tests/differential/package.json,
              pinned) with npm dotenv (import "dotenv/config",
              require("dotenv").config({path, override})) and node --env-file
  Python      Debian's python3-dotenv (load_dotenv with and without a path
              and override=True, dotenv_values) and a stand-in client that
              reads the key the way the openai Python SDK does:
              openai/openai-python@02cf7cdbdb19:src/openai/_client.py
              OpenAI.__init__ (`if api_key is None: api_key =
              os.environ.get("OPENAI_API_KEY")`, OpenAIError when still None;
              base_url None -> OPENAI_BASE_URL -> https://api.openai.com/v1)
              and auth_headers (`Authorization: Bearer {api_key}`).  The SDK
              itself is not packaged by Debian and its key reading is those
              lines, so the stand-in is what runs; python-dotenv is real.

Each app sends one chat completion; the mock's request log gives the
fingerprint of the key on the wire (or none when the app stopped before
sending).  That is compared with the fingerprint ordoctor predicts for
`project` (or no key).  Prints one line:
  projectcode:   N inputs, N agree, N known differences, N disagreements
and every disagreement with the app; a disagreement listed in KNOWN
(`projectcode ID reason`) counts as known.  Exit status 1 on any other.

usage: tests/differential/projectcode.py [BUILD_DIR] [-v]
"""
import fnmatch
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
NM = os.path.join(HERE, "node_modules")

rng = random.Random(20261208)


def genkey():
    return "sk-or-v1-" + "".join(rng.choice("0123456789abcdef") for _ in range(64))


K1, K2, K3 = genkey(), genkey(), genkey()
KEYS = {"K1": K1, "K2": K2, "K3": K3}


def fp(v):
    return hashlib.sha256(v.encode()).hexdigest()[:12] if v is not None else None


NAMES = {fp(v): n for n, v in KEYS.items()}
EMPTY_FP = fp("")

# The stand-in for the openai Python SDK's key and base-URL reading (see above).
STANDIN = '''import json, os, urllib.request
class OpenAIError(Exception):
    pass
class _Completions:
    def __init__(self, c):
        self._c = c
    def create(self, **body):
        req = urllib.request.Request(self._c.base_url.rstrip("/") + "/chat/completions",
                                     data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": "Bearer %s" % self._c.api_key,
                                              "Content-Type": "application/json"})
        try:
            return urllib.request.urlopen(req, timeout=10).read()
        except urllib.error.HTTPError as e:
            return e.read()
class _Chat:
    def __init__(self, c):
        self.completions = _Completions(c)
class OpenAI:
    def __init__(self, *, api_key=None, base_url=None, **kw):
        if api_key is None:
            api_key = os.environ.get("OPENAI_API_KEY")
        if api_key is None:
            raise OpenAIError("The api_key client option must be set")
        self.api_key = api_key
        if base_url is None:
            base_url = os.environ.get("OPENAI_BASE_URL")
        if base_url is None:
            base_url = "https://api.openai.com/v1"
        self.base_url = str(base_url)
        self.chat = _Chat(self)
'''

JS_CALL = ('\nawait client.chat.completions.create({ model: "openai/gpt-4o-mini", max_tokens: 1,'
           ' messages: [{ role: "user", content: "hi" }] }).catch(() => {});\n')
PY_CALL = ('\nclient.chat.completions.create(model="openai/gpt-4o-mini", max_tokens=1,'
           ' messages=[{"role": "user", "content": "hi"}])\n')

# id: (language, {file: text}, environment, command).  @K1@ and @MOCK@ are
# filled in; "app.mjs"/"app.py" get the call appended.  The command is run in
# the project (work/); None: node app.mjs / python3 app.py.
JS_OR = ('import OpenAI from "openai";\n'
         'const client = new OpenAI({ apiKey: process.env.OPENROUTER_API_KEY, baseURL: "@MOCK@" });\n')
PY_OR = ('import os\nfrom openai import OpenAI\n%s'
         'client = OpenAI(api_key=os.getenv("OPENROUTER_API_KEY"), base_url="@MOCK@")\n')
CASES = {
    "js/dotenv-config": ("js", {"app.mjs": 'import "dotenv/config";\n' + JS_OR,
                                ".env": "OPENROUTER_API_KEY=@K1@\n"}, {}, None),
    "js/dotenv-config-env-wins": ("js", {"app.mjs": 'import "dotenv/config";\n' + JS_OR,
                                         ".env": "OPENROUTER_API_KEY=@K1@\n"},
                                  {"OPENROUTER_API_KEY": "@K2@"}, None),
    "js/config-override": ("js", {"app.mjs": 'import dotenv from "dotenv";\n'
                                             'dotenv.config({ override: true, quiet: true });\n' + JS_OR,
                                  ".env": "OPENROUTER_API_KEY=@K1@\n"},
                           {"OPENROUTER_API_KEY": "@K2@"}, None),
    "js/config-path": ("js", {"app.mjs": 'import { config } from "dotenv";\n'
                                         'config({ path: ".env.local", quiet: true });\n' + JS_OR,
                              ".env.local": "OPENROUTER_API_KEY=@K1@\n", ".env": "OPENROUTER_API_KEY=@K3@\n"},
                       {}, None),
    "js/no-dotenv": ("js", {"app.mjs": JS_OR, ".env": "OPENROUTER_API_KEY=@K1@\n"},
                     {"OPENAI_API_KEY": "@K3@"}, None),
    "js/unset-falls-back": ("js", {"app.mjs": JS_OR}, {"OPENAI_API_KEY": "@K2@"}, None),
    "js/default-variable": ("js", {"app.mjs": 'import OpenAI from "openai";\n'
                                              'const client = new OpenAI();\n'},
                            {"OPENAI_API_KEY": "@K2@", "OPENROUTER_API_KEY": "@K1@",
                             "OPENAI_BASE_URL": "@MOCK@"}, None),
    "js/comment-only": ("js", {"app.mjs": 'import OpenAI from "openai";\n'
                                          '// new OpenAI({ apiKey: process.env.OPENROUTER_API_KEY })\n'
                                          'const client = new OpenAI({ baseURL: "@MOCK@" });\n'},
                        {"OPENAI_API_KEY": "@K2@", "OPENROUTER_API_KEY": "@K1@"}, None),
    "js/literal": ("js", {"app.mjs": 'import OpenAI from "openai";\n'
                                     'const client = new OpenAI({ apiKey: "@K1@", baseURL: "@MOCK@" });\n'},
                   {"OPENROUTER_API_KEY": "@K2@"}, None),
    "js/named-variable": ("js", {"app.mjs": 'import "dotenv/config";\nimport OpenAI from "openai";\n'
                                            'const apiKey = process.env["OPENROUTER_API_KEY"];\n'
                                            'const client = new OpenAI({ apiKey, baseURL: `@MOCK@` });\n',
                                 ".env": "OPENROUTER_API_KEY=@K1@\n"}, {}, None),
    "js/env-file": ("js", {"app.mjs": JS_OR, ".env.local": "OPENROUTER_API_KEY=@K1@\n",
                           "package.json": '{"type": "module", "scripts": {"start": '
                                           '"node --env-file=.env.local app.mjs"}}\n'},
                    {"OPENROUTER_API_KEY": "@K2@"}, ["node", "--env-file=.env.local", "app.mjs"]),
    "js/env-file-only-file": ("js", {"app.mjs": JS_OR, ".env.local": "OPENROUTER_API_KEY=@K1@\n",
                                     "package.json": '{"scripts": {"start": '
                                                     '"node --env-file=.env.local app.mjs"}}\n'},
                              {}, ["node", "--env-file=.env.local", "app.mjs"]),
    "js/empty-variable": ("js", {"app.mjs": JS_OR}, {"OPENROUTER_API_KEY": "", "OPENAI_API_KEY": "@K3@"}, None),
    "js/nullish-chain": ("js", {"app.mjs": 'import OpenAI from "openai";\n'
                                           'const client = new OpenAI({ apiKey: process.env.OR_KEY ??'
                                           ' process.env.OPENROUTER_API_KEY, baseURL: "@MOCK@" });\n'},
                         {"OPENROUTER_API_KEY": "@K1@"}, None),
    "py/empty-variable": ("py", {"app.py": PY_OR % ""}, {"OPENROUTER_API_KEY": "", "OPENAI_API_KEY": "@K3@"}, None),
    "py/empty-dotenv-override": ("py", {"app.py": PY_OR % "from dotenv import load_dotenv\n"
                                                          "load_dotenv(override=True)\n",
                                        ".env": "OPENROUTER_API_KEY=\n"},
                                 {"OPENROUTER_API_KEY": "@K2@"}, None),
    "py/load-dotenv-shell-wins": ("py", {"app.py": PY_OR % "from dotenv import load_dotenv\nload_dotenv()\n",
                                         ".env": "OPENROUTER_API_KEY=@K1@\n"},
                                  {"OPENROUTER_API_KEY": "@K2@"}, None),
    "py/load-dotenv-override": ("py", {"app.py": PY_OR % "from dotenv import load_dotenv\n"
                                                          "load_dotenv(override=True)\n",
                                       ".env": "OPENROUTER_API_KEY=@K1@\n"},
                                {"OPENROUTER_API_KEY": "@K2@"}, None),
    "py/load-dotenv-file-only": ("py", {"app.py": PY_OR % "from dotenv import load_dotenv\nload_dotenv()\n",
                                        ".env": "OPENROUTER_API_KEY=@K1@\n"}, {}, None),
    "py/load-dotenv-path": ("py", {"app.py": PY_OR % 'import dotenv\ndotenv.load_dotenv(".env.prod")\n',
                                   ".env.prod": "OPENROUTER_API_KEY=@K1@\n", ".env": "OPENROUTER_API_KEY=@K3@\n"},
                            {}, None),
    "py/find-dotenv-upward": ("py", {"svc/bot/app.py": PY_OR % "from dotenv import load_dotenv\nload_dotenv()\n",
                                     "svc/.env": "OPENROUTER_API_KEY=@K1@\n", ".env": "OPENROUTER_API_KEY=@K3@\n"},
                              {}, ["python3", "svc/bot/app.py"]),
    "py/no-dotenv": ("py", {"app.py": PY_OR % "", ".env": "OPENROUTER_API_KEY=@K1@\n"}, {}, None),
    "py/getenv-unset-falls-back": ("py", {"app.py": PY_OR % ""}, {"OPENAI_API_KEY": "@K3@"}, None),
    "py/environ-subscript-unset": ("py", {"app.py": 'import os\nfrom openai import OpenAI\n'
                                                    'client = OpenAI(api_key=os.environ["OPENROUTER_API_KEY"],'
                                                    ' base_url="@MOCK@")\n'},
                                   {"OPENAI_API_KEY": "@K3@"}, None),
    "py/default-variable": ("py", {"app.py": "from openai import OpenAI\nclient = OpenAI()\n"},
                            {"OPENAI_API_KEY": "@K2@", "OPENAI_BASE_URL": "@MOCK@"}, None),
    "py/dotenv-values": ("py", {"app.py": 'from dotenv import dotenv_values\nfrom openai import OpenAI\n'
                                          'config = dotenv_values(".env.shared")\n'
                                          'client = OpenAI(api_key=config["OPENROUTER_API_KEY"], base_url="@MOCK@")\n',
                                ".env.shared": "OPENROUTER_API_KEY=@K1@\n"},
                         {"OPENROUTER_API_KEY": "@K2@"}, None),
    "py/literal": ("py", {"app.py": 'from openai import OpenAI\n'
                                    '# api_key=os.getenv("OPENROUTER_API_KEY")\n'
                                    'client = OpenAI(api_key="@K1@", base_url="@MOCK@")\n'},
                   {"OPENROUTER_API_KEY": "@K2@"}, None),
}


def subst(s, mock):
    for n, v in KEYS.items():
        s = s.replace("@%s@" % n, v)
    return s.replace("@MOCK@", mock)


def known_rules():
    rules = []
    with open(os.path.join(HERE, "KNOWN")) as f:
        for line in f:
            parts = line.split(None, 2)
            if len(parts) == 3 and parts[0] == "projectcode":
                rules.append((parts[1], parts[2].strip()))
    return rules


def predict(binary, work, env):
    p = subprocess.run([binary, "tools", "--json", "--offline"], cwd=work, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=30)
    for t in json.loads(p.stdout)["tools"]:
        if t["id"] == "project":
            got = (t.get("key") or {}).get("fingerprint")
            # an empty winner under the profile's `empty: none`: no credential
            # arrives (openai-node throws, the Python client sends "Bearer ")
            return (None if got == EMPTY_FP else got), t.get("present_because", "")
    return None, ""


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    build = os.path.abspath(args[0] if args else os.path.join(TOP, "build"))
    binary = os.path.join(build, "ordoctor")
    if not os.path.isdir(os.path.join(NM, "openai")) or not os.path.isdir(os.path.join(NM, "dotenv")):
        print("projectcode: no %s/openai (run tests/differential/run.sh, which installs it)" % NM)
        return 1
    tmp = tempfile.mkdtemp(prefix="projectcode.")
    keysfile = os.path.join(tmp, "mock-keys")
    log = os.path.join(tmp, "requests.jsonl")
    with open(keysfile, "w") as f:
        f.write("".join("%s active\n" % v for v in KEYS.values()))
    mockp = subprocess.Popen([binary, "mock", "--keys", keysfile, "--listen", "127.0.0.1:0",
                              "--request-log", log], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin"})
    line = mockp.stdout.readline().decode()
    if not line.startswith("listening on "):
        print("projectcode: the mock did not start")
        return 1
    mock = line.split()[-1] + "/api/v1"
    standin = os.path.join(tmp, "standin")
    os.makedirs(standin)
    with open(os.path.join(standin, "openai.py"), "w") as f:
        f.write(STANDIN)
    rules = known_rules()
    n = agree = known = 0
    bad = []
    try:
        for cid, (lang, files, cenv, cmd) in CASES.items():
            root = os.path.join(tmp, cid.replace("/", "-"))
            home, work = os.path.join(root, "home"), os.path.join(root, "work")
            os.makedirs(os.path.join(work, ".git"))
            os.makedirs(home)
            for rel, text in files.items():
                if rel in ("app.mjs", "app.py") or rel.endswith("/app.py"):
                    text += JS_CALL if lang == "js" else PY_CALL
                p = os.path.join(work, rel)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "w") as f:
                    f.write(subst(text, mock))
            if lang == "js":
                os.symlink(NM, os.path.join(work, "node_modules"))
            env = {"HOME": home, "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
            env.update({k: subst(v, mock) for k, v in cenv.items()})
            want, why = predict(binary, work, env)
            run_env = dict(env)
            if lang == "py":
                run_env["PYTHONPATH"] = standin
            cmd = cmd or (["node", "app.mjs"] if lang == "js" else ["/usr/bin/python3", "app.py"])
            if cmd[0] == "python3":
                cmd = ["/usr/bin/python3"] + cmd[1:]
            before = os.path.getsize(log) if os.path.exists(log) else 0
            r = subprocess.run(cmd, cwd=work, env=run_env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=60)
            sent = []
            if os.path.exists(log):
                with open(log, "rb") as f:
                    f.seek(before)
                    for ln in f.read().decode().splitlines():
                        rec = json.loads(ln)
                        if rec.get("fingerprint"):
                            sent.append(rec["fingerprint"])
            got = sent[0] if len(set(sent)) == 1 else None if not sent else "several"
            n += 1
            show = lambda x: "no key" if x is None else NAMES.get(x, x)
            if got == want:
                agree += 1
                if verbose:
                    print("agree %-28s %s" % (cid, show(got)))
                continue
            rule = next((why_ for sel, why_ in rules if fnmatch.fnmatchcase(cid, sel)), None)
            known += rule is not None
            err = r.stderr.decode(errors="replace").strip().splitlines()
            bad.append((cid, show(got), show(want), why, err[-1] if err else "", rule))
    finally:
        mockp.terminate()
        mockp.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    for cid, got, want, why, err, rule in bad:
        print("%s %s: the app sent %s, ordoctor predicts %s" % ("known" if rule else "DISAGREE", cid, got, want))
        print("    ordoctor: %s" % why)
        if err:
            print("    app stderr: %s" % err[:200])
        if rule:
            print("    known: %s" % rule)
    print("%-14s %d inputs, %d agree, %d known differences, %d disagreements" %
          ("projectcode:", n, agree, known, len(bad) - known))
    return 1 if len(bad) > known else 0


if __name__ == "__main__":
    sys.exit(main())
