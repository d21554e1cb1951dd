// The participant's page of a live poll: join with a code, vote, change the vote until the poll is locked.
// Plain JavaScript served by the course server (no CDN, no framework); every text goes in with textContent.
(function () {
  "use strict";

  var MARKER = "/hnscc/live";
  var path = window.location.pathname.replace(/\/+$/, "");
  var at = path.lastIndexOf(MARKER);
  var root = path.slice(0, at + MARKER.length);
  var code = decodeURIComponent(path.slice(at + MARKER.length + 1)).toUpperCase();
  var REFRESH_MS = 2500;

  var $ = function (id) { return document.getElementById(id); };
  var shown = { id: null, state: null, mine: null };
  var timer = null;

  // Anonymous: the session issues this phone an id when it joins (a random part the server signs), kept in this
  // browser for this session only, so a vote can be changed; nothing else about the person, and nothing that links
  // this session's votes to another's.
  var KEY = "hnscc-live-participant-" + code;
  var participant = null;
  try { participant = window.localStorage.getItem(KEY); } catch (e) { participant = null; }
  var joining = null;

  function forget() {
    participant = null;
    try { window.localStorage.removeItem(KEY); } catch (e) { /* private mode */ }
  }

  function joined() {
    // The phone's id for this session: the stored one, or a new one from the server (waiting its turn when many
    // phones of one network join at once: the server says how long with Retry-After).
    if (participant) { return Promise.resolve(participant); }
    if (joining) { return joining; }
    joining = request("POST", "/join").then(function (answer) {
      joining = null;
      if (answer.status === 200 && answer.data.participant) {
        participant = answer.data.participant;
        try { window.localStorage.setItem(KEY, participant); } catch (e) { /* private mode: for this page only */ }
        return participant;
      }
      if (answer.status === 429) {
        say(answer.data.error || "Many phones are joining; one moment…");
        return new Promise(function (resolve) {
          window.setTimeout(resolve, 1000 * (answer.retryAfter || 2) + Math.floor(Math.random() * 1000));
        }).then(joined);
      }
      throw answer;
    }, function (error) { joining = null; throw error; });
    return joining;
  }

  function say(text, problem) {
    var status = $("status");
    status.textContent = text;
    status.className = problem ? "problem" : "";
  }

  function request(method, suffix, body) {
    var options = { method: method, headers: { "Accept": "application/json" }, cache: "no-store" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return window.fetch(root + "/" + encodeURIComponent(code) + suffix, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data,
                 retryAfter: parseInt(response.headers.get("Retry-After") || "0", 10) };
      });
    });
  }

  function letter(index) { return String.fromCharCode(65 + index); }

  function choiceText(poll, id) {
    for (var i = 0; i < poll.choices.length; i++) {
      if (poll.choices[i].id === id) { return letter(i) + ". " + poll.choices[i].text; }
    }
    return id;
  }

  function renderPoll(poll) {
    $("question").textContent = poll.question;
    var box = $("choices");
    box.textContent = "";
    poll.choices.forEach(function (choice, index) {
      var row = document.createElement("div");
      row.className = "choice";
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "choice";
      input.id = "choice-" + index;
      input.value = choice.id;
      input.checked = choice.id === poll.your_choice;
      var label = document.createElement("label");
      label.htmlFor = input.id;
      label.textContent = letter(index) + ". " + choice.text;
      row.appendChild(input);
      row.appendChild(label);
      box.appendChild(row);
    });
    $("vote-form").hidden = false;
  }

  function markMine(poll) {
    var inputs = document.querySelectorAll("#choices input");
    Array.prototype.forEach.call(inputs, function (input) {
      input.nextSibling.className = input.value === poll.your_choice ? "mine" : "";
    });
  }

  function setOpen(open) {
    var inputs = document.querySelectorAll("#vote-form input, #vote-form button");
    Array.prototype.forEach.call(inputs, function (input) { input.disabled = !open; });
  }

  function sentence(text) { return /[.!?]$/.test(text) ? text : text + "."; }

  function describe(poll) {
    if (poll.state === "open") {
      return poll.your_choice ? sentence("Your vote is recorded: " + choiceText(poll, poll.your_choice)) +
        " You can change it until the poll is locked." : "The poll is open: choose one answer and send it.";
    }
    var yours = poll.your_choice ? " " + sentence("Your vote: " + choiceText(poll, poll.your_choice)) :
      " You did not vote.";
    if (poll.state === "locked") { return "Voting is closed." + yours; }
    return "Voting is closed and the presenter is showing the results." + yours;
  }

  function show(data) {
    $("session-title").textContent = (data.title || "Session") + " (code " + data.session + ")";
    var poll = data.poll;
    if (!poll) {
      $("vote-form").hidden = true;
      if (shown.id !== "none") { say("Waiting for the presenter to open a poll."); }
      shown = { id: "none", state: null, mine: null };
      return;
    }
    var reset = shown.id === poll.id && (shown.state !== "open" || shown.mine) && poll.state === "open" &&
      !poll.your_choice;
    if (shown.id !== poll.id || reset) { renderPoll(poll); }
    if (shown.id !== poll.id || shown.state !== poll.state || shown.mine !== poll.your_choice) {
      setOpen(poll.state === "open");
      markMine(poll);
      say(reset ? "The presenter reset the poll: please vote again." : describe(poll));
    }
    shown = { id: poll.id, state: poll.state, mine: poll.your_choice, poll: poll };
  }

  function refresh() {
    window.clearTimeout(timer);
    return joined().then(function (id) {
      return request("GET", "/current?participant=" + encodeURIComponent(id));
    }).then(function (answer) {
      if (answer.status === 403 && answer.data.rejoin) {
        forget();  // an id this session did not issue (an old one): join again on the next refresh
        schedule();
        return;
      }
      if (answer.status === 200) {
        stamp = answer.data.stamp;
        show(answer.data);
      } else if (answer.status === 404) {
        $("vote-form").hidden = true;
        say((answer.data.error || "There is no live session with that code.") + " Check the code and join again.",
          true);
        $("join").hidden = false;
        return;  // nothing to wait for
      } else {
        say(answer.data.error || "The poll server did not answer; trying again.", true);
      }
      schedule();
    }).catch(function (answer) {
      if (answer && answer.status === 404) {
        $("vote-form").hidden = true;
        say(((answer.data && answer.data.error) || "There is no live session with that code.") +
          " Check the code and join again.", true);
        $("join").hidden = false;
        return;
      }
      say((answer && answer.data && answer.data.error) || "No connection to the poll server; trying again.", true);
      schedule();
    });
  }

  function schedule() {
    // A little jitter so a room of phones does not ask at the same instant; slower while the page is hidden. While
    // the server pushes changes the page does not need to ask at all: a slow check (once a minute) only guards
    // against a stream that stays open but has gone quiet.
    var wait = (streaming ? 24 : 1) * (document.hidden ? 4 : 1) * REFRESH_MS + Math.floor(Math.random() * 500);
    timer = window.setTimeout(refresh, wait);
  }

  var streaming = false;

  var stamp = null;  // the shown poll's stamp: a new one on the same open poll is a reset

  function listen() {
    // Server-sent events: the server reads the session twice a second for all its phones and pushes the current
    // poll (question, choices, state) and its stamp when they change. The page follows from that alone: its own
    // vote it knows, and a new poll or a reset clears it; so a room of phones sends no request when the presenter
    // opens, locks, reveals or resets. Without EventSource, or while the stream is down (the browser reconnects
    // by itself), the page polls ``current`` every few seconds as before.
    if (!window.EventSource) { return; }
    var source = new window.EventSource(root + "/" + encodeURIComponent(code) + "/events");
    source.onopen = function () { streaming = true; };
    source.onerror = function () {
      streaming = false;
      window.clearTimeout(timer);
      schedule();  // back to polling until the stream is up again
    };
    source.onmessage = function (message) {
      var data = {};
      try { data = JSON.parse(message.data); } catch (e) { return; }
      if (data.ended) {
        source.close();
        streaming = false;
        refresh();  // the server's words for why the session is over
        return;
      }
      if (!participant) { return; }  // the first refresh (which joins) shows the poll
      var poll = data.poll;
      if (poll) {
        var same = shown.id === poll.id && data.stamp === stamp;
        poll.your_choice = same ? shown.mine : null;
      }
      stamp = data.stamp;
      show({ session: data.session, title: data.title, poll: poll });
      window.clearTimeout(timer);
      schedule();
    };
  }

  function vote(event) {
    event.preventDefault();
    var chosen = document.querySelector("#choices input:checked");
    if (!chosen) { say("Please choose one answer first.", true); return; }
    var poll = shown.poll;
    $("send").disabled = true;
    joined().then(function (id) {
      return request("POST", "/polls/" + poll.id + "/votes", { participant: id, choice: chosen.value });
    })
      .then(function (answer) {
        if (answer.status === 200) {
          poll.your_choice = chosen.value;
          shown.mine = chosen.value;
          markMine(poll);
          say(describe(poll));
        } else if (answer.status === 409) {
          say("Voting is closed for this question; your vote was not sent.", true);
          refresh();
        } else if (answer.status === 403 && answer.data.rejoin) {
          forget();
          say("This phone had to join the session again: please send your vote once more.", true);
        } else {
          say(answer.data.error || "Your vote could not be sent; please try again.", true);
        }
      })
      .catch(function () { say("No connection: your vote was not sent. Please try again.", true); })
      .then(function () { if (shown.state === "open") { $("send").disabled = false; } });
  }

  function join(event) {
    event.preventDefault();
    var typed = $("code").value.replace(/\s+/g, "").toUpperCase();
    if (!/^[A-Z0-9]{4,12}$/.test(typed)) { say("A session code is 4 to 12 letters and digits.", true); return; }
    window.location.assign(root + "/" + typed);
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("join-form").addEventListener("submit", join);
    $("vote-form").addEventListener("submit", vote);
    document.addEventListener("visibilitychange", function () { if (!document.hidden && code) { refresh(); } });
    if (!code) {
      $("join").hidden = false;
      $("code").focus();
      return;
    }
    $("session").hidden = false;
    say("Connecting…");
    refresh();
    listen();
  });
})();
