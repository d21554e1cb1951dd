// The projector view of a live session: the room's screen follows the presenter by reading the live-poll JSON
// endpoints every second. Plain JavaScript served by the course server (no CDN, no framework); every text goes in
// with textContent. No controls: the presenter drives the polls from the dashboard on the laptop.
//
// The presenter token comes in the URL fragment (#token=...), which a browser never sends to a server, so it reaches
// no server or proxy log. It is taken out of the address bar at once (the screen may show the bar before going full
// screen), kept in this tab's sessionStorage so a reload keeps the presenter's view, and sent only in an
// Authorization header, never in a query string or a cookie. Without a token that the server accepts, the page shows
// what the room may see anyway: the question, the code, the QR code and the number of votes.
(function () {
  "use strict";

  var MARKER = "/hnscc/live";
  var path = window.location.pathname;
  var root = path.slice(0, path.lastIndexOf(MARKER) + MARKER.length);
  var code = document.body.getAttribute("data-code");
  var REFRESH_MS = 1000;  // one screen per room: it can afford to ask every second
  var STORED = "hnscc-live-projector-token-" + code;

  var $ = function (id) { return document.getElementById(id); };
  var token = takeToken();
  var tokenAccepted = token ? null : false;  // null: not asked yet
  var shown = { poll: null, state: null, view: null };
  var timer = null;

  function takeToken() {
    var found = null;
    var match = /(?:^#|&)token=([^&]*)/.exec(window.location.hash);
    if (match) {
      try { found = decodeURIComponent(match[1]); } catch (e) { found = null; }
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      try {
        window.sessionStorage.setItem(STORED, found || "");
      } catch (e) { /* storage off: the token lasts as long as the page */ }
    } else {
      try { found = window.sessionStorage.getItem(STORED); } catch (e) { found = null; }
    }
    return found || null;
  }

  function request(suffix, withToken) {
    var headers = { "Accept": "application/json" };
    if (withToken && token) { headers.Authorization = "Bearer " + token; }
    return window.fetch(root + "/" + encodeURIComponent(code) + suffix,
      { headers: headers, cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, data: data };
        });
      });
  }

  function setText(element, text) {
    if (element.textContent !== text) { element.textContent = text; }  // an aria-live region speaks on change only
  }

  function letter(index) { return String.fromCharCode(65 + index); }

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }

  function votes(n) { return n === 1 ? "1 vote" : n + " votes"; }

  function mode(text, kind) {
    var note = $("mode");
    setText(note, text);
    note.className = "mode" + (kind ? " " + kind : "");
  }

  function publicMode(why) {
    mode(why + " This screen shows the question, the session code and the number of votes; the results show " +
      "only on the presenter's projector link.", "public");
  }

  function renderOptions(poll) {
    var list = $("options");
    list.textContent = "";
    poll.choices.forEach(function (choice, index) {
      var item = document.createElement("li");
      var key = document.createElement("span");
      key.className = "key";
      key.textContent = letter(index) + ".";
      var text = document.createElement("span");
      text.textContent = choice.text;
      item.appendChild(key);
      item.appendChild(text);
      list.appendChild(item);
    });
  }

  function showWaiting() {
    if (shown.view !== "waiting") {
      setText($("phase"), "Live poll");
      setText($("question"), "Waiting for the next question");
      $("options").hidden = true;
      $("results").hidden = true;
      $("withheld").hidden = true;
      setText($("count"), "");
    }
    shown = { poll: null, state: null, view: "waiting" };
  }

  function showPoll(poll, total) {
    if (shown.poll !== poll.id) {
      setText($("question"), poll.question);
      renderOptions(poll);
    }
    var words = { open: "voting is open", locked: "voting is closed", revealed: "voting is closed" };
    setText($("phase"), "Poll " + poll.id + " · " + (words[poll.state] || poll.state));
    var count = $("count");
    var text = poll.state === "open" ? votes(total) + " so far" : "Voting is closed: " + votes(total) + ".";
    if (count.textContent !== text) {
      count.textContent = "";
      if (poll.state === "open") {
        var strong = document.createElement("strong");
        strong.textContent = votes(total);
        count.appendChild(strong);
        count.appendChild(document.createTextNode(" so far"));
      } else {
        count.textContent = text;
      }
    }
    shown = { poll: poll.id, state: poll.state, view: "poll" };
  }

  function optionText(poll, id) {
    for (var i = 0; i < poll.choices.length; i++) {
      if (poll.choices[i].id === id) { return letter(i) + ". " + poll.choices[i].text; }
    }
    return id;
  }

  function showResults(poll, answer) {
    var correct = answer.correct || [];
    var named = correct.map(function (id) { return optionText(poll, id); });
    var keys = correct.map(function (id) { return optionText(poll, id).split(".")[0]; });
    setText($("answer"), keys.length ? "✔ " + (keys.length === 1 ? "Correct answer: " : "Correct answers: ") +
      keys.join(", ") : "This poll has no answer key in the course.");
    if (!answer.histogram) {
      hideResults();
      $("options").hidden = false;
      var withheld = $("withheld");
      setText(withheld, "Only " + votes(answer.total) + ": the histogram shows from " + answer.min_votes +
        " votes, so that no one's answer can be singled out." + (named.length ? " " +
        (named.length === 1 ? "Correct answer: " : "Correct answers: ") + named.join("; ") : ""));
      withheld.hidden = false;
      return;
    }
    $("withheld").hidden = true;
    $("options").hidden = true;  // the bars carry the options' letters and texts
    document.body.classList.add("revealed");
    var bars = $("bars");
    var body = $("results-table").tBodies[0];
    bars.textContent = "";
    body.textContent = "";
    poll.choices.forEach(function (choice, index) {
      var n = answer.counts[choice.id] || 0;
      var share = answer.percent[choice.id] || 0;
      var right = correct.indexOf(choice.id) >= 0;
      var row = document.createElement("div");
      row.className = "bar-row" + (right ? " correct" : "");
      row.setAttribute("aria-hidden", "true");  // the table below says the same for a screen reader
      row.appendChild(span("bar-key", letter(index)));
      row.appendChild(span("bar-note", choice.text + (right ? " — ✔ correct answer" : "")));
      var track = span("bar-track", "");
      var fill = span("bar-fill", "");
      fill.style.width = share + "%";
      track.appendChild(fill);
      row.appendChild(track);
      row.appendChild(span("bar-value", n + " (" + share + "%)"));
      bars.appendChild(row);

      var tr = document.createElement("tr");
      var option = document.createElement("td");
      option.appendChild(document.createTextNode(letter(index)));
      option.appendChild(span("sr-only", ". " + choice.text));
      tr.appendChild(option);
      [String(n), share + "%", right ? "✔ Yes" : "No"].forEach(function (text) {
        var cell = document.createElement("td");
        cell.textContent = text;
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    $("results").hidden = false;
  }

  function hideResults() {
    document.body.classList.remove("revealed");
    $("results").hidden = true;
    $("withheld").hidden = true;
    $("options").hidden = false;
  }

  function tokenRefused(answer) {
    if (answer.status === 401 || answer.status === 403) {
      tokenAccepted = false;
      hideResults();
      publicMode("The presenter token of this link was not accepted.");
      return true;
    }
    return false;
  }

  // One round: the poll on the participants' pages, then its count (public) or, with the token, its results.
  function refresh() {
    window.clearTimeout(timer);
    return request("/current", false).then(function (current) {
      if (current.status === 404) {
        showWaiting();
        mode((current.data.error || "There is no live session with that code.") + " Check the projector link.",
          "problem");
        return null;
      }
      if (current.status !== 200) {
        mode(current.data.error || "The poll server did not answer; trying again.", "problem");
        return null;
      }
      var poll = current.data.poll;
      if (!poll) {
        showWaiting();
        return tokenAccepted === false ? null : request("/polls", true).then(function (answer) {
          if (!tokenRefused(answer) && answer.status === 200) { presenterMode(); }
        });
      }
      if (tokenAccepted !== false && poll.state === "revealed") {
        return request("/polls/" + poll.id + "/answer", true).then(function (answer) {
          if (tokenRefused(answer)) { return publicCount(poll); }
          if (answer.status === 200) {
            presenterMode();
            showPoll(poll, answer.data.total);
            showResults(poll, answer.data);
          } else if (answer.status !== 409) {  // 409: reset between the two requests; the next round shows it
            mode(answer.data.error || "The poll server did not answer; trying again.", "problem");
          }
          return null;
        });
      }
      hideResults();
      if (tokenAccepted === false) { return publicCount(poll); }
      return request("/polls/" + poll.id + "/results", true).then(function (answer) {
        if (tokenRefused(answer)) { return publicCount(poll); }
        if (answer.status === 200) {
          presenterMode();
          showPoll(poll, answer.data.total);
        } else {
          mode(answer.data.error || "The poll server did not answer; trying again.", "problem");
        }
        return null;
      });
    }).catch(function () {
      mode("No connection to the poll server; trying again.", "problem");
    }).then(schedule, schedule);
  }

  function publicCount(poll) {
    return request("/count", false).then(function (answer) {
      if (answer.status === 200 && answer.data.poll === poll.id) {
        showPoll(poll, answer.data.total);
        if (poll.state === "revealed") {
          var withheld = $("withheld");
          setText(withheld, "The presenter is showing the results.");
          withheld.hidden = false;
        }
      }
      if (!token) {
        publicMode("Public view: this page was opened without the presenter's projector link.");
      }
    });
  }

  function presenterMode() {
    tokenAccepted = true;
    mode("Projector view of session " + code + ": it follows the presenter's dashboard.");
  }

  // The room cannot scroll: when a long question or long options do not fit the screen, the type gets a little
  // smaller, step by step (the stylesheet's 20 px root down to 14 px), until they do.
  function fit() {
    var rootStyle = document.documentElement.style;
    var size = 20;
    rootStyle.fontSize = size + "px";
    while (size > 14 && document.documentElement.scrollHeight > window.innerHeight) {
      size -= 1;
      rootStyle.fontSize = size + "px";
    }
  }

  function schedule() {
    fit();
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, REFRESH_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!token) { publicMode("Public view: this page was opened without the presenter's projector link."); }
    refresh();
  });
})();
