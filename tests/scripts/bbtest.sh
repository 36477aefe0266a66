# Debian's busybox-static (glibc, unmodified) runs this on Relay and on the host's Linux;
# the test runner checks that both print the same lines (tools/relaytool/busybox.py).
# Usage: busybox sh bbtest.sh SCRATCH-DIR [BUSYBOX-PATH]   (applets run as "$bb NAME")
bb=${2:-busybox}
d=$1/bbtest.$$
$bb mkdir -p "$d" || exit 2
cd "$d" || exit 2
echo "start"
echo a b c | $bb wc -w
printf '%s\n' pear apple fig apple | $bb sort | $bb uniq -c | $bb sed 's/^ *//'
x=$($bb expr 6 \* 7); echo "expr=$x"
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo "loop=$i"
for w in one two three; do printf '%s,' "$w"; done; echo
(exit 3); echo "subshell=$?"
$bb sh -c 'exit 4'; echo "child=$?"
echo "line 1" > f; echo "line 2" >> f; $bb cat f | $bb tail -1
$bb mkdir -p a/b/c && echo deep > a/b/c/file && $bb find a | $bb sort
$bb cp a/b/c/file copy && $bb mv copy moved && $bb cat moved
$bb ln -s moved link && $bb readlink link && $bb cat link
$bb rm -r a && [ ! -e a ] && echo "removed"
$bb stat -c '%s %F' f
$bb awk 'BEGIN { s = 0; for (i = 1; i <= 10; i++) s += i; print "awk=" s }'
cat <<END | $bb tr a-z A-Z
here document
END
$bb seq 1 1000 | $bb md5sum
$bb head -c 100000 /dev/zero | $bb wc -c
read -r first < f; echo "read=$first"
trap 'echo "trapped USR1"' USR1
kill -USR1 $$
$bb sleep 10 &
pid=$!
kill -TERM $pid
{ wait $pid; } 2>/dev/null; echo "killed=$?"	# ash may report "Terminated": timing
$bb sleep 0.05 && echo "slept"
$bb true | $bb false; echo "pipeline=$?"
echo x | { read -r v; echo "brace=$v"; }
set -- p q r; echo "args=$# $2"
case hello in h*) echo "case=h";; *) echo "case=other";; esac
$bb env -i A=1 $bb env
umask 027; : > masked; $bb stat -c '%a' masked
cd /
$bb rm -r "$d" && echo "cleaned"
echo "bbtest: done"
exit 5
