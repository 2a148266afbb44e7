#!/usr/bin/python3
"""Differential oracles: ordoctor's own parsers against the real loaders.

  dotenv   lib/dotenv.c    vs python-dotenv (Debian python3-dotenv), npm
                           dotenv's parse() and `node --env-file`; and
                           discovery of a .env (${X} expanded, lib/discover.c)
                           vs python-dotenv's default, interpolating reading
  rc       the startup-file simulation (lib/rcfile*.c through
           ord_discover_rc)    vs bash, zsh, dash and fish sourcing the file
                           in an `env -i` sandbox with a temporary HOME
  toml     lib/cfg_toml.c  vs Python's tomllib
  json5    lib/cfg_json.c (JSON5) vs npm json5

ordoctor's reading comes from build/tests/ord-parse (tests/differential/
ord-parse.c).  Inputs: the cases generated below, the fuzz corpora of
tests/fuzz/corpus/<target>/ (for the shells, the hand-written rcfile corpus,
run in the sandbox) and, for TOML and JSON5, 300 mutants of those (fixed
seed).  Every key-looking value is generated here (sk-or-v1- + 64 hex from a
fixed seed) and is shown redacted in reports.

Each disagreement is printed with the input, ordoctor's reading and the
loader's; one listed in tests/differential/KNOWN (ORACLE SELECTOR reason) is
counted as a known difference.  A SELECTOR is a glob over input ids
("gen:dotenv/backtick*", "corpus:dotenv/bom.env") or "trait:NAME", where the
traits are computed below (see traits()).  Exit status 1 when any
disagreement is not known.

usage: tests/differential/run.py [BUILD_DIR] [-v] [--only dotenv,rc,toml,json5]
(tests/differential/run.sh first installs the npm loaders; make differential)
"""
import concurrent.futures as cf
import datetime
import fnmatch
import hashlib
import json
import logging
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(TOP, "tests", "fuzz", "corpus")

rng = random.Random(20261207)


def genkey():
    return "sk-or-v1-" + "".join(rng.choice("0123456789abcdef") for _ in range(64))


K1, K2, K3 = genkey(), genkey(), genkey()
KEYRE = re.compile(rb"sk-or-v1-[0-9a-f]{64}")


def redact(b):
    """bytes or str -> printable, keys shortened to prefix + fingerprint"""
    if b is None:
        return "(unset)"
    if isinstance(b, str):
        try:
            b = b.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a lone surrogate from a JSON escape
            b = b.encode("utf-8", "backslashreplace")

    def one(m):
        fp = hashlib.sha256(m.group(0)).hexdigest()[:12]
        return b"<key " + m.group(0)[9:13] + b"..." + m.group(0)[-4:] + b" fp " + fp.encode() + b">"

    return repr(KEYRE.sub(one, b))[1:]


def sub(s):
    return s.replace("@K1@", K1).replace("@K2@", K2).replace("@K3@", K3).encode()


# ---------------------------------------------------------------- inputs --

