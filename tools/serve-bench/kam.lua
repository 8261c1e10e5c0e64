-- wrk script for `kam-bench serve` (tools/serve-bench/run starts it).
--
--   wrk -t1 -c32 -d10s -s kam.lua http://127.0.0.1:PORT -- PATH KEY CLIENTS
--
-- Every request is GET PATH; a `{client}` in PATH becomes a random one of the CLIENTS synthetic clients
-- (SyntheticStore.clientID: client-00001 ...), e.g. `/clients/{client}/context`. KEY, when not "-", goes
-- out as `Authorization: Bearer KEY`. `done` prints one JSON line that kam-bench parses.

local path, clients, fixed = "/health", 10000, nil
local headers = {}

function init(args)
    path = args[1] or "/health"
    if args[2] and args[2] ~= "-" then headers["Authorization"] = "Bearer " .. args[2] end
    clients = tonumber(args[3] or "10000")
    -- A different sequence per wrk thread and per run.
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
    if not path:find("{client}", 1, true) then fixed = wrk.format("GET", path, headers) end
end

function request()
    if fixed then return fixed end
    local id = string.format("client-%05d", math.random(1, clients))
    return wrk.format("GET", (path:gsub("{client}", id)), headers)
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        '{"requests":%d,"duration_us":%d,"bytes":%d,"mean_us":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,'
            .. '"max_us":%d,"status_errors":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,'
            .. '"timeouts":%d}\n',
        summary.requests, summary.duration, summary.bytes, latency.mean, latency:percentile(50),
        latency:percentile(90), latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write,
        e.timeout))
end
