/* Buttons marked data-select="all" or data-select="none" tick or untick every checkbox named by
   data-select-name inside their form; an element marked data-selected-count shows how many are ticked.
   The buttons start hidden and are shown here, so that without JavaScript nothing offers what cannot work. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-select-name]").forEach(function (form) {
    var name = form.dataset.selectName;
    var boxes = function () {
      return form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
    };
    var counters = form.querySelectorAll("[data-selected-count]");
    counters.forEach(function (counter) { counter.hidden = false; });
    var update = function () {
      var ticked = Array.prototype.filter.call(boxes(), function (box) { return box.checked; }).length;
      counters.forEach(function (counter) {
        var template = ticked === 1 ? counter.dataset.one : counter.dataset.many;
        counter.textContent = template.replace("%(count)s", String(ticked));
      });
    };
    form.querySelectorAll("[data-select]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var state = button.dataset.select === "all";
        boxes().forEach(function (box) { box.checked = state; });
        update();
      });
    });
    form.addEventListener("change", update);
    update();
  });
})();
