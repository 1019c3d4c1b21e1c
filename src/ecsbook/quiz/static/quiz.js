/* ECS by Doing quizzes: grade in the browser, no kernel, no network.
   Question text is always inserted with textContent, never parsed as HTML.
   What the learner does is kept in localStorage, so a reload loses nothing:
     ecsbook-quiz:<question id>      a chapter quiz answer {picked, ok}
     ecsbook-exam:<exam>             a mock exam in progress or just finished
     ecsbook-exam-history:<exam>     every submitted attempt {when, score, total}
     ecsbook-review                  the spaced-repetition queue {id: {box, due}}
   The review queue is a Leitner system: a missed question enters box 1 and is
   due at once; answered right in review it moves up a box and comes back after
   INTERVAL_DAYS[new box] days; answered wrong it goes back to box 1. Answered
   right in box 5 it leaves the queue. */
(function () {
  "use strict";
  var DAY = 86400000;
  var INTERVAL_DAYS = { 2: 3, 3: 7, 4: 14, 5: 30 };
  var LETTERS = "ABCDEF";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function button(text, cls) {
    var b = el("button", "eq-btn" + (cls ? " " + cls : ""), text);
    b.type = "button";
    return b;
  }
  function put(key, v) {
    try { localStorage.setItem(key, JSON.stringify(v)); } catch (e) { /* private mode */ }
  }
  function get(key) {
    try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; }
  }
  function drop(key) {
    try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
  }
  function same(a, b) {
    a = a.slice().sort(); b = b.slice().sort();
    return a.length === b.length && a.every(function (x, i) { return x === b[i]; });
  }
  function chosen(box) {
    return Array.prototype.slice.call(box.querySelectorAll("input:checked"))
      .map(function (i) { return +i.value; });
  }
  function choose(box, picked) {
    (picked || []).forEach(function (k) {
      var inp = box.querySelector('input[value="' + k + '"]');
      if (inp) inp.checked = true;
    });
  }
  function stemText(q) {
    var n = q.answer.length;
    var words = { 2: "two", 3: "three" };
    var tail = "(Choose " + (words[n] || n) + ".)";
    return n > 1 && q.stem.indexOf("(Choose") < 0 ? q.stem + " " + tail : q.stem;
  }

  /* ---- the review queue ---- */
  function queue() { return get("ecsbook-review") || {}; }
  function missed(id) {
    var qq = queue();
    qq[id] = { box: 1, due: Date.now() };
    put("ecsbook-review", qq);
  }
  function reviewed(id, ok) {
    var qq = queue();
    var item = qq[id];
    if (!item) { if (!ok) missed(id); return; }
    if (!ok) { item.box = 1; item.due = Date.now(); }
    else if (item.box >= 5) { delete qq[id]; put("ecsbook-review", qq); return; }
    else { item.box += 1; item.due = Date.now() + INTERVAL_DAYS[item.box] * DAY; }
    qq[id] = item;
    put("ecsbook-review", qq);
  }

  /* ---- one question ---- */
  function renderQuestion(q, n, name) {
    var box = el("fieldset", "eq-q");
    box.setAttribute("data-qid", q.id);
    box.appendChild(el("legend", "eq-stem", n + ". " + stemText(q)));
    q.options.forEach(function (o, k) {
      var lab = el("label", "eq-opt");
      var inp = document.createElement("input");
      inp.type = q.answer.length > 1 ? "checkbox" : "radio";
      inp.name = name + "-" + q.id;
      inp.value = k;
      lab.appendChild(inp);
      lab.appendChild(document.createTextNode(" " + LETTERS[k] + ". " + o.text));
      box.appendChild(lab);
    });
    return box;
  }
  function explain(box, q, picked, data) {
    var old = box.querySelector(".eq-feedback");
    if (old) old.remove();
    var fb = el("div", "eq-feedback");
    fb.setAttribute("role", "status");
    var ok = same(picked, q.answer);
    fb.appendChild(el("div", ok ? "eq-ok" : "eq-bad", ok ? "Correct." : "Not quite."));
    q.options.forEach(function (o, k) {
      var right = q.answer.indexOf(k) >= 0;
      var cls = right ? "eq-ok" : (picked.indexOf(k) >= 0 ? "eq-bad" : "");
      fb.appendChild(el("div", "eq-why " + cls,
        (right ? "\u2714 " : "\u2718 ") + LETTERS[k] + ". " + o.text + ": " + o.why));
    });
    var links = el("div", "eq-meta");
    var src = el("a", "", "Source: AWS documentation");
    src.href = q.source; src.target = "_blank"; src.rel = "noopener";
    links.appendChild(src);
    var base = (data && data.base) || "";
    [q.see, q.widget].forEach(function (target) {
      if (ok || !target) return;
      links.appendChild(document.createTextNode(" \u00b7 "));
      var see = el("a", "eq-see", "See it happen: " + target.title);
      see.href = base + target.href;
      links.appendChild(see);
    });
    if (data && data.chapters && data.chapters[q.chapter]) {
      links.appendChild(document.createTextNode(" \u00b7 "));
      var ch = el("a", "", "Chapter: " + data.chapters[q.chapter]);
      ch.href = base + "book/" + q.chapter + ".html";
      links.appendChild(ch);
    }
    fb.appendChild(links);
    box.appendChild(fb);
    return ok;
  }

  /* ---- chapter quiz ---- */
  function chapterQuiz(root, data) {
    var score = el("div", "eq-meta");
    score.setAttribute("aria-live", "polite");
    var list = el("div");
    function update() {
      var n = 0, ok = 0;
      data.questions.forEach(function (q) {
        var s = get("ecsbook-quiz:" + q.id);
        if (s) { n++; if (s.ok) ok++; }
      });
      score.textContent = "Score: " + ok + " / " + data.questions.length + " (" + n +
        " answered; saved in this browser)";
    }
    data.questions.forEach(function (q, i) {
      var box = renderQuestion(q, i + 1, data.name);
      var btn = button("Check");
      btn.onclick = function () {
        var p = chosen(box);
        if (!p.length) return;
        var ok = explain(box, q, p, data);
        put("ecsbook-quiz:" + q.id, { picked: p, ok: ok });
        if (ok) reviewed(q.id, true); else missed(q.id);
        update();
      };
      box.appendChild(btn);
      list.appendChild(box);
      var saved = get("ecsbook-quiz:" + q.id);
      if (saved) { choose(box, saved.picked); explain(box, q, saved.picked, data); }
    });
    var reset = button("Reset answers");
    reset.onclick = function () {
      data.questions.forEach(function (q) { drop("ecsbook-quiz:" + q.id); });
      location.reload();
    };
    root.appendChild(list); root.appendChild(score); root.appendChild(reset);
    update();
  }

  /* ---- mock exam ---- */
  function rng(seed) {
    var s = (seed >>> 0) || 1;
    return function () { s = (s * 1664525 + 1013904223) >>> 0; return s; };
  }
  function shuffle(a, next) {
    for (var i = a.length - 1; i > 0; i--) {
      var j = next() % (i + 1); var t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }
  function quotas(domains, n) {
    // largest remainder, as ecsbook.quiz.exams.domain_quota does
    var total = domains.reduce(function (s, d) { return s + d.weight; }, 0);
    var q = {}, used = 0;
    var rest = domains.map(function (d) {
      var exact = n * d.weight / total;
      q[d.number] = Math.floor(exact); used += q[d.number];
      return { k: d.number, r: exact - q[d.number] };
    });
    rest.sort(function (a, b) { return b.r - a.r || (a.k < b.k ? -1 : 1); });
    for (var i = 0; i < n - used; i++) q[rest[i].k] += 1;
    return q;
  }
  function draw(data, n, seed) {
    var next = rng(seed), taken = {}, out = [];
    var quota = quotas(data.domains, Math.min(n, data.questions.length));
    data.domains.forEach(function (d) {
      var pool = shuffle(data.questions.filter(function (q) {
        return q.primary === d.number;
      }), next);
      pool.slice(0, quota[d.number]).forEach(function (q) { taken[q.id] = 1; out.push(q); });
    });
    // a domain with too few questions is filled from the rest of the exam's pool
    var rest = shuffle(data.questions.filter(function (q) { return !taken[q.id]; }), next);
    while (out.length < Math.min(n, data.questions.length)) out.push(rest.shift());
    return shuffle(out, next).map(function (q) { return q.id; });
  }

  function mockExam(root, data) {
    var key = "ecsbook-exam:" + data.exam;
    var histKey = "ecsbook-exam-history:" + data.exam;
    var byId = {};
    data.questions.forEach(function (q) { byId[q.id] = q; });
    var params = new URLSearchParams(location.search);
    var want = {
      n: +(params.get("n") || data.n),
      minutes: +(params.get("minutes") || data.minutes),
      seed: params.get("seed") ? +params.get("seed") : null
    };
    var st = get(key), notice = "";
    var valid = st && st.ids && st.ids.every(function (id) { return byId[id]; });
    var asked = params.get("n") || params.get("seed");
    if (valid && asked && (st.n !== want.n || (want.seed !== null && st.seed !== want.seed))) {
      valid = false; // the address asks for a different exam than the saved one
    }
    if (valid && !st.done) notice = "Welcome back: your exam in progress was restored.";
    if (!valid) st = fresh();

    function fresh() {
      var seed = want.seed !== null ? want.seed : Date.now() % 100000;
      return { n: want.n, seed: seed, ids: draw(data, want.n, seed), answers: {},
               flags: {}, left: want.minutes * 60000, cur: 0, done: false };
    }
    function save() { put(key, st); }
    save();

    var bar = el("div", "eq-bar"), timer = el("span", "eq-timer"), pos = el("span", "eq-meta");
    timer.setAttribute("role", "timer");
    var note = el("div", "eq-notice", notice);
    note.setAttribute("role", "status");
    var nav = el("nav", "eq-nav");
    nav.setAttribute("aria-label", "Question navigator");
    var body = el("div"), confirmBox = el("div", "eq-confirm"), result = el("div");
    confirmBox.hidden = true;
    var prev = button("Previous"), next = button("Next"), flag = button("Flag for review");
    var submit = button("Submit exam"), restart = button("Start a new exam");
    bar.appendChild(timer); bar.appendChild(document.createTextNode(" ")); bar.appendChild(pos);
    var row = el("div");
    [prev, next, flag, submit, restart].forEach(function (b) { row.appendChild(b); });
    bar.appendChild(row);
    root.appendChild(note); root.appendChild(bar); root.appendChild(nav);
    root.appendChild(confirmBox); root.appendChild(body); root.appendChild(result);

    function q() { return byId[st.ids[st.cur]]; }
    function answered(id) { return (st.answers[id] || []).length > 0; }
    function flagged() { return st.ids.filter(function (id) { return st.flags[id]; }); }
    function numbers(ids) {
      return ids.map(function (id) { return st.ids.indexOf(id) + 1; }).join(", ");
    }

    function drawNav() {
      nav.textContent = "";
      st.ids.forEach(function (id, i) {
        var b = button(String(i + 1), "eq-navbtn");
        var states = [answered(id) ? "answered" : "unanswered"];
        if (st.flags[id]) states.push("flagged");
        if (st.done) states.push(same(st.answers[id] || [], byId[id].answer) ? "right" : "wrong");
        b.className += " " + states.map(function (s) { return "eq-" + s; }).join(" ");
        b.setAttribute("aria-label", "Question " + (i + 1) + ", " + states.join(", "));
        b.setAttribute("data-state", states.join(" "));
        if (i === st.cur) b.setAttribute("aria-current", "true");
        b.onclick = function () { st.cur = i; save(); show(); };
        nav.appendChild(b);
      });
    }
    function show() {
      body.textContent = "";
      var cq = q(), box = renderQuestion(cq, st.cur + 1, "mock-" + data.exam);
      choose(box, st.answers[cq.id]);
      box.addEventListener("change", function () {
        if (st.done) return;
        st.answers[cq.id] = chosen(box); save(); drawNav();
      });
      if (st.flags[cq.id]) box.insertBefore(el("div", "eq-flag", "Flagged for review"), box.children[1]);
      if (st.done) {
        box.querySelectorAll("input").forEach(function (i) { i.disabled = true; });
        explain(box, cq, st.answers[cq.id] || [], data);
      }
      body.appendChild(box);
      pos.textContent = "Question " + (st.cur + 1) + " of " + st.ids.length +
        (st.flags[cq.id] ? " (flagged)" : "") + " | answered: " +
        st.ids.filter(answered).length + " | flagged: " + flagged().length;
      flag.textContent = st.flags[cq.id] ? "Unflag" : "Flag for review";
      flag.disabled = st.done; submit.disabled = st.done;
      prev.disabled = st.cur === 0; next.disabled = st.cur === st.ids.length - 1;
      drawNav();
    }
    prev.onclick = function () { if (st.cur > 0) { st.cur--; save(); show(); } };
    next.onclick = function () { if (st.cur < st.ids.length - 1) { st.cur++; save(); show(); } };
    flag.onclick = function () { var id = q().id; st.flags[id] = !st.flags[id]; save(); show(); };

    submit.onclick = function () {
      var open = st.ids.filter(function (id) { return !answered(id); });
      confirmBox.textContent = "";
      confirmBox.appendChild(el("p", "eq-stem", "Submit your exam now?"));
      confirmBox.appendChild(el("p", "", open.length ?
        open.length + " unanswered: questions " + numbers(open) + "." : "Every question is answered."));
      var f = flagged();
      confirmBox.appendChild(el("p", "", f.length ?
        f.length + " flagged for review: questions " + numbers(f) + "." : "No question is flagged."));
      var yes = button("Yes, submit", "eq-primary"), no = button("Keep working");
      yes.onclick = function () { confirmBox.hidden = true; finish(); };
      no.onclick = function () { confirmBox.hidden = true; submit.focus(); };
      confirmBox.appendChild(yes); confirmBox.appendChild(no);
      confirmBox.hidden = false;
      yes.focus();
    };
    restart.onclick = function () {
      if (!st.done && !window.confirm("Abandon this exam and start a new one?")) return;
      want.seed = null; st = fresh(); save(); result.textContent = ""; note.textContent = "";
      show(); clock();
    };

    function finish() {
      st.done = true; st.cur = 0;
      var ok = 0, perDomain = {}, perChapter = {};
      st.ids.forEach(function (id) {
        var qq = byId[id], good = same(st.answers[id] || [], qq.answer);
        ok += good ? 1 : 0;
        var d = perDomain[qq.primary] = perDomain[qq.primary] || [0, 0];
        d[0] += good ? 1 : 0; d[1]++;
        var c = perChapter[qq.chapter] = perChapter[qq.chapter] || [0, 0];
        c[0] += good ? 1 : 0; c[1]++;
        if (!good) missed(id);
      });
      st.result = { score: ok, total: st.ids.length, perDomain: perDomain, perChapter: perChapter };
      var hist = get(histKey) || [];
      hist.push({ when: new Date().toISOString(), score: ok, total: st.ids.length });
      put(histKey, hist);
      save(); showResult(); show();
    }
    function table(caption, rows) {
      var t = el("table", "eq-table");
      t.appendChild(el("caption", "", caption));
      rows.forEach(function (r) {
        var tr = el("tr");
        r.forEach(function (cell) {
          if (cell && cell.nodeType) { var td = el("td"); td.appendChild(cell); tr.appendChild(td); }
          else tr.appendChild(el("td", "", cell));
        });
        t.appendChild(tr);
      });
      return t;
    }
    function showResult() {
      result.textContent = "";
      var r = st.result, pct = Math.round(100 * r.score / r.total);
      var h = el("h3", "eq-result", "Score: " + r.score + " / " + r.total + " (" + pct + "%)");
      h.setAttribute("data-score", r.score);
      result.appendChild(h);
      result.appendChild(el("div", "eq-meta", "AWS reports a scaled score from 100 to 1,000; " +
        "this is the plain share of questions right."));
      result.appendChild(table("By official exam domain", data.domains.map(function (d) {
        var v = r.perDomain[d.number] || [0, 0];
        return ["Domain " + d.number + ": " + d.title + " (" + d.weight + "% of the exam)",
                v[0] + " / " + v[1]];
      })));
      result.appendChild(table("By book chapter, for revision",
        Object.keys(r.perChapter).sort().map(function (c) {
          var a = el("a", "", data.chapters[c] || c);
          a.href = (data.base || "") + "book/" + c + ".html";
          return [a, r.perChapter[c][0] + " / " + r.perChapter[c][1]];
        })));
      var f = flagged();
      if (f.length) result.appendChild(el("div", "", "You flagged questions " + numbers(f) +
        "; the navigator marks them."));
      if (r.score < r.total) {
        var rv = el("a", "", "Review what you missed");
        rv.href = (data.base || "") + "book/review.html";
        var p = el("div"); p.appendChild(el("span", "", (r.total - r.score) +
          " missed questions joined your review queue. ")); p.appendChild(rv);
        result.appendChild(p);
      }
      var hist = get(histKey) || [];
      if (hist.length) {
        result.appendChild(table("Your attempts at " + data.exam, hist.map(function (a, i) {
          return ["#" + (i + 1) + " " + a.when.slice(0, 16).replace("T", " "),
                  a.score + " / " + a.total + " (" + Math.round(100 * a.score / a.total) + "%)"];
        })));
      }
      result.appendChild(el("div", "eq-meta",
        "Review mode: the navigator and Previous/Next show every answer with its explanation."));
    }

    var last = Date.now();
    function clock() {
      var now = Date.now();
      if (!st.done) { st.left = Math.max(0, st.left - (now - last)); save(); }
      last = now;
      var left = st.left;
      timer.textContent = st.done ? "Submitted" : "Time left " + Math.floor(left / 60000) + ":" +
        ("0" + Math.floor(left % 60000 / 1000)).slice(-2);
      if (!left && !st.done) finish();
    }
    setInterval(clock, 500);
    clock();
    if (st.done && st.result) showResult();
    show();
  }

  /* ---- review page ---- */
  function reviewPage(root, data) {
    var byId = {};
    data.questions.forEach(function (q) { byId[q.id] = q; });
    var status = el("div", "eq-meta"), body = el("div");
    status.setAttribute("aria-live", "polite");
    root.appendChild(status); root.appendChild(body);
    function due() {
      var qq = queue(), now = Date.now();
      return Object.keys(qq).filter(function (id) { return byId[id] && qq[id].due <= now; })
        .sort(function (a, b) { return qq[a].due - qq[b].due || (a < b ? -1 : 1); });
    }
    function boxes() {
      var qq = queue(), c = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
      Object.keys(qq).forEach(function (id) { if (byId[id]) c[qq[id].box] += 1; });
      return [1, 2, 3, 4, 5].map(function (b) { return "box " + b + ": " + c[b]; }).join(", ");
    }
    function next() {
      body.textContent = "";
      var list = due();
      status.textContent = list.length + " due now (" + boxes() + ")";
      if (!list.length) {
        var qq = queue(), ids = Object.keys(qq).filter(function (id) { return byId[id]; });
        var soon = ids.map(function (id) { return qq[id].due; }).sort()[0];
        body.appendChild(el("p", "eq-done", ids.length ?
          "Nothing is due. The next question comes back on " +
          new Date(soon).toISOString().slice(0, 10) + "." :
          "Your review queue is empty. Questions you miss in a chapter quiz or a mock " +
          "exam appear here."));
        return;
      }
      var q = byId[list[0]], box = renderQuestion(q, 1, "review");
      box.querySelector("legend").textContent = stemText(q);
      var check = button("Check"), more = button("Next question");
      more.hidden = true;
      check.onclick = function () {
        var p = chosen(box);
        if (!p.length) return;
        var ok = explain(box, q, p, data);
        reviewed(q.id, ok);
        check.hidden = true; more.hidden = false; more.focus();
        box.querySelectorAll("input").forEach(function (i) { i.disabled = true; });
        status.textContent = due().length + " due now (" + boxes() + ")";
      };
      more.onclick = next;
      box.appendChild(check); box.appendChild(more);
      body.appendChild(box);
    }
    next();
  }

  function boot() {
    document.querySelectorAll("div.eq-quiz[data-eq]:not([data-eq-ready])").forEach(function (root) {
      root.setAttribute("data-eq-ready", "1");
      var data = JSON.parse(document.getElementById(root.getAttribute("data-eq")).textContent);
      if (data.mode === "exam") mockExam(root, data);
      else if (data.mode === "review") reviewPage(root, data);
      else chapterQuiz(root, data);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
