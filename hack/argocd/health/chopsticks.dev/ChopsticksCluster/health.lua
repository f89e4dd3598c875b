-- ArgoCD health check for chopsticks.dev/ChopsticksCluster (argocd-cm key
-- resource.customizations.health.chopsticks.dev_ChopsticksCluster). ArgoCD sets the global `obj`.
-- Order: no status yet / status older than the spec -> Progressing; then the conditions (Degraded wins over
-- Progressing, Progressing over Ready); a halted rollout is Degraded; without conditions the phase decides.
-- Plain Lua 5.1 (ArgoCD runs gopher-lua) using only the base, string, table and math libraries.
local hs = {}

local function count(v)
  if type(v) == "number" then
    return string.format("%d", math.floor(v))
  end
  return "0"
end

local function condition(status, ctype)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == ctype then
      return c
    end
  end
  return nil
end

local function describe(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if c ~= nil and c.reason ~= nil and c.reason ~= "" then
    return c.reason
  end
  return fallback
end

local function summary(status)
  if type(status.shards) ~= "number" then
    return "shards not created yet"
  end
  local s = count(status.readyShards) .. "/" .. count(status.shards) .. " shards Ready"
  if type(status.guilds) == "number" then
    s = s .. ", " .. count(status.guilds) .. " guilds"
  end
  return s
end

local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local generation = obj.metadata and obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. count(generation) ..
    " (status is for " .. (status.observedGeneration ~= nil and count(status.observedGeneration) or "none") .. ")"
  return hs
end

local degraded = condition(status, "Degraded")
local progressing = condition(status, "Progressing")
local ready = condition(status, "Ready")

if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(degraded, "Degraded")
  return hs
end

if status.rollout ~= nil and status.rollout.haltedReason ~= nil and status.rollout.haltedReason ~= "" then
  hs.status = "Degraded"
  hs.message = "Rollout halted: " .. status.rollout.haltedReason
  return hs
end

if progressing ~= nil and progressing.status == "True" then
  hs.status = "Progressing"
  local m
  if progressing.message ~= nil and progressing.message ~= "" then
    m = progressing.message
  elseif progressing.reason ~= nil and progressing.reason ~= "" then
    m = progressing.reason .. "; " .. summary(status)
  else
    m = summary(status)
  end
  if status.rollout ~= nil and status.rollout.currentStep ~= nil and status.rollout.currentStep ~= "" then
    m = m .. " (" .. status.rollout.currentStep .. ")"
  end
  hs.message = m
  return hs
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = summary(status)
  return hs
end

if ready ~= nil and ready.status == "False" and status.phase ~= "Pending" and status.phase ~= "Progressing" then
  -- Not Ready, not progressing towards it and not reported Degraded: something is wrong.
  hs.status = "Degraded"
  hs.message = "Not Ready: " .. describe(ready, summary(status))
  return hs
end

-- No decisive condition: fall back to the phase.
local phase = status.phase
if phase == "Ready" then
  hs.status = "Healthy"
  hs.message = summary(status)
elseif phase == "Degraded" then
  hs.status = "Degraded"
  hs.message = "Phase Degraded; " .. summary(status)
elseif phase == "Pending" or phase == "Progressing" or phase == nil then
  hs.status = "Progressing"
  hs.message = "Phase " .. (phase or "not set") .. "; " .. summary(status)
else
  hs.status = "Unknown"
  hs.message = "Unknown phase " .. tostring(phase)
end
return hs
