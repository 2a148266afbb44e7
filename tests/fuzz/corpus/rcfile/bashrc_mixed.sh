cat <<EOF
export NO=1
EOF
export A=1
cat <<-"END" >x; export B=2
	export NO2=1
	END
export C=a\
b
export \
  D=4
f() {
  export E=5
}
export F=6
case $x in
  a) export G=7;;
  b|c) export H=8 ;;
esac
export I=9
[ -f x ] && export J=10
[ -f x ] && { export K=11; export L=12; }
export M=13 || true
function g {
 export N=14
}
function h()
{
 export O=15
}
export P=16
export Q="multi
line"
export R=17
(export S=18)
export T=19; declare -x U=20; typeset -gx V=21; readonly W=22; local X=23; declare Y=24; export -n Z=25
AA=(1 2
3)
export BB=$'a\tb\'c\x41\u00e9'
for i in 1 2; do export CC=1; done
export DD=ok
if a; then
  if b; then export EE=1; fi
  export FF=1
fi
export GG=ok
echo "it's $(echo ")")" ; export HH=ok
export II="a\"b\\c\$d\`e\f"