DOTENV_CASES = {
    "plain": "OPENROUTER_API_KEY=@K1@\n",
    "export": "export OPENROUTER_API_KEY=@K1@\n",
    "export-tab": "export\tOPENROUTER_API_KEY=@K1@\n",
    "double": 'OPENROUTER_API_KEY="@K1@"\n',
    "single": "OPENROUTER_API_KEY='@K1@'\n",
    "backtick": "OPENROUTER_API_KEY=`@K1@`\n",
    "spaces-around-eq": "OPENROUTER_API_KEY = @K1@\n",
    "space-before-eq": "OPENROUTER_API_KEY =@K1@\n",
    "space-after-eq": "OPENROUTER_API_KEY= @K1@\n",
    "trailing-space": "OPENROUTER_API_KEY=@K1@   \n",
    "trailing-tab": "OPENROUTER_API_KEY=@K1@\t\n",
    "leading-space": "   OPENROUTER_API_KEY=@K1@\n",
    "inline-comment": "OPENROUTER_API_KEY=@K1@ # prod\n",
    "inline-hash-nospace": "OPENROUTER_API_KEY=@K1@#prod\n",
    "inline-comment-double": 'OPENROUTER_API_KEY="@K1@" # prod\n',
    "inline-comment-single": "OPENROUTER_API_KEY='@K1@' # prod\n",
    "hash-in-double": 'OPENROUTER_API_KEY="@K1@#x"\n',
    "hash-in-single": "OPENROUTER_API_KEY='@K1@ #x'\n",
    "comment-lines": "# OPENROUTER_API_KEY=@K2@\n  # indented\nOPENROUTER_API_KEY=@K1@\n",
    "empty-then-comment": "OPENROUTER_API_KEY= # nothing\nOTHER=1\n",
    "empty": "OPENROUTER_API_KEY=\n",
    "empty-double": 'OPENROUTER_API_KEY=""\n',
    "empty-single": "OPENROUTER_API_KEY=''\n",
    "bare-name": "OPENROUTER_API_KEY\nB=1\n",
    "duplicate": "OPENROUTER_API_KEY=@K1@\nOPENROUTER_API_KEY=@K2@\n",
    "duplicate-empty-last": "OPENROUTER_API_KEY=@K1@\nOPENROUTER_API_KEY=\n",
    "crlf": "OPENROUTER_API_KEY=@K1@\r\nB=2\r\n",
    "crlf-double": 'OPENROUTER_API_KEY="@K1@"\r\n',
    "cr-only": "A=1\rOPENROUTER_API_KEY=@K1@\r",
    "bom": "\ufeffOPENROUTER_API_KEY=@K1@\n",
    "bom-export": "\ufeffexport OPENROUTER_API_KEY=@K1@\n",
    "no-final-newline": "OPENROUTER_API_KEY=@K1@",
    "multiline-double": 'OPENROUTER_API_KEY="@K1@\nsecond"\nB=1\n',
    "multiline-single": "OPENROUTER_API_KEY='@K1@\nsecond'\nB=1\n",
    "multiline-backtick": "OPENROUTER_API_KEY=`@K1@\nsecond`\nB=1\n",
    "escape-n-double": 'A="x\\ny"\nOPENROUTER_API_KEY=@K1@\n',
    "escape-n-single": "A='x\\ny'\nOPENROUTER_API_KEY=@K1@\n",
    "escape-quote-double": 'A="say \\"hi\\""\nOPENROUTER_API_KEY=@K1@\n',
    "escape-quote-single": "A='it\\'s'\nOPENROUTER_API_KEY=@K1@\n",
    "escape-t-double": 'A="x\\ty"\n',
    "escape-backslash-double": 'A="x\\\\y"\n',
    "escape-other-double": 'A="x\\qy"\n',
    "escape-unquoted": "A=x\\ny\n",
    "dollar-brace": "A=@K1@\nOPENROUTER_API_KEY=${A}\n",
    "dollar-brace-default": "OPENROUTER_API_KEY=${MISSING:-@K1@}\n",
    "backtick-comment": "OPENROUTER_API_KEY=`@K1@` # c\n",
    "backtick-inner-hash": "OPENROUTER_API_KEY=`@K1@ #x`\n",
    "dollar-plain": "A=@K1@\nOPENROUTER_API_KEY=$A\n",
    "dollar-in-single": "A=@K1@\nOPENROUTER_API_KEY='${A}'\n",
    "unterminated-double": 'OPENROUTER_API_KEY="@K1@\n',
    "unterminated-single": "OPENROUTER_API_KEY='@K1@\n",
    "unterminated-after-good": 'OPENROUTER_API_KEY=@K1@\nOPENROUTER_API_KEY="@K2@\n',
    "unterminated-closes-later": 'A="x\nOPENROUTER_API_KEY=@K1@\n"\nB=2\n',
    "text-after-quote": 'OPENROUTER_API_KEY="@K1@"junk\nB=1\n',
    "quote-inside-unquoted": "OPENROUTER_API_KEY=ab\"cd\n",
    "colon-separator": "OPENROUTER_API_KEY: @K1@\nB=1\n",
    "dotted-name": "my.name=1\nmy-name=2\n",
    "lowercase-name": "openrouter_api_key=@K1@\n",
    "digit-name": "1A=x\nB=2\n",
    "unicode-value": "A=caf\u00e9\nOPENROUTER_API_KEY=@K1@\n",
    "nbsp-after-value": "OPENROUTER_API_KEY=@K1@\u00a0\n",
    "equals-in-value": "A=a=b=c\n",
    "blank-lines": "\n\n  \nOPENROUTER_API_KEY=@K1@\n\n",
    "export-only": "export OPENROUTER_API_KEY\n",
    "json-value": 'A={"a": 1}\n',
    "quoted-name": '"A"=1\n',
    "double-then-space": 'OPENROUTER_API_KEY="@K1@"   \n',
    "empty-name": "=x\nB=1\n",
    "semicolon": "OPENROUTER_API_KEY=@K1@;\n",
    "export-spaces": "export   OPENROUTER_API_KEY=@K1@\n",
    "hash-right-after-eq": "OPENROUTER_API_KEY=#x\n",
    "export-as-name": "export=1\nexport\nB=2\n",
    "two-quoted-parts": 'OPENROUTER_API_KEY="@K1@" "x"\n',
    "single-hash-no-space": "OPENROUTER_API_KEY='@K1@'#c\n",
    "double-hash-no-space": 'OPENROUTER_API_KEY="@K1@"#c\n',
    "tab-inside": "A=a\tb\n",
    "double-space-inside": "A=a  b\n",
    "u-escape-double": 'A="caf\\u00e9"\n',
    "x-escape-double": 'A="\\x41"\n',
    "leading-export-indent": "  export  OPENROUTER_API_KEY=@K1@\n",
    "cr-cr-lf": "OPENROUTER_API_KEY=@K1@\r\r\n",
    "lone-backslash": "A=\\\n",
    "double-eq": "OPENROUTER_API_KEY==@K1@\n",
    "spaces-then-quote": 'OPENROUTER_API_KEY=   "@K1@"\n',
    "backslash-newline-double": 'A="a\\\nb"\nB=1\n',
    "hash-line-in-multiline": 'A="x\n# not a comment\ny"\n',
    "hash-no-space-line": "#OPENROUTER_API_KEY=@K2@\nOPENROUTER_API_KEY=@K1@\n",
    "two-comments": "OPENROUTER_API_KEY=@K1@ # c # d\n",
    "tab-hash": "OPENROUTER_API_KEY=@K1@\t#c\n",
    "quote-tab-comment": 'OPENROUTER_API_KEY="@K1@" \t # c\n',
    "export-then-assign": "export OPENROUTER_API_KEY\nOPENROUTER_API_KEY=@K1@\n",
    "assign-then-export": "OPENROUTER_API_KEY=@K1@\nexport OPENROUTER_API_KEY\n",
    "assign-then-bare": "OPENROUTER_API_KEY=@K1@\nOPENROUTER_API_KEY # old\n",
    "empty-file": "",
    "only-bom": "\ufeff",
    "only-comment": "# nothing\n",
    "unicode-name": "K\u00c9Y=1\n",
    "partial-refs": "A=${B}x${C}\n",
    "single-then-empty-single": "A='a'\nB=''\n",
    "escaped-dollar-double": 'A="\\$B"\n',
    "value-with-quote-mid": "A=it's\n",
    "trailing-backslash-double": 'A="x\\\\"\nB=2\n',
    "crlf-multiline-double": 'A="x\r\ny"\r\nB=1\r\n',
    "nul-escape": 'A="\\0"\n',
    "ref-later": "OPENROUTER_API_KEY=${A}\nA=@K1@\n",
    "ref-empty-default": "A=\nOPENROUTER_API_KEY=${A:-@K1@}\n",
    "ref-double-quoted": 'A=@K1@\nOPENROUTER_API_KEY="${A}"\n',
    "ref-partial": "A=@K1@\nOPENROUTER_API_KEY=x${A}\n",
    "ref-chain": "A=@K1@\nB=${A}\nOPENROUTER_API_KEY=${B}\n",
    "ref-nocolon-default": "OPENROUTER_API_KEY=${A-@K1@}\n",
    "ref-default-with-ref": "B=@K1@\nOPENROUTER_API_KEY=${A:-${B}}\n",
    "ref-self": "OPENROUTER_API_KEY=@K1@\nOPENROUTER_API_KEY=${OPENROUTER_API_KEY}\n",
    "space-hash-after-eq": "OPENROUTER_API_KEY= #x\n",
}

