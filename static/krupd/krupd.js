/* KruPD: small page behaviours, switched on by data-attributes in the templates.
 *
 * The Content-Security-Policy forbids inline script (no <script> blocks, no onclick="",
 * no javascript: links), so a template asks for a behaviour with an attribute instead:
 *
 *   data-confirm="ลบรายการนี้?"   on a button or link: ask first, do nothing unless confirmed.
 *                                  On a form: ask before it is submitted.
 *   data-autosubmit               on a select or input: submit its form when the value changes.
 *   data-back                     on a link: go back one page in the browser history.
 *   data-check-all="name"         on a checkbox: tick or clear every checkbox called "name" in
 *                                  the same [data-picker] (or form); clearing one of them clears
 *                                  it. An <output data-count-of="name"> there shows how many are
 *                                  ticked.
 *   data-no-enter                 on a container: Enter in its inputs does not submit the form
 *                                  (a search box inside a form that saves something).
 *   data-merge-keep               on a radio (the record kept, รวมระเบียนซ้ำ): choosing it shows
 *                                  the form's [data-keep-only="its value"] and hides the others,
 *                                  and checks, in each [data-follows-keep] radio group the
 *                                  officer has not touched, the radio of the same value.
 *
 * Without an attribute: each short Thai word in a table cell, badge, heading, list item or
 * label is kept whole on one line (see .nobr in krupd.css).
 *
 * The listeners sit on the document (event delegation), so elements added later by htmx
 * behave the same without any set-up. Click and submit listen in the capture phase: a refused
 * confirmation stops the event before htmx (which listens on the element) sees it.
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;

    var asking = target.closest("[data-confirm]:not(form)");
    if (asking && !window.confirm(asking.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (target.closest("[data-back]")) {
      event.preventDefault();
      window.history.back();
      return;
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;

    if (form.hasAttribute("data-confirm") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  function checkScope(element) {
    return element.closest("[data-picker]") || element.form || document;
  }

  function countChecked(scope, name) {
    var boxes = scope.querySelectorAll('input[type="checkbox"][name="' + name + '"]:checked');
    scope.querySelectorAll('[data-count-of="' + name + '"]').forEach(function (output) {
      output.textContent = boxes.length.toLocaleString("th-TH");
    });
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    var scope = checkScope(box);
    if (box.dataset.checkAll) {
      scope.querySelectorAll('input[type="checkbox"][name="' + box.dataset.checkAll + '"]')
        .forEach(function (other) { other.checked = box.checked; });
      countChecked(scope, box.dataset.checkAll);
      return;
    }
    var all = scope.querySelectorAll('[data-check-all="' + box.name + '"]');
    if (!all.length) return;
    if (!box.checked) all.forEach(function (a) { a.checked = false; });
    countChecked(scope, box.name);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target instanceof HTMLInputElement &&
        event.target.closest("[data-no-enter]")) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var radio = event.target;
    if (!(radio instanceof HTMLInputElement) || !radio.form) return;
    if (radio.hasAttribute("data-follows-keep")) {
      radio.form.querySelectorAll('input[name="' + radio.name + '"]').forEach(function (r) {
        r.dataset.touched = "1";
      });
      return;
    }
    if (!radio.hasAttribute("data-merge-keep")) return;
    radio.form.querySelectorAll("[data-keep-only]").forEach(function (el) {
      el.hidden = el.dataset.keepOnly !== radio.value;
    });
    radio.form.querySelectorAll("input[data-follows-keep]").forEach(function (r) {
      if (!r.dataset.touched && r.value === radio.value) r.checked = true;
    });
  });

  document.addEventListener("change", function (event) {
    var field = event.target instanceof Element ? event.target.closest("[data-autosubmit]") : null;
    if (!field || !field.form) return;
    if (typeof field.form.requestSubmit === "function") {
      field.form.requestSubmit();
    } else {
      field.form.submit();
    }
  });

  /* Thai has no spaces between words, so the browser breaks a line wherever its dictionary
   * sees a word boundary, and names it does not know break in the middle (เงิน/ยิ่ง,
   * คลองบัว/ใหม่). Names and labels are short and separated by spaces: each space-separated
   * Thai word of a short-text element goes into a <span class="nobr">, so a line breaks only
   * at a space. A run longer than LONGEST_WORD (a compound course title or a sentence typed
   * without spaces, e.g. การออกแบบการเรียนรู้ฐานสมรรถนะ) is left to the browser: kept whole it
   * would be wider than a 390 px phone. Paragraphs and form fields are not touched. */
  var KEEP_WHOLE = "td, th, dt, dd, li, label, legend, summary, caption, h1, h2, h3, h4, .badge, .card, a[role=button], button";
  var SKIP = "p, pre, code, textarea, select, script, style, .secret, .nobr";
  var THAI = /[\u0E00-\u0E7F]/;
  var LONGEST_WORD = 16;

  function keepsWhole(part) {
    return part.length > 1 && part.length <= LONGEST_WORD && THAI.test(part);
  }

  function keepThaiWordsWhole(root) {
    if (!(root instanceof Element)) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var found = [];
    while (walker.nextNode()) {
      var node = walker.currentNode;
      var parent = node.parentElement;
      if (!parent || !THAI.test(node.nodeValue)) continue;
      if (!parent.closest(KEEP_WHOLE) || parent.closest(SKIP)) continue;
      found.push(node);
    }
    found.forEach(function (node) {
      var parts = node.nodeValue.split(/(\s+)/);
      if (!parts.some(keepsWhole)) return;
      var fragment = document.createDocumentFragment();
      parts.forEach(function (part) {
        if (keepsWhole(part)) {
          var word = document.createElement("span");
          word.className = "nobr";
          word.textContent = part;
          fragment.appendChild(word);
        } else if (part) {
          fragment.appendChild(document.createTextNode(part));
        }
      });
      node.parentNode.replaceChild(fragment, node);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { keepThaiWordsWhole(document.body); });
  // Content htmx puts into the page (filtered tables, pages of a list) gets the same treatment.
  document.addEventListener("htmx:load", function (event) { keepThaiWordsWhole(event.target); });
})();

