# Sourced by .ci/run: starts a throwaway PostgreSQL (tools/postgres) and exports KAM_TEST_POSTGRES_URL for the
# store conformance suites (Tests/KAMPostgresTests). KAM_REQUIRE_POSTGRES=1 makes a PostgreSQL case whose server
# is unreachable FAIL instead of being skipped, so a failure here shows up as failing tests, never as skips.
export KAM_REQUIRE_POSTGRES=1
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } \
        || echo "services: WARNING: apt-get could not install postgresql" >&2
fi
kam_postgres_log="$root/.build/postgres.log"
mkdir -p "$root/.build"
if kam_postgres_out=$("$root/tools/postgres" --background 2>"$kam_postgres_log"); then
    export KAM_TEST_POSTGRES_URL=$(printf '%s\n' "$kam_postgres_out" | head -n 1)
    kam_postgres_dir=$(printf '%s\n' "$kam_postgres_out" | sed -n 's/^dir=//p')
    kam_on_exit+=('"$root/tools/postgres" --stop "$kam_postgres_dir"')
    echo "services: PostgreSQL at ${KAM_TEST_POSTGRES_URL##*@} (data in $kam_postgres_dir)"
else
    echo "services: WARNING: tools/postgres failed (see $kam_postgres_log); the PostgreSQL tests will fail" >&2
    unset KAM_TEST_POSTGRES_URL
fi