SH_CASES = {
    "export": "export OPENROUTER_API_KEY=@K1@\n",
    "plain": "OPENROUTER_API_KEY=@K1@\n",
    "double": 'export OPENROUTER_API_KEY="@K1@"\n',
    "single": "export OPENROUTER_API_KEY='@K1@'\n",
    "ansi-c": "export OPENROUTER_API_KEY=$'@K1@'\n",
    "ansi-c-escape": "export OPENROUTER_API_KEY=$'@K1@\\n'\n",
    "concat": "export OPENROUTER_API_KEY=sk-or-v1-\"@K1@\"\n",
    "ref": "A=@K1@\nexport OPENROUTER_API_KEY=\"$A\"\n",
    "ref-brace": "A=@K1@\nexport OPENROUTER_API_KEY=${A}\n",
    "ref-later": "export OPENROUTER_API_KEY=\"$A\"\nA=@K1@\n",
    "ref-default": "export OPENROUTER_API_KEY=${A:-@K1@}\n",
    "ref-partial": "A=@K1@\nexport OPENROUTER_API_KEY=\"x$A\"\n",
    "self-ref": "export OPENROUTER_API_KEY=@K1@\nexport OPENROUTER_API_KEY=\"$OPENROUTER_API_KEY\"\n",
    "duplicate": "export OPENROUTER_API_KEY=@K1@\nexport OPENROUTER_API_KEY=@K2@\n",
    "comment": "# export OPENROUTER_API_KEY=@K2@\nexport OPENROUTER_API_KEY=@K1@ # note\n",
    "hash-in-word": "export OPENROUTER_API_KEY=@K1@#x\n",
    "crlf": "export OPENROUTER_API_KEY=@K1@\r\n",
    "crlf-double": "export OPENROUTER_API_KEY=\"@K1@\"\r\n",
    "semicolon": "A=1; export OPENROUTER_API_KEY=@K1@; B=2\n",
    "two-on-line": "A=1 OPENROUTER_API_KEY=@K1@\n",
    "prefix-command": "OPENROUTER_API_KEY=@K1@ true\n",
    "declare-x": "declare -x OPENROUTER_API_KEY=@K1@\n",
    "typeset": "typeset -x OPENROUTER_API_KEY=@K1@\n",
    "readonly": "readonly OPENROUTER_API_KEY=@K1@\n",
    "export-later": "OPENROUTER_API_KEY=@K1@\nexport OPENROUTER_API_KEY\n",
    "unset": "export OPENROUTER_API_KEY=@K1@\nunset OPENROUTER_API_KEY\n",
    "if-true": "if true; then\n  export OPENROUTER_API_KEY=@K1@\nfi\n",
    "if-false": "export OPENROUTER_API_KEY=@K2@\nif false; then\n  export OPENROUTER_API_KEY=@K1@\nfi\n",
    "default-set": "export OPENROUTER_API_KEY=@K1@\nexport OPENROUTER_API_KEY=${OPENROUTER_API_KEY:-@K2@}\n",
    "default-empty": "A=\nexport OPENROUTER_API_KEY=${A:-@K1@}\n",
    "default-nocolon-empty": "A=\nexport OPENROUTER_API_KEY=${A-@K1@}\n",
    "default-assign": "export OPENROUTER_API_KEY=${A:=@K1@}\n",
    "and-list": "true && export OPENROUTER_API_KEY=@K1@\n",
    "function-not-called": "f() {\n  export OPENROUTER_API_KEY=@K2@\n}\nexport OPENROUTER_API_KEY=@K1@\n",
    "heredoc": "cat >/dev/null <<EOF\nexport OPENROUTER_API_KEY=@K2@\nEOF\nexport OPENROUTER_API_KEY=@K1@\n",
    "backslash-newline": "export OPENROUTER_API_KEY=\"@K1@\\\n\"\n",
    "backslash-in-double": "export OPENROUTER_API_KEY=\"@K1@\\x\"\n",
    "escaped-dollar": "export OPENROUTER_API_KEY=\"\\$A@K1@\"\n",
    "multiline-double": "export OPENROUTER_API_KEY=\"@K1@\nx\"\n",
    "unterminated": "export OPENROUTER_API_KEY=\"@K1@\n",
    "bom": "\ufeffexport OPENROUTER_API_KEY=@K1@\n",
    "empty": "export OPENROUTER_API_KEY=@K1@\nexport OPENROUTER_API_KEY=\n",
    "tilde-like": "export OPENROUTER_API_KEY=@K1@:~/x\n",
    "space-around-eq": "export OPENROUTER_API_KEY = @K1@\n",
    "export-two": "export A=1 OPENROUTER_API_KEY=@K1@\n",
    "local-in-fn": "f() { local OPENROUTER_API_KEY=@K2@; }\nexport OPENROUTER_API_KEY=@K1@\n",
    "base-url": "export OPENAI_BASE_URL=https://openrouter.ai/api/v1\nexport OPENAI_API_KEY=@K1@\n",
    "quoted-ref-brace": "A=@K1@\nexport OPENROUTER_API_KEY=\"${A}\"\n",
    "single-quoted-ref": "A=@K1@\nexport OPENROUTER_API_KEY='$A'\n",
    "ref-then-text": "A=@K1@\nexport OPENROUTER_API_KEY=${A}x\n",
    "same-line-order": "export OPENROUTER_API_KEY=\"$A\" A=@K1@\n",
    "same-line-order2": "A=@K1@ OPENROUTER_API_KEY=\"$A\"\nexport OPENROUTER_API_KEY\n",
    "declare-r": "declare -rx OPENROUTER_API_KEY=@K1@\n",
    "export-n": "export -n OPENROUTER_API_KEY=@K1@\n",
    "typeset-gx": "typeset -gx OPENROUTER_API_KEY=@K1@\n",
    "export-p-like": "export -- OPENROUTER_API_KEY=@K1@\n",
    "command-subst": "export OPENROUTER_API_KEY=$(printf %s @K1@)\n",
    "backquote-subst": "export OPENROUTER_API_KEY=`printf %s @K1@`\n",
    "ansi-c-hex": "export OPENROUTER_API_KEY=$'\\x73k-or-v1-@K1@'\n",
    "double-escaped-quote": "export OPENROUTER_API_KEY=\"@K1@\\\"\"\n",
    "case-block": "case x in\n  x) export OPENROUTER_API_KEY=@K1@ ;;\nesac\n",
    "subshell": "export OPENROUTER_API_KEY=@K2@\n(export OPENROUTER_API_KEY=@K1@)\n",
    "brace-group": "{ export OPENROUTER_API_KEY=@K1@; }\n",
    "pipe-last": "true | export OPENROUTER_API_KEY=@K2@\nexport OPENAI_API_KEY=@K1@\n",
    "or-list": "false || export OPENROUTER_API_KEY=@K1@\n",
    "function-called": "f() {\n  export OPENROUTER_API_KEY=@K1@\n}\nf\n",
    "semicolon-no-space": "export OPENROUTER_API_KEY=@K1@;export OPENAI_API_KEY=@K2@\n",
    "tab-separated": "export\tOPENROUTER_API_KEY=@K1@\n",
    "empty-quotes-concat": "export OPENROUTER_API_KEY=''@K1@\"\"\n",
    "escaped-space": "export OPENROUTER_API_KEY=@K1@\\ x\n",
    "dollar-single-in-double": "export OPENROUTER_API_KEY=\"$'x'@K1@\"\n",
    "comment-after-semicolon": "export OPENROUTER_API_KEY=@K1@; # x\n",
    "hash-after-quote": "export OPENROUTER_API_KEY=\"@K1@\"#x\n",
    "heredoc-dash": "cat >/dev/null <<-EOF\n\texport OPENROUTER_API_KEY=@K2@\n\tEOF\nexport OPENROUTER_API_KEY=@K1@\n",
    "heredoc-quoted": "cat >/dev/null <<'EOF'\nexport OPENROUTER_API_KEY=@K2@\nEOF\nexport OPENROUTER_API_KEY=@K1@\n",
    "arith": "export N=$((1+2))\nexport OPENROUTER_API_KEY=@K1@\n",
    "array-skip": "A=(1 2)\nexport OPENROUTER_API_KEY=@K1@\n",
    "plus-eq": "export OPENROUTER_API_KEY=@K1@\nOPENROUTER_API_KEY+=x\n",
    "bom-mid": "export A=1\n\ufeffexport OPENROUTER_API_KEY=@K1@\n",
    "nested-quote-ref": "A=@K1@\nB=\"$A\"\nexport OPENROUTER_API_KEY=\"$B\"\n",
}

