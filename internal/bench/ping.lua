-- wrk script: POST pings as the SDKs send them (form body lftoken, from
-- LFTOKEN). With IDS_FILE, user ids cycle through that file's lines, each
-- thread from its own offset; otherwise every ping is for a new user.
wrk.method = "POST"
wrk.body = "lftoken=" .. os.getenv("LFTOKEN")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local ids = nil
local counter = 0
function init(args)
  local file = os.getenv("IDS_FILE")
  if file then
    ids = {}
    for line in io.lines(file) do ids[#ids + 1] = line end
    counter = (tid - 1) * math.floor(#ids / 2)
  end
end

function request()
  counter = counter + 1
  local id
  if ids then
    id = ids[counter % #ids + 1]
  else
    id = "b" .. tid .. "-" .. counter
  end
  return wrk.format(nil, "/api/v3_0/user/" .. id .. "/refresh")
end
