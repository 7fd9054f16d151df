# What ./slabworks test prints of the Maven log (the whole log goes to target/test.log): a line per module
# when its tests are done, the failures Surefire lists, what Maven says went wrong, and the totals in
# Surefire's own form ("Tests run: N, Failures: F, Errors: E, Skipped: S"), which CI reads.
# Input: the output of ./mvnw -B verify. POSIX awk (mawk, gawk, busybox).
# A parallel build (-T) interleaves the modules' lines; ./slabworks test then has Maven prefix each line with its
# thread's name ("[mvn-builder-slabworks-api] [INFO] ..."), one thread per module being built, and everything below
# is kept per thread. Lines without the prefix (a serial build) are all one thread's.

function flush_out() { fflush() }

# every line: its thread (t) taken off the front; a line without one continues the line before (a message of
# several lines, such as a failure's), whose thread it keeps
{
    if (match($0, /^\[[^]\[]+\] \[(INFO|WARNING|ERROR|DEBUG)\]/)) {
        t = substr($0, 2, index($0, "]") - 2)
        $0 = substr($0, index($0, "]") + 2)
    }
}

# "[INFO] Building slabworks api 0.1.0-SNAPSHOT   [2/7]" ("[n/m]" only in a multi-module build), then
# "[INFO]   from api/pom.xml": the module is its directory ("Building jar: ..." is another plugin's line)
/^\[INFO\] Building [^:]+$/ {
    module = $0
    sub(/^\[INFO\] Building /, "", module)
    sub(/ +\[[0-9]+\/[0-9]+\]$/, "", module)
    sub(/ [^ ]+$/, "", module)
    sub(/^.* /, "", module)
    modname[t] = module
    next
}
/^\[INFO\]   from .*pom\.xml$/ {
    dir = $0
    sub(/^\[INFO\]   from /, "", dir)
    sub(/\/?pom\.xml$/, "", dir)
    sub(/^.*\//, "", dir) # a build of some modules (-pl) names all but the first by their absolute path
    if (dir != "") modname[t] = dir
    next
}

# "[INFO] --- surefire:3.5.4:test (safety-with-c2) @ ...": a module's second test run is named after its execution
/^\[INFO\] --- surefire:[^ ]+:test \([^)]+\) @ / {
    run_id = $0
    sub(/^.*:test \(/, "", run_id)
    sub(/\).*$/, "", run_id)
    execution[t] = run_id
    next
}

/^\[(INFO|WARNING|ERROR)\] Results:$/ { in_results[t] = 1; listed[t] = 0; failed_lines[t] = ""; next }

# the module's summary closes its Results section
in_results[t] && /^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$/ {
    line = $0
    sub(/^\[[A-Z]+\] /, "", line)
    split(line, f, /[:,] */)
    run = f[2] + 0; failures = f[4] + 0; errors = f[6] + 0; skipped = f[8] + 0
    label = modname[t]
    if (execution[t] == "safety-with-c2") label = label " safety/C2" # the module's second run: its safety suites
    else if (execution[t] != "" && execution[t] != "default-test") label = label " " execution[t]
    printf "  %-34s %5d tests, %d failed, %d errors, %d skipped%s\n", label, run, failures, errors, skipped, \
        (failures + errors > 0 ? "  <<< FAILED" : "")
    printf "%s", failed_lines[t]
    flush_out()
    total_run += run; total_failures += failures; total_errors += errors; total_skipped += skipped
    if (!(modname[t] in counted)) { counted[modname[t]] = 1; modules++ }
    in_results[t] = 0
    next
}

# inside Results: Surefire's list of failures and errors (one per test, with its message), printed under the
# module's line
in_results[t] {
    line = $0
    sub(/^\[[A-Z]+\] ?/, "", line)
    if (line ~ /^[ \t]*$/) next
    if (++listed[t] <= 40) failed_lines[t] = failed_lines[t] "    " line "\n"
    else if (listed[t] == 41) failed_lines[t] = failed_lines[t] "    ... (the rest in the log)\n"
    next
}

/^\[(INFO|ERROR)\] BUILD (SUCCESS|FAILURE)$/ { build = $0; sub(/^\[[A-Z]+\] /, "", build); next }
/^\[INFO\] Total time: / { took = $0; sub(/^\[INFO\] Total time: +/, "", took); next }

# after BUILD FAILURE, Maven says what failed (a compiler error, a plugin); its advice lines are left out
build == "BUILD FAILURE" && /^\[ERROR\] ./ {
    line = $0
    sub(/^\[ERROR\] /, "", line)
    if (line ~ /^(-> \[Help|To see the full stack trace|Re-run Maven|For more information|\[Help [0-9]|After correcting|  mvn <args>|See dump files)/) next
    if (++reported <= 20) { print "  " line; flush_out() }
    next
}

END {
    if (modules == 0) {
        printf "No tests ran"
    } else {
        printf "Tests run: %d, Failures: %d, Errors: %d, Skipped: %d\n", total_run, total_failures, total_errors, total_skipped
        printf "%d passed, %d failed", total_run - total_failures - total_errors - total_skipped, total_failures + total_errors
        if (total_skipped > 0) printf ", %d skipped", total_skipped
        printf " in %d module%s", modules, (modules == 1 ? "" : "s")
    }
    if (build != "") printf ": %s%s", build, (took != "" ? " (" took ")" : "")
    print ""
}