FISH_CASES = {
    "set-gx": "set -gx OPENROUTER_API_KEY @K1@\n",
    "set-x": "set -x OPENROUTER_API_KEY @K1@\n",
    "set-Ux": "set -Ux OPENROUTER_API_KEY @K1@\n",
    "set-export-long": "set --global --export OPENROUTER_API_KEY @K1@\n",
    "set-plain": "set OPENROUTER_API_KEY @K1@\n",
    "double": "set -gx OPENROUTER_API_KEY \"@K1@\"\n",
    "single": "set -gx OPENROUTER_API_KEY '@K1@'\n",
    "two-values": "set -gx OPENROUTER_API_KEY @K1@ x\n",
    "export-eq": "export OPENROUTER_API_KEY=@K1@\n",
    "ref": "set A @K1@\nset -gx OPENROUTER_API_KEY $A\n",
    "ref-quoted": "set A @K1@\nset -gx OPENROUTER_API_KEY \"$A\"\n",
    "erase": "set -gx OPENROUTER_API_KEY @K1@\nset -e OPENROUTER_API_KEY\n",
    "comment": "# set -gx OPENROUTER_API_KEY @K2@\nset -gx OPENROUTER_API_KEY @K1@ # c\n",
    "duplicate": "set -gx OPENROUTER_API_KEY @K2@\nset -gx OPENROUTER_API_KEY @K1@\n",
    "escape": "set -gx OPENROUTER_API_KEY @K1@\\x41\n",
    "single-escape": "set -gx OPENROUTER_API_KEY '@K1@\\'x'\n",
    "crlf": "set -gx OPENROUTER_API_KEY @K1@\r\n",
    "semicolon": "set A 1; set -gx OPENROUTER_API_KEY @K1@\n",
    "if-true": "if true\n  set -gx OPENROUTER_API_KEY @K1@\nend\n",
    "if-false": "set -gx OPENROUTER_API_KEY @K2@\nif false\n  set -gx OPENROUTER_API_KEY @K1@\nend\n",
    "cr-inside-quotes": "set -gx OPENROUTER_API_KEY \"@K1@\r\"\n",
    "cr-inside-word": "set -gx OPENROUTER_API_KEY @K1@\rx\n",
    "and": "true; and set -gx OPENROUTER_API_KEY @K1@\n",
    "hash-in-word": "set -gx OPENROUTER_API_KEY @K1@#x\n",
    "empty": "set -gx OPENROUTER_API_KEY @K1@\nset -gx OPENROUTER_API_KEY\n",
    "set-global-only": "set -g OPENROUTER_API_KEY @K1@\n",
    "set-universal-long": "set --universal --export OPENROUTER_API_KEY @K1@\n",
    "set-append": "set -gx OPENROUTER_API_KEY @K1@\nset -a OPENROUTER_API_KEY x\n",
    "double-ref-brace": "set A @K1@\nset -gx OPENROUTER_API_KEY \"{$A}\"\n",
    "cmd-subst": "set -gx OPENROUTER_API_KEY (printf %s @K1@)\n",
    "dollar-paren-subst": "set -gx OPENROUTER_API_KEY $(printf %s @K1@)\n",
    "escaped-space": "set -gx OPENROUTER_API_KEY @K1@\\ x\n",
    "single-backslash": "set -gx OPENROUTER_API_KEY '@K1@\\\\'\n",
    "double-dollar-escape": "set -gx OPENROUTER_API_KEY \"\\$@K1@\"\n",
    "function-not-called": "function f\n  set -gx OPENROUTER_API_KEY @K2@\nend\nset -gx OPENROUTER_API_KEY @K1@\n",
    "or-list": "false; or set -gx OPENROUTER_API_KEY @K1@\n",
    "semicolon-no-space": "set -gx OPENROUTER_API_KEY @K1@;set -gx OPENAI_API_KEY @K2@\n",
    "tab-sep": "set\t-gx\tOPENROUTER_API_KEY\t@K1@\n",
    "bom": "\ufeffset -gx OPENROUTER_API_KEY @K1@\n",
    "export-quoted": "export OPENROUTER_API_KEY=\"@K1@\"\n",
    "set-local": "set -l OPENROUTER_API_KEY @K1@\n",
    "brace-expansion": "set -gx OPENROUTER_API_KEY @K1@{a,b}\n",
}

