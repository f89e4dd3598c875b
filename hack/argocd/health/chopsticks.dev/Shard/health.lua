-- ArgoCD health check for chopsticks.dev/Shard (argocd-cm key resource.customizations.health.chopsticks.dev_Shard).
-- ArgoCD sets the global `obj`. The phase is the bot's gateway phase:
--   Ready -> Healthy; Pending, Starting, Identifying, Standby (warm, about to take its session over in a
--   make-before-break rollout), Resuming -> Progressing; Disconnected, Failed -> Degraded.
-- Plain Lua 5.1 (ArgoCD runs gopher-lua) using only the base, string, table and math libraries.
local hs = {}

local function count(v)
  if type(v) == "number" then
    return string.format("%d", math.floor(v))
  end
  return "?"
end

local function detail(status, fallback)
  if status.message ~= nil and status.message ~= "" then
    return status.message
  end
  return fallback
end

local status = obj.status
if status == nil or status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the shard to report a phase"
  return hs
end

local phase = status.phase
local name = "Shard " .. (status.shard or (obj.spec and obj.spec.shardId ~= nil and count(obj.spec.shardId)) or "?")

if phase == "Ready" then
  hs.status = "Healthy"
  local m = name .. " Ready"
  if type(status.guilds) == "number" then
    m = m .. ", " .. count(status.guilds) .. " guilds"
  end
  if type(status.gatewayPingMs) == "number" then
    m = m .. ", ping " .. count(status.gatewayPingMs) .. " ms"
  end
  hs.message = m
elseif phase == "Pending" or phase == "Starting" or phase == "Identifying" or phase == "Standby"
    or phase == "Resuming" then
  hs.status = "Progressing"
  hs.message = detail(status, name .. " " .. phase)
elseif phase == "Disconnected" or phase == "Failed" then
  hs.status = "Degraded"
  hs.message = name .. " " .. phase .. ": " .. detail(status, "no message")
else
  hs.status = "Unknown"
  hs.message = "Unknown phase " .. tostring(phase)
end
return hs
