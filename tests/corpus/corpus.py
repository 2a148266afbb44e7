"""Reader for the corpus of real reports (tests/corpus/*.report).

Shared by bench/explain-accuracy (the measurement) and
scripts/derive-weights (signature weights from the train part), so that
both see the same cases and the same split.  Format and split: README.md
next to this file.  Standard library only.
"""

import hashlib
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Fields in the order README.md documents them; Error must come last because
# every line after it belongs to the error text.
REQUIRED = ("URL", "Tool", "Cause", "Confirmed", "Ambiguous", "Note", "Error")
OPTIONAL = ("Date", "Tool-Version", "Group")
YES_NO = ("yes", "no")

# 60% of the groups train, 40% test; see README.md ("Split").
TRAIN_PERCENT = 60

# A whole OpenRouter key or another vendor's long secret must never be
# stored: the README's label form keeps at most a few characters.
_KEY_RES = [
    re.compile(r"sk-or-v1-[0-9a-f]{16,}"),
    re.compile(r"sk-(?:proj-|ant-api\d\d-)?[A-Za-z0-9_-]{24,}"),
    re.compile(r"AIza[0-9A-Za-z_-]{20,}"),
    re.compile(r"nvapi-[A-Za-z0-9_-]{20,}"),
    re.compile(r"[0-9a-f]{40,}"),
]


class CorpusError(Exception):
    pass


def load_causes(path=None):
    """cause id -> category, from data/causes (the JSON contract's ids)."""
    path = path or os.path.join(ROOT, "data", "causes")
    causes = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            causes[parts[0]] = parts[1]
    return causes


def load_tools(path=None):
    path = path or os.path.join(ROOT, "data", "tools")
    return {name for name in os.listdir(path) if not name.startswith(".")}


def split_of(case):
    """'train' or 'test', a pure function of the case's group.

    The group is the Group field when present (several threads about one
    incident or one tool bug), else the URL: reports of the same incident
    always land on the same side, so a train case cannot leak its answer
    into a near-identical test case.
    """
    key = case.get("Group") or case["URL"]
    h = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16)
    return "train" if h % 100 < TRAIN_PERCENT else "test"


def parse(path, causes=None, tools=None):
    case = {"file": os.path.basename(path)}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    err = None
    for n, line in enumerate(lines, 1):
        if err is not None:
            # The error text: every line indented by two spaces, blank lines
            # allowed (stored as "" or "  "), verbatim otherwise.
            if line == "" or line == "  ":
                err.append("")
            elif line.startswith("  "):
                err.append(line[2:])
            else:
                raise CorpusError(f"{path}:{n}: error text lines start with two spaces")
            continue
        if not line.strip():
            raise CorpusError(f"{path}:{n}: blank line before Error:")
        m = re.match(r"^([A-Za-z-]+):(?: (.*))?$", line)
        if not m:
            raise CorpusError(f"{path}:{n}: expected 'Key: value'")
        key, value = m.group(1), (m.group(2) or "").strip()
        if key not in REQUIRED and key not in OPTIONAL:
            raise CorpusError(f"{path}:{n}: unknown field '{key}'")
        if key in case:
            raise CorpusError(f"{path}:{n}: field '{key}' twice")
        if key == "Error":
            if value:
                raise CorpusError(f"{path}:{n}: the error text starts on the next line")
            err = []
            case["Error"] = err
            continue
        if not value:
            raise CorpusError(f"{path}:{n}: empty '{key}'")
        case[key] = value
    for key in REQUIRED:
        if key not in case:
            raise CorpusError(f"{path}: missing '{key}'")
    while err and err[-1] == "":
        err.pop()
    if not err:
        raise CorpusError(f"{path}: empty error text")
    case["Error"] = "\n".join(err) + "\n"
    for key in ("Confirmed", "Ambiguous"):
        if case[key] not in YES_NO:
            raise CorpusError(f"{path}: {key} is yes or no")
    if not re.match(r"^https?://", case["URL"]):
        raise CorpusError(f"{path}: URL is not a URL")
    if causes is not None and case["Cause"] not in causes:
        raise CorpusError(f"{path}: unknown cause '{case['Cause']}'")
    if tools is not None and case["Tool"] != "other" and case["Tool"] not in tools:
        raise CorpusError(f"{path}: unknown tool '{case['Tool']}'")
    for rx in _KEY_RES:
        if rx.search(case["Error"]) or rx.search(case["Note"]):
            raise CorpusError(f"{path}: looks like a whole key: store it in label form")
    case["split"] = split_of(case)
    return case


def load(corpus_dir=None):
    corpus_dir = corpus_dir or HERE
    causes = load_causes()
    tools = load_tools()
    cases = []
    for name in sorted(os.listdir(corpus_dir)):
        if name.endswith(".report"):
            cases.append(parse(os.path.join(corpus_dir, name), causes, tools))
    urls = {}
    for c in cases:
        prev = urls.setdefault(c["URL"] + "\0" + c["Error"], c["file"])
        if prev != c["file"]:
            raise CorpusError(f"{c['file']}: same URL and text as {prev}")
    return cases
