/* Huifu's few page behaviours, declared in templates with data- attributes.
 * No inline scripts or on* attributes anywhere: the Content-Security-Policy allows scripts from
 * this site only (script-src 'self'). Listeners sit on the document, so content that htmx swaps
 * in later behaves the same. */
(function () {
  "use strict";

  // <select data-autosubmit>: submit the form when the choice changes (language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // <form data-confirm="question">: ask before a destructive post.
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // <form data-disable-on-submit>: one click, one submission.
    if (form.hasAttribute("data-disable-on-submit")) {
      var buttons = form.querySelectorAll("button[type=submit]");
      window.setTimeout(function () {
        buttons.forEach(function (button) { button.disabled = true; });
      }, 0);
    }
  });

  // <button data-print>: print the page.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      window.print();
    }
  });

  // <input data-select-on-focus>: select the whole value (a token to copy).
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("input[data-select-on-focus]")) {
      event.target.select();
    }
  });

  // <input data-filter-options="select-id">: hide the options of that <select multiple> whose
  // text does not contain what is typed (selected ones stay visible).
  document.addEventListener("input", function (event) {
    var input = event.target;
    var selectId = input.getAttribute && input.getAttribute("data-filter-options");
    if (!selectId) {
      return;
    }
    var select = document.getElementById(selectId);
    if (!select) {
      return;
    }
    var text = input.value.toLowerCase();
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var match = !text || option.text.toLowerCase().includes(text) || option.parentNode.label && option.parentNode.label.toLowerCase().includes(text);
      // A single-choice picker (QuickSelect searchable): the first match is chosen.
      option.hidden = !match && (select.multiple ? !option.selected : true);
      if (match && option.value && !first && !option.parentNode.hidden) {
        first = option;
      }
    });
    if (!select.multiple && text && first) {
      select.value = first.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  // <input type=checkbox data-check-all="name">: (un)tick every checkbox of that name.
  document.addEventListener("change", function (event) {
    var name = event.target.getAttribute && event.target.getAttribute("data-check-all");
    if (name) {
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
  });

  // <select data-follow="other-select-id">: its option groups are named after the other
  // select's choices (owners by department); choosing there shows only that group.
  function follow(leader) {
    document.querySelectorAll('select[data-follow="' + leader.id + '"]').forEach(function (select) {
      var chosen = leader.value ? leader.options[leader.selectedIndex].text : "";
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = Boolean(chosen) && group.label !== chosen;
      });
      var current = select.options[select.selectedIndex];
      if (current && current.parentNode.hidden) {
        select.value = "";
      }
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.id && event.target.tagName === "SELECT") {
      follow(event.target);
    }
  });
  document.querySelectorAll("select[data-follow]").forEach(function (select) {
    var leader = document.getElementById(select.getAttribute("data-follow"));
    if (leader) {
      follow(leader);
    }
  });

  // The stepper's next action (core/_stepper.html) may point at a form further down that sits
  // in a <details>: open it and put the cursor in its first field, so one click starts the work.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".stepper-action a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) {
      return;
    }
    var details = target.tagName === "DETAILS" ? target : target.closest("details");
    if (details) {
      details.open = true;
    }
    var field = target.querySelector("textarea, input:not([type=hidden]), select");
    if (field) {
      window.setTimeout(function () { field.focus(); }, 0);
    }
  });
})();
