/* Household rows on the referral and edit forms: "Add person" appends a row from the <template>.
   Progressive enhancement: without JavaScript the empty rows the page brings are enough. */
(function () {
  "use strict";
  var button = document.getElementById("add-member");
  var total = document.getElementById("id_members-TOTAL_FORMS");
  var template = document.getElementById("member-template");
  if (!button || !total || !template) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, index).replace(/__number__/g, index + 1);
    document.getElementById("member-rows").insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    var rows = document.querySelectorAll("#member-rows .member-row");
    rows[rows.length - 1].querySelector("select, input:not([type=hidden])").focus();
  });
})();
