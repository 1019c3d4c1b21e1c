/* ECS by Doing widgets on a page with no kernel: swap pictures computed at build time.
   The block's JSON holds parts (HTML fragments) and states (control values -> a part per
   slot). A change of an enabled control looks up the state and swaps the slots whose part
   differs. Nothing is computed here and nothing is fetched. The time of the last switch is
   kept in data-ew-ms (milliseconds) for the tests. */
(function () {
  "use strict";
  var me = document.currentScript;

  function init(root) {
    if (!root || root.getAttribute("data-ew-ready")) return;
    root.setAttribute("data-ew-ready", "1");
    var data = JSON.parse(root.querySelector("script.ew-data").textContent);
    var controls = Array.prototype.slice.call(root.querySelectorAll("[data-ew-key]"));
    var slots = {};
    Array.prototype.forEach.call(root.querySelectorAll("[data-ew-slot]"), function (s) {
      slots[s.getAttribute("data-ew-slot")] = s;
    });
    var timer = null;

    function val(c) { return c.type === "checkbox" ? String(c.checked) : c.value; }
    function keyOf(skip) {
      return controls.filter(function (c) { return c.getAttribute("data-ew-key") !== skip; })
        .map(function (c) { return c.getAttribute("data-ew-key") + "=" + val(c); }).join("|");
    }
    function byKey(name) {
      return controls.filter(function (c) { return c.getAttribute("data-ew-key") === name; })[0];
    }
    function output(name, value) {
      var o = root.querySelector('[data-ew-out="' + name + '"]');
      if (o) o.textContent = value;
    }
    function clampRanges() {
      Object.keys(data.ranges || {}).forEach(function (name) {
        var c = byKey(name), lim = (data.limits[keyOf(name)] || {})[name];
        if (!c || lim === undefined) return;
        c.max = String(lim);
        if (+c.value > lim) c.value = String(lim);
        output(name, c.value);
      });
    }
    function show() {
      var t0 = performance.now();
      clampRanges();
      var key = keyOf(null), st = data.states[key];
      if (!st) return;
      data.slots.forEach(function (name, i) {
        var slot = slots[name], id = String(st[i]);
        if (slot && st[i] >= 0 && slot.getAttribute("data-ew-part") !== id) {
          slot.innerHTML = data.parts[st[i]];
          slot.setAttribute("data-ew-part", id);
        }
      });
      var show = st.length > data.slots.length ? data.shows[st[data.slots.length]] : {};
      Object.keys(show).forEach(function (name) {
        var f = root.querySelector('[data-ew-show="' + name + '"]');
        if (!f) return;
        if (f.type === "checkbox") f.checked = show[name] === "true"; else f.value = show[name];
        output(name, show[name]);
      });
      controls.forEach(function (c) { if (c.type === "range") output(c.getAttribute("data-ew-key"), c.value); });
      root.setAttribute("data-ew-state", key);
      root.setAttribute("data-ew-ms", (performance.now() - t0).toFixed(3));
    }
    function step(delta) {
      var c = byKey(data.play);
      if (!c) return false;
      var v = +c.value + delta;
      if (v < +c.min || v > +c.max) return false;
      c.value = String(v);
      show();
      return true;
    }
    function stop(btn) {
      if (timer) clearInterval(timer);
      timer = null;
      btn.setAttribute("aria-pressed", "false");
      btn.innerHTML = "&#9654; play";
    }
    controls.forEach(function (c) {
      c.addEventListener(c.tagName === "SELECT" || c.type === "checkbox" ? "change" : "input", show);
    });
    Array.prototype.forEach.call(root.querySelectorAll("[data-ew-step]"), function (b) {
      b.addEventListener("click", function () { step(+b.getAttribute("data-ew-step")); });
    });
    Array.prototype.forEach.call(root.querySelectorAll("[data-ew-play]"), function (b) {
      b.addEventListener("click", function () {
        if (timer) { stop(b); return; }
        var c = byKey(data.play);
        if (+c.value >= +c.max) { c.value = c.min; show(); }
        b.setAttribute("aria-pressed", "true");
        b.innerHTML = "&#10074;&#10074; pause";
        timer = setInterval(function () { if (!step(1)) stop(b); }, 700);
      });
    });
    /* the page's own launch button (sphinx-book-theme) opens this very notebook */
    var own = document.querySelector('.dropdown-launch-buttons a[href*="/v2/"], a.btn[href*="mybinder"]');
    Array.prototype.forEach.call(root.querySelectorAll("a.ew-launch"), function (a) {
      if (own && own.href) a.href = own.href;
    });
    show();
  }

  init(me && me.parentNode && me.parentNode.closest ? me.parentNode.closest(".ecsbook-widget") : null);
  Array.prototype.forEach.call(document.querySelectorAll(".ecsbook-widget"), init);
})();
