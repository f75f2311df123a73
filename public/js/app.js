/*
 * Forte page behaviour. Loaded with `defer` on every page; the pages work without it (plain links and
 * form posts) — this file only makes them quicker and friendlier. Strict CSP: no inline handlers, no eval,
 * so everything is wired here with event delegation and data-* attributes:
 *
 *   data-confirm="Message"   on a <form> or submit <button>: ask before submitting (with or without htmx)
 *   data-autodismiss         on a success .alert: fades out after a few seconds
 *   data-dismiss             on a button inside an .alert: removes the alert
 *   data-search              the page's search box; "/" focuses it
 *   data-copy="#selector"    copies the text of the selected element
 *   data-back                goes back one page in history
 *   data-disable-on-submit   on a <form>: its submit buttons are disabled once it is sent (no double submit)
 *   data-select-all="group"  a checkbox that ticks/unticks every checkbox with data-select-item="group"
 */
(function () {
  'use strict';

  var root = document.documentElement;
  root.classList.add('js');

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') || '' : '';
  }

  function isTypingTarget(el) {
    if (!el || el === document.body) return false;
    if (el.isContentEditable) return true;
    return !!(el.closest && el.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])'));
  }

  // ------------------------------------------------------------ htmx: CSRF header on every request
  document.addEventListener('htmx:config:request', function (e) {
    var ctx = e.detail && e.detail.ctx;
    if (ctx && ctx.request) {
      ctx.request.headers = ctx.request.headers || {};
      ctx.request.headers['X-CSRF-Token'] = csrfToken();
    }
  });

  // ------------------------------------------------------------ confirmation on destructive actions
  // Capture phase on document runs before htmx's own submit listener on the form, so a declined
  // confirmation stops both the plain post and an htmx request.
  document.addEventListener(
    'submit',
    function (e) {
      var form = e.target;
      if (!(form instanceof HTMLFormElement)) return;
      var submitter = e.submitter;
      var message = (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
      if (!message) return;
      if (!window.confirm(message)) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    },
    true,
  );
  // Buttons with data-confirm that don't submit a form (e.g. an htmx hx-post button).
  document.addEventListener(
    'click',
    function (e) {
      var btn = e.target.closest && e.target.closest('button[data-confirm], a[data-confirm]');
      if (!btn) return;
      if (btn.tagName === 'BUTTON' && btn.form && (btn.type || 'submit') === 'submit') return; // handled on submit
      if (!window.confirm(btn.getAttribute('data-confirm'))) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    },
    true,
  );

  // ------------------------------------------------------------ alerts: dismiss + auto-dismiss success
  function dismiss(alert) {
    if (!alert || !alert.parentNode) return;
    alert.classList.add('is-leaving');
    window.setTimeout(function () {
      if (alert.parentNode) alert.parentNode.removeChild(alert);
    }, 260);
  }

  function armAutoDismiss(scope) {
    var alerts = (scope || document).querySelectorAll('.alert[data-autodismiss]');
    Array.prototype.forEach.call(alerts, function (alert) {
      if (alert.__forteArmed) return;
      alert.__forteArmed = true;
      var timer = null;
      var start = function (ms) {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          // Keep it while the pointer or focus is on it; try again shortly after.
          if (alert.matches(':hover') || alert.contains(document.activeElement)) start(1500);
          else dismiss(alert);
        }, ms);
      };
      start(5000);
    });
  }

  document.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('[data-dismiss]');
    if (btn) dismiss(btn.closest('.alert'));
  });

  // ------------------------------------------------------------ keyboard: "/" focuses the search box
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') {
      closeMenus(null, true);
      return;
    }
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (isTypingTarget(e.target)) return;
    var box = document.querySelector('[data-search]');
    if (!box) return;
    e.preventDefault();
    box.focus();
    if (typeof box.select === 'function') box.select();
  });

  // ------------------------------------------------------------ <details> menus close on outside click / Escape
  function closeMenus(except, refocus) {
    var open = document.querySelectorAll('details.user-menu[open]');
    Array.prototype.forEach.call(open, function (d) {
      if (d === except) return;
      d.removeAttribute('open');
      if (refocus) {
        var summary = d.querySelector('summary');
        if (summary && d.contains(document.activeElement)) summary.focus();
      }
    });
  }
  document.addEventListener('click', function (e) {
    var inside = e.target.closest && e.target.closest('details.user-menu');
    closeMenus(inside, false);
  });

  // ------------------------------------------------------------ copy to clipboard (works on plain http too)
  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () {
          done(true);
        },
        function () {
          done(legacyCopy(text));
        },
      );
    } else done(legacyCopy(text));
  }
  function legacyCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (err) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }
  document.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('[data-copy]');
    if (!btn) return;
    var source = document.querySelector(btn.getAttribute('data-copy'));
    if (!source) return;
    var label = btn.getAttribute('data-label') || btn.textContent;
    btn.setAttribute('data-label', label);
    copyText(source.textContent.trim(), function (ok) {
      btn.textContent = ok ? 'Copied' : 'Select and copy it';
      if (!ok) {
        var range = document.createRange();
        range.selectNodeContents(source);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }
      window.setTimeout(function () {
        btn.textContent = label;
      }, 2500);
    });
  });

  // ------------------------------------------------------------ "Go back" buttons
  document.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('[data-back]');
    if (!btn) return;
    if (window.history.length > 1) window.history.back();
    else window.location.href = '/';
  });

  // ------------------------------------------------------------ forms that must not be sent twice
  // Bubble phase: runs after the data-confirm check above, so a declined confirmation leaves the button
  // usable. Disabled a tick later so the browser still sends the form. The server has its own guard (a
  // one-time form key), this only stops the second click.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-disable-on-submit') || e.defaultPrevented) return;
    var buttons = form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
    window.setTimeout(function () {
      Array.prototype.forEach.call(buttons, function (b) {
        b.disabled = true;
        b.setAttribute('aria-busy', 'true');
      });
    }, 0);
  });
  // Back to a page kept in the browser's cache: its buttons would still be disabled.
  window.addEventListener('pageshow', function (e) {
    if (!e.persisted) return;
    var busy = document.querySelectorAll('form[data-disable-on-submit] [aria-busy="true"]');
    Array.prototype.forEach.call(busy, function (b) {
      b.disabled = false;
      b.removeAttribute('aria-busy');
    });
  });

  // ------------------------------------------------------------ "select all" checkboxes
  function groupItems(group) {
    return document.querySelectorAll('input[type="checkbox"][data-select-item="' + group + '"]');
  }
  function syncSelectAll(group) {
    var all = document.querySelector('input[data-select-all="' + group + '"]');
    if (!all) return;
    var items = groupItems(group);
    var ticked = 0;
    Array.prototype.forEach.call(items, function (i) {
      if (i.checked) ticked++;
    });
    all.checked = items.length > 0 && ticked === items.length;
    all.indeterminate = ticked > 0 && ticked < items.length;
  }
  document.addEventListener('change', function (e) {
    var box = e.target;
    if (!box || !box.getAttribute) return;
    var group = box.getAttribute('data-select-all');
    if (group) {
      Array.prototype.forEach.call(groupItems(group), function (i) {
        i.checked = box.checked;
      });
      return;
    }
    group = box.getAttribute('data-select-item');
    if (group) syncSelectAll(group);
  });

  // ------------------------------------------------------------ htmx error handling
  // The server retargets error fragments into #flash; bring them into view.
  document.addEventListener('htmx:after:swap', function (e) {
    var ctx = e.detail && e.detail.ctx;
    var target = ctx && ctx.target;
    if (target && target.id === 'flash') {
      target.scrollIntoView({ block: 'nearest' });
    }
    armAutoDismiss(document);
  });
  // Network failures never reach the server, so there's no fragment: say so in the flash region.
  document.addEventListener('htmx:error', function (e) {
    var detail = e.detail || {};
    var ctx = detail.ctx;
    if (!ctx || ctx.response) return; // no request, or the server answered and its own error fragment is shown
    var flash = document.getElementById('flash');
    if (!flash) return;
    flash.textContent = '';
    var alert = document.createElement('div');
    alert.className = 'alert alert-error';
    alert.setAttribute('role', 'alert');
    var body = document.createElement('p');
    body.className = 'alert-body';
    body.textContent = 'Forte could not be reached. Check the network connection, then try again.';
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'alert-close';
    close.setAttribute('data-dismiss', '');
    close.setAttribute('aria-label', 'Dismiss message');
    close.textContent = '×';
    alert.appendChild(body);
    alert.appendChild(close);
    flash.appendChild(alert);
    flash.scrollIntoView({ block: 'nearest' });
  });

  // ------------------------------------------------------------ start
  function init() {
    armAutoDismiss(document);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();

/*
 * The header search box (views/layouts/main.eta, form[data-global-search]). htmx fills the dropdown as the
 * user types; this adds the keyboard: ArrowDown/ArrowUp move through the results, Enter opens the
 * highlighted one (with nothing highlighted Enter submits the form: GET /search, where a scanned serial,
 * SKU, UPC or number goes straight to its record), Escape or a click elsewhere closes the dropdown.
 */
(function () {
  'use strict';

  function parts(form) {
    return { input: form.querySelector('input[name="q"]'), results: form.querySelector('.global-search-results') };
  }
  function options(form) {
    return Array.prototype.slice.call(form.querySelectorAll('.global-search-results [role="option"]'));
  }
  function setOpen(form, open) {
    var p = parts(form);
    form.classList.toggle('is-open', open);
    if (p.input) p.input.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  function highlight(form, index) {
    var p = parts(form);
    options(form).forEach(function (opt, i) {
      var on = i === index;
      opt.setAttribute('aria-selected', on ? 'true' : 'false');
      opt.classList.toggle('is-active', on);
      if (on) {
        if (p.input) p.input.setAttribute('aria-activedescendant', opt.id);
        if (opt.scrollIntoView) opt.scrollIntoView({ block: 'nearest' });
      }
    });
    if (index < 0 && p.input) p.input.removeAttribute('aria-activedescendant');
  }
  function close(form) {
    highlight(form, -1);
    setOpen(form, false);
  }
  function hasContent(form) {
    var p = parts(form);
    return !!(p.results && p.results.children.length);
  }

  document.addEventListener('keydown', function (e) {
    var input = e.target;
    if (!input || !input.matches || !input.matches('form[data-global-search] input[name="q"]')) return;
    var form = input.form;
    var opts = options(form);
    var current = -1;
    opts.forEach(function (opt, i) {
      if (opt.getAttribute('aria-selected') === 'true') current = i;
    });
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!opts.length) return;
      e.preventDefault();
      setOpen(form, true);
      var next = e.key === 'ArrowDown' ? (current + 1) % opts.length : current <= 0 ? opts.length - 1 : current - 1;
      highlight(form, next);
    } else if (e.key === 'Enter') {
      if (current >= 0 && form.classList.contains('is-open')) {
        e.preventDefault();
        window.location.href = opts[current].href;
      }
    } else if (e.key === 'Escape') {
      if (form.classList.contains('is-open')) {
        e.preventDefault();
        close(form);
      }
    }
  });

  // A fresh dropdown: open it when it has something to show, with nothing highlighted yet.
  document.addEventListener('htmx:after:swap', function (e) {
    var ctx = e.detail && e.detail.ctx;
    var target = ctx && ctx.target;
    if (!target || !target.classList || !target.classList.contains('global-search-results')) return;
    var form = target.closest('form[data-global-search]');
    if (!form) return;
    highlight(form, -1);
    setOpen(form, hasContent(form) && !!parts(form).input.value.trim());
  });

  document.addEventListener('focusin', function (e) {
    var form = e.target && e.target.closest && e.target.closest('form[data-global-search]');
    if (form && hasContent(form) && parts(form).input.value.trim()) setOpen(form, true);
  });

  document.addEventListener('click', function (e) {
    var forms = document.querySelectorAll('form[data-global-search].is-open');
    Array.prototype.forEach.call(forms, function (form) {
      if (!form.contains(e.target)) close(form);
    });
  });
})();

