#!/usr/bin/env python3
"""Start contexts against the real shells: for generated homes (Debian's
default ~/.bashrc with its interactive-only guard, ~/.profile sourcing it or
not, ~/.bash_profile taking precedence, Debian's own /etc/skel files, [ -z "$PS1" ] && return; zsh's
.zshenv/.zprofile/.zshrc with ZDOTDIR set in ~/.zshenv or in the
environment; fish's config.fish and its universal variables, written by the
real fish with `set -Ux` / `set -U`), runs `bash -ic`, `bash -lc`,
`bash -c`, `dash -c`, `zsh -ic`, `zsh -lic`, `zsh -c` and `fish -c` in
`env -i` with that HOME, prints their environment (`env`, so a variable
the shell has but does not export does not count), and compares the
fingerprint of OPENROUTER_API_KEY there with
`ordoctor env OPENROUTER_API_KEY --json`.

Where ordoctor says "unknown" (it cannot tell from files), that is counted
apart, never as agreement: the homes built for it check that it says
unknown rather than guessing.

usage: tests/differential/startctx.py BUILD_DIR
Ends with "N agree, N disagree, N unknown as expected"; exits 1 on a
disagreement or on an unexpected "unknown"."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

A = 'sk-or-v1-' + 'a1' * 32
B = 'sk-or-v1-' + 'b2' * 32
GUARD = 'case $- in\n    *i*) ;;\n      *) return;;\nesac\n'
PROFILE_SOURCING = ('if [ -n "$BASH_VERSION" ]; then\n    if [ -f "$HOME/.bashrc" ]; then\n'
                    '        . "$HOME/.bashrc"\n    fi\nfi\n')

# name -> (files, extra environment, fish commands run first, contexts expected unknown)
HOMES = {
    'debian-guard': ({'.bashrc': GUARD + 'export OPENROUTER_API_KEY=%s\n' % A, '.profile': PROFILE_SOURCING},),
    'above-guard': ({'.bashrc': 'export OPENROUTER_API_KEY=%s\n' % A + GUARD, '.profile': PROFILE_SOURCING},),
    'ps1-guard': ({'.bashrc': '[ -z "$PS1" ] && return\nexport OPENROUTER_API_KEY=%s\n' % A},),
    'profile-only': ({'.profile': 'export OPENROUTER_API_KEY=%s\n' % B},),
    'bash-profile-wins': ({'.bash_profile': 'export OPENROUTER_API_KEY=%s\n' % A,
                           '.profile': 'export OPENROUTER_API_KEY=%s\n' % B},),
    'profile-then-bashrc': ({'.profile': 'export OPENROUTER_API_KEY=%s\n' % B + PROFILE_SOURCING,
                             '.bashrc': GUARD + 'export OPENROUTER_API_KEY=%s\n' % A},),
    'zsh': ({'.zshrc': 'export OPENROUTER_API_KEY=%s\n' % A, '.zshenv': 'export OPENROUTER_API_KEY=%s\n' % B},),
    'zsh-zprofile': ({'.zprofile': 'export OPENROUTER_API_KEY=%s\n' % A},),
    'zsh-zlogin-after-zshrc': ({'.zlogin': 'export OPENROUTER_API_KEY=%s\n' % B,
                                '.zshrc': 'export OPENROUTER_API_KEY=%s\n' % A},),
    'zsh-zdotdir-in-zshenv': ({'.zshenv': 'export ZDOTDIR="$HOME/.config/zsh"\n',
                               '.config/zsh/.zshrc': 'export OPENROUTER_API_KEY=%s\n' % A,
                               '.config/zsh/.zprofile': 'export OPENROUTER_API_KEY=%s\n' % B,
                               '.zshrc': 'export OPENROUTER_API_KEY=%s\n' % B},),
    'zsh-zdotdir-tilde': ({'.zshenv': 'ZDOTDIR=~/zdot\n', 'zdot/.zshrc': 'export OPENROUTER_API_KEY=%s\n' % A},),
    'zsh-zdotdir-env': ({'zdot/.zshenv': 'export OPENROUTER_API_KEY=%s\n' % A,
                         '.zshenv': 'export OPENROUTER_API_KEY=%s\n' % B}, {'ZDOTDIR': '@HOME@/zdot'}),
    'zsh-zdotdir-command': ({'.zshenv': 'export ZDOTDIR="$(printf %s "$HOME")/zd"\n',
                             'zd/.zshrc': 'export OPENROUTER_API_KEY=%s\n' % A}, {}, [], {'zsh', 'zsh-login'}),
    'fish': ({'.config/fish/config.fish': 'set -gx OPENROUTER_API_KEY %s\n' % A},),
    'fish-universal-exported': ({}, {}, ['set -Ux OPENROUTER_API_KEY %s' % A]),
    'fish-universal-unexported': ({}, {}, ['set -U OPENROUTER_API_KEY %s' % A]),
    'fish-global-hides-universal': ({'.config/fish/config.fish': 'set -gx OPENROUTER_API_KEY %s\n' % B},
                                    {}, ['set -Ux OPENROUTER_API_KEY %s' % A]),
    'fish-confd': ({'.config/fish/conf.d/10-or.fish': 'set -gx OPENROUTER_API_KEY %s\n' % A},
                   {}, ['set -Ux OPENROUTER_API_KEY %s' % B]),
}

# Debian's own default files (bash's /etc/skel), when this machine has them
if os.path.exists('/etc/skel/.bashrc') and os.path.exists('/etc/skel/.profile'):
    with open('/etc/skel/.bashrc') as f_:
        _bashrc = f_.read()
    with open('/etc/skel/.profile') as f_:
        _profile = f_.read()
    HOMES['debian-skel'] = ({'.bashrc': _bashrc + 'export OPENROUTER_API_KEY=%s\n' % A, '.profile': _profile},)
    HOMES['debian-skel-profile'] = ({'.bashrc': _bashrc, '.profile': _profile + 'export OPENROUTER_API_KEY=%s\n' % B},)

# context id in `ordoctor env --json` -> the real commands
SHELLS = [
    ('bash', ['bash', '-ic']),
    ('bash-lc', ['bash', '-lc']),
    ('bash-c', ['bash', '-c']),
    ('bash-c', ['dash', '-c']),
    ('zsh', ['zsh', '-ic']),
    ('zsh-login', ['zsh', '-lic']),
    ('zsh-c', ['zsh', '-c']),
    ('fish', ['fish', '-c']),
]


def fp(v):
    return hashlib.sha256(v.encode()).hexdigest()[:12] if v else None


def seen_by(cmd, cwd, env):
    r = subprocess.run(cmd + ['env'], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=30)
    for line in r.stdout.decode('utf-8', 'replace').splitlines():
        if line.startswith('OPENROUTER_API_KEY='):
            return fp(line.split('=', 1)[1])
    return None


def main():
    binary = os.path.join(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else 'build'), 'ordoctor')
    agree = disagree = unknown = 0
    for name, spec in HOMES.items():
        files, extra, fish_setup, want_unknown = (tuple(spec) + ({}, [], set()))[:4]
        root = tempfile.mkdtemp(prefix='startctx.')
        home = os.path.join(root, 'home')
        os.makedirs(home)
        for rel, text in files.items():
            p = os.path.join(home, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, 'w') as f:
                f.write(text)
        env = {'HOME': home, 'PATH': '/usr/bin:/bin', 'TERM': 'dumb'}
        env.update({k: v.replace('@HOME@', home) for k, v in extra.items()})
        if fish_setup:
            if not shutil.which('fish'):
                shutil.rmtree(root, ignore_errors=True)
                continue
            # the real fish writes its own fish_variables (not with --no-config)
            subprocess.run(['fish', '-c', '; '.join(fish_setup)], env=env,
                           stdin=subprocess.DEVNULL, check=True, timeout=30)
        out = subprocess.run([binary, 'env', 'OPENROUTER_API_KEY', '--json'], cwd=root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        pred = {c['id']: c for c in json.loads(out.stdout)['variables'][0]['contexts']}
        for ctx, cmd in SHELLS:
            if not shutil.which(cmd[0]):
                continue
            p = pred.get(ctx, {})
            if p.get('unknown'):
                if ctx in want_unknown:
                    unknown += 1
                else:
                    disagree += 1
                    print('UNEXPECTED UNKNOWN %s / %s' % (name, ' '.join(cmd)))
                continue
            seen = seen_by(cmd, root, env)
            if ctx in want_unknown:
                disagree += 1
                print('GUESSED %s / %s: ordoctor env says %s where it cannot know' % (
                    name, ' '.join(cmd), p.get('fingerprint') or 'unset'))
            elif seen == p.get('fingerprint'):
                agree += 1
            else:
                disagree += 1
                print('DISAGREE %s / %s: the shell sees %s, ordoctor env says %s' % (
                    name, ' '.join(cmd), seen or 'unset', p.get('fingerprint') or 'unset'))
        shutil.rmtree(root, ignore_errors=True)
    print('start contexts: %d agree, %d disagree, %d unknown as expected' % (agree, disagree, unknown))
    return 1 if disagree else 0


if __name__ == '__main__':
    sys.exit(main())
