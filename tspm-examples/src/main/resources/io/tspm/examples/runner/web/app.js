'use strict';
// The tspm page: the table from /ui/processes, fetched again on every event of /ui/stream (and every
// 2 s, for CPU, memory and uptime), and the last lines: /ui/logs first, then the stream's. Every name
// and line goes into the page as text (textContent), never as markup.
(function () {
  const MAX_LINES = 200;
  const rows = document.getElementById('rows');
  const logs = document.getElementById('logs');
  const connection = document.getElementById('connection');
  const message = document.getElementById('message');
  const byKey = new Map();
  let refreshing = false;
  let again = false;
  let loggedOut = false;
  // Lines the stream brings while the first ones load; null once they are in.
  let pending = [];

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    if (cls) {
      e.className = cls;
    }
    return e;
  }

  function memory(bytes) {
    if (bytes === null || bytes === undefined) {
      return '–';
    }
    const mib = bytes / 1048576;
    return mib >= 1024 ? (mib / 1024).toFixed(1) + ' GiB' : mib.toFixed(1) + ' MiB';
  }

  function uptime(ms) {
    if (!ms) {
      return '–';
    }
    const s = Math.floor(ms / 1000);
    const m = Math.floor(s / 60);
    const h = Math.floor(m / 60);
    if (s < 60) {
      return s + ' s';
    }
    if (m < 60) {
      return m + ' min ' + (s % 60) + ' s';
    }
    if (h < 24) {
      return h + ' h ' + (m % 60) + ' min';
    }
    return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
  }

  function newRow(i) {
    const tr = document.createElement('tr');
    tr.dataset.process = i.name;
    tr.dataset.instance = String(i.id);
    tr.cells$ = {};
    for (const field of ['name', 'id', 'status', 'pid', 'port', 'restarts', 'cpu', 'memory', 'uptime', 'ready']) {
      const td = el('td');
      td.dataset.field = field;
      tr.cells$[field] = td;
      tr.appendChild(td);
    }
    const actions = el('td');
    tr.buttons$ = {};
    for (const action of ['start', 'stop', 'restart']) {
      const b = el('button', action);
      b.type = 'button';
      b.dataset.action = action;
      b.addEventListener('click', () => act(action, i.name, i.id));
      tr.buttons$[action] = b;
      actions.appendChild(b);
    }
    tr.appendChild(actions);
    return tr;
  }

  function set(tr, field, text, cls) {
    const td = tr.cells$[field];
    const t = String(text);
    if (td.textContent !== t) {
      td.textContent = t;
    }
    td.className = cls || '';
  }

  function fill(tr, i) {
    set(tr, 'name', i.name);
    set(tr, 'id', i.id, 'num');
    set(tr, 'status', i.status, 'status-' + i.status);
    set(tr, 'pid', i.pid === null ? '–' : i.pid, 'num');
    set(tr, 'port', i.port === null ? '–' : i.port, 'num');
    set(tr, 'restarts', i.restarts, 'num');
    set(tr, 'cpu', i.cpuPercent === null ? '–' : i.cpuPercent.toFixed(1) + ' %', 'num');
    set(tr, 'memory', memory(i.memoryBytes), 'num');
    set(tr, 'uptime', uptime(i.uptimeMs), 'num');
    set(tr, 'ready', i.ready ? 'yes' : 'no');
    const active = i.status !== 'stopped' && i.status !== 'failed' && i.status !== 'exited';
    tr.buttons$.start.disabled = active;
    tr.buttons$.stop.disabled = !active;
  }

  // Rows are kept and updated in place, so a button is never replaced under a click.
  function render(list) {
    const seen = new Set();
    let prev = null;
    for (const i of list) {
      const key = i.name + '#' + i.id;
      seen.add(key);
      let tr = byKey.get(key);
      if (!tr) {
        tr = newRow(i);
        byKey.set(key, tr);
      }
      fill(tr, i);
      const at = prev ? prev.nextSibling : rows.firstChild;
      if (at !== tr) {
        rows.insertBefore(tr, at);
      }
      prev = tr;
    }
    for (const [key, tr] of byKey) {
      if (!seen.has(key)) {
        tr.remove();
        byKey.delete(key);
      }
    }
  }

  function showLoggedOut() {
    loggedOut = true;
    state('lost', 'logged out (the runner restarted?): run tspm open for a new login link');
  }

  // One fetch at a time; a change during one asks for one more.
  async function refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    try {
      do {
        again = false;
        const r = await fetch('/ui/processes', {cache: 'no-store'});
        if (r.status === 401) {
          showLoggedOut();
          return;
        }
        if (r.ok) {
          render(await r.json());
        }
      } while (again);
    } catch (e) {
      // The stream's error handler tells the user.
    } finally {
      refreshing = false;
    }
  }

  async function act(action, name, id) {
    message.textContent = action + ' ' + name + '#' + id + ' …';
    try {
      const r = await fetch('/ui/actions/' + action + '?process=' + encodeURIComponent(name) + '&instance=' + id,
          {method: 'POST', cache: 'no-store'});
      const body = await r.json().catch(() => ({}));
      message.textContent = r.ok ? body.message : 'refused: ' + (body.error || r.status);
      if (r.status === 401) {
        showLoggedOut();
      }
    } catch (e) {
      message.textContent = 'the runner did not answer: ' + e;
    }
    refresh();
  }

  function clock(iso) {
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toTimeString().slice(0, 8) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  function key(l) {
    return l.time + '|' + l.process + '|' + l.instance + '|' + l.text;
  }

  function addLine(l) {
    const err = l.stream === 'stderr';
    const line = el('div', clock(l.time) + ' ' + l.process + '#' + l.instance + (err ? ' ! ' : ' | ') + l.text,
        err ? 'err' : null);
    const atEnd = logs.scrollTop + logs.clientHeight >= logs.scrollHeight - 4;
    logs.appendChild(line);
    while (logs.childElementCount > MAX_LINES) {
      logs.firstElementChild.remove();
    }
    if (atEnd) {
      logs.scrollTop = logs.scrollHeight;
    }
  }

  async function firstLines() {
    const seen = new Set();
    try {
      const r = await fetch('/ui/logs?lines=50&format=json', {cache: 'no-store'});
      if (r.ok) {
        for (const text of (await r.text()).split('\n')) {
          if (text) {
            const l = JSON.parse(text);
            seen.add(key(l));
            addLine(l);
          }
        }
      }
    } finally {
      const early = pending;
      pending = null;
      early.filter(l => !seen.has(key(l))).forEach(addLine);
    }
  }

  function state(cls, text) {
    connection.className = 'connection ' + cls;
    connection.textContent = text;
  }

  function connect() {
    const stream = new EventSource('/ui/stream');
    stream.addEventListener('open', () => {
      state('live', 'live');
      refresh();
    });
    stream.addEventListener('change', () => refresh());
    stream.addEventListener('line', e => {
      const l = JSON.parse(e.data);
      if (pending) {
        pending.push(l);
      } else {
        addLine(l);
      }
    });
    stream.addEventListener('error', () => {
      if (stream.readyState !== EventSource.CLOSED) {
        state('lost', 'reconnecting …');
        return;
      }
      // Refused (a stale login, too many streams): find out which, and try again unless logged out.
      refresh().then(() => {
        if (!loggedOut) {
          state('lost', 'disconnected; trying again …');
          setTimeout(connect, 3000);
        }
      });
    });
  }

  connect();
  refresh();
  firstLines();
  setInterval(() => {
    if (!loggedOut) {
      refresh();
    }
  }, 2000);
})();
