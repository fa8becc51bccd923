/* The lesson page's clock: while the page is in view, report to the server every 30 seconds
 * (the server counts the time, at most a minute per report, so a hidden tab or a sleeping
 * phone earns nothing). The answer says how many minutes are still needed; the
 * "เรียนบทนี้แล้ว" button is enabled when none are. Without this script the button still
 * works: the server refuses it until the time is reached and says how much is left. */
(function () {
  "use strict";
  var clock = document.querySelector("[data-lesson-time]");
  if (!clock) return;
  var url = clock.dataset.lessonTime;
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var left = document.querySelector("[data-minutes-left]");
  var button = document.querySelector("[data-lesson-done]");

  function show(minutes) {
    if (left) left.textContent = String(minutes);
    if (button) button.disabled = minutes > 0;
    var note = document.querySelector("[data-time-note]");
    if (note) note.hidden = minutes <= 0;
  }

  function report() {
    if (document.visibilityState !== "visible") return;
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": token ? token.value : "" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) show(data.minutes_left); })
      .catch(function () {});
  }

  window.setInterval(report, 30000);
  document.addEventListener("visibilitychange", report);
})();
