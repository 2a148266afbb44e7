# fish completion for ordoctor(1); installed as
# share/fish/vendor_completions.d/ordoctor.fish.  Tool ids come from the
# ordoctor being completed (`ordoctor tools --list-ids`), so a profile added
# under ~/.config/ordoctor/tools completes too.

function __ordoctor_tool_ids
    set -l bin (commandline -opc)[1]
    command $bin tools --list-ids 2>/dev/null
end

# the command word, or nothing (then it is `check`)
function __ordoctor_cmd
    set -l words (commandline -opc)
    set -e words[1]
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case --
                return
            case --format --home --etc --api-base --ha-config --timeout --tool --context --error --chat -o --output
                set skip 1
            case '-*'
            case '*'
                echo $w
                return
        end
    end
end

function __ordoctor_using -a want
    set -l cmd (__ordoctor_cmd)
    test "$cmd" = "$want"; or begin; test "$want" = check; and test -z "$cmd"; end
end

set -l commands check keys tools verify explain proxy run probe env fix report mock help version
complete -c ordoctor -f

# commands
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a check -d 'diagnose why OpenRouter answers 401 (the default)'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a keys -d 'every credential found, where, what is wrong'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a tools -d 'the key and base URL each tool would send'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a verify -d 'check one key live'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a explain -d 'classify an error message or logs, offline'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a proxy -d 'a loopback proxy showing the key each request sent'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a run -d 'run a command through the proxy'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a probe -d 'repeat one-token requests, classify the failures'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a env -d 'what a terminal, cron, systemd or bash -c sees of a variable'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a fix -d 'show (or --apply) the verdict\'s fix in a file of yours'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a report -d 'a redacted markdown report for an issue'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a mock -d 'a local OpenRouter simulator'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a help -d 'show the help'
complete -c ordoctor -n "not __fish_seen_subcommand_from $commands" -a version -d 'print the version'

# global options, valid with every command
complete -c ordoctor -l json -d 'one JSON document on standard output'
complete -c ordoctor -l format -x -a 'text json markdown' -d 'output format'
complete -c ordoctor -l offline -d 'no network at all'
complete -c ordoctor -l no-state -d 'neither read nor record the last good state'
complete -c ordoctor -l run-helpers -d 'run the commands keys come from (apiKeyHelper, pass, op)'
complete -c ordoctor -l home -x -a '(__fish_complete_directories)' -d 'inspect another home directory'
complete -c ordoctor -l etc -x -a '(__fish_complete_directories)' -d 'inspect another /etc'
complete -c ordoctor -l api-base -x -a 'https://openrouter.ai/api/v1' -d 'another OpenRouter endpoint'
complete -c ordoctor -l ha-config -x -a '(__fish_complete_directories)' -d 'accepted, not used yet'
complete -c ordoctor -l timeout -x -d 'limit for every network operation (seconds)'
complete -c ordoctor -l no-color -d 'no colours'
complete -c ordoctor -s q -l quiet -d quieter
complete -c ordoctor -s v -l verbose -d 'more verbose'
complete -c ordoctor -s h -l help -d 'show the help'
complete -c ordoctor -s V -l version -d 'print the version'

# check (also plain `ordoctor`)
complete -c ordoctor -n '__ordoctor_using check' -l tool -x -a '(__ordoctor_tool_ids)' -d 'focus on one tool'
complete -c ordoctor -n '__ordoctor_using check' -l context -x -a 'bash bash-login bash-lc bash-c zsh zsh-login zsh-c fish cron systemd graphical' -d 'judge as if started from a start context'
complete -c ordoctor -n '__ordoctor_using check' -l error -r -F -d 'read a pasted error with this machine\'s facts'
complete -c ordoctor -n '__ordoctor_using check' -l chat -d 'add a one-token completion probe'
complete -c ordoctor -n '__ordoctor_using check' -l list-checks -d 'list the named checks'

complete -c ordoctor -n '__ordoctor_using fix' -l apply -d 'write the change (default: show it)'
complete -c ordoctor -n '__ordoctor_using fix' -l tool -x -a '(__ordoctor_tool_ids)' -d 'fix the key that tool sends'

complete -c ordoctor -n '__ordoctor_using report' -s o -l output -r -F -d 'write the report to a file'
complete -c ordoctor -n '__ordoctor_using report' -l force -d 'replace the file when it exists'

complete -c ordoctor -n '__ordoctor_using keys' -l scan -x -a '(__fish_complete_directories)' -d 'find keys in the text files of a tree'

