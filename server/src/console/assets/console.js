// 政协工作台's one script, our own and served by the server (no CDN; CSP allows only 'self').
// Everything works without it; it adds three conveniences:
// - a section with data-live follows its scope's change feed and replaces itself in place;
// - an image with data-refresh reloads every N seconds (the check-in QR code);
// - a button with data-print prints the page.
(function () {
  "use strict";

  function follow(section) {
    var scope = section.getAttribute("data-live");
    var source = new EventSource("/console/live?scope=" + encodeURIComponent(scope));
    var busy = false;
    var again = false;
    function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (text) {
          if (!text) { return; }
          var doc = new DOMParser().parseFromString(text, "text/html");
          var fresh = doc.getElementById(section.id);
          if (fresh) { section.innerHTML = fresh.innerHTML; }
        })
        .catch(function () { /* the next change tries again */ })
        .then(function () {
          busy = false;
          if (again) { again = false; refresh(); }
        });
    }
    source.addEventListener("change", refresh);
  }

  function renew(img) {
    var seconds = parseInt(img.getAttribute("data-refresh"), 10) || 60;
    var base = img.getAttribute("src").split("?")[0];
    window.setInterval(function () { img.setAttribute("src", base + "?t=" + Date.now()); }, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-live]"), follow);
    Array.prototype.forEach.call(document.querySelectorAll("img[data-refresh]"), renew);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
