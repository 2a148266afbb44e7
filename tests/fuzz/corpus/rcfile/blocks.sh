if [ -n "$PS1" ]; then
  case $TERM in
    xterm*) export A=1;;
  esac
fi
f() { export B=$(cat <<EOF
x
EOF
); }
cat <<-END
	END
export C=$'\x41\u00e9'
