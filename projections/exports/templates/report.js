(function () {
  "use strict";
  var tip = document.getElementById("tip");
  function place(el) {
    var box = el.getBoundingClientRect();
    var x = Math.min(box.left, window.innerWidth - tip.offsetWidth - 12);
    var y = box.bottom + 8;
    if (y + tip.offsetHeight > window.innerHeight - 8) { y = box.top - tip.offsetHeight - 8; }
    tip.style.left = Math.max(8, x) + "px";
    tip.style.top = Math.max(8, y) + "px";
  }
  function show(el) {
    var text = el.getAttribute("aria-label") || "";
    var lines = text.split("\n");
    tip.textContent = "";
    var head = document.createElement("div");
    head.className = "tip-head";
    head.textContent = lines[0];
    tip.appendChild(head);
    tip.appendChild(document.createTextNode(lines.slice(1).join("\n")));
    tip.hidden = false;
    place(el);
  }
  function hide() { tip.hidden = true; }
  function bands(id, on) {
    document.querySelectorAll('.band[data-finding="' + id + '"]').forEach(function (b) {
      b.classList.toggle("active", on);
    });
  }
  document.querySelectorAll("svg .item").forEach(function (el) {
    var title = el.querySelector("title");
    if (title) { el.setAttribute("aria-label", title.textContent); title.remove(); }
    el.addEventListener("mouseenter", function () { show(el); });
    el.addEventListener("focus", function () { show(el); });
    el.addEventListener("mouseleave", hide);
    el.addEventListener("blur", hide);
  });
  document.querySelectorAll("[data-finding]:not(.band)").forEach(function (el) {
    var id = el.getAttribute("data-finding");
    ["mouseenter", "focus", "focusin"].forEach(function (n) {
      el.addEventListener(n, function () { bands(id, true); });
    });
    ["mouseleave", "blur", "focusout"].forEach(function (n) {
      el.addEventListener(n, function () { bands(id, false); });
    });
  });
})();
