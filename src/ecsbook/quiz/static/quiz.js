/* ECS by Doing quizzes: grade in the browser, no kernel, no network.
   Question text is always inserted with textContent, never parsed as HTML. Progress is kept in
   localStorage under "ecsbook-quiz:<question id>". */
(function () {
  "use strict";
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function store(id, v) { try { localStorage.setItem("ecsbook-quiz:" + id, JSON.stringify(v)); } catch (e) {} }
  function load(id) { try { return JSON.parse(localStorage.getItem("ecsbook-quiz:" + id)); } catch (e) { return null; } }
  function same(a, b) { a = a.slice().sort(); b = b.slice().sort(); return a.length === b.length && a.every(function (x, i) { return x === b[i]; }); }
  function chosen(box) { return Array.prototype.slice.call(box.querySelectorAll("input:checked")).map(function (i) { return +i.value; }); }
  function renderQuestion(q, n, name) {
    var box = el("div", "eq-q"); box.setAttribute("data-qid", q.id);
    box.appendChild(el("div", "eq-stem", n + ". " + q.stem + (q.answer.length > 1 ? " (Choose " + q.answer.length + ".)" : "")));
    q.options.forEach(function (o, k) {
      var lab = el("label", "eq-opt"); var inp = document.createElement("input");
      inp.type = q.answer.length > 1 ? "checkbox" : "radio"; inp.name = name + "-" + q.id; inp.value = k;
      lab.appendChild(inp); lab.appendChild(document.createTextNode(" " + o.text)); box.appendChild(lab);
    });
    return box;
  }
  function explain(box, q, picked) {
    var old = box.querySelector(".eq-feedback"); if (old) old.remove();
    var fb = el("div", "eq-feedback"); var ok = same(picked, q.answer);
    fb.appendChild(el("div", ok ? "eq-ok" : "eq-bad", ok ? "Correct." : "Not quite."));
    q.options.forEach(function (o, k) {
      var right = q.answer.indexOf(k) >= 0;
      fb.appendChild(el("div", "eq-why " + (right ? "eq-ok" : (picked.indexOf(k) >= 0 ? "eq-bad" : "")), (right ? "\u2714 " : "\u2718 ") + o.text + ": " + o.why));
    });
    var src = el("a", "eq-meta", "Source: AWS documentation"); src.href = q.source; src.target = "_blank"; src.rel = "noopener";
    fb.appendChild(src); box.appendChild(fb); return ok;
  }
  function chapterQuiz(root, data) {
    var score = el("div", "eq-meta"); var list = el("div");
    function update() { var n = 0, ok = 0; data.questions.forEach(function (q) { var s = load(q.id); if (s) { n++; if (s.ok) ok++; } }); score.textContent = "Score: " + ok + " / " + data.questions.length + " (" + n + " answered; saved in this browser)"; }
    data.questions.forEach(function (q, i) {
      var box = renderQuestion(q, i + 1, data.name); var btn = el("button", "eq-btn", "Check");
      btn.type = "button";
      btn.onclick = function () { var p = chosen(box); if (!p.length) return; var ok = explain(box, q, p); store(q.id, { picked: p, ok: ok }); update(); };
      box.appendChild(btn); list.appendChild(box);
      var saved = load(q.id);
      if (saved) { saved.picked.forEach(function (k) { var inp = box.querySelector('input[value="' + k + '"]'); if (inp) inp.checked = true; }); explain(box, q, saved.picked); }
    });
    var reset = el("button", "eq-btn", "Reset answers"); reset.type = "button";
    reset.onclick = function () { data.questions.forEach(function (q) { try { localStorage.removeItem("ecsbook-quiz:" + q.id); } catch (e) {} }); location.reload(); };
    root.appendChild(list); root.appendChild(score); root.appendChild(reset); update();
  }
  function shuffle(a, seed) { var s = seed >>> 0 || 1; for (var i = a.length - 1; i > 0; i--) { s = (s * 1664525 + 1013904223) >>> 0; var j = s % (i + 1); var t = a[i]; a[i] = a[j]; a[j] = t; } return a; }
  function pick(all, n, seed) {
    var by = {}; all.forEach(function (q) { (by[q.domain] = by[q.domain] || []).push(q); });
    var doms = Object.keys(by).sort(); doms.forEach(function (d) { shuffle(by[d], seed + d.length); });
    var out = [], i = 0; while (out.length < Math.min(n, all.length)) { var d = doms[i % doms.length]; if (by[d].length) out.push(by[d].shift()); i++; if (i > 100000) break; }
    return shuffle(out, seed);
  }
  function mockExam(root, data) {
    var params = new URLSearchParams(location.search);
    var n = +(params.get("n") || data.n), minutes = +(params.get("minutes") || data.minutes), seed = +(params.get("seed") || Date.now() % 100000);
    var qs = pick(data.questions, n, seed), answers = {}, flags = {}, cur = 0, done = false, end = Date.now() + minutes * 60000;
    var bar = el("div", "eq-bar"), timer = el("span", "eq-meta"), pos = el("span", "eq-meta"), body = el("div"), result = el("div");
    var prev = el("button", "eq-btn", "Previous"), next = el("button", "eq-btn", "Next"), flag = el("button", "eq-btn", "Flag for review"), submit = el("button", "eq-btn", "Submit exam");
    [prev, next, flag, submit].forEach(function (b) { b.type = "button"; });
    bar.appendChild(timer); bar.appendChild(document.createTextNode(" ")); bar.appendChild(pos); bar.appendChild(el("br"));
    [prev, next, flag, submit].forEach(function (b) { bar.appendChild(b); });
    root.appendChild(bar); root.appendChild(body); root.appendChild(result);
    function save() { var box = body.firstChild; if (box && !done) answers[qs[cur].id] = chosen(box); }
    function show() {
      body.textContent = ""; var q = qs[cur]; var box = renderQuestion(q, cur + 1, "mock");
      (answers[q.id] || []).forEach(function (k) { box.querySelector('input[value="' + k + '"]').checked = true; });
      if (done) { box.querySelectorAll("input").forEach(function (i) { i.disabled = true; }); explain(box, q, answers[q.id] || []); }
      body.appendChild(box);
      pos.textContent = "Question " + (cur + 1) + " of " + qs.length + (flags[q.id] ? " (flagged)" : "") + " | flagged: " + Object.keys(flags).filter(function (k) { return flags[k]; }).length;
      flag.textContent = flags[q.id] ? "Unflag" : "Flag for review";
    }
    prev.onclick = function () { save(); if (cur > 0) { cur--; show(); } };
    next.onclick = function () { save(); if (cur < qs.length - 1) { cur++; show(); } };
    flag.onclick = function () { save(); flags[qs[cur].id] = !flags[qs[cur].id]; show(); };
    function finish() {
      save(); done = true; clearInterval(tick); submit.disabled = true; flag.disabled = true;
      var per = {}, ok = 0; qs.forEach(function (q) { var g = same(answers[q.id] || [], q.answer); ok += g; per[q.domain] = per[q.domain] || [0, 0, q.chapter]; per[q.domain][0] += g; per[q.domain][1]++; });
      result.textContent = ""; var pct = Math.round(100 * ok / qs.length);
      var h = el("h3", "eq-result", "Score: " + ok + " / " + qs.length + " (" + pct + "%)"); h.setAttribute("data-score", ok); result.appendChild(h);
      result.appendChild(el("div", "eq-meta", "AWS reports associate exams on a scaled score; this is a plain percentage of questions right."));
      var t = el("table"); Object.keys(per).sort().forEach(function (d) { var r = el("tr"); r.appendChild(el("td", "", d)); r.appendChild(el("td", "", per[d][0] + " / " + per[d][1])); t.appendChild(r); }); result.appendChild(t);
      var wrong = qs.filter(function (q) { return !same(answers[q.id] || [], q.answer); });
      if (wrong.length) { result.appendChild(el("div", "", "Revisit:")); var ul = el("ul"); var seen = {};
        wrong.forEach(function (q) { if (seen[q.chapter] || !data.chapters[q.chapter]) return; seen[q.chapter] = 1; var li = el("li"); var a = el("a", "", data.chapters[q.chapter]); a.href = q.chapter + ".html"; li.appendChild(a); ul.appendChild(li); });
        result.appendChild(ul); }
      result.appendChild(el("div", "eq-meta", "Review mode: use Previous/Next to see every answer with its explanation."));
      cur = 0; show();
    }
    submit.onclick = finish;
    function clock() { var left = Math.max(0, end - Date.now()); timer.textContent = "Time left " + Math.floor(left / 60000) + ":" + ("0" + Math.floor(left % 60000 / 1000)).slice(-2); if (!left && !done) finish(); }
    var tick = setInterval(clock, 500); clock();
    show();
  }
  function boot() {
    document.querySelectorAll("div.eq-quiz[data-eq]:not([data-eq-ready])").forEach(function (root) {
      root.setAttribute("data-eq-ready", "1");
      var data = JSON.parse(document.getElementById(root.getAttribute("data-eq")).textContent);
      if (data.mode === "exam") mockExam(root, data); else chapterQuiz(root, data);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot); else boot();
})();
