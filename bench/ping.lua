-- wrk script: POST pings, each for a different user, as the SDKs send them
-- (form body lftoken). LFTOKEN comes from the environment.
wrk.method = "POST"
wrk.body = "lftoken=" .. os.getenv("LFTOKEN")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local thread_id = 0
local counter = 0
function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function request()
  counter = counter + 1
  return wrk.format(nil, "/api/v3_0/user/b" .. tid .. "-" .. counter .. "/refresh")
end
