# Runs INSIDE the VM (tests/xfrm-kernel.sh), under bash: xfrm-two-sites.sh
# once per pair of emitted scripts (each subdirectory of /job/files), in
# fresh namespaces each time, so one boot checks them all.
set -u
rc=0
for d in /job/files/*/; do
  p=$(basename "$d")
  echo "== $p"
  mkdir -p "/out/$p"
  F=$d OUT=/out/$p bash /job/files/xfrm-two-sites.sh || rc=1
  ip -all netns delete
done
exit $rc