/* Sortable tables: <table data-sortable>. A click on a column heading sorts the body rows by
 * that column (again: the other way). A cell's data-sort value is used when present (numbers
 * printed with separators or dates), else its text; numbers sort as numbers, Thai text by
 * Thai collation, empty cells last. The footer (totals) stays where it is. */
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function compare(a, b) {
    if (a === "" || b === "") return a === b ? 0 : a === "" ? 1 : -1;
    var x = parseFloat(a.replace(/,/g, "")), y = parseFloat(b.replace(/,/g, ""));
    if (!isNaN(x) && !isNaN(y) && /^[-\d.,\s]+$/.test(a) && /^[-\d.,\s]+$/.test(b)) return x - y;
    return a.localeCompare(b, "th");
  }

  function sortBy(table, heading) {
    var body = table.tBodies[0];
    if (!body) return;
    var index = Array.prototype.indexOf.call(heading.parentNode.children, heading);
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var order = compare(cellValue(r1, index), cellValue(r2, index));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.addEventListener("click", function (event) {
    var heading = event.target.closest("table[data-sortable] thead th");
    if (heading) sortBy(heading.closest("table"), heading);
  });
})();

/* The browser's own messages for a form it refuses to send (a required box left empty, an
 * e-mail without "@", a number past its max...) are in the browser's language: an English
 * browser said "Please fill out this field" on a Thai page. Each refused field gets the Thai
 * message for what is wrong with it, set as the browser is about to show its own, and taken
 * back as soon as the field (or its radio group) changes, so the browser checks it afresh. */