TOML_CASES = {
    "basic": 'api_key = "@K1@"\n',
    "literal": "api_key = '@K1@'\n",
    "ml-basic": 'api_key = """\n@K1@"""\n',
    "ml-basic-trim": 'a = """\\\n   @K1@ \\\n  x"""\n',
    "ml-literal": "a = '''\n@K1@\n'''\n",
    "escapes": 'a = "\\t\\n\\\\\\"\\u00e9\\U0001F600"\n',
    "bad-escape": 'a = "\\q"\n',
    "table": '[openrouter]\napi_key = "@K1@"\n',
    "dotted-key": 'openrouter.api_key = "@K1@"\n',
    "quoted-key": '"open.router" = "@K1@"\n',
    "nested-tables": '[a.b.c]\nx = 1\n[a]\ny = 2\n',
    "inline-table": 'env = { OPENROUTER_API_KEY = "@K1@", n = 1 }\n',
    "array-tables": '[[model]]\nname = "a"\n[[model]]\nname = "b"\n',
    "arrays": 'a = [1, 2.5, "x", true, [1, 2]]\nb = [\n  1,\n  2,\n]\n',
    "ints": "a = 1_000\nb = 0x1F\nc = 0o17\nd = 0b101\ne = +5\nf = -0\n",
    "floats": "a = 1e3\nb = 6.02e+23\nc = inf\nd = -inf\ne = nan\nf = 3.14_15\n",
    "bad-int-leading-zero": "a = 01\n",
    "bad-underscore": "a = 1__0\n",
    "datetime": "a = 1979-05-27T07:32:00Z\nb = 1979-05-27\nc = 07:32:00\nd = 1979-05-27 07:32:00.999\n",
    "duplicate-key": 'a = 1\na = 2\n',
    "duplicate-table": '[a]\nx=1\n[a]\ny=2\n',
    "comment": 'a = "x" # c\n# full\n',
    "crlf": 'a = "x"\r\nb = 1\r\n',
    "bom": '\ufeffa = "x"\n',
    "no-final-newline": 'a = "@K1@"',
    "unterminated": 'a = "x\n',
    "bare-cr": 'a = "x"\rb = 1\n',
    "control-in-string": 'a = "x\x01y"\n',
    "tab-in-string": 'a = "x\ty"\n',
    "empty-quoted-key": '"" = 1\n',
    "inline-extend": 'a = {x = 1}\na.y = 2\n',
    "dotted-then-table": 'a.b = 1\n[a]\nc = 2\n',
    "whitespace-key": ' a . b = 1\n',
    "missing-value": 'a =\n',
    "bool-case": "a = True\n",
    "int-overflow": "a = 9223372036854775808\n",
    "int-max": "a = 9223372036854775807\nb = -9223372036854775808\n",
    "offset-datetime-frac": "a = 1979-05-27T00:32:00.999999-07:00\n",
    "lowercase-t-z": "a = 1979-05-27t07:32:00z\n",
    "bad-date": "a = 2021-02-30\n",
    "bad-time": "a = 24:00:00\n",
    "ml-quotes-at-end": 'a = """x"""""\n',
    "ml-backslash-space-eol": 'a = """a \\  \n  b"""\n',
    "comment-control": "a = 1 # x\x01\n",
    "del-in-string": 'a = "x\x7fy"\n',
    "two-on-line": "a = 1 b = 2\n",
    "table-then-text": "[a]b=1\n",
    "dotted-conflict": "a.b = 1\na.b.c = 2\n",
    "aot-then-table": "[[a]]\n[a]\n",
    "static-then-aot": "a = []\n[[a]]\n",
    "float-forms": "a = 1.\n",
    "float-leading-dot": "a = .5\n",
    "signed-nan": "a = +nan\nb = -nan\nc = +inf\n",
    "hex-empty": "a = 0x\n",
    "exp-empty": "a = 1e\n",
    "digit-key": "1234 = 1\ntrue = 2\n",
    "nul-escape": 'a = "x\\u0000y"\n',
    "surrogate-escape": 'a = "\\uD800"\n',
    "e-escape": 'a = "\\e"\n',
    "unicode-bare-key": "caf\u00e9 = 1\n",
    "inline-newline": "a = { b = 1,\n c = 2 }\n",
    "inline-trailing-comma": "a = { b = 1, }\n",
    "array-mixed-types": "a = [1, \"x\"]\n",
    "super-table-after": "[a.b]\nx = 1\n[a]\ny = 2\n[a.b.c]\nz = 3\n",
    "redefine-implicit-dotted": "[a]\nb.c = 1\n[a.b]\nd = 2\n",
    "leading-zero-float": "a = 01.5\nb = 0.5\n",
    "exp-leading-zero": "a = 1e05\n",
    "underscore-hex": "a = 0xdead_beef\n",
    "space-in-datetime": "a = 1979-05-27 07:32:00Z\n",
    "crlf-ml": 'a = """x\r\ny"""\n',
    "lone-cr-in-ml": 'a = """x\ry"""\n',
    "codex": 'model_provider = "openrouter"\n[model_providers.openrouter]\nname = "OpenRouter"\nbase_url = "https://openrouter.ai/api/v1"\nenv_key = "OPENROUTER_API_KEY"\n',
}

JSON5_CASES = {
    "basic": '{"apiKey": "@K1@"}',
    "unquoted-key": "{apiKey: '@K1@'}",
    "single-quoted": "{'apiKey': '@K1@'}",
    "trailing-comma": '{"a": [1, 2,], "b": 1,}',
    "comments": '// c\n{/* x */ "a": 1 // y\n}',
    "hex": '{"a": 0x1F, "b": -0xA}',
    "leading-dot": '{"a": .5, "b": 5., "c": +1}',
    "inf-nan": '{"a": Infinity, "b": -Infinity, "c": NaN}',
    "escapes": '{"a": "\\x41\\u00e9\\t\\v\\0"}',
    "line-continuation": '{"a": "ab\\\ncd"}',
    "escape-other": '{"a": "\\q"}',
    "duplicate": '{"a": 1, "a": 2}',
    "nested": '{"providers": {"openrouter": {"options": {"apiKey": "@K1@"}}}}',
    "array-root": '[1, "x", null, true]',
    "scalar-root": '"@K1@"',
    "empty": "",
    "bom": '\ufeff{"a": 1}',
    "crlf": '{\r\n"a": 1\r\n}',
    "identifier-dollar": "{$a_1: 1, _b: 2}",
    "unicode-key": "{caf\u00e9: 1}",
    "bad-trailing": '{"a": 1} x',
    "unterminated": '{"a": "x',
    "newline-in-string": '{"a": "x\ny"}',
    "exponent": '{"a": 1e3, "b": 1E-2}',
    "leading-zero": '{"a": 01}',
    "ls-ps": '{"a": "x\u2028y"}',
    "reserved-key": "{null: 1, true: 2}",
    "nbsp-space": '{\u00a0"a": 1}',
    "big-int": '{"a": 12345678901234567890}',
    "empty-array-obj": '{"a": [], "b": {}}',
    "lone-comma-array": "[,]",
    "double-comma": '{"a": 1,,}',
    "unterminated-comment": '{"a": 1} /* x',
    "signed-special": '[+Infinity, -NaN, +NaN]',
    "hex-empty": "[0x]",
    "exp-empty": "[1e]",
    "double-zero": "[00]",
    "octal-escape": "['\\01']",
    "escape-8": "['\\8']",
    "escape-null-then-letter": "['\\0a']",
    "ident-escape-key": "{\\u0061b: 1}",
    "unicode-letter-key": "{\u00fcber: 1, \u03c0: 2}",
    "nbsp-ws": '[\u00a01,\ufeff2]',
    "vt-ff-ws": '[\x0b1,\x0c2]',
    "escaped-single": "['\\'', \"\\\"\"]",
    "proto-key": '{"__proto__": 1, "a": 2}',
    "continuation-crlf": '["a\\\r\nb"]',
    "continuation-ls": '["a\\\u2028b"]',
    "short-hex-escape": "['\\x4']",
    "number-ident": "[1a]",
    "minus-alone": "[-]",
    "deep": "[" * 70 + "]" * 70,
    "trailing-dot-exp": "[5.e3, .5e-1]",
    "leading-plus-hex": "[+0x10]",
    "raw-tab-in-string": "['a\tb']",
    "raw-cr-in-string": "['a\rb']",
    "lowercase-infinity": "[infinity]",
    "number-key": "{1: 2}",
    "string-escape-u-surrogates": "['\\ud83d\\ude00']",
    "comment-at-end-no-newline": "[1] // x",
    "openclaw": "{\n  // OpenClaw\n  models: {\n    providers: {\n      openrouter: { apiKey: '@K1@', baseUrl: 'https://openrouter.ai/api/v1', },\n    },\n  },\n}\n",
}


