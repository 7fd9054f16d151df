#!/usr/bin/env bash
# Follows docs/writing-a-strategy.md, section 9 ("A strategy in a jar of its own"), as written: in a scratch
# directory outside the checkout, it writes each block marked "<!-- walkthrough: file PATH -->" to PATH and runs each
# block marked "<!-- walkthrough: run -->" with bash, in order, with SLABWORKS set to this checkout. Then it checks
# what the last steps printed: the plugin's strategy listed by ./slabworks strategies, its knobs by knobs, and a row
# of its own in the bench table.
#
#   scripts/plugin-walkthrough.sh [SCRATCH_DIR]    (default: a fresh directory under $TMPDIR, removed afterwards)
#
# It installs api, testkit and the parent POM into the local Maven repository (~/.m2), as the guide says, builds the
# harness first when its jar is missing, and takes about a minute on an idle 2-vCPU machine. Exit 0 when every step
# ran and every check held; otherwise 1, naming the step or the check.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GUIDE="$ROOT/docs/writing-a-strategy.md"

fail() {
  echo "plugin-walkthrough: $*" >&2
  exit 1
}

# Maven needs JAVA_HOME on a JDK 25 or newer; the launcher's own search finds one the same way.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9.]*\).*/\1/p' | cut -d. -f1
}
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 25 ] 2>/dev/null; then
  for c in /usr/lib/jvm/*/bin/java; do
    v="$(java_major "$c")"
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      export JAVA_HOME="$(cd "$(dirname "$c")/.." && pwd)"
      break
    fi
  done
fi
[ -n "${JAVA_HOME:-}" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 25 ] || fail "no JDK 25 found; set JAVA_HOME"
# Maven's own JVM runs briefly: C1 alone halves its CPU time (as .mvn/jvm.config does for the checkout's builds, which
# the plugin's directory, outside the checkout, does not see).
export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-XX:TieredStopAtLevel=1"

if [ $# -ge 1 ]; then
  SCRATCH="$1"
  mkdir -p "$SCRATCH"
else
  SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/slabworks-walkthrough.XXXXXX")"
  trap 'rm -rf "$SCRATCH"' EXIT
fi
case "$SCRATCH" in "$ROOT"|"$ROOT"/*) fail "the scratch directory must be outside the checkout: $SCRATCH" ;; esac
WORK="$SCRATCH/my-fit"
STEPS="$SCRATCH/steps"
rm -rf "$WORK" "$STEPS"
mkdir -p "$WORK" "$STEPS"

# The guide's marked blocks, in order: steps/NN.run (a shell block) or steps/NN.file with its path in steps/NN.path.
awk -v dir="$STEPS" '
  /^<!-- walkthrough: run -->$/ { kind = "run"; next }
  /^<!-- walkthrough: file [^ ]+ -->$/ { kind = "file"; path = $4; next }
  kind != "" && /^```/ && !inside { inside = 1; n++; out = sprintf("%s/%02d.%s", dir, n, kind);
                                    if (kind == "file") print path > sprintf("%s/%02d.path", dir, n); next }
  inside && /^```/ { inside = 0; kind = ""; close(out); next }
  inside { print > out }
' "$GUIDE"
[ -n "$(ls "$STEPS")" ] || fail "no marked blocks in $GUIDE"

export SLABWORKS="$ROOT"
OUT="$SCRATCH/last-step.out"
for step in $(ls "$STEPS" | grep -E '\.(run|file)$' | sort); do
  case "$step" in
    *.file)
      path="$(cat "$STEPS/${step%.file}.path")"
      mkdir -p "$(dirname "$WORK/$path")"
      cp "$STEPS/$step" "$WORK/$path"
      echo "plugin-walkthrough: wrote $path" >&2
      ;;
    *.run)
      echo "plugin-walkthrough: step ${step%.run}:" >&2
      sed 's/^/  $ /' "$STEPS/$step" >&2
      (cd "$WORK" && bash -euo pipefail "$STEPS/$step") 2>&1 | tee "$OUT" || fail "step ${step%.run} failed (see above)"
      ;;
  esac
done

# What the last step printed: the strategies table, the knobs, the bench table.
grep -qE '^my-fit +strategy +available' "$OUT" || fail "./slabworks --plugin ... strategies did not list my-fit"
grep -qE '^myfit\.chunk\.size .* my-fit ' "$OUT" || fail "./slabworks --plugin ... knobs did not list myfit.chunk.size under my-fit"
grep -qE '^my-fit +strategy +[0-9.]+M' "$OUT" || fail "the bench table has no row for my-fit"
grep -qE '^segregated-fit +strategy +[0-9.]+M' "$OUT" || fail "the bench table has no row for segregated-fit"
[ -f "$WORK/target/surefire-reports/TEST-com.example.myfit.SegregatedFitContractTest.xml" ] \
  || fail "the plugin's contract suite did not run"
echo "plugin-walkthrough: the guide's plugin built, passed its contract and safety suites, and ran beside the built-in strategies" >&2
