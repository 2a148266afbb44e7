set -gx A value
set -Ux B 'it\'s'
set --export --global C "x $HOME"
set -x D v1 v2 v3
set E local_var
set -e F
set -q G
set -gx H $OPENROUTER_API_KEY
if status is-interactive
    set -gx I 1
else if test x
    set -gx J 2
end
set -gx K (cat ~/.key)
set -gx L2 $(cat ~/.key)
export M=1
set -gx N a\nb\x41
and set -gx O 1
begin
  set -gx P 1
end
function f
  set -gx Q 1
end
set -gx R "done" # comment
set -gx S
