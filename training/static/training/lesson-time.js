/* The lesson page's clock: while the page is in view, report to the server every 30 seconds
 * (the server counts the time, at most a minute per report, so a hidden tab or a sleeping
 * phone earns nothing). With a video on the page (a <video> or YouTube's IFrame player) the
 * report carries how far it has been watched without skipping ahead, every 15 seconds while
 * it plays; the server believes no more than the time since the last report allows. A
 * reading lesson reports once when the end of its text has been scrolled into view.
 * The answer says what is still needed; the "เรียนบทนี้แล้ว" button is enabled when nothing
 * is. Without this script the button still works: the server refuses it and says why. */
(function () {
  "use strict";
  var clock = document.querySelector("[data-lesson-time]");
  if (!clock) return;
  var url = clock.dataset.lessonTime;
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var button = document.querySelector("[data-lesson-done]");
  var video = null; // {position(), duration(), playing()}
  var furthest = 0; // seconds watched from the start without skipping ahead
  var readEnd = false;

  function show(data) {
    var left = document.querySelector("[data-minutes-left]");
    if (left) left.textContent = String(data.minutes_left);
    var note = document.querySelector("[data-time-note]");
    if (note) note.hidden = data.minutes_left <= 0;
    var pct = document.querySelector("[data-watched-pct]");
    if (pct && data.watched_pct !== null) pct.textContent = String(data.watched_pct);
    var unmet = document.querySelector("[data-unmet]");
    if (unmet) {
      unmet.textContent = "";
      (data.unmet || []).forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        unmet.appendChild(item);
      });
    }
    if (button) button.disabled = !data.ready;
  }

  function report() {
    if (document.visibilityState !== "visible") return;
    var body = new URLSearchParams();
    if (video && video.duration() > 0) {
      body.set("position", String(Math.floor(furthest)));
      body.set("duration", String(Math.round(video.duration())));
    }
    if (readEnd) body.set("read_end", "1");
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": token ? token.value : "" },
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) show(data); })
      .catch(function () {});
  }

  // Called often while the video plays: move the furthest point only by continuous play
  // (a jump forward of more than a few seconds is a skip, and does not count).
  function tick() {
    if (!video || !video.playing()) return;
    var now = video.position();
    if (now > furthest && now <= furthest + 3) furthest = now;
  }

  function watchVideoElement(element) {
    furthest = Number(element.dataset.position || 0);
    video = {
      position: function () { return element.currentTime; },
      duration: function () { return element.duration || 0; },
      playing: function () { return !element.paused && !element.ended; },
    };
    element.addEventListener("timeupdate", tick);
    element.addEventListener("pause", report);
    element.addEventListener("ended", function () { tick(); report(); });
    element.addEventListener("loadedmetadata", report);
  }

  function watchYouTube(holder) {
    furthest = Number(holder.dataset.position || 0);
    window.onYouTubeIframeAPIReady = function () {
      var player = new window.YT.Player(holder, {
        host: "https://www.youtube-nocookie.com",
        videoId: holder.dataset.youtube,
        playerVars: { playsinline: 1, rel: 0 },
        events: {
          onReady: report,
          onStateChange: function (event) {
            if (event.data === window.YT.PlayerState.PAUSED) report();
            if (event.data === window.YT.PlayerState.ENDED) { tick(); report(); }
          },
        },
      });
      video = {
        position: function () { return player.getCurrentTime ? player.getCurrentTime() : 0; },
        duration: function () { return player.getDuration ? player.getDuration() : 0; },
        playing: function () {
          return player.getPlayerState && player.getPlayerState() === window.YT.PlayerState.PLAYING;
        },
      };
      window.setInterval(tick, 1000);
    };
    var script = document.createElement("script");
    script.src = "https://www.youtube.com/iframe_api";
    document.head.appendChild(script);
  }

  var element = document.querySelector("video[data-video]");
  if (element) watchVideoElement(element);
  var holder = document.querySelector("[data-youtube]");
  if (holder) watchYouTube(holder);

  var end = document.querySelector("[data-read-end]");
  if (end && clock.hasAttribute("data-reading") && "IntersectionObserver" in window) {
    var seen = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) {
        readEnd = true;
        seen.disconnect();
        report();
      }
    });
    seen.observe(end);
  }

  window.setInterval(function () {
    if (video && video.playing()) report();
  }, 15000);
  window.setInterval(report, 30000);
  document.addEventListener("visibilitychange", report);
})();
