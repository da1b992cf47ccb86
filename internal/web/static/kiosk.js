// Counters' screens: the live "now serving" board (server-sent events), printing a ticket,
// and touch screens that go back to their first page when left alone. Plain JS, no library;
// every page works without it (the board then reloads itself through <noscript>).
(function () {
  'use strict';

  // The board: replace the list of called tickets and the waiting counts at each event.
  var board = document.querySelector('[data-board-events]');
  if (board && window.EventSource) {
    var serving = document.getElementById('serving');
    // The words come from the page, in its language.
    var toCounter = serving.getAttribute('data-to-counter') || 'đến quầy';
    var none = serving.getAttribute('data-empty') || 'Chưa gọi số nào.';
    var render = function (b) {
      var items = [];
      (b.serving || []).forEach(function (t) {
        var li = document.createElement('li');
        if (t.recalls) { li.className = 'recalled'; }
        var num = document.createElement('span');
        num.className = 'num';
        num.textContent = t.number;
        var to = document.createElement('span');
        to.className = 'to';
        to.appendChild(document.createTextNode(toCounter + ' '));
        var c = document.createElement('strong');
        c.textContent = String(t.counter);
        to.appendChild(c);
        li.appendChild(num);
        li.appendChild(document.createTextNode(' '));
        li.appendChild(to);
        items.push(li);
      });
      if (items.length === 0) {
        var empty = document.createElement('li');
        empty.className = 'empty';
        empty.textContent = none;
        items.push(empty);
      }
      serving.replaceChildren.apply(serving, items);
      document.querySelectorAll('[data-waiting]').forEach(function (dd) {
        var n = (b.waiting || {})[dd.getAttribute('data-waiting')];
        dd.textContent = String(n || 0);
      });
      board.setAttribute('data-updated', String(Date.now()));
    };
    var es = new EventSource(board.getAttribute('data-board-events'));
    es.addEventListener('board', function (e) {
      try { render(JSON.parse(e.data)); } catch (err) { /* a malformed event: keep the last board */ }
    });
  }

  // The ticket: print on request.
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });

  // Touch screens: back to the first page after some seconds alone.
  var back = document.querySelector('[data-kiosk-back]');
  if (back) {
    var href = back.getAttribute('data-kiosk-href') || back.getAttribute('href');
    setTimeout(function () { location.replace(href); }, 1000 * Number(back.getAttribute('data-kiosk-back')));
  }
  // The rating list: reload to show the dossiers just returned.
  var reload = document.querySelector('[data-kiosk-reload]');
  if (reload) {
    setTimeout(function () { location.reload(); }, 1000 * Number(reload.getAttribute('data-kiosk-reload')));
  }
  // The ticket machine, left alone: reload now and then, which keeps its session (and the
  // forms' token) fresh.
  var idle = document.querySelector('[data-kiosk-idle]');
  if (idle && !back) {
    setTimeout(function () { location.reload(); }, 1000 * Number(idle.getAttribute('data-kiosk-idle')));
  }
})();
