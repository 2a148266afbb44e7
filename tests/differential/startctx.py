#!/usr/bin/env python3
"""Start contexts against the real shells: for generated homes (Debian's
default ~/.bashrc with its interactive-only guard, ~/.profile sourcing it or
not, ~/.bash_profile taking precedence, [ -z "$PS1" ] && return, zsh and fish
files), runs `bash -ic`, `bash -lc`, `bash -c`, `zsh -ic` and `fish -c` in
`env -i` with that HOME and compares the fingerprint each one sees of
OPENROUTER_API_KEY with `ordoctor env OPENROUTER_API_KEY --json`.

usage: tests/differential/startctx.py BUILD_DIR
Ends with "N agree, N disagree"; exits 1 on a disagreement."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
A = 'sk-or-v1-' + 'a1' * 32
B = 'sk-or-v1-' + 'b2' * 32
GUARD = 'case $- in\n    *i*) ;;\n      *) return;;\nesac\n'
PROFILE_SOURCING = ('if [ -n "$BASH_VERSION" ]; then\n    if [ -f "$HOME/.bashrc" ]; then\n'
                    '        . "$HOME/.bashrc"\n    fi\nfi\n')

HOMES = {
    'debian-guard': {'.bashrc': GUARD + 'export OPENROUTER_API_KEY=%s\n' % A, '.profile': PROFILE_SOURCING},
    'above-guard': {'.bashrc': 'export OPENROUTER_API_KEY=%s\n' % A + GUARD, '.profile': PROFILE_SOURCING},
    'ps1-guard': {'.bashrc': '[ -z "$PS1" ] && return\nexport OPENROUTER_API_KEY=%s\n' % A},
    'profile-only': {'.profile': 'export OPENROUTER_API_KEY=%s\n' % B},
    'bash-profile-wins': {'.bash_profile': 'export OPENROUTER_API_KEY=%s\n' % A,
                          '.profile': 'export OPENROUTER_API_KEY=%s\n' % B},
    'profile-then-bashrc': {'.profile': 'export OPENROUTER_API_KEY=%s\n' % B + PROFILE_SOURCING,
                            '.bashrc': GUARD + 'export OPENROUTER_API_KEY=%s\n' % A},
    'zsh': {'.zshrc': 'export OPENROUTER_API_KEY=%s\n' % A, '.zshenv': 'export OPENROUTER_API_KEY=%s\n' % B},
    'fish': {'.config/fish/config.fish': 'set -gx OPENROUTER_API_KEY %s\n' % A},
}

# context name in `ordoctor env` -> the real command (None: the shell is missing)
SHELLS = {
    'bash, a terminal': ['bash', '-ic'],
    'bash -lc CMD': ['bash', '-lc'],
    'bash -c CMD, sh -c CMD': ['bash', '-c'],
    'zsh, a terminal': ['zsh', '-ic'],
    'fish, a terminal': ['fish', '-c'],
}


def fp(v):
    return hashlib.sha256(v.encode()).hexdigest()[:12] if v else None


def main():
    binary = os.path.join(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else 'build'), 'ordoctor')
    agree = disagree = 0
    for name, files in HOMES.items():
        root = tempfile.mkdtemp(prefix='startctx.')
        home = os.path.join(root, 'home')
        for rel, text in files.items():
            p = os.path.join(home, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, 'w') as f:
                f.write(text)
        env = {'HOME': home, 'PATH': '/usr/bin:/bin', 'TERM': 'dumb'}
        out = subprocess.run([binary, 'env', 'OPENROUTER_API_KEY', '--json'], cwd=root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        pred = {c['context']: c.get('fingerprint') for c in json.loads(out.stdout)['variables'][0]['contexts']}
        for ctx, cmd in SHELLS.items():
            if not shutil.which(cmd[0]):
                continue
            script = 'printf %s "$OPENROUTER_API_KEY"'
            r = subprocess.run(cmd + [script], cwd=root, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=30)
            seen = fp(r.stdout.decode('utf-8', 'replace').strip())
            if seen == pred.get(ctx):
                agree += 1
            else:
                disagree += 1
                print('DISAGREE %s / %s: the shell sees %s, ordoctor env says %s' % (
                    name, ctx, seen or 'unset', pred.get(ctx) or 'unset'))
        shutil.rmtree(root, ignore_errors=True)
    print('start contexts: %d agree, %d disagree' % (agree, disagree))
    return 1 if disagree else 0


if __name__ == '__main__':
    sys.exit(main())