// Denomination grids (register open/close): keep each line and the total in step with the counts typed.
// The server recounts on submit; this is only a convenience.
(function () {
  function money(cents) {
    return '$' + (cents / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }
  function recount(grid) {
    var total = 0;
    Array.prototype.forEach.call(grid.querySelectorAll('input[data-cents]'), function (input) {
      var raw = input.value.trim();
      var n = /^\d{1,6}$/.test(raw) ? Number(raw) : 0;
      var line = n * Number(input.getAttribute('data-cents'));
      total += line;
      var cell = input.closest('tr') && input.closest('tr').querySelector('[data-line-total]');
      if (cell) cell.textContent = money(line);
    });
    var out = grid.querySelector('[data-grid-total]');
    if (out) out.textContent = money(total);
  }
  document.addEventListener('input', function (e) {
    var grid = e.target && e.target.closest && e.target.closest('[data-denomination-grid]');
    if (grid) recount(grid);
  });
})();

/*
 * The sale screen (/pos, views/pos/*, docs/pos-screen.md). The server renders every state and each action is a
 * plain form (htmx swaps #pos-screen); this only adds the keys and small conveniences:
 *   ArrowUp / ArrowDown  select the previous / next line (from the scan box while it is empty, or when no field
 *                        is being typed in); a click on a line selects it too
 *   F2                   edit the selected line (its quantity, or its price for a serialized unit)
 *   + / -                quantity of the selected line up / down by one (scan box empty)
 *   Delete               remove the selected line (scan box empty)
 *   F4 order discount · F8 customer search · F9 payment amount · Escape back to the scan box
 * and shows only the payment fields of the chosen method (check number, card last 4 + auth, gift card).
 */
(function () {
  'use strict';

  function screen() {
    return document.querySelector('[data-pos-screen]');
  }
  function lineRows(s) {
    return Array.prototype.slice.call(s.querySelectorAll('tr.pos-line[data-line-id]'));
  }
  function selectedId(s) {
    return s.getAttribute('data-selected-line') || '';
  }
  function editorOf(s) {
    var id = selectedId(s);
    return id ? s.querySelector('tr[data-editor-for="' + id + '"]') : null;
  }
  function select(s, id) {
    lineRows(s).forEach(function (row) {
      var on = row.getAttribute('data-line-id') === id;
      row.classList.toggle('is-selected', on);
      var editor = s.querySelector('tr[data-editor-for="' + row.getAttribute('data-line-id') + '"]');
      if (editor) editor.hidden = !on;
    });
    s.setAttribute('data-selected-line', id);
    var current = s.querySelector('tr.pos-line[data-line-id="' + id + '"]');
    if (current && current.scrollIntoView) current.scrollIntoView({ block: 'nearest' });
  }
  function move(s, delta) {
    var rows = lineRows(s);
    if (!rows.length) return;
    var ids = rows.map(function (r) {
      return r.getAttribute('data-line-id');
    });
    var i = ids.indexOf(selectedId(s));
    i = i < 0 ? ids.length - 1 : Math.max(0, Math.min(ids.length - 1, i + delta));
    select(s, ids[i]);
  }
  function focusField(el) {
    if (!el) return false;
    el.focus();
    if (typeof el.select === 'function' && el.tagName === 'INPUT') el.select();
    return true;
  }
  function submitForm(form) {
    if (typeof form.requestSubmit === 'function') form.requestSubmit();
    else form.submit();
  }
  function typingIn(el) {
    return !!(el && el.closest && el.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])'));
  }

  document.addEventListener('keydown', function (e) {
    var s = screen();
    if (!s || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    var inScan = !!(t && t.matches && t.matches('[data-pos-scan]'));
    // Line keys act from the empty scan box or when nothing is being typed (a scan never starts with them).
    var free = inScan ? !t.value : !typingIn(t);
    var editor;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!free) return;
        e.preventDefault();
        move(s, e.key === 'ArrowDown' ? 1 : -1);
        return;
      case 'F2':
        e.preventDefault();
        editor = editorOf(s);
        if (editor) focusField(editor.querySelector('[data-pos-qty]:not([readonly])') || editor.querySelector('input[name="price"]') || editor.querySelector('[data-pos-remove]'));
        return;
      case '+':
      case '-': {
        if (!free) return;
        editor = editorOf(s);
        var qty = editor && editor.querySelector('[data-pos-qty]');
        if (!qty || qty.readOnly) return;
        var n = parseInt(qty.value, 10) || 1;
        var next = e.key === '+' ? n + 1 : n - 1;
        e.preventDefault();
        if (next < 1 || next > 9999) return;
        qty.value = String(next);
        submitForm(qty.form);
        return;
      }
      case 'Delete':
        if (!free) return;
        editor = editorOf(s);
        var remove = editor && editor.querySelector('[data-pos-remove]');
        if (!remove) return;
        e.preventDefault();
        remove.click();
        return;
      case 'F4':
        e.preventDefault();
        focusField(s.querySelector('[data-pos-order-discount]'));
        return;
      case 'F8':
        e.preventDefault();
        focusField(s.querySelector('[data-pos-customer]'));
        return;
      case 'F9':
        e.preventDefault();
        if (!focusField(s.querySelector('[data-pos-tender-amount]'))) focusField(s.querySelector('#pos-complete'));
        return;
      case 'Escape':
        if (t && t.closest && t.closest('details.user-menu, form[data-global-search]')) return;
        focusField(s.querySelector('[data-pos-scan]'));
        return;
    }
  });

  // A click on a line (not on its buttons) or on its Edit link selects it and opens its editor in place.
  document.addEventListener('click', function (e) {
    var s = screen();
    if (!s || !e.target.closest) return;
    var link = e.target.closest('[data-pos-select]');
    if (link && s.contains(link)) {
      e.preventDefault();
      select(s, link.getAttribute('data-pos-select'));
      var editor = editorOf(s);
      if (editor) focusField(editor.querySelector('[data-pos-qty]:not([readonly])') || editor.querySelector('input[name="price"]'));
      return;
    }
    var row = e.target.closest('tr.pos-line[data-line-id]');
    if (row && s.contains(row) && !e.target.closest('a, button, input, select, label')) select(s, row.getAttribute('data-line-id'));
  });

  // Payment form: only the fields of the chosen method are shown (all of them without JavaScript).
  function syncTenderFields(scope) {
    var forms = scope && scope.matches && scope.matches('[data-pos-tender-form]') ? [scope] : (scope || document).querySelectorAll('[data-pos-tender-form]');
    Array.prototype.forEach.call(forms, function (form) {
      var method = form.querySelector('[data-pos-tender-method]');
      var value = method ? method.value : 'cash';
      Array.prototype.forEach.call(form.querySelectorAll('[data-tender-fields]'), function (group) {
        group.classList.toggle('is-active', group.getAttribute('data-tender-fields') === value);
      });
    });
  }
  document.addEventListener('change', function (e) {
    if (e.target && e.target.matches && e.target.matches('[data-pos-tender-method]')) syncTenderFields(e.target.form);
  });
  document.addEventListener('htmx:after:swap', function () {
    syncTenderFields(document);
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () {
    syncTenderFields(document);
  });
  else syncTenderFields(document);
})();

// Print buttons (deposit slip, reports, statements): shown only when this script runs (Ctrl+P works without it).
document.querySelectorAll('[data-print-ready]').forEach(function (el) { el.hidden = false; });
document.addEventListener('click', function (e) {
  if (e.target.closest && e.target.closest('[data-print]') && !document.querySelector('script[src$="receipt.js"]')) window.print();
});
