export A='unterminated
export B="also
export C=`tick
echo $(open
