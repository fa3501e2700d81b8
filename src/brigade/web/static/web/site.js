// Every page: the phone menu button, and the service worker that keeps 今日任务 working offline.
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = document.body.classList.toggle("menu-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = open ? "关闭" : "菜单";
    });
  }
  if ("serviceWorker" in navigator && document.querySelector("link[rel=manifest]")) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () { /* an older browser: pages still work online */ });
  }
})();
