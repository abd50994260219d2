// Counts down the time left on a timed quiz. The server decides the deadline and
// refuses late answers whatever this shows; the page works without this file.
(function () {
  "use strict";

  var timer = document.getElementById("timer");
  var label = document.getElementById("time-left");
  if (!timer || !label) return;
  var left = parseInt(timer.dataset.secondsLeft, 10);
  if (isNaN(left)) return;
  // Measure from this page's load, not the device's clock, which may be wrong.
  var started = Date.now();

  function show() {
    var remaining = Math.max(0, left - Math.floor((Date.now() - started) / 1000));
    var seconds = remaining % 60;
    label.textContent = Math.floor(remaining / 60) + " min " + (seconds < 10 ? "0" : "") + seconds + " s";
    if (remaining === 0) {
      label.textContent = "Time is up";
      timer.setAttribute("aria-live", "assertive");
      return false;
    }
    if (remaining === 60) timer.setAttribute("aria-live", "polite");
    return true;
  }

  var id = window.setInterval(function () {
    if (!show()) window.clearInterval(id);
  }, 1000);
})();
