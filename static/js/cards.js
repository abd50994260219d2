// Flashcard review keys: Space (or Enter) flips, 1-4 rate once the answer shows.
// Without this file the "Show answer" link and the rating buttons still work.
(function () {
  "use strict";
  var card = document.getElementById("flashcard");
  if (!card) return;
  var back = document.getElementById("card-back");
  var flipRow = document.getElementById("flip-row");

  function flip() {
    back.hidden = false;
    flipRow.hidden = true;
    card.dataset.flipped = "true";
    var good = back.querySelector('button[data-key="3"]');
    if (good) good.focus();
  }

  var flipLink = document.getElementById("flip");
  if (flipLink) {
    flipLink.addEventListener("click", function (event) { event.preventDefault(); flip(); });
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var flipped = !back.hidden;
    if (!flipped && (event.key === " " || event.key === "Enter")) {
      event.preventDefault();
      flip();
    } else if (flipped && /^[1-4]$/.test(event.key)) {
      var button = back.querySelector('button[data-key="' + event.key + '"]');
      if (button) {
        event.preventDefault();
        button.click();
      }
    }
  });
})();
