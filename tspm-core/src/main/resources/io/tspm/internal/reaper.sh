# TSPM companion reaper: kills a supervisor's children when the supervisor's JVM dies.
# Reads "+ PID STARTTICKS" (register a child that leads its own session) and "- PID" (forget it)
# from stdin. At EOF (the JVM exited or was killed) it SIGKILLs every registered child whose start
# time still matches, and every process in that child's session. A reused pid is never touched.
trap '' HUP INT
reg=' '
while read -r op pid start; do
  case $op in
    +) reg="$reg$pid:$start " ;;
    -) case $reg in
         *" $pid:"*) pre=${reg%%" $pid:"*}; post=${reg#*" $pid:"}; reg="$pre ${post#* }" ;;
       esac ;;
  esac
done
# A zombie (state Z, or X while it is being reaped) is already dead: kill still succeeds on it, so
# it is skipped, and the scan ends with the first pass that finds no live member of a session.
sids=' '
for e in $reg; do
  pid=${e%%:*}; start=${e#*:}
  if { read -r line < "/proc/$pid/stat"; } 2>/dev/null; then
    set -- ${line##*") "}
    [ "${20}" = "$start" ] || continue
    # Its process group first (most of a session, at once); the scan below finds the rest.
    case $1 in Z|X) ;; *) kill -KILL "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null ;; esac
  fi
  sids="$sids$pid "
done
[ "$sids" = ' ' ] && exit 0
pass=0
while [ $pass -lt 5 ]; do
  pass=$((pass + 1)); found=0
  for f in /proc/[0-9]*/stat; do
    { read -r line < "$f"; } 2>/dev/null || continue
    set -- ${line##*") "}
    case $1 in Z|X) continue ;; esac
    case $sids in *" $4 "*) kill -KILL "${line%% *}" 2>/dev/null && found=1 ;; esac
  done
  [ $found = 1 ] || break
done
exit 0
