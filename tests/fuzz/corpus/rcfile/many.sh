export A=1 B=2 C=3; D=4 cmd; declare -x E=5; typeset -gx F=6; readonly G=7
ARR=(a b
c)
[[ -f x && -n y ]] && export H=8 || export I=9
