-- wrk script of the Moodle comparison: one logged-in user per connection.
--
--   wrk -t C -c C -d 15s -s logged_in.lua URL -- COOKIES REQUESTS EXPECT
--
-- Run with as many threads as connections, so that each thread (one connection) sends the
-- session cookie of its own user: line n of COOKIES ("Cookie header<TAB>token") belongs to
-- thread n. REQUESTS has one request a line ("METHOD<TAB>path<TAB>body"; %TOKEN% in the body
-- becomes the thread's token: Moodle's sesskey or Django's CSRF token); each thread walks
-- through them in order from its own starting line (thread n starts 25·n lines further on,
-- so that learners enrol in different sessions at the same moment) and counts how many
-- requests came back to a line it had already sent.
--
-- EXPECT says what a right answer is: "200" (a page, which a logged-out user would not
-- get: both systems redirect to their login page), or "redirect" (a 302/303 whose Location
-- is not a login page: an enrolment form answered by sending the learner on to the course).
-- done() prints one JSON line: requests, wrong answers by status, repeats.

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

local function lines(path)
   local out = {}
   for line in io.lines(path) do
      if line ~= "" then
         table.insert(out, line)
      end
   end
   return out
end

local function split(line)
   local fields = {}
   for field in (line .. "\t"):gmatch("([^\t]*)\t") do
      table.insert(fields, field)
   end
   return fields
end

function init(args)
   local cookie = split(lines(args[1])[id + 1])
   local token = cookie[2] or ""
   expect = args[3]
   requests = {}
   for _, line in ipairs(lines(args[2])) do
      local f = split(line)
      local headers = { ["Cookie"] = cookie[1], ["X-CSRFToken"] = token }
      local body = nil
      if f[1] == "POST" then
         body = (f[3] or ""):gsub("%%TOKEN%%", token)
         headers["Content-Type"] = "application/x-www-form-urlencoded"
      end
      table.insert(requests, wrk.format(f[1], f[2], headers, body))
   end
   position = (id * 25) % #requests
   sent, wrong, repeats = 0, 0, 0
   wrong_statuses = ""
end

function request()
   position = position % #requests + 1
   sent = sent + 1
   if sent > #requests then
      repeats = repeats + 1
   end
   return requests[position]
end

function response(status, headers, body)
   local ok
   if expect == "redirect" then
      local location = headers["Location"] or headers["location"] or ""
      ok = (status == 302 or status == 303) and not location:find("login")
   else
      ok = status == tonumber(expect)
   end
   if not ok then
      wrong = wrong + 1
      if #wrong_statuses < 200 then
         wrong_statuses = wrong_statuses .. status .. " "
      end
   end
end

function done(summary, latency, requests)
   local wrong_total, repeat_total, statuses = 0, 0, ""
   for _, thread in ipairs(threads) do
      wrong_total = wrong_total + thread:get("wrong")
      repeat_total = repeat_total + thread:get("repeats")
      statuses = statuses .. thread:get("wrong_statuses")
   end
   io.write(string.format(
      'RESULT {"requests": %d, "seconds": %.3f, "wrong": %d, "wrong_statuses": "%s", '
         .. '"repeats": %d, "socket_errors": %d, "p50_ms": %.1f, "p99_ms": %.1f}\n',
      summary.requests, summary.duration / 1e6, wrong_total, statuses, repeat_total,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