(function () {
  "use strict";

  function missing(field) {
    if (field.type === "checkbox") return "กรุณาทำเครื่องหมายในช่องนี้";
    if (field.type === "radio") return "กรุณาเลือกหนึ่งคำตอบ";
    if (field.type === "file") return "กรุณาเลือกไฟล์";
    if (field.tagName === "SELECT") return "กรุณาเลือกจากรายการ";
    return "กรุณากรอกช่องนี้";
  }

  function thaiMessage(field) {
    var v = field.validity;
    if (v.valueMissing) return missing(field);
    if (v.typeMismatch && field.type === "email") return "กรุณากรอกอีเมลให้ถูกต้อง เช่น name@example.com";
    if (v.typeMismatch && field.type === "url") return "กรุณากรอกที่อยู่เว็บให้ถูกต้อง เช่น https://www.example.go.th";
    if (v.typeMismatch || v.patternMismatch) return field.title || "รูปแบบข้อมูลไม่ถูกต้อง";
    if (v.tooLong) return "ยาวเกิน " + field.maxLength + " ตัวอักษร";
    if (v.tooShort) return "ต้องมีอย่างน้อย " + field.minLength + " ตัวอักษร";
    if (v.rangeUnderflow) return "ต้องไม่น้อยกว่า " + field.min;
    if (v.rangeOverflow) return "ต้องไม่เกิน " + field.max;
    if (v.badInput) return "กรุณากรอกข้อมูลให้ถูกต้อง";
    if (v.stepMismatch) return "กรุณากรอกค่าที่ถูกต้อง";
    return "";
  }

  function clear(field) {
    var group = field.type === "radio" && field.form && field.name
      ? field.form.querySelectorAll('input[type="radio"][name="' + CSS.escape(field.name) + '"]')
      : [field];
    Array.prototype.forEach.call(group, function (f) { f.setCustomValidity(""); });
  }

  document.addEventListener("invalid", function (event) {
    var field = event.target;
    if (!field.setCustomValidity || field.validity.customError) return;
    var message = thaiMessage(field);
    if (message) field.setCustomValidity(message);
  }, true);

  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target.setCustomValidity) clear(event.target);
    }, true);
  });
})();

/* File boxes in Thai. A browser draws a file box's button and its "no file" text itself, in
 * its own language: an English browser showed "Choose File" and "No file chosen" on a Thai
 * page (a teacher attaching PA evidence on her phone). Every file box gets a Thai face (a
 * "เลือกไฟล์" button and the chosen file's name, or "ยังไม่ได้เลือกไฟล์"); the real box stays on
 * top of it, unseen, so a tap or a click opens the same file chooser, its label still names it
 * and the browser still checks it (in Thai, above). */
(function () {
  "use strict";

  function chosen(input) {
    var files = input.files;
    if (!files || !files.length) return "ยังไม่ได้เลือกไฟล์";
    if (files.length === 1) return files[0].name;
    return "เลือกแล้ว " + files.length + " ไฟล์";
  }

  function dress(input) {
    if (input.parentElement && input.parentElement.classList.contains("file-pick")) return;
    var box = document.createElement("span");
    box.className = "file-pick";
    var face = document.createElement("span");
    face.className = "file-face";
    face.setAttribute("aria-hidden", "true");
    var button = document.createElement("span");
    button.className = "file-button";
    button.textContent = input.multiple ? "เลือกไฟล์ (ได้หลายไฟล์)" : "เลือกไฟล์";
    var name = document.createElement("span");
    name.className = "file-name";
    name.textContent = chosen(input);
    face.appendChild(button);
    face.appendChild(name);
    input.parentNode.insertBefore(box, input);
    box.appendChild(face);
    box.appendChild(input);
  }

  function dressAll(root) {
    if (!root.querySelectorAll) return;
    Array.prototype.forEach.call(root.querySelectorAll('input[type="file"]'), dress);
  }

  document.addEventListener("DOMContentLoaded", function () { dressAll(document); });
  document.addEventListener("htmx:load", function (event) { dressAll(event.target); });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "file" || !input.parentElement) return;
    var name = input.parentElement.querySelector(".file-name");
    if (name) name.textContent = chosen(input);
  }, true);
  // A form put back as it was (reset) has no file chosen again.
  document.addEventListener("reset", function (event) {
    setTimeout(function () {
      Array.prototype.forEach.call(event.target.querySelectorAll(".file-pick"), function (box) {
        var input = box.querySelector('input[type="file"]');
        box.querySelector(".file-name").textContent = chosen(input);
      });
    });
  }, true);
})();
