set -gx OPENROUTER_API_KEY (security find-generic-password -s or -w)
set -x PATH $PATH ~/.local/bin
if status is-interactive; and test -f ~/.k
  set -Ux K "v"
end
