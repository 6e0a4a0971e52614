// The petitioners' site works without this file. With it, an ID number is checked as it is typed
// (GB 11643: 17 digits, a date of birth, the ISO 7064 MOD 11-2 check character; the server checks
// again with the same rule) and attachments are checked for number and size before they upload.
(function () {
  'use strict';
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = '10X98765432';

  function idNumberProblem(raw) {
    var value = raw.replace(/\s/g, '').toUpperCase();
    if (!value) return '';
    if (!/^\d{0,17}[\dX]?$/.test(value)) return '身份证号码只能是数字，末位可以是X';
    if (value.length < 18) return '还差' + (18 - value.length) + '位：身份证号码为18位';
    var y = +value.slice(6, 10), m = +value.slice(10, 12), d = +value.slice(12, 14);
    var born = new Date(y, m - 1, d);
    if (born.getFullYear() !== y || born.getMonth() !== m - 1 || born.getDate() !== d) {
      return '身份证号码中的出生日期不是有效日期，请核对第7至14位';
    }
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += +value[i] * WEIGHTS[i];
    if (CHECK[sum % 11] !== value[17]) return '身份证号码校验位不正确，请逐位核对';
    return '';
  }

  function show(input, message) {
    var line = document.getElementById(input.id + '_error');
    if (!line) return;
    line.textContent = message;
    line.hidden = !message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function checkIdNumber(input, final) {
    var problem = idNumberProblem(input.value);
    // While typing, only say so once the number is complete or cannot become valid.
    if (!final && /^还差/.test(problem)) problem = '';
    show(input, problem);
    return !problem;
  }

  function checkFiles(input) {
    var max = +input.form.dataset.maxFiles || 5, maxBytes = (+input.form.dataset.maxFileMb || 5) * 1048576;
    var total = 0, files = input.files || [];
    if (files.length > max) return show(input, '附件最多' + max + '个'), false;
    for (var i = 0; i < files.length; i++) {
      if (files[i].size > maxBytes) return show(input, files[i].name + '超过' + maxBytes / 1048576 + 'MB'), false;
      total += files[i].size;
    }
    var maxTotal = (+input.form.dataset.maxTotalMb || 10) * 1048576;
    if (total > maxTotal) return show(input, '附件合计超过' + maxTotal / 1048576 + 'MB'), false;
    show(input, '');
    return true;
  }

  window.xinfangIdNumberProblem = idNumberProblem;
  document.addEventListener('DOMContentLoaded', function () {
    var ids = document.querySelectorAll('input[data-id-number]');
    Array.prototype.forEach.call(ids, function (input) {
      input.addEventListener('input', function () { checkIdNumber(input, false); });
      input.addEventListener('blur', function () { checkIdNumber(input, true); });
    });
    var form = document.querySelector('form[data-filing]');
    if (!form) return;
    var files = form.querySelector('input[type=file]');
    if (files) files.addEventListener('change', function () { checkFiles(files); });
    form.addEventListener('submit', function (event) {
      var ok = true;
      Array.prototype.forEach.call(ids, function (input) { ok = checkIdNumber(input, !!input.value) && ok; });
      if (files) ok = checkFiles(files) && ok;
      if (!ok) {
        event.preventDefault();
        var first = form.querySelector('[aria-invalid=true]');
        if (first) first.focus();
      }
    });
  });
}());