complete -c ordoctor -n '__ordoctor_using tools' -l all -d 'list absent tools too'
complete -c ordoctor -n '__ordoctor_using tools' -l list-ids -d 'print the tool ids only'
complete -c ordoctor -n '__ordoctor_using tools' -l context -x -a 'bash bash-login bash-lc bash-c zsh zsh-login zsh-c fish cron systemd graphical' -d 'as if started from a start context'

complete -c ordoctor -n '__ordoctor_using verify' -l key-file -r -F -d 'read the key from a file'
complete -c ordoctor -n '__ordoctor_using verify' -l env -x -a '(set -nx)' -d 'read the key from an environment variable'
complete -c ordoctor -n '__ordoctor_using verify' -l stdin -d 'read the key from standard input'

complete -c ordoctor -n '__ordoctor_using explain' -F
complete -c ordoctor -n '__ordoctor_using explain' -l check -d 'read the error with this machine\'s facts'
complete -c ordoctor -n '__ordoctor_using explain' -l tool -x -a '(__ordoctor_tool_ids)' -d 'the tool that printed the error'
complete -c ordoctor -n '__ordoctor_using explain' -l top -x -d 'how many causes to show'
complete -c ordoctor -n '__ordoctor_using explain' -l signatures -r -F -d 'more signatures'
complete -c ordoctor -n '__ordoctor_using explain' -l known-bugs -r -F -d 'more known bugs'
complete -c ordoctor -n '__ordoctor_using explain' -l no-progress -d 'no progress line'
complete -c ordoctor -n '__ordoctor_using explain' -l dump-patterns -d 'print the compiled patterns'

for c in proxy run
    complete -c ordoctor -n "__ordoctor_using $c" -l listen -x -d 'HOST:PORT to listen on'
    complete -c ordoctor -n "__ordoctor_using $c" -l upstream -x -a 'https://openrouter.ai/api/v1' -d 'endpoint to forward to'
    complete -c ordoctor -n "__ordoctor_using $c" -l tool -x -a '(__ordoctor_tool_ids)' -d 'the tool whose requests these are'
    complete -c ordoctor -n "__ordoctor_using $c" -l max-body -x -d 'largest body looked at (bytes)'
    complete -c ordoctor -n "__ordoctor_using $c" -l upstream-timeout -x -d 'limit for the upstream answer (seconds)'
    complete -c ordoctor -n "__ordoctor_using $c" -l log-bodies -d 'log bodies, keys redacted'
end
# run -- COMMAND ARGS...
complete -c ordoctor -n '__ordoctor_using run; and contains -- -- (commandline -opc)' -a '(__fish_complete_subcommand --fcs-skip=3)'

complete -c ordoctor -n '__ordoctor_using mock' -l keys -r -F -d 'the keys file'
complete -c ordoctor -n '__ordoctor_using mock' -l listen -x -d 'HOST:PORT to listen on'
complete -c ordoctor -n '__ordoctor_using mock' -l latency-ms -x -d 'delay every answer'
complete -c ordoctor -n '__ordoctor_using mock' -l incident -d 'every authenticated call answers 401'
complete -c ordoctor -n '__ordoctor_using mock' -l flaky -x -d 'PROVIDER:RATE failing'
complete -c ordoctor -n '__ordoctor_using mock' -l redirect-http -d 'redirect plain http'
complete -c ordoctor -n '__ordoctor_using mock' -l request-log -r -F -d 'log requests to a file'
complete -c ordoctor -n '__ordoctor_using mock' -l legacy-missing-auth -d 'the old answer to a missing key'
complete -c ordoctor -n '__ordoctor_using mock' -l management-status -x -a '401 403' -d 'status for a management key'
complete -c ordoctor -n '__ordoctor_using mock' -l credits-any-key -d 'answer /credits for any key'
complete -c ordoctor -n '__ordoctor_using mock' -l now -x -d 'the mock\'s clock'

# probe and env
complete -c ordoctor -n '__ordoctor_using probe' -l tool -x -a '(__ordoctor_tool_ids)' -d 'the key that tool would send'
complete -c ordoctor -n '__ordoctor_using probe' -l env -x -a '(set -nx)' -d 'the key in an environment variable'
complete -c ordoctor -n '__ordoctor_using probe' -l key-file -r -F -d 'the key on the first line of a file'
complete -c ordoctor -n '__ordoctor_using probe' -l model -x -d 'a model to try'
complete -c ordoctor -n '__ordoctor_using probe' -s n -x -d 'rounds of requests'
complete -c ordoctor -n '__ordoctor_using probe' -l interval -x -d 'seconds between rounds'
complete -c ordoctor -n '__ordoctor_using probe' -l allow-cost -d 'allow a model that is not free'
complete -c ordoctor -n '__ordoctor_using env' -x -a '(set -nx)' -d 'a variable'
