// Keyboard use of the question page: 1-9 pick a choice, Enter submits or moves on.
// The page works without this file; it only adds shortcuts.
(function () {
  "use strict";

  function isTyping(target) {
    return target && (target.tagName === "INPUT" && (target.type === "text" || target.type === "password")
      || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var form = document.getElementById("answer-form");
    var next = document.getElementById("next");

    if (form && !isTyping(event.target) && /^[1-9]$/.test(event.key)) {
      var input = form.querySelector('input[data-key="' + event.key + '"]');
      if (input) {
        event.preventDefault();
        input.checked = input.type === "checkbox" ? !input.checked : true;
        input.focus();
      }
      return;
    }
    if (event.key !== "Enter" || event.shiftKey) return;
    if (form && form.contains(event.target) && event.target.tagName !== "BUTTON") {
      event.preventDefault();
      form.requestSubmit();
    } else if (!form && next && (event.target === document.body || event.target.id === "main")) {
      event.preventDefault();
      next.click();
    }
  });

  // After answering, put focus on the verdict so screen readers announce it and
  // Enter reaches the "next" handler above.
  var verdict = document.getElementById("verdict");
  if (verdict) {
    document.getElementById("main").focus({ preventScroll: true });
  }

  // "Tick all" in the review queue.
  document.querySelectorAll("[data-toggle-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      var boxes = document.querySelectorAll('input[name="' + button.dataset.toggleAll + '"]');
      var tick = Array.prototype.some.call(boxes, function (box) { return !box.checked; });
      boxes.forEach(function (box) { box.checked = tick; });
    });
  });
})();