def gen(cases, prefix):
    return [("gen:%s/%s" % (prefix, k), sub(v)) for k, v in cases.items()]


MUT_BYTES = b"\"'\\{}[],:=#.\n\r\t -+0x1e_aZ$/*"


def mutants(inputs, prefix, n, seed):
    """n inputs made from the given ones by 1-3 random byte edits (delete,
    insert, replace with a byte that matters to the grammar); a fixed seed,
    so that ids stay stable."""
    r = random.Random(seed)
    out = []
    for k in range(n):
        b = bytearray(r.choice(inputs)[1])
        for _ in range(r.randint(1, 3)):
            op, i = r.randint(0, 2), r.randint(0, len(b))
            if op == 1 or not b:
                b[i:i] = bytes([r.choice(MUT_BYTES)])
            elif op == 0:
                del b[min(i, len(b) - 1)]
            else:
                b[min(i, len(b) - 1)] = r.choice(MUT_BYTES)
        out.append(("mut:%s/%03d" % (prefix, k), bytes(b)))
    return out


def corpus(target):
    d = os.path.join(CORPUS, target)
    out = []
    if os.path.isdir(d):
        for n in sorted(os.listdir(d)):
            with open(os.path.join(d, n), "rb") as f:
                out.append(("corpus:%s/%s" % (target, n), f.read()))
    return out


# ----------------------------------------------------------------- traits --

def traits(data):
    """Facts about an input that a KNOWN line may select with trait:NAME."""
    t = set()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        t.add("invalid-utf8")
    if b"\0" in data:
        t.add("nul")
    if data.startswith(b"\xef\xbb\xbf"):
        t.add("bom")
    if b"`" in data:
        t.add("backtick")
    if b"$'" in data:
        t.add("ansi-c-quote")
    if re.search(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}", data):
        t.add("surrogate-escape")
    return t


# ------------------------------------------------------------- utilities --

