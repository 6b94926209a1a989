// The Snapkeep console: every action goes through the Snapshots REST API, as the Cloudify clients use it.
// Only a token and its id are kept (in sessionStorage, gone with the tab); the password never is.
'use strict';

(function () {
  const API = '/api/v3.1';
  const TENANT = 'default_tenant';
  const REFRESH_MS = 5000;
  const POLL_MS = 500;
  const END_STATES = new Set(['terminated', 'failed', 'cancelled']);
  const READY = new Set(['created', 'uploaded']);
  const ID_RULE = /^[A-Za-z][A-Za-z0-9._-]{0,255}$/;
  // Past this size a download is written straight to a file the user picks, where the browser can do so,
  // rather than gathered in memory first.
  const STREAM_DOWNLOAD_BYTES = 256 * 1024 * 1024;
  const STORE = 'snapkeep.session';

  const $ = (id) => document.getElementById(id);
  const state = {
    session: null, // {token, tokenId, username, role}
    sort: { field: 'created_at', descending: true },
    offset: 0,
    size: 10,
    total: 0,
    lastRendered: '',
    refreshTimer: null,
    watch: null, // the execution being followed: {id, timer, samples, what}
    view: 'snapshots',
    policies: [],
    policiesRendered: '',
    selectedPolicy: null, // the name whose history shows
  };

  class ApiError extends Error {
    constructor(message, status, code) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  // ---- talking to the API ----

  function authHeaders() {
    return { 'Authentication-Token': state.session.token, 'Tenant': TENANT, 'Accept': 'application/json' };
  }

  async function errorFrom(response) {
    let message = null;
    let code = null;
    try {
      const body = await response.json();
      message = typeof body.message === 'string' ? body.message : null;
      code = body.error_code || null;
    } catch (notJson) {
      // A proxy's page or an empty body: said in words below.
    }
    return new ApiError(sentence(message) || describeStatus(response.status), response.status, code);
  }

  // The API's messages may end without a full stop; the console's sentences follow them.
  function sentence(text) {
    if (!text) return text;
    const t = text.trim();
    return /[.!?]$/.test(t) ? t : t + '.';
  }

  function describeStatus(status) {
    if (status === 0) return 'The server could not be reached.';
    return 'The server answered with HTTP status ' + status + '.';
  }

  async function api(method, path, body) {
    const headers = authHeaders();
    const init = { method, headers, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(API + path, init);
    } catch (offline) {
      throw new ApiError('The server could not be reached: ' + offline.message, 0, null);
    }
    if (!response.ok) {
      const error = await errorFrom(response);
      if (response.status === 401) signedOut('Your sign-in has ended: sign in again.');
      throw error;
    }
    return response.status === 204 ? null : response.json();
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [key, value] of params) q.append(key, String(value));
    return '?' + q.toString();
  }

  const enc = encodeURIComponent;

  // ---- signing in and out ----

  function basic(username, password) {
    const bytes = new TextEncoder().encode(username + ':' + password);
    let text = '';
    bytes.forEach((b) => { text += String.fromCharCode(b); });
    return 'Basic ' + btoa(text);
  }

  async function signIn(event) {
    event.preventDefault();
    const username = $('username').value.trim();
    const password = $('password').value;
    const error = $('sign-in-error');
    error.hidden = true;
    if (!username || !password) {
      showSignInError('Enter a user name and a password.');
      return;
    }
    $('sign-in-button').disabled = true;
    say('Signing in…');
    try {
      let response;
      try {
        response = await fetch(API + '/tokens', {
          headers: { 'Authorization': basic(username, password), 'Tenant': TENANT, 'Accept': 'application/json' },
          cache: 'no-store', credentials: 'omit',
        });
      } catch (offline) {
        throw new ApiError('The server could not be reached: ' + offline.message, 0, null);
      }
      if (!response.ok) {
        const e = await errorFrom(response);
        throw response.status === 401
          ? new ApiError('Wrong user name or password.', 401, e.code) : e;
      }
      const token = await response.json();
      $('password').value = '';
      state.session = { token: token.value, tokenId: token.id, username: token.username, role: token.role };
      sessionStorage.setItem(STORE, JSON.stringify({ token: token.value, tokenId: token.id }));
      say('');
      enter();
    } catch (e) {
      say('');
      showSignInError('Sign-in failed: ' + e.message);
    } finally {
      $('sign-in-button').disabled = false;
    }
  }

  function showSignInError(text) {
    const error = $('sign-in-error');
    error.textContent = text;
    error.hidden = false;
    $('password').focus();
  }

  async function resume() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(STORE) || 'null');
    } catch (damaged) {
      saved = null;
    }
    if (!saved || !saved.token || !saved.tokenId) {
      signedOut('');
      return;
    }
    state.session = { token: saved.token, tokenId: saved.tokenId };
    try {
      const token = await api('GET', '/tokens/' + enc(saved.tokenId));
      state.session.username = token.username;
      state.session.role = token.role;
      enter();
    } catch (e) {
      if (e.status !== 401) signedOut('Could not resume the sign-in: ' + e.message);
    }
  }

  async function signOut() {
    const session = state.session;
    if (session) {
      try {
        await api('DELETE', '/tokens/' + enc(session.tokenId));
      } catch (ignored) {
        // The token expires by itself; the console forgets it either way.
      }
    }
    signedOut('Signed out.');
  }

  function signedOut(message) {
    state.session = null;
    sessionStorage.removeItem(STORE);
    stopRefresh();
    stopWatch();
    $('main').hidden = true;
    $('who').hidden = true;
    $('sign-in').hidden = false;
    // Nothing of the last user's view stays for the next one.
    state.lastRendered = '';
    state.total = 0;
    state.offset = 0;
    state.sort = { field: 'created_at', descending: true };
    updateSortHeaders();
    $('snapshot-rows').replaceChildren();
    $('list-error').hidden = true;
    $('activity').hidden = true;
    $('events').hidden = true;
    $('event-list').replaceChildren();
    $('refreshed').textContent = 'Not loaded yet';
    $('views').hidden = true;
    state.policies = [];
    state.policiesRendered = '';
    state.selectedPolicy = null;
    $('policy-rows').replaceChildren();
    $('history-rows').replaceChildren();
    $('policy-history').hidden = true;
    $('policies-error').hidden = true;
    $('policies-refreshed').textContent = 'Not loaded yet';
    resetPolicyForm();
    showView('snapshots', false);
    updatePager();
    say(message);
    $('username').focus();
  }

  function isAdmin() {
    return state.session && state.session.role === 'sys_admin';
  }

  function enter() {
    $('sign-in').hidden = true;
    $('sign-in-error').hidden = true;
    $('main').hidden = false;
    $('who').hidden = false;
    const who = $('who-text');
    who.replaceChildren();
    who.append('Signed in as ', strong(state.session.username), ' ');
    const role = document.createElement('span');
    role.className = 'role' + (isAdmin() ? ' admin' : '');
    role.textContent = isAdmin() ? 'sys_admin' : 'read-only';
    who.append(role);
    $('admin').hidden = !isAdmin();
    $('policy-admin').hidden = !isAdmin();
    $('read-only').hidden = isAdmin();
    $('views').hidden = false;
    $('main').focus();
    refresh();
    startRefresh();
  }

  function strong(text) {
    const b = document.createElement('strong');
    b.textContent = text;
    return b;
  }

  // ---- the list ----

  function startRefresh() {
    stopRefresh();
    state.refreshTimer = setInterval(() => {
      if (!document.hidden) refreshView();
    }, REFRESH_MS);
  }

  function stopRefresh() {
    if (state.refreshTimer) clearInterval(state.refreshTimer);
    state.refreshTimer = null;
  }

  async function refresh() {
    if (!state.session) return;
    const s = state.sort;
    const params = [
      ['_include', 'id,status,created_at,archive_size,archive_sha256,error'],
      ['_sort', (s.descending ? '-' : '') + s.field],
      ['_offset', state.offset],
      ['_size', state.size],
    ];
    if (s.field !== 'id') params.push(['_sort', 'id']);
    try {
      const page = await api('GET', '/snapshots' + query(params));
      $('list-error').hidden = true;
      state.total = page.metadata.pagination.total;
      if (state.offset > 0 && state.offset >= state.total) {
        state.offset = Math.max(0, Math.floor((state.total - 1) / state.size) * state.size);
        return refresh();
      }
      render(page.items);
      $('refreshed').textContent = 'Updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      if (!state.session) return;
      const text = e.status === 403
        ? e.message + ' Ask an administrator for the sys_admin role, or a reader role, to see the snapshots.'
        : 'The snapshots could not be loaded: ' + e.message;
      const error = $('list-error');
      if (error.textContent !== text || error.hidden) {
        error.textContent = text;
        error.hidden = false;
      }
      state.total = 0;
      render([]);
      $('empty').hidden = true;
      $('refreshed').textContent = 'Not loaded (tried ' + new Date().toLocaleTimeString() + ')';
    }
  }

  function render(items) {
    const key = JSON.stringify([items, state.offset, state.size, state.total, isAdmin()]);
    updatePager();
    if (key === state.lastRendered) return; // nothing changed: keep focus and reading position
    state.lastRendered = key;
    const focused = document.activeElement;
    const focusKey = focused && focused.dataset ? focused.dataset.focusKey : null;
    const rows = items.map(row);
    $('snapshot-rows').replaceChildren(...rows);
    $('empty').hidden = items.length > 0 || state.total > 0;
    if (focusKey) {
      const again = document.querySelector('[data-focus-key="' + CSS.escape(focusKey) + '"]');
      if (again) again.focus();
    }
    updateSortHeaders();
  }

  function cell(label, className) {
    const td = document.createElement('td');
    td.dataset.label = label;
    if (className) td.className = className;
    return td;
  }

  function row(s) {
    const tr = document.createElement('tr');
    tr.dataset.id = s.id;
    const id = cell('ID', 'id');
    id.textContent = s.id;
    const status = cell('Status', 'status');
    const badge = document.createElement('span');
    badge.className = 'badge ' + s.status;
    badge.textContent = s.status;
    status.append(badge);
    if (s.error) {
      const why = document.createElement('span');
      why.className = 'error';
      why.textContent = ' ' + s.error;
      status.append(why);
    }
    const size = cell('Size', 'num size');
    size.textContent = s.archive_size == null ? '—' : bytes(s.archive_size);
    if (s.archive_size != null) size.title = s.archive_size + ' bytes';
    const created = cell('Created', 'created');
    const time = document.createElement('time');
    time.dateTime = s.created_at;
    time.textContent = new Date(s.created_at).toLocaleString();
    created.append(time);
    const sha = cell('SHA-256', 'sha');
    if (s.archive_sha256) {
      const code = document.createElement('code');
      code.textContent = s.archive_sha256;
      code.title = s.archive_sha256;
      sha.append(code);
    } else {
      sha.textContent = '—';
    }
    const actions = cell('Actions', 'actions');
    const ready = READY.has(s.status);
    // An archive can hold credentials: the API lets only sys_admin download it.
    if (isAdmin() && ready) actions.append(button('Download', s.id, 'download', () => download(s)));
    if (isAdmin() && ready) actions.append(button('Restore', s.id, 'restore', () => askRestore(s)));
    actions.append(button('Events', s.id, 'events', () => showSnapshotEvents(s.id)));
    if (isAdmin()) actions.append(button('Delete', s.id, 'delete', () => askDelete(s)));
    tr.append(id, status, size, created, sha, actions);
    return tr;
  }

  function button(text, id, action, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.className = 'row-' + action;
    b.dataset.focusKey = action + ':' + id;
    // The visible text stays short; the accessible name says which snapshot.
    b.setAttribute('aria-label', text + ' ' + id);
    b.addEventListener('click', onClick);
    return b;
  }

  function updatePager() {
    const pages = Math.max(1, Math.ceil(state.total / state.size));
    const page = Math.floor(state.offset / state.size) + 1;
    const text = state.total === 0 ? 'No snapshots'
      : 'Page ' + page + ' of ' + pages + ' (' + state.total + ' snapshot' + (state.total === 1 ? '' : 's') + ')';
    if ($('page-text').textContent !== text) $('page-text').textContent = text;
    $('previous-page').disabled = state.offset === 0;
    $('next-page').disabled = state.offset + state.size >= state.total;
  }

  function updateSortHeaders() {
    document.querySelectorAll('#snapshot-table th[data-field]').forEach((th) => {
      const on = th.dataset.field === state.sort.field;
      th.setAttribute('aria-sort', on ? (state.sort.descending ? 'descending' : 'ascending') : 'none');
    });
  }

  function sortBy(field) {
    if (state.sort.field === field) {
      state.sort.descending = !state.sort.descending;
    } else {
      state.sort = { field, descending: field === 'created_at' };
    }
    state.offset = 0;
    updateSortHeaders();
    say('Sorted by ' + field.replace('archive_', '') + (state.sort.descending ? ', descending' : ', ascending') + '.');
    refresh();
  }

  function bytes(n) {
    const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = n;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u === 0 ? n + ' bytes' : v.toFixed(v < 10 ? 2 : 1) + ' ' + units[u];
  }

  function duration(seconds) {
    if (!isFinite(seconds) || seconds < 0) return '';
    const s = Math.round(seconds);
    if (s < 60) return s + ' s';
    const m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + (s % 60) + ' s';
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }

  // ---- messages ----

  function say(text, bad) {
    const status = $('status');
    status.textContent = text;
    status.classList.toggle('bad', Boolean(bad));
  }

  // ---- progress ----

  function showProgress(title, opts) {
    const panel = $('activity');
    panel.hidden = false;
    $('activity-text').textContent = title;
    $('activity-announce').textContent = title;
    $('cancel-execution').hidden = !(opts && opts.executionId && isAdmin());
    $('show-activity-events').hidden = !(opts && opts.executionId);
    setProgress(null, '');
  }

  // percent: a number 0..100, or null while nothing is known yet.
  function setProgress(percent, detail, outcome) {
    const bar = $('progress');
    bar.classList.toggle('indeterminate', percent == null && !outcome);
    bar.classList.toggle('done', outcome === 'done');
    bar.classList.toggle('bad', outcome === 'bad');
    const p = percent == null ? 0 : Math.max(0, Math.min(100, Math.floor(percent)));
    if (percent == null && !outcome) {
      bar.removeAttribute('aria-valuenow');
      bar.setAttribute('aria-valuetext', 'Starting');
      $('progress-percent').textContent = '…';
    } else {
      bar.setAttribute('aria-valuenow', String(p));
      bar.setAttribute('aria-valuetext', p + ' percent' + (detail ? ', ' + detail : ''));
      $('progress-percent').textContent = p + ' %';
    }
    $('progress-fill').style.width = (percent == null && !outcome ? 30 : p) + '%';
    $('progress-detail').textContent = detail;
  }

  function finishProgress(text, ok) {
    $('activity-text').textContent = text;
    $('activity-announce').textContent = text;
    $('cancel-execution').hidden = true;
    if (ok) setProgress(100, '', 'done');
    else setProgress(Number($('progress').getAttribute('aria-valuenow') || 0), '', 'bad');
    say(text, !ok);
  }

  // Follows an execution until it ends. Uses its `progress` object where the server gives one, else the
  // operation counts, with an ETA from how fast they have moved so far.
  function watchExecution(execution, what) {
    stopWatch();
    const w = { id: execution.id, what, samples: [], timer: null };
    state.watch = w;
    showProgress(what.running, { executionId: execution.id });
    $('show-activity-events').onclick = () => showEvents(execution.id, what.subject);
    $('cancel-execution').onclick = () => cancelExecution(execution.id);
    const poll = async () => {
      if (state.watch !== w) return;
      let e;
      try {
        e = await api('GET', '/executions/' + enc(w.id));
      } catch (err) {
        if (state.watch === w && state.session) {
          say('Could not read the progress: ' + err.message, true);
          w.timer = setTimeout(poll, POLL_MS * 4);
        }
        return;
      }
      if (state.watch !== w) return;
      if (END_STATES.has(e.status)) {
        stopWatch();
        if (e.status === 'terminated') finishProgress(what.done, true);
        else if (e.status === 'cancelled') finishProgress(what.subject + ': cancelled.', false);
        else finishProgress(what.subject + ' failed: ' + (e.error || 'no reason given'), false);
        refresh();
        if (what.after) what.after();
        return;
      }
      showExecutionProgress(w, e);
      w.timer = setTimeout(poll, POLL_MS);
    };
    poll();
  }

  function showExecutionProgress(w, e) {
    const p = e.progress;
    if (e.status === 'queued' || e.status === 'pending') {
      $('activity-text').textContent = w.what.subject + ': ' + (e.status === 'queued'
        ? 'queued behind another execution' : 'waiting to start');
      setProgress(null, '');
      return;
    }
    $('activity-text').textContent = w.what.running;
    if (p && typeof p === 'object') {
      const parts = [];
      if (p.phase) parts.push(p.phase);
      if (p.bytes_total) parts.push(bytes(p.bytes_done || 0) + ' of ' + bytes(p.bytes_total));
      else if (p.entries_total) parts.push((p.entries_done || 0) + ' of ' + p.entries_total + ' entries');
      if (p.bytes_per_second) parts.push(bytes(p.bytes_per_second) + '/s');
      if (p.eta_seconds != null) parts.push('about ' + duration(p.eta_seconds) + ' left');
      const percent = p.percent != null ? p.percent
        : (p.bytes_total ? 100 * (p.bytes_done || 0) / p.bytes_total
          : (p.entries_total ? 100 * (p.entries_done || 0) / p.entries_total : null));
      setProgress(percent, parts.join(' · '));
      return;
    }
    const total = e.total_operations || 0;
    const done = e.finished_operations || 0;
    if (total <= 0) {
      setProgress(null, '');
      return;
    }
    w.samples.push({ at: performance.now(), done });
    if (w.samples.length > 20) w.samples.shift();
    let detail = done + ' of ' + total + ' entries';
    const first = w.samples[0];
    const seconds = (performance.now() - first.at) / 1000;
    if (seconds > 1 && done > first.done) {
      const rate = (done - first.done) / seconds;
      detail += ' · about ' + duration((total - done) / rate) + ' left';
    }
    setProgress(100 * done / total, detail);
  }

  function stopWatch() {
    if (state.watch && state.watch.timer) clearTimeout(state.watch.timer);
    state.watch = null;
  }

  async function cancelExecution(id) {
    try {
      await api('POST', '/executions/' + enc(id), { action: 'cancel' });
      say('Cancelling…');
    } catch (e) {
      say('Could not cancel: ' + e.message, true);
    }
  }

  // Progress of a transfer the browser itself measures (an upload or a download).
  function transferProgress(started, done, total) {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const parts = [bytes(done) + (total ? ' of ' + bytes(total) : '')];
    if (rate > 0 && seconds > 0.5) parts.push(bytes(Math.round(rate)) + '/s');
    if (total && rate > 0 && seconds > 0.5) parts.push('about ' + duration((total - done) / rate) + ' left');
    setProgress(total ? 100 * done / total : null, parts.join(' · '));
  }

  // ---- create ----

  function checkId(input) {
    const id = input.value.trim();
    if (!ID_RULE.test(id)) {
      say('The snapshot ID must start with a letter and hold only letters, digits, ".", "_" and "-".', true);
      input.focus();
      return null;
    }
    return id;
  }

  async function create(event) {
    event.preventDefault();
    const id = checkId($('create-id'));
    if (!id) return;
    const options = {};
    for (const flag of ['include_credentials', 'include_logs', 'include_events', 'include_metrics', 'queue']) {
      options[flag] = $(flag).checked;
    }
    $('create-button').disabled = true;
    try {
      const execution = await api('PUT', '/snapshots/' + enc(id), options);
      say('Creating snapshot ' + id + '.');
      $('create-id').value = '';
      refresh();
      watchExecution(execution, {
        subject: 'Create of ' + id,
        running: 'Creating snapshot ' + id,
        done: 'Snapshot ' + id + ' created.',
      });
    } catch (e) {
      say('Could not create ' + id + ': ' + e.message, true);
    } finally {
      $('create-button').disabled = false;
    }
  }

  // ---- upload ----

  function suggestUploadId() {
    const file = $('upload-file').files[0];
    if (file && !$('upload-id').value) {
      const base = file.name.replace(/\.zip$/i, '').replace(/[^A-Za-z0-9._-]/g, '-');
      if (ID_RULE.test(base)) $('upload-id').value = base;
    }
  }

  function upload(event) {
    event.preventDefault();
    const file = $('upload-file').files[0];
    if (!file) {
      say('Choose an archive file to upload.', true);
      $('upload-file').focus();
      return;
    }
    const id = checkId($('upload-id'));
    if (!id) return;
    stopWatch();
    showProgress('Uploading ' + file.name + ' as ' + id);
    $('upload-button').disabled = true;
    const started = performance.now();
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', API + '/snapshots/' + enc(id) + '/archive');
    const headers = authHeaders();
    Object.keys(headers).forEach((k) => xhr.setRequestHeader(k, headers[k]));
    xhr.setRequestHeader('Content-Type', 'application/zip');
    xhr.upload.onprogress = (e) => transferProgress(started, e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      $('upload-button').disabled = false;
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (notJson) {
        body = null;
      }
      if (xhr.status === 201) {
        finishProgress('Uploaded ' + file.name + ' as snapshot ' + id + '.', true);
        $('upload-form').reset();
        refresh();
      } else {
        if (xhr.status === 401) signedOut('Your sign-in has ended: sign in again.');
        const message = body && typeof body.message === 'string' ? sentence(body.message) : describeStatus(xhr.status);
        finishProgress('Upload of ' + id + ' failed: ' + message, false);
      }
    };
    xhr.onerror = () => {
      $('upload-button').disabled = false;
      finishProgress('Upload of ' + id + ' failed: the connection to the server was lost.', false);
    };
    xhr.send(file);
  }

  // ---- download ----

  async function download(s) {
    const name = s.id + '.zip';
    const total = s.archive_size || 0;
    // The file picker must open while the click still counts as the user's: before anything is awaited.
    const picker = total > STREAM_DOWNLOAD_BYTES && window.showSaveFilePicker
      ? window.showSaveFilePicker({ suggestedName: name }) : null;
    stopWatch();
    showProgress('Downloading ' + name);
    const started = performance.now();
    let response;
    try {
      response = await fetch(API + '/snapshots/' + enc(s.id) + '/archive',
        { headers: authHeaders(), cache: 'no-store', credentials: 'omit' });
      if (!response.ok) {
        if (response.status === 401) signedOut('Your sign-in has ended: sign in again.');
        throw await errorFrom(response);
      }
      const length = Number(response.headers.get('Content-Length')) || total;
      const reader = response.body.getReader();
      let done = 0;
      if (picker) {
        const handle = await picker;
        const out = await handle.createWritable();
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          await out.write(chunk.value);
          done += chunk.value.length;
          transferProgress(started, done, length);
        }
        await out.close();
      } else {
        const parts = [];
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          parts.push(chunk.value);
          done += chunk.value.length;
          transferProgress(started, done, length);
        }
        if (length && done !== length) {
          throw new ApiError('the download ended after ' + done + ' of ' + length + ' bytes', 0, null);
        }
        const url = URL.createObjectURL(new Blob(parts, { type: 'application/zip' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = name;
        a.hidden = true;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
      }
      finishProgress('Downloaded ' + name + ' (' + bytes(done) + ').', true);
    } catch (e) {
      finishProgress('Download of ' + name + ' failed: ' + e.message, false);
    }
  }

  // ---- restore and delete ----

  let dialogOpener = null;

  function openDialog(dialog, focusFirst) {
    dialogOpener = document.activeElement;
    dialog.showModal();
    focusFirst.focus();
  }

  function closeDialog(dialog) {
    dialog.close();
  }

  function returnFocus() {
    const key = dialogOpener && dialogOpener.dataset ? dialogOpener.dataset.focusKey : null;
    const target = (key && document.querySelector('[data-focus-key="' + CSS.escape(key) + '"]'))
      || (dialogOpener && dialogOpener.isConnected ? dialogOpener : $('snapshots-title'));
    dialogOpener = null;
    if (target) target.focus();
  }

  function askRestore(s) {
    const dialog = $('restore-dialog');
    dialog.dataset.id = s.id;
    $('restore-id').textContent = s.id;
    $('restore-force').checked = false;
    // The API does not list a snapshot's participants, so this says plainly what a restore replaces.
    $('restore-what').textContent = 'This replaces the current state of every participant configured on this '
      + 'server (their directories and database tables) with what snapshot ' + s.id + ' holds (taken '
      + new Date(s.created_at).toLocaleString() + '). A restore that fails or is cancelled leaves the state '
      + 'as it was.';
    openDialog(dialog, $('restore-cancel'));
  }

  async function restore(event) {
    event.preventDefault();
    const dialog = $('restore-dialog');
    const id = dialog.dataset.id;
    const force = $('restore-force').checked;
    closeDialog(dialog);
    try {
      const execution = await api('POST', '/snapshots/' + enc(id) + '/restore', { force });
      watchExecution(execution, {
        subject: 'Restore of ' + id,
        running: 'Restoring snapshot ' + id,
        done: 'Restore of ' + id + ' finished.',
      });
    } catch (e) {
      say('Could not restore ' + id + ': ' + e.message, true);
    }
  }

  function askDelete(s) {
    const dialog = $('delete-dialog');
    dialog.dataset.id = s.id;
    $('delete-id').textContent = s.id;
    openDialog(dialog, $('delete-cancel'));
  }

  async function remove(event) {
    event.preventDefault();
    const dialog = $('delete-dialog');
    const id = dialog.dataset.id;
    closeDialog(dialog);
    try {
      await api('DELETE', '/snapshots/' + enc(id));
      say('Snapshot ' + id + ' deleted.');
      refresh();
      $('snapshots-title').setAttribute('tabindex', '-1');
      $('snapshots-title').focus();
    } catch (e) {
      say('Could not delete ' + id + ': ' + e.message, true);
    }
  }

  // ---- events ----

  async function showSnapshotEvents(id) {
    try {
      const page = await api('GET', '/executions' + query([
        ['_include_system_workflows', 'true'], ['snapshot_id', id], ['_sort', '-created_at'], ['_size', 1]]));
      if (page.items.length === 0) {
        showEventList('No execution of snapshot ' + id + ' is on record.', []);
        return;
      }
      const e = page.items[0];
      await showEvents(e.id, 'The last ' + e.workflow_id.replace('_', ' ') + ' of ' + id);
    } catch (e) {
      say('Could not read the events of ' + id + ': ' + e.message, true);
    }
  }

  async function showEvents(executionId, subject) {
    try {
      const page = await api('GET', '/events' + query([
        ['execution_id', executionId], ['_sort', 'reported_timestamp'], ['_size', 1000]]));
      showEventList(subject + ' (execution ' + executionId + '): ' + page.items.length + ' event'
        + (page.items.length === 1 ? '' : 's') + '.', page.items);
    } catch (e) {
      say('Could not read the events: ' + e.message, true);
    }
  }

  function showEventList(about, items) {
    $('events').hidden = false;
    $('events-about').textContent = about;
    $('event-list').replaceChildren(...items.map((ev) => {
      const li = document.createElement('li');
      if (ev.level) li.className = 'level-' + ev.level;
      const time = document.createElement('time');
      time.dateTime = ev.reported_timestamp;
      time.textContent = new Date(ev.reported_timestamp).toLocaleTimeString();
      li.append(time, ev.message);
      return li;
    }));
    $('events-title').focus();
  }

  // ---- pages ----

  function refreshView() {
    if (state.view === 'policies') refreshPolicies();
    else refresh();
  }

  function showView(view, focus) {
    state.view = view;
    $('main').dataset.view = view;
    document.querySelectorAll('#views button').forEach((b) => {
      if (b.dataset.view === view) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
    });
    document.title = (view === 'policies' ? 'Policies' : 'Snapshots') + ' · Snapkeep console';
    if (!state.session) return;
    if (view === 'policies') refreshPolicies();
    else refresh();
    if (focus) {
      const title = view === 'policies' ? $('policies-title') : $('snapshots-title');
      title.setAttribute('tabindex', '-1');
      title.focus();
    }
  }

  // ---- policies ----

  const HEALTH_WORDS = { ok: 'OK', failing: 'Failing', verification_failed: 'Verification failed' };
  const KIND_WORDS = { scheduled: 'Scheduled create', manual: 'Create run by hand', retention: 'Retention',
    verify: 'Verification' };

  function path(name) {
    return '/snapshot-policies/' + enc(name);
  }

  async function refreshPolicies() {
    if (!state.session) return;
    try {
      const page = await api('GET', '/snapshot-policies');
      $('policies-error').hidden = true;
      state.policies = page.items;
      renderPolicies();
      $('policies-refreshed').textContent = 'Updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      if (!state.session) return;
      const text = 'The policies could not be loaded: ' + e.message;
      const error = $('policies-error');
      if (error.textContent !== text || error.hidden) {
        error.textContent = text;
        error.hidden = false;
      }
      $('policies-refreshed').textContent = 'Not loaded (tried ' + new Date().toLocaleTimeString() + ')';
    }
  }

  function renderPolicies() {
    const key = JSON.stringify([state.policies, state.selectedPolicy, isAdmin()]);
    if (key === state.policiesRendered) return; // nothing changed: keep focus and reading position
    state.policiesRendered = key;
    const focused = document.activeElement;
    const focusKey = focused && focused.dataset ? focused.dataset.focusKey : null;
    $('policy-rows').replaceChildren(...state.policies.map(policyRow));
    $('policies-empty').hidden = state.policies.length > 0;
    const selected = state.policies.find((p) => p.name === state.selectedPolicy);
    if (selected) renderHistory(selected);
    else {
      state.selectedPolicy = null;
      $('policy-history').hidden = true;
    }
    if (focusKey) {
      const again = document.querySelector('[data-focus-key="' + CSS.escape(focusKey) + '"]');
      if (again) again.focus();
    }
  }

  // zone: show the wall-clock time there (a schedule's own zone), else the browser's.
  function timeElement(iso, zone) {
    if (!iso) return document.createTextNode('—');
    const t = document.createElement('time');
    t.dateTime = iso;
    t.textContent = new Date(iso).toLocaleString();
    if (zone) {
      try {
        t.textContent = new Date(iso).toLocaleString(undefined, { timeZone: zone }) + ' (' + zone + ')';
      } catch (unknownHere) {
        // A zone the server knows and this browser does not: the browser's own time stays.
      }
    }
    t.title = iso;
    return t;
  }

  function sub(text) {
    const span = document.createElement('span');
    span.className = 'sub';
    span.textContent = text;
    return span;
  }

  function codeText(text) {
    const c = document.createElement('code');
    c.textContent = text;
    return c;
  }

  function retentionWords(r) {
    if (!r) return 'Keeps every snapshot';
    const parts = [];
    if (r.max_count != null) parts.push('at most ' + r.max_count);
    if (r.expire_after) parts.push('none older than ' + r.expire_after);
    if (r.min_count) parts.push('always at least ' + r.min_count);
    const text = 'Keeps ' + parts.join(', ');
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function healthBadge(health) {
    const badge = document.createElement('span');
    badge.className = 'badge health-' + health;
    badge.textContent = HEALTH_WORDS[health] || health;
    return badge;
  }

  function policyRow(p) {
    const tr = document.createElement('tr');
    tr.dataset.policy = p.name;
    if (p.health !== 'ok') tr.className = 'unhealthy';
    const name = cell('Name', 'name');
    name.textContent = p.name;
    const schedule = cell('Schedule', 'schedule');
    schedule.append(codeText(p.schedule), ' (' + p.time_zone + ')');
    if (p.verify_schedule) schedule.append(sub('Verifies at ' + p.verify_schedule));
    const template = cell('Snapshot ID', 'template');
    template.append(codeText(p.snapshot_id));
    const retention = cell('Retention', 'retention');
    retention.textContent = retentionWords(p.retention);
    const health = cell('Health', 'health');
    health.append(healthBadge(p.health));
    const success = cell('Last success', 'last-success');
    success.append(timeElement(p.last_success && (p.last_success.recorded_at || p.last_success.due_at)));
    if (p.last_success && p.last_success.snapshot_id) success.append(sub(p.last_success.snapshot_id));
    const failure = cell('Last failure', 'last-failure');
    if (p.last_failure) {
      failure.append(timeElement(p.last_failure.at));
      failure.append(sub(sentence(p.last_failure.reason) || p.last_failure.outcome));
    } else {
      failure.textContent = 'None';
    }
    const failures = cell('Failures in a row', 'num failures');
    failures.textContent = String(p.consecutive_failures || 0);
    const next = cell('Next due', 'next-due');
    next.append(p.next_due ? timeElement(p.next_due, p.time_zone) : document.createTextNode('Never again'));
    const actions = cell('Actions', 'actions');
    actions.append(button('History', p.name, 'policy-history', () => selectPolicy(p.name)));
    if (isAdmin()) {
      actions.append(button('Run now', p.name, 'policy-run', () => runPolicy(p.name)));
      actions.append(button('Edit', p.name, 'policy-edit', () => editPolicy(p)));
      actions.append(button('Delete', p.name, 'policy-delete', () => askDeletePolicy(p.name)));
    }
    tr.append(name, schedule, template, retention, health, success, failure, failures, next, actions);
    return tr;
  }

  function selectPolicy(name) {
    state.selectedPolicy = name;
    const p = state.policies.find((x) => x.name === name);
    if (p) renderHistory(p);
    state.policiesRendered = '';
    refreshPolicies();
    $('history-title').focus();
  }

  function renderHistory(p) {
    $('policy-history').hidden = false;
    $('history-name').textContent = p.name;
    const entries = (p.history || []).slice().sort((a, b) =>
      (b.recorded_at || b.due_at).localeCompare(a.recorded_at || a.due_at));
    $('history-about').textContent = entries.length === 0 ? ''
      : entries.length + ' entr' + (entries.length === 1 ? 'y' : 'ies') + ', newest first.'
        + (p.next_verification ? ' Next verification: ' + new Date(p.next_verification).toLocaleString() + '.' : '');
    $('history-rows').replaceChildren(...entries.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.outcome = r.outcome;
      const kind = cell('Kind', 'kind');
      kind.textContent = KIND_WORDS[r.kind] || r.kind;
      const due = cell('Due', 'due');
      due.append(timeElement(r.due_at));
      const outcome = cell('Outcome', 'outcome');
      const badge = document.createElement('span');
      badge.className = 'badge outcome-' + r.outcome;
      badge.textContent = r.outcome;
      outcome.append(badge);
      const snapshot = cell('Snapshot', 'snapshot');
      snapshot.textContent = r.snapshot_id || '—';
      const detail = cell('Detail', 'detail');
      detail.textContent = r.detail || '—';
      tr.append(kind, due, outcome, snapshot, detail);
      return tr;
    }));
    $('history-empty').hidden = entries.length > 0;
  }

  // Which input a refusal is about, from the field the API's message names first.
  const POLICY_FIELDS = [
    ['retention.max_count', 'policy-max-count'], ['retention.min_count', 'policy-min-count'],
    ['retention.expire_after', 'policy-expire-after'], ['retention', 'policy-max-count'],
    ['verify_schedule', 'policy-verify'], ['schedule', 'policy-schedule'], ['time_zone', 'policy-zone'],
    ['snapshot_id', 'policy-template'], ['name', 'policy-name'],
  ];

  function fieldOf(message) {
    let best = null;
    let at = Infinity;
    for (const [field, input] of POLICY_FIELDS) {
      const i = message.indexOf('`' + field + '`');
      if (i >= 0 && i < at) {
        at = i;
        best = input;
      }
    }
    return best;
  }

  // A count as a number when it is one; anything else goes as typed, for the API to name the field.
  function countValue(text) {
    return /^\d+$/.test(text) ? Number(text) : text;
  }

  function policyBody() {
    const body = {
      schedule: $('policy-schedule').value.trim(),
      time_zone: $('policy-zone').value.trim() || 'UTC',
      snapshot_id: $('policy-template').value.trim(),
      create_options: {},
    };
    for (const flag of ['include_credentials', 'include_logs', 'include_events', 'include_metrics']) {
      body.create_options[flag] = $('policy-' + flag).checked;
    }
    const max = $('policy-max-count').value.trim();
    const expire = $('policy-expire-after').value.trim();
    const min = $('policy-min-count').value.trim();
    if (max || expire || min) {
      body.retention = {};
      if (max) body.retention.max_count = countValue(max);
      if (expire) body.retention.expire_after = expire;
      if (min) body.retention.min_count = countValue(min);
    }
    const verify = $('policy-verify').value.trim();
    if (verify) body.verify_schedule = verify;
    return body;
  }

  function clearPolicyErrors() {
    $('policy-form-error').hidden = true;
    $('policy-form-error').textContent = '';
    document.querySelectorAll('#policy-form [aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  }

  function policyFormError(text, inputId) {
    const error = $('policy-form-error');
    error.textContent = text;
    error.hidden = false;
    say(text, true);
    if (inputId) {
      const input = $(inputId);
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-errormessage', 'policy-form-error');
      input.focus();
    }
  }

  async function savePolicy(event) {
    event.preventDefault();
    clearPolicyErrors();
    const name = $('policy-name').value.trim();
    for (const [id, what] of [['policy-name', 'a policy name'], ['policy-schedule', 'a schedule'],
      ['policy-template', 'a snapshot ID template']]) {
      if (!$(id).value.trim()) {
        policyFormError('Enter ' + what + '.', id);
        return;
      }
    }
    $('policy-save').disabled = true;
    try {
      const existed = state.policies.some((p) => p.name === name);
      await api('PUT', path(name), policyBody());
      say('Policy ' + name + (existed ? ' replaced.' : ' created.'));
      resetPolicyForm();
      state.policiesRendered = '';
      await refreshPolicies();
    } catch (e) {
      if (!state.session) return;
      const field = e.status === 400 ? fieldOf(e.message) : null;
      policyFormError('Could not save policy ' + name + ': ' + e.message, field);
    } finally {
      $('policy-save').disabled = false;
    }
  }

  function resetPolicyForm() {
    $('policy-form').reset();
    clearPolicyErrors();
  }

  function editPolicy(p) {
    clearPolicyErrors();
    $('policy-name').value = p.name;
    $('policy-schedule').value = p.schedule;
    $('policy-zone').value = p.time_zone;
    $('policy-template').value = p.snapshot_id;
    for (const flag of ['include_credentials', 'include_logs', 'include_events', 'include_metrics']) {
      $('policy-' + flag).checked = Boolean(p.create_options && p.create_options[flag]);
    }
    const r = p.retention || {};
    $('policy-max-count').value = r.max_count == null ? '' : String(r.max_count);
    $('policy-expire-after').value = r.expire_after || '';
    $('policy-min-count').value = r.min_count ? String(r.min_count) : '';
    $('policy-verify').value = p.verify_schedule || '';
    say('Editing policy ' + p.name + ': save to replace it.');
    $('policy-schedule').focus();
  }

  async function runPolicy(name) {
    try {
      const execution = await api('POST', path(name) + '/run');
      const id = execution.parameters && execution.parameters.snapshot_id;
      const what = id ? 'snapshot ' + id : 'a snapshot';
      say('Policy ' + name + ' is creating ' + what + '.');
      state.selectedPolicy = name;
      refreshPolicies();
      watchExecution(execution, {
        subject: 'Run of policy ' + name,
        running: 'Creating ' + what + ' for policy ' + name,
        done: 'Policy ' + name + ' created ' + what + '.',
        after: () => { state.policiesRendered = ''; refreshPolicies(); },
      });
    } catch (e) {
      say('Could not run policy ' + name + ': ' + e.message, true);
    }
  }

  function askDeletePolicy(name) {
    const dialog = $('policy-delete-dialog');
    dialog.dataset.name = name;
    $('policy-delete-name').textContent = name;
    openDialog(dialog, $('policy-delete-cancel'));
  }

  async function removePolicy(event) {
    event.preventDefault();
    const dialog = $('policy-delete-dialog');
    const name = dialog.dataset.name;
    closeDialog(dialog);
    try {
      await api('DELETE', path(name));
      say('Policy ' + name + ' deleted; its snapshots stay.');
      if (state.selectedPolicy === name) state.selectedPolicy = null;
      await refreshPolicies();
      $('policies-title').focus();
    } catch (e) {
      say('Could not delete policy ' + name + ': ' + e.message, true);
    }
  }

  // ---- wiring ----

  function init() {
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', signOut);
    $('refresh').addEventListener('click', () => { state.lastRendered = ''; refresh(); });
    document.querySelectorAll('#snapshot-table th[data-field] button.sort').forEach((b) => {
      b.addEventListener('click', () => sortBy(b.parentElement.dataset.field));
    });
    $('previous-page').addEventListener('click', () => {
      state.offset = Math.max(0, state.offset - state.size);
      refresh();
    });
    $('next-page').addEventListener('click', () => {
      state.offset += state.size;
      refresh();
    });
    $('page-size').addEventListener('change', () => {
      state.size = Number($('page-size').value);
      state.offset = 0;
      refresh();
    });
    $('create-form').addEventListener('submit', create);
    $('upload-form').addEventListener('submit', upload);
    $('upload-file').addEventListener('change', suggestUploadId);
    $('restore-form').addEventListener('submit', restore);
    $('restore-cancel').addEventListener('click', () => closeDialog($('restore-dialog')));
    $('delete-form').addEventListener('submit', remove);
    $('delete-cancel').addEventListener('click', () => closeDialog($('delete-dialog')));
    // However a dialog closes (a button, Escape), focus goes back where it was.
    $('restore-dialog').addEventListener('close', returnFocus);
    $('policy-delete-dialog').addEventListener('close', returnFocus);
    $('policy-delete-form').addEventListener('submit', removePolicy);
    $('policy-delete-cancel').addEventListener('click', () => closeDialog($('policy-delete-dialog')));
    $('policy-form').addEventListener('submit', savePolicy);
    $('policies-refresh').addEventListener('click', () => { state.policiesRendered = ''; refreshPolicies(); });
    document.querySelectorAll('#views button').forEach((b) => {
      b.addEventListener('click', () => showView(b.dataset.view, true));
    });
    $('delete-dialog').addEventListener('close', returnFocus);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && state.session) refreshView();
    });
    resume();
  }

  init();
}());
