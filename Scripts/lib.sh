# Shared helpers for the scripts in Scripts/ and .ci/. Source it, don't run it:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Repo root = parent of the directory holding this file, so scripts work
# from any working directory.
reel_root() {
    (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
}

# Make `swift` callable. The toolchain on our machines lives in /opt/swift
# and is not always on PATH for non-login shells (CI, sudo, cron).
reel_ensure_path() {
    if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    fi
}

# Print a stage banner on stderr so it stands out from tool output.
reel_stage() {
    printf '\n==> %s\n' "$*" >&2
}
