#!/usr/bin/env bash
# The shell completions (contrib/completions): each script parses in its
# shell (bash -n, zsh -n, fish -n), and what bash and fish offer is what a
# user gets at the prompt: the commands, the options of the command typed,
# and after --tool the tool ids of the ordoctor being completed (a profile
# the user added under ~/.config/ordoctor/tools too).
# usage: tests/completions.sh BUILD/ordoctor
# Ends with "N passed, N failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/contrib/completions
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'; }

for sh in bash zsh fish; do
	command -v $sh >/dev/null || { bad "$sh is not installed (scripts/deps.sh --completions)"; continue; }
done
bash -n "$dir/ordoctor.bash" 2>&1 && ok "bash -n ordoctor.bash" || bad "bash -n ordoctor.bash"
zsh -n "$dir/_ordoctor" 2>&1 && ok "zsh -n _ordoctor" || bad "zsh -n _ordoctor"
fish -n "$dir/ordoctor.fish" 2>&1 && ok "fish -n ordoctor.fish" || bad "fish -n ordoctor.fish"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home/.config/ordoctor/tools" "$tmp/bin" "$tmp/other/.config/ordoctor/tools"
ln -s "$bin" "$tmp/bin/ordoctor"
printf 'id: slashy\nname: Slashy\npresent: dir ~/.slashy\nbase-form: openai\nkey: env OPENROUTER_API_KEY\n' \
	>"$tmp/home/.config/ordoctor/tools/slashy"
printf 'id: elsewhere\nname: Elsewhere\npresent: dir ~/.x\nbase-form: openai\nkey: env OPENROUTER_API_KEY\n' \
	>"$tmp/other/.config/ordoctor/tools/elsewhere"
export HOME=$tmp/home PATH=$tmp/bin:$PATH
unset XDG_CONFIG_HOME
ids=$("$bin" tools --list-ids | sort | tr '\n' ' ')

# bash: what the completion function offers for a command line (the last
# word is the one being completed), sorted, on one line
offers() {
	bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
		_ordoctor
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$dir/ordoctor.bash" "$@"
}
expect() { # name got want
	if [ "$2" = "$3" ]; then ok "bash: $1"; else bad "bash: $1" "got:  $2
want: $3"; fi
}
has() { # name got word...
	local name=$1 got=$2 w
	shift 2
	for w; do
		case " $got" in *" $w "*) ;; *) bad "bash: $name" "'$w' missing from: $got"; return ;; esac
	done
	ok "bash: $name"
}

expect "commands" "$(offers ordoctor '')" "check env explain fix help keys mock probe proxy report run tools verify version "
expect "commands by prefix" "$(offers ordoctor t)" "tools "
expect "every tool id after check --tool" "$(offers ordoctor check --tool '')" "$ids"
has "the user's own profile after --tool" "$ids" slashy aider claude-code zed
expect "tool ids by prefix" "$(offers ordoctor check --tool cl)" "claude-code claude-code-router cline "
expect "tool ids after --tool= " "$(offers ordoctor --tool = cod)" "codex "
# the ids starting with "op", as the binary lists them (new profiles come and go)
op_ids=$(printf '%s\n' $ids | grep '^op' | tr '\n' ' ')
expect "tool ids for explain --check --tool" "$(offers ordoctor explain --check --tool op)" "$op_ids"
expect "tool ids for run --tool" "$(offers ordoctor run --tool ai)" "aider "
expect "tool ids of the home named by --home" "$(offers ordoctor --home "$tmp/other" check --tool el)" "elsewhere "
has "tools options" "$(offers ordoctor tools --)" --all --list-ids --json --format --offline --home --etc
has "check options (no command typed)" "$(offers ordoctor --)" --tool --chat --list-checks --error --json
has "keys options" "$(offers ordoctor keys --s)" --scan
has "report options" "$(offers ordoctor report --)" --output --force --no-state
has "verify options" "$(offers ordoctor verify --)" --key-file --env --stdin
has "mock options" "$(offers ordoctor mock --)" --keys --listen --incident --now
expect "formats" "$(offers ordoctor --format '')" "json markdown text "
expect "formats after --format=" "$(offers ordoctor check --format = m)" "markdown "
has "a command after run --" "$(offers ordoctor run -- ordoct)" ordoctor

# fish: `complete -C` is what the prompt shows (first column)
fcomp() { fish -c "source '$dir/ordoctor.fish'; complete -C '$1'" | cut -f1 | sort | tr '\n' ' '; }
if command -v fish >/dev/null; then
	got=$(fcomp 'ordoctor check --tool ')
	[ "$got" = "$ids" ] && ok "fish: every tool id after check --tool" || bad "fish: tool ids" "got:  $got
want: $ids"
	got=$(fcomp 'ordoctor t')
	[ "$got" = "tools " ] && ok "fish: commands by prefix" || bad "fish: commands by prefix" "got: $got"
	got=$(fcomp 'ordoctor tools --')
	case "$got" in *--list-ids*--offline*) ok "fish: tools options" ;; *) bad "fish: tools options" "got: $got" ;; esac
fi

# zsh: a terminal (zpty) running `zsh -f -i` with compinit and the
# completion directory first on fpath types the line and TAB TAB; what the
# screen then shows (escapes removed) must hold the text
if command -v zsh >/dev/null; then
	cat >"$tmp/zc.zsh" <<'ZSH'
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT='%% '; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -d $2/zcompdump; LISTMAX=1000"
sleep 1
zpty -r -t z junk
zpty -n -w z "$3"$'\t\t'
sleep 2
out=
while zpty -r -t z chunk; do out+=$chunk; done
print -r -- "$out"
zpty -d z
ZSH
	zshows() { # name line text...
		local name=$1 line=$2 got w
		shift 2
		got=$(timeout 30 zsh -f "$tmp/zc.zsh" "$dir" "$tmp" "$line" 2>&1 | tr -d '\r' |
			sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/.\x08//g')
		for w; do
			case "$got" in *"$w"*) ;; *) bad "zsh: $name" "'$w' not shown after '$line<TAB><TAB>':
$got"; return ;; esac
		done
		ok "zsh: $name"
	}
	zshows "tool ids after check --tool" 'ordoctor check --tool cl' claude-code-router cline
	zshows "a tool id completed, the user's own profile" 'ordoctor check --tool sla' 'check --tool slashy'
	zshows "tool ids with no command typed" 'ordoctor --tool cod' '--tool codex'
	zshows "commands" 'ordoctor --offline ve' 'verify' 'version'
	zshows "tools options" 'ordoctor tools --li' 'tools --list-ids'
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
