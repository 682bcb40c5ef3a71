# Sourced by .ci/run and run.sh: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, then the `java` on PATH, then the newest JDK under /usr/lib/jvm.

switchboard_java_major() {
    "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

switchboard_select_jdk() {
    local candidate major best="" best_major=0
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        major=$(switchboard_java_major "$JAVA_HOME/bin/java")
        if [ "${major:-0}" -ge 21 ]; then
            return 0
        fi
    fi
    if command -v java >/dev/null 2>&1; then
        candidate=$(readlink -f "$(command -v java)")
        major=$(switchboard_java_major "$candidate")
        if [ "${major:-0}" -ge 21 ]; then
            export JAVA_HOME="${candidate%/bin/java}"
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/*/bin/java; do
        [ -x "$candidate" ] || continue
        major=$(switchboard_java_major "$candidate")
        if [ "${major:-0}" -gt "$best_major" ]; then
            best_major=$major
            best="${candidate%/bin/java}"
        fi
    done
    if [ "$best_major" -ge 21 ]; then
        export JAVA_HOME="$best"
        return 0
    fi
    echo "Switchboard needs a JDK 21 or newer; none found in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
    echo "Install one (for example Temurin 21 or 25) and set JAVA_HOME." >&2
    return 1
}

switchboard_select_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
