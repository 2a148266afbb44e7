# bash completion for ordoctor(1)                          -*- shell-script -*-
# Installed as share/bash-completion/completions/ordoctor.  Self-contained:
# it does not need the bash-completion package's helpers.  Tool ids come from
# the ordoctor being completed (`ordoctor tools --list-ids`), so a profile
# added under ~/.config/ordoctor/tools completes too.

_ordoctor_tool_ids()
{
	local bin=${COMP_WORDS[0]} i
	local -a extra=()
	# a --home on the line names the home whose profiles count
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--home) extra=(--home "${COMP_WORDS[i + 1]}") ;;
		esac
	done
	command "$bin" "${extra[@]}" tools --list-ids 2>/dev/null
}

_ordoctor()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local commands="check keys tools verify explain proxy run probe env fix report mock help version"
	local globals="--json --format --offline --no-state --run-helpers --home --etc --api-base --ha-config
		--timeout --no-color --quiet --verbose --help --version"
	local proxy_opts="--listen --upstream --tool --max-body --upstream-timeout --log-bodies"
	local cmd="" dashdash=0 i w

	# --opt=value: COMP_WORDBREAKS splits at '='
	if [[ $cur == = ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		cur=""
	elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--)
			dashdash=$i
			break
			;;
		--format | --home | --etc | --api-base | --ha-config | --timeout | \
		--tool | --context | --error | --scan | --key-file | --env | --top | --signatures | \
		--known-bugs | --listen | --upstream | --max-body | --upstream-timeout | \
		--keys | --latency-ms | --flaky | --request-log | --management-status | --now | \
		--model | -n | --interval | -o | --output)
			((i++))
			;;
		-*) ;;
		*) [[ -z $cmd ]] && cmd=$w ;;
		esac
	done

	# ordoctor run [options] -- COMMAND ARGS...
	if ((dashdash)); then
		if ((COMP_CWORD == dashdash + 1)); then
			COMPREPLY=($(compgen -c -- "$cur"))
		else
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		return 0
	fi

	case $prev in
	--format)
		COMPREPLY=($(compgen -W "text json markdown" -- "$cur"))
		return 0
		;;
	--home | --etc | --ha-config | --scan)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0
		;;
	--tool)
		COMPREPLY=($(compgen -W "$(_ordoctor_tool_ids)" -- "$cur"))
		return 0
		;;
	--context)
		# the start contexts of `ordoctor env` (systemd:UNIT too)
		COMPREPLY=($(compgen -W "bash bash-login bash-lc bash-c zsh zsh-login zsh-c fish cron systemd graphical" -- "$cur"))
		return 0
		;;
	--error | --key-file | --signatures | --known-bugs | --keys | --request-log | \
	-o | --output)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	--env)
		COMPREPLY=($(compgen -e -- "$cur"))
		return 0
		;;
	--api-base | --upstream)
		COMPREPLY=($(compgen -W "https://openrouter.ai/api/v1" -- "$cur"))
		return 0
		;;
	--management-status)
		COMPREPLY=($(compgen -W "401 403" -- "$cur"))
		return 0
		;;
	--timeout | --top | --listen | --max-body | --upstream-timeout | --latency-ms | \
	--flaky | --now)
		return 0
		;;
	esac

	local opts
	case $cmd in
	"" | check) opts="--tool --context --error --chat --list-checks --no-state" ;;
	keys) opts="--scan" ;;
	probe) opts="--tool --env --key-file --model -n --interval --allow-cost" ;;
	tools) opts="--all --list-ids --context" ;;
	verify) opts="--key-file --env --stdin" ;;
	explain) opts="--check --tool --top --signatures --known-bugs --no-progress --dump-patterns" ;;
	proxy) opts=$proxy_opts ;;
	run) opts="$proxy_opts --" ;;
	fix) opts="--apply --tool --no-state" ;;
	report) opts="-o --output --force --no-state" ;;
	mock) opts="--keys --listen --latency-ms --incident --flaky --redirect-http --request-log
		--legacy-missing-auth --management-status --credits-any-key --now" ;;
	*) opts="" ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts $globals" -- "$cur"))
	elif [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
	elif [[ $cmd == env ]]; then
		COMPREPLY=($(compgen -e -- "$cur"))
	elif [[ $cmd == explain ]]; then
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
	return 0
}
complete -F _ordoctor ordoctor
