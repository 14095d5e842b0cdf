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

  // <table class="table-cards">: at phone width each row is a card (huifu.css) whose cells show
  // their column's name from data-label. Cells the template left without one get the text of
  // their <thead> column (colspan counted); rows htmx swaps in later get it too.
  function labelCardCells(root) {
    var tables = root.querySelectorAll ? root.querySelectorAll("table.table-cards") : [];
    Array.prototype.forEach.call(tables, function (table) {
      var headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!headRow) {
        return;
      }
      var labels = [];
      Array.prototype.forEach.call(headRow.cells, function (th) {
        for (var i = 0; i < (th.colSpan || 1); i += 1) {
          labels.push(th.textContent.trim());
        }
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label") && cell.colSpan === 1 && labels[column]) {
              cell.setAttribute("data-label", labels[column]);
            }
            column += cell.colSpan || 1;
          });
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { labelCardCells(document); });
  document.addEventListener("htmx:afterSettle", function (event) { labelCardCells(event.target.closest("table") ? event.target.closest("table").parentNode : event.target); });

  // <input data-cap data-cap-used data-cap-text data-cap-over> (huifu/core/running_total.py):
  // under the amount, as it is typed, what is used already + this amount against the cap.
  function yuan(value) {
    return value.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  function showRunningTotal(input) {
    var meter = document.getElementById(input.id + "_cap");
    if (!meter) {
      meter = document.createElement("small");
      meter.id = input.id + "_cap";
      meter.className = "cap-meter";
      meter.setAttribute("aria-live", "polite");
      meter.setAttribute("data-testid", "cap-meter");
      input.insertAdjacentElement("afterend", meter);
    }
    var cap = parseFloat(input.getAttribute("data-cap")) || 0;
    var used = parseFloat(input.getAttribute("data-cap-used")) || 0;
    var typed = parseFloat(String(input.value).replace(/[,，\s¥￥元]/g, ""));
    var value = isFinite(typed) && typed > 0 ? typed : 0;
    var total = Math.round((used + value) * 100) / 100;
    var parts = { used: yuan(used), value: yuan(value), total: yuan(total), cap: yuan(cap),
      left: yuan(Math.max(cap - total, 0)), over: yuan(Math.max(total - cap, 0)) };
    var fill = function (text) {
      return (text || "").replace(/\{(\w+)\}/g, function (all, key) { return key in parts ? parts[key] : all; });
    };
    var over = total > cap + 0.0001;
    meter.textContent = fill(input.getAttribute("data-cap-text")) + (over ? " " + fill(input.getAttribute("data-cap-over")) : "");
    meter.classList.toggle("cap-over", over);
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "").replace(meter.id, "").trim() + " " + meter.id).trim());
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input[data-cap]")) {
      showRunningTotal(event.target);
    }
  });
  function showAllRunningTotals(root) {
    Array.prototype.forEach.call(root.querySelectorAll ? root.querySelectorAll("input[data-cap]") : [], showRunningTotal);
  }
  document.addEventListener("DOMContentLoaded", function () { showAllRunningTotals(document); });
  document.addEventListener("htmx:afterSettle", function (event) { showAllRunningTotals(event.target); });

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
  // <select data-follow=… data-fill-leader>: an option chosen while the leader is empty fills
  // the leader with the option's group (an owner's only department is preselected).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.tagName !== "SELECT" || !select.hasAttribute("data-fill-leader")) {
      return;
    }
    var leader = document.getElementById(select.getAttribute("data-follow"));
    var option = select.options[select.selectedIndex];
    if (!leader || leader.value || !option || option.parentNode.tagName !== "OPTGROUP") {
      return;
    }
    Array.prototype.forEach.call(leader.options, function (candidate) {
      if (candidate.text === option.parentNode.label) {
        leader.value = candidate.value;
      }
    });
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
