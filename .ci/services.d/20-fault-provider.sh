# Sourced by .ci/run: starts tools/fault-provider and exports KAM_TEST_FAULT_PROVIDER_URL.
# (Without it the tests start their own instance; this one is shared by the whole run.)
kam_fault_log="$root/.build/fault-provider.log"
mkdir -p "$root/.build"
python3 "$root/tools/fault-provider" --port 0 --max-seconds 3600 --hang-seconds 20 >"$kam_fault_log" 2>&1 &
kam_fault_pid=$!
for _ in $(seq 1 50); do
    kam_fault_url=$(head -n 1 "$kam_fault_log" 2>/dev/null || true)
    case "$kam_fault_url" in http://127.0.0.1:*) break ;; esac
    sleep 0.1
done
case "${kam_fault_url:-}" in
    http://127.0.0.1:*)
        export KAM_TEST_FAULT_PROVIDER_URL="$kam_fault_url"
        echo "services: fault provider at $KAM_TEST_FAULT_PROVIDER_URL (pid $kam_fault_pid)"
        ;;
    *)
        echo "services: WARNING: tools/fault-provider did not start (see $kam_fault_log); the tests will start their own" >&2
        ;;
esac
# Stop it when CI ends (.ci/run's EXIT trap runs kam_on_exit).
kam_on_exit+=('kill "$kam_fault_pid" 2>/dev/null')
