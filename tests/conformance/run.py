#!/usr/bin/env python3
"""Conformance: which key do real tools send, and does `ordoctor tools --json`
predict it?

For each tool (installed by `npm ci` from package-lock.json) and each cell of
a matrix of generated homes (a fresh HOME, a project directory inside a git
repository as the working directory, `env -i` with only PATH, HOME and the
cell's variables), this script

  1. asks `ordoctor tools --json --offline` which key (fingerprint, source)
     the tool will send: the static prediction, taken BEFORE the tool starts
     (some tools migrate their stores when they start);
  2. runs the tool's one-shot command under
     `ordoctor run --json --upstream MOCK --listen 127.0.0.1:PORT -- CMD`
     with a timeout and no retries, against `ordoctor mock`;
  3. compares the fingerprint (or "no key") seen on the wire with the
     prediction, and the source the proxy matched with the predicted one.

Prints a table tool x cell (agree / DISAGREE / known / n/a) with a total per
tool, writes it to BUILD/conformance.txt, and exits 1 on a disagreement that
docs/profiles.md does not list under "Conformance: known disagreements".

Keys are passed through files and the environment only, never on a command
line; every output is checked for the fixture keys in full.

usage: tests/conformance/run.py [BUILD_DIR] [--jobs N] [--timeout S]
       [--tool ID[,ID]] [--cell NAME[,NAME]] [--keep] [-v]
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONF = os.path.join(TOP, 'tests', 'conformance')
NM = os.path.join(CONF, 'node_modules')
BIN = os.path.join(NM, '.bin')
EMPTY_FP = 'e3b0c44298fc'  # sha256("")

CELLS = ['env', 'store', 'env+store', 'stale-store', 'dotenv-home', 'dotenv-project',
         'dotenv-local', 'dotenv-gitroot', 'dotenv-app', 'store-names-var', 'empty-winner', 'placeholder', 'wrong-var',
         'wrong-base', 'project-config', 'two-headers']

# ---------------------------------------------------------------- the tools
# A cell is {'files': {PATH: TEXT}, 'env': {NAME: VALUE}} or a string (n/a,
# the reason).  PATH starts with H/ (the home), P/ (the project: the working
# directory) or G/ (the git root, the project's parent).  In texts and values
# @A@ and @B@ become two different live keys, @BASE@ the proxy's /api/v1 URL.

# why a cell is n/a where a tool's matrix leaves it out
NA = {'dotenv-app': 'an application cell: a CLI has no code of the user that loads a .env',
      'store-names-var': "the tool's store holds keys, not variable names"}

# the store holds a dead key (the mock answers 401 for it) and the shell a
# working one: run must name the stored key on the wire and say it is stale
STALE = ('tool_stale_stored_key', 'key_revoked_expired_or_unknown')


def lib_cells(var, wrong, reads_dotenv=(), base_var='OPENAI_BASE_URL'):
    """A library whose only key source is one environment variable."""
    c = {
        'env': {'env': {var: '@A@'}},
        'store': 'a library has no store of its own',
        'env+store': 'a library has no store of its own',
        'stale-store': 'a library has no store of its own',
        'dotenv-home': {'files': {'H/.env': '%s=@A@\n' % var}},
        'dotenv-project': {'files': {'P/.env': '%s=@A@\n' % var}},
        'dotenv-local': {'files': {'P/.env.local': '%s=@A@\n' % var}},
        'dotenv-gitroot': {'files': {'G/.env': '%s=@A@\n' % var}},
        # an application that loads its .env with dotenv (declared in its
        # package.json, preloaded the way `node -r dotenv/config app.js` does)
        'dotenv-app': {'files': {'P/.env': '%s=@A@\n' % var,
                                 'P/package.json': '{"dependencies": {"dotenv": "18.0.10"}}\n'},
                       'env': {'NODE_OPTIONS': '--require dotenv/config', 'DOTENV_CONFIG_QUIET': 'true'}},
        'empty-winner': {'env': {var: ''}},
        'placeholder': {'env': {var: '${%s}' % wrong}},
        'wrong-var': {'env': {wrong: '@A@'}},
        'wrong-base': {'env': {var: '@A@',
                               base_var: 'https://openrouter.ai/api/v1/chat/completions'}},
        'project-config': 'a library has no configuration file',
        'two-headers': 'one credential variable',
    }
    return c


def claude_cells():
    s = 'H/.claude/settings.json'
    return {
        'env': {'env': {'ANTHROPIC_AUTH_TOKEN': '@A@'}},
        'store': {'files': {s: '{"env": {"ANTHROPIC_AUTH_TOKEN": "@A@"}}\n'}},
        'env+store': {'files': {s: '{"env": {"ANTHROPIC_AUTH_TOKEN": "@A@"}}\n'},
                      'env': {'ANTHROPIC_AUTH_TOKEN': '@B@'}},
        'stale-store': {'files': {s: '{"env": {"ANTHROPIC_AUTH_TOKEN": "@D@"}}\n'},
                        'env': {'ANTHROPIC_AUTH_TOKEN': '@A@'}, 'cause': STALE},
        'dotenv-home': {'files': {'H/.env': 'ANTHROPIC_AUTH_TOKEN=@A@\n'}},
        'dotenv-project': {'files': {'P/.env': 'ANTHROPIC_AUTH_TOKEN=@A@\n'}},
        'dotenv-local': {'files': {'P/.env.local': 'ANTHROPIC_AUTH_TOKEN=@A@\n'}},
        'dotenv-gitroot': {'files': {'G/.env': 'ANTHROPIC_AUTH_TOKEN=@A@\n'}},
        'empty-winner': {'files': {s: '{"env": {"ANTHROPIC_AUTH_TOKEN": ""}}\n'},
                         'env': {'ANTHROPIC_AUTH_TOKEN': '@A@'}},
        'placeholder': {'files': {s: '{"env": {"ANTHROPIC_AUTH_TOKEN": "${OPENROUTER_API_KEY}"}}\n'}},
        'wrong-var': {'env': {'OPENROUTER_API_KEY': '@A@'}},
        'wrong-base': {'files': {s: '{"env": {"ANTHROPIC_BASE_URL": "https://openrouter.ai/api/v1"}}\n'},
                       'env': {'ANTHROPIC_AUTH_TOKEN': '@A@'}},
        # the project's settings beat the user's
        'project-config': {'files': {s: '{"env": {"ANTHROPIC_AUTH_TOKEN": "@B@"}}\n',
                                     'P/.claude/settings.json': '{"env": {"ANTHROPIC_AUTH_TOKEN": "@A@"}}\n'}},
        # ANTHROPIC_API_KEY next to the token: sent as x-api-key beside the Bearer
        'two-headers': {'env': {'ANTHROPIC_AUTH_TOKEN': '@A@', 'ANTHROPIC_API_KEY': '@B@'}},
    }


CODEX_TOML = '''model = "openai/gpt-4o-mini"
model_provider = "openrouter"

[model_providers.openrouter]
name = "OpenRouter"
base_url = "%s"
request_max_retries = 0
stream_max_retries = 0
%s
'''


def codex_cells():
    t = 'H/.codex/config.toml'
    good = CODEX_TOML % ('https://openrouter.ai/api/v1', 'env_key = "OPENROUTER_API_KEY"')
    return {
        'env': {'files': {t: good}, 'env': {'OPENROUTER_API_KEY': '@A@'}},
        'store': {'files': {t: good, 'H/.codex/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'env+store': {'files': {t: good, 'H/.codex/.env': 'OPENROUTER_API_KEY=@A@\n'},
                      'env': {'OPENROUTER_API_KEY': '@B@'}},
        'stale-store': {'files': {t: good, 'H/.codex/.env': 'OPENROUTER_API_KEY=@D@\n'},
                        'env': {'OPENROUTER_API_KEY': '@A@'}, 'cause': STALE},
        'dotenv-home': {'files': {t: good, 'H/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-project': {'files': {t: good, 'P/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-local': {'files': {t: good, 'P/.env.local': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-gitroot': {'files': {t: good, 'G/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'empty-winner': {'files': {t: good, 'H/.codex/.env': 'OPENROUTER_API_KEY=\n'},
                         'env': {'OPENROUTER_API_KEY': '@A@'}},
        'placeholder': {'files': {t: CODEX_TOML % ('https://openrouter.ai/api/v1',
                                                   'experimental_bearer_token = "$OPENROUTER_API_KEY"')}},
        'wrong-var': {'files': {t: good}, 'env': {'OPENROUTER_KEY': '@A@'}},
        'wrong-base': {'files': {t: CODEX_TOML % ('https://openrouter.ai/api/v1/chat/completions',
                                                  'env_key = "OPENROUTER_API_KEY"')},
                       'env': {'OPENROUTER_API_KEY': '@A@'}},
        # a .codex/config.toml in the project, trusted in ~/.codex/config.toml, naming another
        # env_key: the profile lists no project layer (its unconfirmed: line)
        'project-config': {'files': {t: good + '\n[projects."@PROJ@"]\ntrust_level = "trusted"\n',
                                     'P/.codex/config.toml': CODEX_TOML % (
            'https://openrouter.ai/api/v1', 'env_key = "OR_PROJECT_KEY"')},
            'env': {'OPENROUTER_API_KEY': '@A@', 'OR_PROJECT_KEY': '@B@'}},
        'two-headers': 'one credential per provider',
    }


def opencode_cells():
    a = 'H/.local/share/opencode/auth.json'
    c = 'H/.config/opencode/opencode.json'
    auth = '{"openrouter": {"type": "api", "key": "@A@"}}\n'
    return {
        'env': {'env': {'OPENROUTER_API_KEY': '@A@'}},
        'store': {'files': {a: auth}},
        'env+store': {'files': {a: auth}, 'env': {'OPENROUTER_API_KEY': '@B@'}},
        'stale-store': {'files': {a: auth.replace('@A@', '@D@')}, 'env': {'OPENROUTER_API_KEY': '@A@'},
                        'cause': STALE},
        'dotenv-home': {'files': {'H/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-project': {'files': {'P/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-local': {'files': {'P/.env.local': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-gitroot': {'files': {'G/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'empty-winner': {'files': {c: '{"provider": {"openrouter": {"options": {"apiKey": ""}}}}\n'},
                         'env': {'OPENROUTER_API_KEY': '@A@'}},
        'placeholder': {'files': {c: '{"provider": {"openrouter": {"options": {"apiKey": "{env:OPENROUTER_KEY}"}}}}\n',
                                  a: auth}},
        'wrong-var': {'env': {'OPENROUTER_KEY': '@A@'}},
        'wrong-base': {'files': {c: '{"provider": {"openrouter": {"options": {"baseURL": "https://openrouter.ai/api"}}}}\n'},
                       'env': {'OPENROUTER_API_KEY': '@A@'}},
        # a project opencode.json's apiKey beats auth.json
        'project-config': {'files': {a: auth.replace('@A@', '@B@'),
                                     'P/opencode.json': '{"provider": {"openrouter": {"options": {"apiKey": "@A@"}}}}\n'}},
        'two-headers': 'one credential per provider',
    }


CN_YAML = '''name: conformance
version: 1.0.0
schema: v1
models:
  - name: or
    provider: openrouter
    model: openai/gpt-4o-mini
    apiKey: %s
    apiBase: @BASE@/
    roles: [chat]
'''


def continue_cells():
    y = 'H/.continue/config.yaml'
    return {
        'env': {'files': {y: CN_YAML % '"${{ secrets.OPENROUTER_API_KEY }}"'},
                'env': {'OPENROUTER_API_KEY': '@A@'}},
        'store': {'files': {y: CN_YAML % '"@A@"'}},
        'env+store': {'files': {y: CN_YAML % '"@A@"'}, 'env': {'OPENROUTER_API_KEY': '@B@'}},
        'stale-store': {'files': {y: CN_YAML % '"@D@"'}, 'env': {'OPENROUTER_API_KEY': '@A@'},
                        'cause': STALE},
        'dotenv-home': {'files': {y: CN_YAML % '"${{ secrets.OPENROUTER_API_KEY }}"',
                                  'H/.continue/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-project': {'files': {y: CN_YAML % '"${{ secrets.OPENROUTER_API_KEY }}"',
                                     'P/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-local': {'files': {y: CN_YAML % '"${{ secrets.OPENROUTER_API_KEY }}"',
                                   'P/.env.local': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-gitroot': {'files': {y: CN_YAML % '"${{ secrets.OPENROUTER_API_KEY }}"',
                                     'G/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'empty-winner': {'files': {y: CN_YAML % '""'}, 'env': {'OPENROUTER_API_KEY': '@A@'}},
        'placeholder': {'files': {y: CN_YAML % '"${{ secrets.OPENROUTER_KEY }}"'}},
        'wrong-var': {'files': {y: CN_YAML % '"${{ secrets.OPENROUTER_API_KEY }}"'},
                      'env': {'OPENROUTER_KEY': '@A@'}},
        'wrong-base': 'the harness itself writes apiBase (no variable reaches cn): the cell would test the harness',
        'project-config': 'cn -p is given --config; workspace config blocks are not in the profile',
        'two-headers': 'one credential per model',
    }


CLINE_PROVIDERS = '''{"version": 1, "lastUsedProvider": "openrouter", "modes": {}, "providers": {"openrouter": {"settings": {"provider": "openrouter", %s"model": "openai/gpt-4o-mini", "baseUrl": "@BASE@"}, "updatedAt": "2026-01-01T00:00:00.000Z", "tokenSource": "manual"}}}
'''


def cline_cells():
    p = 'H/.cline/data/settings/providers.json'
    s = 'H/.cline/data/secrets.json'
    nokey = CLINE_PROVIDERS % ''
    return {
        'env': {'files': {p: nokey}, 'env': {'OPENROUTER_API_KEY': '@A@'}},
        'store': {'files': {p: CLINE_PROVIDERS % '"apiKey": "@A@", '}},
        'env+store': {'files': {p: CLINE_PROVIDERS % '"apiKey": "@A@", '},
                      'env': {'OPENROUTER_API_KEY': '@B@'}},
        'stale-store': {'files': {p: CLINE_PROVIDERS % '"apiKey": "@D@", '},
                        'env': {'OPENROUTER_API_KEY': '@A@'}, 'cause': STALE},
        'dotenv-home': {'files': {p: nokey, 'H/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-project': {'files': {p: nokey, 'P/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-local': {'files': {p: nokey, 'P/.env.local': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-gitroot': {'files': {p: nokey, 'G/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'empty-winner': {'files': {p: nokey, s: '{"openRouterApiKey": ""}\n'},
                         'env': {'OPENROUTER_API_KEY': '@A@'}},
        'placeholder': {'files': {p: CLINE_PROVIDERS % '"apiKey": "${OPENROUTER_API_KEY}", '}},
        'wrong-var': {'files': {p: nokey}, 'env': {'OPENROUTER_KEY': '@A@'}},
        'wrong-base': 'the harness itself writes baseUrl (no variable reaches cline): the cell would test the harness',
        'project-config': 'the Cline CLI has no project configuration file',
        'two-headers': 'one credential per provider',
    }


PI_MODELS = '{"providers": {"openrouter": {"baseUrl": "@BASE@"}}}\n'


def pi_cells():
    a = 'H/.pi/agent/auth.json'
    m = 'H/.pi/agent/models.json'
    auth = '{"openrouter": {"type": "api_key", "key": "%s"}}\n'
    return {
        'env': {'files': {m: PI_MODELS}, 'env': {'OPENROUTER_API_KEY': '@A@'}},
        'store': {'files': {m: PI_MODELS, a: auth % '@A@'}},
        'env+store': {'files': {m: PI_MODELS, a: auth % '@A@'}, 'env': {'OPENROUTER_API_KEY': '@B@'}},
        'stale-store': {'files': {m: PI_MODELS, a: auth % '@D@'}, 'env': {'OPENROUTER_API_KEY': '@A@'},
                        'cause': STALE},
        # auth.json's key names a variable: its value is sent
        'store-names-var': {'files': {m: PI_MODELS, a: auth % 'MY_OR_KEY'}, 'env': {'MY_OR_KEY': '@A@'}},
        'dotenv-home': {'files': {m: PI_MODELS, 'H/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-project': {'files': {m: PI_MODELS, 'P/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-local': {'files': {m: PI_MODELS, 'P/.env.local': 'OPENROUTER_API_KEY=@A@\n'}},
        'dotenv-gitroot': {'files': {m: PI_MODELS, 'G/.env': 'OPENROUTER_API_KEY=@A@\n'}},
        'empty-winner': {'files': {m: PI_MODELS, a: auth % ''}, 'env': {'OPENROUTER_API_KEY': '@A@'}},
        # a name that is not set is sent as written
        'placeholder': {'files': {m: PI_MODELS, a: auth % 'OPENROUTER_KEY'},
                        'env': {'OPENROUTER_API_KEY': '@A@'}},
        'wrong-var': {'files': {m: PI_MODELS}, 'env': {'OPENROUTER_KEY': '@A@'}},
        'wrong-base': 'the harness itself writes baseUrl (no variable reaches pi): the cell would test the harness',
        'project-config': 'pi keeps no key or base URL in project files',
        'two-headers': 'one credential per provider',
    }


def qwen_cells():
    s = 'H/.qwen/settings.json'
    auth = '{"security": {"auth": {"selectedType": "openai", "apiKey": "%s"}}}\n'
    k = 'OPENAI_API_KEY'
    return {
        'env': {'env': {k: '@A@'}},
        'store': {'files': {s: auth % '@A@'}},
        'env+store': {'files': {s: auth % '@A@'}, 'env': {k: '@B@'}},
        'stale-store': "the shell's OPENAI_API_KEY beats every key Qwen Code stores",
        'dotenv-home': {'files': {'H/.env': '%s=@A@\n' % k}},
        'dotenv-project': {'files': {'P/.env': '%s=@A@\n' % k, 'H/.qwen/.env': '%s=@B@\n' % k}},
        'dotenv-local': {'files': {'P/.env.local': '%s=@A@\n' % k}},
        'dotenv-gitroot': {'files': {'G/.env': '%s=@A@\n' % k}},
        # an empty export is filled from a .env (applied when unset or "")
        'empty-winner': {'files': {'H/.qwen/.env': '%s=@A@\n' % k}, 'env': {k: ''}},
        'placeholder': {'files': {s: auth % '${OPENROUTER_KEY}'}},
        'wrong-var': {'env': {'OPENROUTER_API_KEY': '@A@'}},
        'wrong-base': {'env': {k: '@A@', 'OPENAI_BASE_URL': 'https://openrouter.ai/api/v1/chat/completions'}},
        # the workspace settings beat the user's (folder trust is off by default)
        'project-config': {'files': {s: auth % '@B@', 'P/.qwen/settings.json': auth % '@A@'}},
        'two-headers': 'one credential per provider',
    }


SDK = ['node', os.path.join(CONF, 'clients', 'sdk.mjs')]

# id, profile id, npm package, command, extra environment, cells
TOOLS = [
    ('openai', 'openai-sdk', 'openai', SDK + ['openai'], {},
     lib_cells('OPENAI_API_KEY', 'OPENAI_KEY')),
    ('openrouter-sdk', 'openrouter-sdk', '@openrouter/sdk', SDK + ['openrouter-sdk'], {},
     lib_cells('OPENROUTER_API_KEY', 'OPENROUTER_KEY', base_var='OPENROUTER_BASE_URL')),
    ('ai-sdk', 'vercel-ai-sdk', '@openrouter/ai-sdk-provider', SDK + ['ai-sdk'], {},
     lib_cells('OPENROUTER_API_KEY', 'OPENROUTER_KEY')),
    ('langchain-openrouter', 'langchain', '@langchain/openrouter', SDK + ['langchain-openrouter'], {},
     lib_cells('OPENROUTER_API_KEY', 'OPENROUTER_KEY')),
    ('langchain-openai', 'openai-sdk', '@langchain/openai', SDK + ['langchain-openai'], {},
     lib_cells('OPENAI_API_KEY', 'OPENAI_KEY')),
    ('claude-code', 'claude-code', '@anthropic-ai/claude-code',
     [os.path.join(BIN, 'claude'), '-p', 'hi'],
     {'CLAUDE_CODE_MAX_RETRIES': '0', 'DISABLE_TELEMETRY': '1', 'DISABLE_AUTOUPDATER': '1',
      'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC': '1', 'API_TIMEOUT_MS': '20000'},
     claude_cells()),
    ('codex', 'codex', '@openai/codex',
     [os.path.join(BIN, 'codex'), 'exec', '--skip-git-repo-check', 'hi'],
     {'CODEX_DISABLE_UPDATE_CHECK': '1'}, codex_cells()),
    ('opencode', 'opencode', 'opencode-ai',
     [os.path.join(BIN, 'opencode'), 'run', '-m', 'openrouter/openai/gpt-4o-mini', 'hi'],
     {'OPENCODE_DISABLE_MODELS_FETCH': '1', 'OPENCODE_DISABLE_AUTOUPDATE': '1',
      'OPENCODE_DISABLE_LSP_DOWNLOAD': '1'}, opencode_cells()),
    ('pi', 'pi', '@mariozechner/pi-coding-agent',
     [os.path.join(BIN, 'pi'), '-p', '--provider', 'openrouter', '--model', 'openai/gpt-4o-mini',
      '--offline', '--no-session', '--no-tools', 'hi'],
     {'PI_OFFLINE': '1', 'PI_SKIP_VERSION_CHECK': '1', 'PI_TELEMETRY': '0'}, pi_cells()),
    ('qwen-code', 'qwen-code', '@qwen-code/qwen-code',
     [os.path.join(BIN, 'qwen'), '-p', 'hi', '--auth-type', 'openai', '-m', 'openai/gpt-4o-mini'],
     {'QWEN_USAGE_STATISTICS_ENABLED': 'false', 'QWEN_TELEMETRY_ENABLED': 'false',
      'QWEN_CODE_SKIP_UPDATE_CHECK_ONCE': 'true'}, qwen_cells()),
    ('crush', 'crush', '@charmland/crush', None, {},
     '@charmland/crush has no binary in the npm registry: its postinstall downloads it from '
     'github.com/charmbracelet/crush/releases, which this machine cannot reach'),
    ('continue', 'continue', '@continuedev/cli',
     [os.path.join(BIN, 'cn'), '-p', 'hi', '--config', '@HOME@/.continue/config.yaml'],
     {'CONTINUE_CLI_DISABLE_TELEMETRY': '1', 'CONTINUE_TELEMETRY_ENABLED': '0'}, continue_cells()),
    ('cline', 'cline', 'cline',
     [os.path.join(BIN, 'cline'), '--retries', '1', 'say hi'],
     {}, cline_cells()),
]

# ------------------------------------------------------------------ helpers

def fixture_keys():
    keys = {}
    with open(os.path.join(TOP, 'tests', 'fixtures', 'keys')) as f:
        for line in f:
            p = line.split()
            if len(p) == 2 and not line.startswith('#'):
                keys[p[0]] = p[1]
    return keys


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def known_disagreements():
    """(tool, cell) -> reason, from docs/profiles.md."""
    known = {}
    try:
        text = open(os.path.join(TOP, 'docs', 'profiles.md')).read()
    except OSError:
        return known
    m = re.search(r'^## Conformance: known disagreements\n(.*?)(?=^## |\Z)', text, re.M | re.S)
    if not m:
        return known
    for line in m.group(1).splitlines():
        cols = [c.strip() for c in line.strip().strip('|').split('|')]
        cols[:3] = [c.strip('`') for c in cols[:3]]
        if len(cols) >= 4 and cols[0] not in ('tool', '') and not set(cols[0]) <= set('-: '):
            known[(cols[0], cols[2])] = (cols[1], cols[3])
    return known


def kill_home_processes(home, spare=None):
    """The tool's processes, and daemons it left behind in their own
    session (the Cline CLI's hub): found by their HOME, ended by pid
    (ordoctor itself, `spare`, is left to print its summary)."""
    needle = ('HOME=' + home).encode() + b'\0'
    for pid in os.listdir('/proc'):
        if not pid.isdigit() or int(pid) in (os.getpid(), spare):
            continue
        try:
            with open('/proc/%s/environ' % pid, 'rb') as f:
                env = f.read()
        except OSError:
            continue
        if (b'\0' + env).find(b'\0' + needle) >= 0:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass


class Cell:
    def __init__(self, tool, cell, spec):
        self.tool, self.cell, self.spec = tool, cell, spec
        self.result, self.why, self.detail = 'n/a', '', ''


def subst(s, keys, base, home):
    proj = os.path.join(os.path.dirname(home), 'repo', 'proj')
    return (s.replace('@A@', keys['ACTIVE_A']).replace('@B@', keys['ACTIVE_B'])
            .replace('@D@', keys['DELETED'])
            .replace('@BASE@', base).replace('@HOME@', home).replace('@PROJ@', proj))


def describe_pred(t):
    k = t.get('key')
    if not k:
        return 'no key'
    src = k.get('source') or {}
    where = src.get('name') or ''
    if src.get('path'):
        where = '%s:%s' % (src['path'].split('/cell/')[-1], src.get('name') or '')
    return '%s from %s %s' % ('empty' if k['fingerprint'] == EMPTY_FP else k['fingerprint'],
                              src.get('kind'), where)


def same_source(a, b):
    if not a or not b:
        return a == b
    return (a.get('kind'), a.get('path'), a.get('name')) == (b.get('kind'), b.get('path'), b.get('name'))


def judge(c, pred, recs, adapter, base):
    """Compare the wire with the prediction; sets c.result and c.why."""
    pk = pred.get('key')
    summary = ((pred.get('verdict') or {}).get('summary') or '')
    reqs = [r for r in recs if 'event' not in r]
    creds = [r.get('credential') or {} for r in reqs]
    # Bearer and x-api-key both sent (Claude Code with ANTHROPIC_AUTH_TOKEN
    # and ANTHROPIC_API_KEY): the profile's chain is the Bearer one; the
    # x-api-key is told apart (format gap 11)
    extra = sorted({cr.get('fingerprint') for cr in creds if cr.get('header') == 'both'})
    creds = [dict(cr['bearer'], header='bearer') if cr.get('header') == 'both' and cr.get('bearer')
             else cr for cr in creds]
    sent = sorted({cr.get('fingerprint') for cr in creds
                   if cr.get('header') not in ('none', 'empty', None) and cr.get('fingerprint')})
    blank = any(cr.get('header') in ('none', 'empty') for cr in creds)
    wire = ('nothing reached the proxy' if not reqs else
            'sent %s' % ','.join(sent) if sent else 'sent no key')
    pdesc = describe_pred(pred)
    # an empty winner: `value` sends a blank credential; `error` stops before
    # sending; `none` does either (no credential reaches OpenRouter)
    rule = (pk or {}).get('empty_rule') or ('error' if 'before sending' in summary else 'value')
    if pk is None or (pk['fingerprint'] == EMPTY_FP and rule in ('error', 'none')):
        if not sent:
            return 'agree', 'predicted %s; %s' % (pdesc, wire)
        return 'DISAGREE', 'predicted %s; %s' % (pdesc, wire)
    if pk['fingerprint'] == EMPTY_FP:
        if reqs and not sent and blank:
            return 'agree', 'predicted an empty key sent; %s' % wire
        return 'DISAGREE', 'predicted an empty key sent; %s' % wire
    if not reqs:
        bsrc = pred.get('base_url_source') or {}
        if (not adapter and bsrc and bsrc.get('kind') not in ('env', None) and
                not (pred.get('base_url') or '').startswith(base)):
            return 'agree', ('predicted %s, base from %s (beats the variables run sets): '
                             'the tool bypasses the proxy; %s' % (pdesc, bsrc.get('kind'), wire))
        return 'DISAGREE', 'predicted %s; %s' % (pdesc, wire)
    if sent != [pk['fingerprint']]:
        return 'DISAGREE', 'predicted %s; %s' % (pdesc, wire)
    m = next((cr.get('matches') for cr in creds if cr.get('fingerprint') == pk['fingerprint']), None)
    if not same_source(m, pk.get('source')):
        return 'DISAGREE', 'same key %s, but the proxy matched it at %s, predicted %s' % (
            pk['fingerprint'], json.dumps(m), json.dumps(pk.get('source')))
    also = (pred.get('also_sent') or {}).get('fingerprint')
    if extra and extra == [also]:
        return 'agree', 'predicted and sent %s as Bearer, and %s as %s next to it' % (
            pdesc, also, pred['also_sent'].get('header'))
    if extra or also:
        sh = {x.get('fingerprint'): x.get('reason') for x in pred.get('shadowed') or []}
        return 'DISAGREE', ('predicted and sent %s as Bearer; also sent on the wire: %s; '
                            'tools --json: also_sent %s, shadowed (%s)' % (
                                pdesc, ','.join(extra) or 'nothing', also,
                                '; '.join(str(sh.get(e)) for e in extra)))
    return 'agree', 'predicted and sent %s' % pdesc


def run_cell(c, tooldef, args, ordoctor, mock, keys, keep_root):
    tid, prof, _pkg, cmd, xenv, _cells = tooldef
    root = tempfile.mkdtemp(prefix='conf-%s-%s.' % (tid, c.cell.replace('+', '_')), dir=keep_root)
    cell = os.path.join(root, 'cell')
    home = os.path.join(cell, 'home')
    git = os.path.join(cell, 'repo')
    proj = os.path.join(git, 'proj')
    for d in (home, os.path.join(git, '.git'), proj):
        os.makedirs(d)
    if cmd[0] == 'node':
        # a project that uses the library has it in node_modules (which is
        # how `ordoctor tools` tells that the library is present)
        os.symlink(NM, os.path.join(proj, 'node_modules'))
    port = free_port()
    base = 'http://127.0.0.1:%d/api/v1' % port
    for rel, text in (c.spec.get('files') or {}).items():
        top = {'H': home, 'P': proj, 'G': git}[rel[0]]
        path = os.path.join(top, rel[2:])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(subst(text, keys, base, home))
    env = {'PATH': os.pathsep.join([BIN, os.path.dirname(shutil.which('node') or '/usr/bin/node'),
                                    '/usr/bin', '/bin']),
           'HOME': home, 'NO_COLOR': '1'}
    env.update(xenv)
    for k, v in (c.spec.get('env') or {}).items():
        env[k] = subst(v, keys, base, home)
    # 1. the prediction, before the tool starts
    p = subprocess.run([ordoctor, 'tools', '--json', '--offline'], cwd=proj, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    outputs = [p.stdout, p.stderr]
    try:
        tools = json.loads(p.stdout)['tools']
        pred = next(t for t in tools if t['id'] == prof)
    except (ValueError, KeyError, StopIteration):
        c.result, c.why = 'DISAGREE', 'tools --json gave no answer for %s (exit %d)' % (prof, p.returncode)
        return c
    # 2. the tool, through the proxy
    argv = [ordoctor, 'run', '--json', '--tool', prof, '--upstream', mock,
            '--listen', '127.0.0.1:%d' % port, '--'] + [subst(a, keys, base, home) for a in cmd]
    t0 = time.time()
    proc = subprocess.Popen(argv, cwd=proj, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    timed_out = False
    try:
        out, err = proc.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        # end the tool (a wrapper may not pass SIGTERM on to the binary it
        # started); ordoctor then sees its child exit and prints what it saw
        kill_home_processes(home, spare=proc.pid)
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    kill_home_processes(home)
    outputs += [out, err]
    recs = []
    for line in out.decode('utf-8', 'replace').splitlines():
        if line.startswith('{') and '"schema"' in line:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if r.get('schema') == 'ordoctor.run/1':
                recs.append(r)
    adapter = b'with the run: lines of its profile' in err
    c.result, c.why = judge(c, pred, recs, adapter, base)
    want = c.spec.get('cause')
    if want and c.result == 'agree':
        # the dead key on the wire: run must say why it failed, from where
        got = sorted({r.get('cause') for r in recs if 'event' not in r and r.get('cause')})
        if not set(got) & set(want):
            c.result = 'DISAGREE'
            c.why += '; run named %s, expected one of %s' % (','.join(got) or 'no cause', ','.join(want))
        else:
            c.why += '; run: %s' % ','.join(got)
    c.detail = 'exit %d%s in %.0fs' % (proc.returncode, ' (timeout)' if timed_out else '', time.time() - t0)
    # 3. no full key in any output
    for o in outputs:
        for name, k in keys.items():
            if k.encode() in o:
                c.result, c.why = 'LEAK', 'a full fixture key (%s) appears in the output' % name
    with open(os.path.join(root, 'log'), 'wb') as f:
        for o in outputs:
            for name, k in keys.items():
                o = o.replace(k.encode(), ('[KEY %s]' % name).encode())
            f.write(o + b'\n----\n')
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    else:
        c.detail += ' ' + root
    return c


def version_of(pkg):
    try:
        return json.load(open(os.path.join(NM, pkg, 'package.json')))['version']
    except (OSError, ValueError, KeyError):
        return '-'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('build', nargs='?', default='build')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--timeout', type=float, default=60)
    ap.add_argument('--tool')
    ap.add_argument('--cell')
    ap.add_argument('--keep', action='store_true')
    ap.add_argument('-v', action='store_true')
    args = ap.parse_args()
    build = args.build if os.path.isabs(args.build) else os.path.join(TOP, args.build)
    ordoctor = os.path.join(build, 'ordoctor')
    if not os.access(ordoctor, os.X_OK):
        print('conformance: no binary %s' % ordoctor)
        return 2
    keys = fixture_keys()
    known = known_disagreements()
    tools = [t for t in TOOLS if not args.tool or t[0] in args.tool.split(',')]
    cells = [x for x in CELLS if not args.cell or x in args.cell.split(',')]
    tmp = tempfile.mkdtemp(prefix='conformance.')
    keep_root = tmp
    mockkeys = os.path.join(tmp, 'mock-keys')
    with open(mockkeys, 'w') as f:
        f.write('%s active\n%s active\n%s deleted\n' % (keys['ACTIVE_A'], keys['ACTIVE_B'],
                                                        keys['DELETED']))
    mockp = subprocess.Popen([ordoctor, 'mock', '--keys', mockkeys, '--listen', '127.0.0.1:0'],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={'PATH': '/usr/bin:/bin'})
    line = mockp.stdout.readline().decode()
    if not line.startswith('listening on '):
        print('conformance: the mock did not start')
        return 2
    mock = line.split()[-1]
    jobs, results = [], {}
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
            for t in tools:
                for cell in cells:
                    spec = t[5] if isinstance(t[5], str) or t[3] is None else t[5].get(cell, NA.get(cell, 'not in this tool'))
                    c = Cell(t[0], cell, spec)
                    results[(t[0], cell)] = c
                    if isinstance(spec, str):
                        c.result, c.why = 'n/a', spec
                        continue
                    jobs.append(ex.submit(run_cell, c, t, args, ordoctor, mock, keys, keep_root))
            for j in concurrent.futures.as_completed(jobs):
                c = j.result()
                if args.v:
                    print('%-22s %-15s %-8s %s [%s]' % (c.tool, c.cell, c.result, c.why, c.detail), flush=True)
    finally:
        mockp.terminate()
        mockp.wait()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    # known disagreements
    for (tid, cell), c in results.items():
        if c.result == 'DISAGREE' and (tid, cell) in known:
            c.result = 'known'
            c.why += ' -- known: ' + known[(tid, cell)][1]
    # the table
    short = {'agree': 'agree', 'DISAGREE': 'DISAGREE', 'known': 'known', 'n/a': 'n/a', 'LEAK': 'LEAK'}
    w = max(len(x) for x in cells) + 1
    lines = ['ordoctor conformance: the key each tool sent vs `ordoctor tools --json`',
             '', '%-21s %-9s ' % ('tool', 'version') + ' '.join('%-*s' % (w, x) for x in cells) + ' total']
    bad = 0
    for t in tools:
        row, ok, n = [], 0, 0
        for cell in cells:
            c = results[(t[0], cell)]
            row.append('%-*s' % (w, short[c.result]))
            if c.result != 'n/a':
                n += 1
                ok += c.result == 'agree'
            if c.result in ('DISAGREE', 'LEAK'):
                bad += 1
        tot = '%d/%d (%d%%)' % (ok, n, 100 * ok // n) if n else 'n/a'
        lines.append('%-21s %-9s ' % (t[0], version_of(t[2])) + ' '.join(row) + ' ' + tot)
    allok = sum(1 for c in results.values() if c.result == 'agree')
    alln = sum(1 for c in results.values() if c.result != 'n/a')
    lines.append('%-31s %d/%d cells agree (%d%%), %d known disagreement%s' % (
        'all tools', allok, alln, 100 * allok // alln if alln else 0,
        sum(1 for c in results.values() if c.result == 'known'),
        '' if sum(1 for c in results.values() if c.result == 'known') == 1 else 's'))
    lines += ['', 'details (everything but agree):']
    for t in tools:
        if isinstance(t[5], str) or t[3] is None:
            lines.append('  %s: n/a: %s' % (t[0], t[5] if isinstance(t[5], str) else 'not run'))
            continue
        for cell in cells:
            c = results[(t[0], cell)]
            if c.result != 'agree':
                lines.append('  %s / %s: %s: %s%s' % (t[0], cell, c.result, c.why,
                                                    (' [%s]' % c.detail) if c.detail else ''))
    # a listed disagreement whose cell now agrees is stale: the list must say
    # what the tools do today, so it fails the run like a disagreement
    stale = sorted(k for k, c in results.items() if k in known and c.result == 'agree')
    for tid, cell in stale:
        lines.append('  %s / %s: STALE: agrees now, but docs/profiles.md lists it as a known '
                     'disagreement: remove that row' % (tid, cell))
    bad += len(stale)
    lines.append('')
    lines.append('%d unexplained disagreement%s or stale rows' % (bad, '' if bad == 1 else 's'))
    text = '\n'.join(lines) + '\n'
    for k in keys.values():
        assert k not in text
    sys.stdout.write(text)
    try:
        with open(os.path.join(build, 'conformance.txt'), 'w') as f:
            f.write(text)
    except OSError:
        pass
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