class Env:
    def __init__(self, build):
        self.build = build
        self.parse = os.path.join(build, "tests", "ord-parse")
        self.tmp = tempfile.mkdtemp(prefix="ord-diff-")
        self.n = 0

    def file(self, data, name="input"):
        self.n += 1
        d = os.path.join(self.tmp, "f%d" % self.n)
        os.mkdir(d)
        p = os.path.join(d, name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def ord(self, *args):
        r = subprocess.run([self.parse] + list(args), capture_output=True, timeout=30)
        if r.returncode:
            raise RuntimeError("ord-parse %s failed: %s" % (args, r.stderr[:200]))
        return r.stdout.decode("utf-8", "surrogateescape")


def unhex(h):
    return b"" if h == "-" else bytes.fromhex(h)


# ----------------------------------------------------------------- dotenv --

def ord_dotenv(env, path):
    """ordoctor's reading: the last assignment of each name, as the
    consumers (discover, resolve) take it."""
    vars_ = {}
    for line in env.ord("dotenv", path).splitlines():
        f = line.split(" ")
        if f[0] == "A" and int(f[3]) & (1 << 10):  # ORD_ASSIGN_UNSET: NAME=None
            vars_.pop(unhex(f[1]).decode("utf-8", "surrogateescape"), None)
        elif f[0] == "A":
            vars_[unhex(f[1]).decode("utf-8", "surrogateescape")] = unhex(f[2])
    return vars_


def py_dotenv_expand(path):
    """python-dotenv's default reading (interpolate=True) with an empty
    environment, as a tool started from `env -i` would load the file."""
    import dotenv
    saved = dict(os.environ)
    os.environ.clear()
    try:
        d = dotenv.dotenv_values(path)
    except Exception as e:
        return {"error": type(e).__name__}
    finally:
        os.environ.update(saved)
    return {k: v.encode("utf-8", "surrogateescape") for k, v in d.items() if v is not None}


def ord_dotenv_hits(env, path):
    """discovery's reading of the file: per name it records (keys, base
    URLs, key-looking values), the hit no later line shadows."""
    final, seen = {}, set()
    for line in env.ord("dotenv-hits", path).splitlines():
        f = line.split(" ")
        if f[0] != "H":
            continue
        name = unhex(f[1]).decode("utf-8", "surrogateescape")
        seen.add(name)
        if not int(f[3]) & 1:  # ORD_HIT_SHADOWED_IN_FILE
            final[name] = unhex(f[2])
    return final, seen


def py_dotenv(path):
    import dotenv  # Debian python3-dotenv
    logging.getLogger("dotenv").setLevel(logging.CRITICAL)
    logging.getLogger("dotenv.main").setLevel(logging.CRITICAL)
    try:
        d = dotenv.dotenv_values(path, interpolate=False)
    except Exception as e:  # UnicodeDecodeError: the whole load fails
        return {"error": type(e).__name__}
    return {k: v.encode("utf-8", "surrogateescape") for k, v in d.items() if v is not None}


NODE_ENV_SCRIPT = (
    "const r={};for(const k of Object.keys(process.env))"
    "r[k]=Buffer.from(process.env[k],'utf8').toString('hex');"
    "process.stdout.write(JSON.stringify(r))"
)


def node_env_file(path):
    r = subprocess.run(["env", "-i", shutil.which("node"), "--env-file=" + path, "-e", NODE_ENV_SCRIPT],
                       capture_output=True, timeout=30)
    if r.returncode:
        return {"error": "exit %d" % r.returncode}
    return {k: bytes.fromhex(v) for k, v in json.loads(r.stdout).items()}


def node_loaders(jobs):
    r = subprocess.run(["node", os.path.join(HERE, "loaders.cjs")], input=json.dumps(jobs).encode(),
                       capture_output=True, timeout=120)
    if r.returncode:
        raise RuntimeError("loaders.cjs failed: %s" % r.stderr[:300])
    return json.loads(r.stdout)


def show_vars(v):
    if "error" in v and not isinstance(v.get("error"), bytes):
        return "error: " + v["error"]
    return "{" + ", ".join("%s=%s" % (redact(k), redact(x)) for k, x in sorted(v.items())) + "}"


# --------------------------------------------------------------------- rc --

NAMES = ["OPENROUTER_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL"]


ANY = "(any: a command's output)"


def ord_rc(env, home):
    """The simulation's reading, per name it records (keys, base URLs,
    key-looking values): the values it may end with.  An unconditional
    assignment replaces them; one flagged conditional ("may not run")
    adds a value; one flagged command ($(...), fish (...)) may be
    anything."""
    final = {}
    for line in env.ord("rc", home).splitlines():
        f = line.split(" ")
        if f[0] != "H":
            continue
        name = unhex(f[1]).decode("utf-8", "surrogateescape")
        flags = int(f[3])
        v = ANY if flags & (1 << 5) else unhex(f[2])
        if flags & (1 << 4):
            final.setdefault(name, [None]).append(v)
        else:
            final[name] = [v]
    return final


def rc_same(ours, theirs):
    if "error" in theirs:
        return False
    for n in set(ours) | set(theirs):
        opts = ours.get(n, [None])
        if ANY not in opts and theirs.get(n) not in opts:
            return False
    return True


def show_rc(o):
    return "{" + ", ".join("%s=%s" % (redact(k), " or ".join(
        x if x == ANY else redact(x) for x in v)) for k, v in sorted(o.items())) + "}"


def shell_run(shell, home, rcfile, names):
    out = os.path.join(home, ".out-" + shell)  # one per shell: they run in parallel
    os.makedirs(out)
    if shell == "fish":
        script = "source %s >/dev/null 2>&1 </dev/null\n" % rcfile
        for n in names:
            script += "if set -q %s; printf %%s \"$%s\" > %s/%s; end\n" % (n, n, out, n)
        argv = ["fish", "--no-config", "-c", script]
    else:
        script = ". %s >/dev/null 2>&1 </dev/null\n" % rcfile
        for n in names:
            script += "if [ \"${%s+x}\" = x ]; then printf %%s \"$%s\" > %s/%s; fi\n" % (n, n, out, n)
        argv = {"bash": ["bash", "--norc", "--noprofile", "-c", script],
                "zsh": ["zsh", "-f", "-c", script],
                "dash": ["dash", "-c", script]}[shell]
    try:
        subprocess.run(["env", "-i", "HOME=" + home, "PATH=/usr/bin:/bin", "LANG=C.UTF-8"] + argv,
                       cwd=home, capture_output=True, timeout=20, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return {"error": "timeout"}
    got = {}
    for n in names:
        p = os.path.join(out, n)
        if os.path.exists(p):
            with open(p, "rb") as f:
                got[n] = f.read()
    return got


# ---------------------------------------------------------------- trees --

def num_json5(t):
    s = t.strip()
    sign = -1 if s.startswith("-") else 1
    body = s.lstrip("+-")
    if body.lower().startswith("0x"):
        return float(sign * int(body, 16))
    return float(s)


def num_toml(t):
    import tomllib
    return tomllib.loads("x = " + t)["x"]


def norm_tree(node, num):
    (tag, v), = node.items()
    if tag == "z":
        return None
    if tag == "b":
        return v == "true"
    if tag == "n":
        return num(v)
    if tag == "s":
        return v
    if tag == "a":
        return [norm_tree(x, num) for x in v]
    d = {}
    for k, x in v:
        d[k] = norm_tree(x, num)
    return d


def eq(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) \
                or not isinstance(b, (int, float)):
            return False
        if math.isnan(a) and math.isnan(b):
            return True
        return float(a) == float(b) and (a != 0 or math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    if type(a) is not type(b) and not (isinstance(a, int) and isinstance(b, int)):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(eq(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(eq(x, y) for x, y in zip(a, b))
    return a == b


def ord_tree(env, fmt, path, num):
    out = env.ord(fmt, path)
    if out.startswith("E "):
        return {"error": out.strip()}
    return {"tree": norm_tree(json.loads(out), num)}


def toml_dates(v):
    """tomllib's date-times as ordoctor keeps them: the text as written is
    a STRING (lib/cfg.h), so both sides are compared as date-time values."""
    if isinstance(v, dict):
        return {k: toml_dates(x) for k, x in v.items()}
    if isinstance(v, list):
        return [toml_dates(x) for x in v]
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return ("datetime", v.isoformat())
    return v


def ord_toml_dates(v):
    import tomllib
    if isinstance(v, dict):
        return {k: ord_toml_dates(x) for k, x in v.items()}
    if isinstance(v, list):
        return [ord_toml_dates(x) for x in v]
    if isinstance(v, str) and re.match(r"^\d{2}(\d\d-\d\d-\d\d|:\d\d:\d\d)", v):
        try:
            x = tomllib.loads("x = " + v)["x"]
            if isinstance(x, (datetime.datetime, datetime.date, datetime.time)):
                return ("datetime", x.isoformat())
        except Exception:
            pass
    return v


def show_tree(r):
    if "error" in r:
        return "error: " + redact(r["error"])
    return redact(json.dumps(r["tree"], default=str, ensure_ascii=False)[:400])


def same_tree(a, b):
    if "error" in a or "error" in b:
        return ("error" in a) == ("error" in b)
    return eq(a["tree"], b["tree"])


# ------------------------------------------------------------------ main --

class Oracle:
    def __init__(self, name):
        self.name = name
        self.inputs = self.agree = self.known = 0
        self.bad = []

    def record(self, iid, data, same, ours, theirs, known):
        self.inputs += 1
        if same:
            self.agree += 1
            return
        rule = known.match(self.name, iid, data)
        entry = (iid, data, ours, theirs, rule)
        if rule:
            self.known += 1
        self.bad.append(entry)


class Known:
    def __init__(self, path):
        self.rules = []
        self.used = set()
        if os.path.exists(path):
            with open(path) as f:
                for ln, line in enumerate(f, 1):
                    line = line.strip()
                    if not line or line.startswith("#"):
                        continue
                    parts = line.split(None, 2)
                    if len(parts) < 3:
                        sys.exit("%s:%d: want ORACLE SELECTOR reason" % (path, ln))
                    self.rules.append((parts[0], parts[1], parts[2], ln))

    def match(self, oracle, iid, data, extra=()):
        tr = traits(data) | set(extra)
        for o, sel, why, ln in self.rules:
            if not fnmatch.fnmatchcase(oracle, o):
                continue
            if sel.startswith("trait:") and sel[6:] in tr or fnmatch.fnmatchcase(iid, sel):
                self.used.add(ln)
                return why
        return None


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    only = None
    if "--only" in args:
        only = set(args[args.index("--only") + 1].split(","))
    rest = [a for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] != "--only")]
    build = os.path.abspath(rest[0] if rest else os.path.join(TOP, "build"))
    env = Env(build)
    known = Known(os.path.join(HERE, "KNOWN"))
    oracles = {}

    def oracle(name):
        return oracles.setdefault(name, Oracle(name))

    def want(group):
        return only is None or group in only

    try:
        if want("dotenv"):
            inputs = gen(DOTENV_CASES, "dotenv") + corpus("dotenv")
            paths = [env.file(d, ".env") for _, d in inputs]
            ours = [ord_dotenv(env, p) for p in paths]
            js = node_loaders([{"mode": "dotenv", "path": p} for p in paths])
            with cf.ThreadPoolExecutor(4) as ex:
                nodes = list(ex.map(node_env_file, paths))
            for (iid, data), p, o, j, n in zip(inputs, paths, ours, js, nodes):
                # discovery (${X} expansion) against python-dotenv's default
                hits, seen = ord_dotenv_hits(env, p)
                pe = py_dotenv_expand(p)
                if "error" not in pe:
                    pe = {k: v for k, v in pe.items() if k in seen or k in NAMES}
                orc = oracle("dotenv-python-expand")
                orc.inputs += 1
                if hits == pe:
                    orc.agree += 1
                else:
                    rule = known.match(orc.name, iid, data)
                    if rule:
                        orc.known += 1
                    orc.bad.append((iid, data, show_vars(hits), show_vars(pe), rule))
                py = py_dotenv(p)
                agrees_py = o == py
                # the trait python-dotenv-agrees: ordoctor reads it as python-dotenv does
                extra = ["python-dotenv-agrees"] if agrees_py else []
                for name, theirs in (("dotenv-python", py),
                                     ("dotenv-npm", {k: bytes.fromhex(v) for k, v in j["vars"].items()}
                                      if "vars" in j else {"error": j["error"]}),
                                     ("node-env-file", n)):
                    orc = oracle(name)
                    orc.inputs += 1
                    if o == theirs:
                        orc.agree += 1
                        continue
                    rule = known.match(name, iid, data, extra)
                    if rule:
                        orc.known += 1
                    orc.bad.append((iid, data, show_vars(o), show_vars(theirs), rule))
        if want("rc"):
            # the rcfile corpus too: hand-written startup files, run in a
            # sandbox (env -i, a temporary HOME as working directory)
            rcc = corpus("rcfile")
            msh = mutants(gen(SH_CASES, "sh"), "sh", int(os.environ.get("ORD_DIFF_SH_MUTANTS", "0")), 13)
            inputs = [("sh", i, d) for i, d in gen(SH_CASES, "sh") + msh] + \
                     [("sh", i, d) for i, d in rcc if i.endswith(".sh")] + \
                     [("fish", i, d) for i, d in gen(FISH_CASES, "fish")] + \
                     [("fish", i, d) for i, d in rcc if i.endswith(".fish")]
            jobs = []
            for dialect, iid, data in inputs:
                home = tempfile.mkdtemp(dir=env.tmp)
                if dialect == "fish":
                    rcfile = os.path.join(home, ".config", "fish", "config.fish")
                    os.makedirs(os.path.dirname(rcfile))
                else:
                    rcfile = os.path.join(home, ".bashrc")
                with open(rcfile, "wb") as f:
                    f.write(data)
                os.makedirs(os.path.join(home, ".no-etc"))
                o = ord_rc(env, home)
                for shell in (["fish"] if dialect == "fish" else ["bash", "zsh", "dash"]):
                    jobs.append((shell, iid, data, home, rcfile, o,
                                 sorted(set(NAMES) | set(o))))
            with cf.ThreadPoolExecutor(4) as ex:
                res = list(ex.map(lambda j: shell_run(j[0], j[3], j[4], j[6]), jobs))
            for (shell, iid, data, home, rcfile, o, _), theirs in zip(jobs, res):
                orc = oracle("rc-" + shell)
                orc.inputs += 1
                if rc_same(o, theirs):
                    orc.agree += 1
                    continue
                rule = known.match(orc.name, iid, data)
                if rule:
                    orc.known += 1
                orc.bad.append((iid, data, show_rc(o), show_vars(theirs), rule))
        if want("toml"):
            import tomllib
            inputs = gen(TOML_CASES, "toml") + corpus("cfg_toml")
            inputs += mutants(inputs, "toml", 300, 11)
            orc = oracle("toml-tomllib")
            for iid, data in inputs:
                p = env.file(data, "config.toml")
                o = ord_tree(env, "toml", p, num_toml)
                if "tree" in o:
                    o["tree"] = ord_toml_dates(o["tree"])
                try:
                    t = {"tree": toml_dates(tomllib.loads(data.decode("utf-8")))}
                except Exception as e:
                    t = {"error": "%s: %s" % (type(e).__name__, str(e)[:80])}
                orc.record(iid, data, same_tree(o, t), show_tree(o), show_tree(t), known)
        if want("json5"):
            inputs = gen(JSON5_CASES, "json5") + corpus("cfg_json")
            inputs += mutants(inputs, "json5", 300, 12)
            paths = [env.file(d, "config.json5") for _, d in inputs]
            js = node_loaders([{"mode": "json5", "path": p} for p in paths])
            orc = oracle("json5-npm")
            for (iid, data), p, j in zip(inputs, paths, js):
                o = ord_tree(env, "json5", p, num_json5)
                t = {"tree": norm_tree(j["tree"], num_json5)} if "tree" in j else {"error": j["error"]}
                orc.record(iid, data, same_tree(o, t), show_tree(o), show_tree(t), known)
    finally:
        shutil.rmtree(env.tmp, ignore_errors=True)

    unknown = 0
    for orc in oracles.values():
        for iid, data, ours, theirs, rule in orc.bad:
            if rule and not verbose:
                continue
            if not rule:
                unknown += 1
            print("%s %s: %s" % ("known" if rule else "DISAGREE", orc.name, iid))
            print("    input:     %s" % redact(data)[:300])
            print("    ordoctor:  %s" % ours)
            print("    loader:    %s" % theirs)
            if rule:
                print("    known:     %s" % rule)
    for orc in oracles.values():
        print("%-14s %d inputs, %d agree, %d known differences, %d disagreements" %
              (orc.name + ":", orc.inputs, orc.agree, orc.known, len(orc.bad) - orc.known))
    # compose-1.29 lines belong to compose.py
    stale = [ln for o, _, _, ln in known.rules if ln not in known.used and not o.startswith("compose")]
    if stale and only is None:
        print("KNOWN lines that matched nothing: %s" % ", ".join(map(str, stale)))
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
