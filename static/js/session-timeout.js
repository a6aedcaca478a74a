/* Warns before an idle session ends (SESSION_COOKIE_AGE) and lets the user keep it.
   Configuration comes from data- attributes on <body>; the texts from the hidden alert in base.html. */
(function () {
  "use strict";
  var body = document.body;
  var timeout = parseInt(body.dataset.sessionTimeout || "", 10);
  var lead = parseInt(body.dataset.sessionWarning || "120", 10);
  var keepaliveUrl = body.dataset.keepaliveUrl;
  var alertBox = document.getElementById("session-timeout-warning");
  if (!timeout || !keepaliveUrl || !alertBox) {
    return;
  }
  var warningText = alertBox.querySelector('[data-session-text="warning"]');
  var expiredText = alertBox.querySelector('[data-session-text="expired"]');
  var keepButton = alertBox.querySelector("[data-session-keepalive]");
  var loginLink = alertBox.querySelector("[data-session-login]");
  var warnTimer = null;
  var endTimer = null;

  function showWarning() {
    warningText.hidden = false;
    expiredText.hidden = true;
    keepButton.hidden = false;
    loginLink.hidden = true;
    alertBox.hidden = false;
    keepButton.focus();
  }

  function showExpired() {
    warningText.hidden = true;
    expiredText.hidden = false;
    keepButton.hidden = true;
    loginLink.hidden = false;
    alertBox.hidden = false;
  }

  function restart() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    alertBox.hidden = true;
    warnTimer = window.setTimeout(showWarning, Math.max(timeout - lead, 0) * 1000);
    endTimer = window.setTimeout(showExpired, timeout * 1000);
  }

  keepButton.addEventListener("click", function () {
    fetch(keepaliveUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.ok && !response.redirected) {
          restart();
        } else {
          showExpired();
        }
      })
      .catch(showExpired);
  });

  // every htmx request renews the session on the server as well
  document.addEventListener("htmx:afterRequest", restart);
  restart();
})();
