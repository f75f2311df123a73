// Receipt and invoice pages only (views/sales/receipt.eta, invoice.eta): the Print button, the automatic print
// dialog (store setting "auto-print receipts": the page carries data-autoprint), and the receipt's page height.
// CSS can't say "80 mm wide, as long as the slip", so just before printing the slip is measured (its text box
// is the same 72 mm wide with the same fonts on screen as on paper) and the receipt page box is sized to it.
// No inline script anywhere: the strict CSP allows only files from this site.
(function () {
  'use strict';

  var PX_PER_MM = 96 / 25.4;
  var sizedRule = null;

  function receiptSheet() {
    for (var i = 0; i < document.styleSheets.length; i++) {
      var sheet = document.styleSheets[i];
      if (sheet.href && /\/css\/receipt\.css(\?|$)/.test(sheet.href)) return sheet;
    }
    return null;
  }

  function fitReceiptPage() {
    var slip = document.querySelector('.receipt-slip');
    var sheet = receiptSheet();
    if (!slip || !sheet) return;
    var heightMm = Math.ceil(slip.getBoundingClientRect().height / PX_PER_MM) + 2;
    try {
      if (sizedRule !== null && sheet.cssRules[sizedRule]) sheet.deleteRule(sizedRule);
      sizedRule = sheet.insertRule('@page receipt { size: 80mm ' + Math.max(heightMm, 40) + 'mm; margin: 0; }', sheet.cssRules.length);
    } catch (err) {
      sizedRule = null; // the 297 mm fallback in receipt.css stays
    }
  }

  window.addEventListener('beforeprint', fitReceiptPage);

  document.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('[data-print]');
    if (!btn) return;
    e.preventDefault();
    fitReceiptPage();
    window.print();
  });

  if (document.querySelector('[data-autoprint]')) {
    // After fonts and the barcode have laid out, so the measured height is the printed one.
    window.addEventListener('load', function () {
      window.setTimeout(function () {
        fitReceiptPage();
        window.print();
      }, 150);
    });
  }
})();
