// The question editor's passage picker. Without this file every passage is a submit
// button and the server fills the form in; with it, choosing a source or typing a search
// reloads only the list, and clicking a passage fills the hidden fields in place.
(function () {
  "use strict";

  var form = document.querySelector("form[data-passages-url]");
  if (!form) return;
  var list = document.getElementById("passage-list");
  var source = form.querySelector("#source");
  var search = form.querySelector("#passage_search");
  var documentInput = form.querySelector("#document");
  var passageInput = form.querySelector("#passage");
  var quote = form.querySelector("#quote");
  var chosen = document.getElementById("chosen-passage");
  var chosenText = document.getElementById("chosen-text");
  var chosenLabel = document.getElementById("chosen-label");
  var chosenNone = document.getElementById("chosen-none");
  var browse = document.getElementById("browse");
  var pending = null;
  var timer = null;

  function currentChoice() {
    return documentInput.value + "/" + passageInput.value;
  }

  function markChosen() {
    var value = currentChoice();
    list.querySelectorAll("button.passage-pick").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === value ? "true" : "false");
    });
  }

  function reload() {
    if (!source.value) return;
    var url = form.dataset.passagesUrl + "?" + new URLSearchParams({
      source: source.value,
      q: search ? search.value : "",
      chosen: currentChoice()
    }).toString();
    if (pending) pending.abort();
    pending = new AbortController();
    list.setAttribute("aria-busy", "true");
    fetch(url, { signal: pending.signal, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        list.innerHTML = html; // rendered by the server, every text escaped
        list.removeAttribute("aria-busy");
        markChosen();
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        list.removeAttribute("aria-busy");
        form.requestSubmit(browse); // fall back to the server's page
      });
  }

  function option(value, label) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    return element;
  }

  function pick(button) {
    var text = button.dataset.text;
    var sentences = [];
    try {
      sentences = JSON.parse(button.dataset.sentences || "[]");
    } catch (error) {
      sentences = [];
    }
    documentInput.value = button.dataset.document;
    passageInput.value = button.dataset.passage;
    chosenText.textContent = text;
    var section = button.closest(".passage-group");
    var heading = section ? section.querySelector("h3") : null;
    chosenLabel.textContent = (heading ? heading.textContent + " " : "") + "(" + button.dataset.passage + ")";
    quote.replaceChildren(option(text, "Whole passage"));
    sentences.forEach(function (sentence, index) {
      if (sentence !== text) quote.appendChild(option(sentence, "Sentence " + (index + 1) + ": " + sentence));
    });
    quote.value = text;
    chosen.hidden = false;
    if (chosenNone) chosenNone.hidden = true;
    markChosen();
    chosen.scrollIntoView({ block: "nearest" });
    quote.focus();
  }

  quote.addEventListener("change", function () {
    chosenText.textContent = quote.value;
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button.passage-pick");
    if (!button) return;
    event.preventDefault();
    pick(button);
  });

  source.addEventListener("change", reload);
  if (search) {
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(reload, 200);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        clearTimeout(timer);
        reload();
      }
    });
  }
  if (browse) {
    browse.addEventListener("click", function (event) {
      event.preventDefault();
      reload();
    });
  }
})();
