// Applicant portal: upload documents as soon as they are chosen, with a progress bar, so that
// submitting the form is quick. Without this script the files go with the form itself.
(function () {
  'use strict';
  var form = document.querySelector('form.portal-form');
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var token = form.querySelector('input[name=csrf_token]');
  var seq = 0;

  function message(xhr) {
    try { return JSON.parse(xhr.responseText).message || ''; } catch (e) { return ''; }
  }

  function upload(input, file) {
    var item = input.closest('.doc-item');
    var status = item.querySelector('.upload-status');
    var row = document.createElement('div');
    var label = document.createElement('span');
    label.textContent = 'Đang tải lên ' + file.name + ' ';
    var bar = document.createElement('progress');
    bar.max = 100; bar.value = 0;
    bar.setAttribute('aria-label', 'Tiến độ tải lên ' + file.name);
    row.appendChild(label); row.appendChild(bar);
    status.appendChild(row);
    var data = new FormData();
    data.append('file', file);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/files');
    xhr.setRequestHeader('Accept', 'application/json');
    if (token) { xhr.setRequestHeader('X-CSRF-Token', token.value); }
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
    });
    xhr.addEventListener('load', function () {
      status.removeChild(row);
      if (xhr.status !== 201) {
        var p = document.createElement('p');
        p.className = 'field-error';
        p.textContent = file.name + ': ' + (message(xhr) || 'Không tải lên được tệp.');
        status.appendChild(p);
        return;
      }
      var st = JSON.parse(xhr.responseText);
      var id = input.id + '-js-' + (seq++);
      var box = document.createElement('div');
      box.className = 'doc-uploaded';
      var cb = document.createElement('input');
      cb.type = 'checkbox'; cb.id = id; cb.checked = true;
      cb.name = 'uploaded.' + item.getAttribute('data-component');
      cb.value = JSON.stringify({hash: st.hash, name: st.name, size: st.size, media_type: st.media_type});
      var l = document.createElement('label');
      l.htmlFor = id; l.textContent = ' Đã tải lên: ' + st.name;
      box.appendChild(cb); box.appendChild(l);
      item.insertBefore(box, input.previousElementSibling);
    });
    xhr.addEventListener('error', function () {
      status.removeChild(row);
      var p = document.createElement('p');
      p.className = 'field-error';
      p.textContent = file.name + ': mất kết nối khi tải lên, vui lòng thử lại.';
      status.appendChild(p);
    });
    xhr.send(data);
  }

  form.addEventListener('change', function (e) {
    var input = e.target;
    if (input.type !== 'file' || !input.files || !input.files.length) { return; }
    for (var i = 0; i < input.files.length; i++) { upload(input, input.files[i]); }
    input.value = ''; // uploaded now: not sent again with the form
  });
})();
