-- wrk script: GET pulls as Livefyre sends them, cycling through the
-- request targets (path and query, lftoken included) listed one a line in
-- PATHS_FILE, each thread from its own offset, as ping.lua does with ids.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local paths = {}
local counter = 0
function init(args)
  for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
  counter = (tid - 1) * math.floor(#paths / 2)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[counter % #paths + 1])
end
