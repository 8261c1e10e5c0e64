# Sourced by .ci/run: starts SmolLM2 (tools/local-model) and exports KAM_TEST_LOCAL_MODEL_URL.
# A failure to install or start is printed and leaves the variable unset, so the end-to-end tests
# report the reason instead of CI stopping here.
kam_local_model_log="$root/.build/local-model.log"
if kam_local_model_out=$("$root/tools/local-model" --background --max-seconds 3600 --log "$kam_local_model_log"); then
    export KAM_TEST_LOCAL_MODEL_URL=$(printf '%s\n' "$kam_local_model_out" | head -n 1)
    kam_local_model_pid=$(printf '%s\n' "$kam_local_model_out" | sed -n 's/^pid=//p')
    kam_on_exit+=('kill "$kam_local_model_pid" 2>/dev/null')
    echo "services: local model at $KAM_TEST_LOCAL_MODEL_URL (pid $kam_local_model_pid)"
else
    echo "services: WARNING: tools/local-model failed (see $kam_local_model_log); its end-to-end tests will be skipped with this reason" >&2
    unset KAM_TEST_LOCAL_MODEL_URL
fi
