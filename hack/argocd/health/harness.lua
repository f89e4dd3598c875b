-- Runs ArgoCD health checks the way ArgoCD does: the script is a chunk that reads the global `obj` and returns
-- a table {status = ..., message = ...}. Only the libraries ArgoCD opens for health scripts are visible (base
-- functions, string, table, math; no os, io, require). Works on Lua 5.1 (ArgoCD's gopher-lua dialect) and 5.4.
--
--   lua5.4 harness.lua CASES.lua
--
-- CASES.lua returns a list of {name=, script=<path>, obj=<table>, status=<expected>, message=<expected or nil>}
-- (hack/test/argocd-health-test.sh generates it from the health_test.yaml files). Prints one PASS/FAIL line
-- per case and exits 1 when any case failed.
local VALID = { Healthy = true, Progressing = true, Degraded = true, Suspended = true, Missing = true, Unknown = true }

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function sandbox(o)
  return {
    obj = o,
    assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall,
    select = select, tonumber = tonumber, tostring = tostring, type = type, unpack = unpack or table.unpack,
    string = string, table = table, math = math,
  }
end

local function compile(src, name, env)
  if setfenv then -- Lua 5.1
    local f, err = loadstring(src, "=" .. name)
    if not f then return nil, err end
    setfenv(f, env)
    return f
  end
  return load(src, "=" .. name, "t", env)
end

local cases = dofile(arg[1])
local failed = 0
for _, c in ipairs(cases) do
  local fn, err = compile(read(c.script), c.script, sandbox(c.obj))
  local ok, hs
  if fn == nil then
    ok, hs = false, err
  else
    ok, hs = pcall(fn)
  end
  local problem
  if not ok then
    problem = "error: " .. tostring(hs)
  elseif type(hs) ~= "table" then
    problem = "returned " .. type(hs) .. ", not a table"
  elseif not VALID[hs.status] then
    problem = "invalid status " .. tostring(hs.status)
  elseif hs.status ~= c.status then
    problem = "status " .. tostring(hs.status) .. " (" .. tostring(hs.message) .. "), want " .. c.status
  elseif c.message ~= nil and hs.message ~= c.message then
    problem = "message '" .. tostring(hs.message) .. "', want '" .. c.message .. "'"
  elseif type(hs.message) ~= "string" or hs.message == "" then
    problem = "no message"
  end
  if problem then
    failed = failed + 1
    print("FAIL " .. c.name .. ": " .. problem)
  else
    print("PASS " .. c.name .. " -> " .. hs.status .. ": " .. hs.message)
  end
end
if failed > 0 then
  os.exit(1)
end
