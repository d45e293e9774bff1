// forumbot web chat: plain JavaScript, no framework, no build step.
// Every string from the server is put into the page with textContent or attributes, never innerHTML.
(function () {
  'use strict';

  var API = 'api/webchat';
  var INBOX = 'api/webchat/inbox';
  var EVENTS = 'api/webchat/events';
  var POLL_MS = 3000;
  var AUTH = 'api/auth/';
  var keyAfter = function (user) { return 'forumbot.webchat.after.' + user; };

  // The few static strings: English / Welsh side by side (the bot's own words come translated).
  var T = {
    you: ['You', 'Chi'],
    bot: ['forumbot', 'forumbot'],
    chattingAs: ['Signed in as', 'Wedi mewngofnodi fel'],
    signedOut: ['You are signed out.', 'Rydych wedi allgofnodi.'],
    signInAs: ['Sign in as {name}', 'Mewngofnodi fel {name}'],
    signingIn: ['Signing you in…', 'Yn eich mewngofnodi…'],
    onlyYou: ['Only you can see this', 'Dim ond chi sy’n gallu gweld hwn'],
    notice: ['Notice', 'Hysbysiad'],
    choose: ['Choose', 'Dewis'],
    statement: ['Statement', 'Datganiad'],
    rank: ['Rank', 'Safle'],
    required: ['required', 'gofynnol'],
    none: ['(none)', '(dim)'],
    unreachable: ['Could not reach forumbot. Please try again.', 'Methu cyrraedd forumbot. Rhowch gynnig arall arni.'],
    refused: ['forumbot could not accept that', 'Nid oedd forumbot yn gallu derbyn hynny'],
    welcome: ['Hello {name}. Type “help” to see what you can do.', 'Helo {name}. Teipiwch “help” i weld beth allwch chi ei wneud.'],
    pickOne: ['Choose an option first.', 'Dewiswch opsiwn yn gyntaf.'],
    rankNone: ['Give a rank to at least one candidate.', 'Rhowch safle i o leiaf un ymgeisydd.'],
    rankDup: ['Each rank can be used only once: {ranks}.', 'Dim ond unwaith y gellir defnyddio pob safle: {ranks}.'],
    rankGap: ['Ranks must run 1, 2, 3… without gaps (missing {rank}).', 'Rhaid i’r safleoedd fynd 1, 2, 3… heb fylchau (mae {rank} ar goll).'],
    characters: ['characters', 'nod'],
  };

  /** "English / Cymraeg" as nodes, with the Welsh half marked lang="cy" for screen readers. */
  function bi(key, params) {
    var pair = T[key];
    var en = fill(pair[0], params);
    var cy = fill(pair[1], params);
    var frag = document.createDocumentFragment();
    if (en === cy) {
      frag.appendChild(document.createTextNode(en));
      return frag;
    }
    frag.appendChild(document.createTextNode(en + ' / '));
    var span = el('span', { lang: 'cy' }, cy);
    frag.appendChild(span);
    return frag;
  }
  function biText(key, params) {
    var pair = T[key];
    var en = fill(pair[0], params);
    var cy = fill(pair[1], params);
    return en === cy ? en : en + ' / ' + cy;
  }
  function fill(s, params) {
    return s.replace(/\{(\w+)\}/g, function (whole, name) {
      return params && name in params ? String(params[name]) : whole;
    });
  }

  // ---------------------------------------------------------------- small DOM helpers

  /** Creates an element; attrs are set as attributes (booleans add/omit), children are nodes or text. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k)) continue;
        var v = attrs[k];
        if (v === undefined || v === null || v === false) continue;
        if (k === 'className') node.className = v;
        else if (v === true) node.setAttribute(k, '');
        else node.setAttribute(k, String(v));
      }
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(function (c) { append(node, c); });
    } else if (typeof child === 'string' || typeof child === 'number') {
      node.appendChild(document.createTextNode(String(child)));
    } else {
      node.appendChild(child);
    }
  }
  var seq = 0;
  /** An id unique on the page: the same form may arrive twice. */
  function uid(hint) {
    seq += 1;
    return 'm' + seq + '-' + String(hint || 'x').replace(/[^\w-]/g, '_').slice(0, 40);
  }
  function asText(v) {
    return v === undefined || v === null ? '' : String(v);
  }

  /**
   * Minimal markdown: **bold** and line breaks; http(s) links become links. Everything else
   * stays text, so nothing the server sends can become markup.
   */
  function richText(parent, text) {
    var lines = asText(text).split(/\r?\n/);
    lines.forEach(function (line, i) {
      if (i > 0) parent.appendChild(document.createElement('br'));
      var parts = line.split(/\*\*(?=\S)([\s\S]*?\S)\*\*/);
      parts.forEach(function (part, j) {
        if (part === '') return;
        if (j % 2 === 1) {
          var strong = document.createElement('strong');
          linkify(strong, part);
          parent.appendChild(strong);
        } else {
          linkify(parent, part);
        }
      });
    });
  }
  function linkify(parent, text) {
    var re = /\bhttps?:\/\/[^\s<>"“”]+[^\s<>"“”.,;:!?)\]’]/g;
    var last = 0;
    var m;
    while ((m = re.exec(text))) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      parent.appendChild(el('a', { href: m[0], rel: 'noopener noreferrer', target: '_blank' }, m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // ---------------------------------------------------------------- identity

  function storage(key, value) {
    try {
      if (value === undefined) return window.localStorage.getItem(key);
      window.localStorage.setItem(key, value);
    } catch (e) {
      // private mode: the id lasts for this page only
    }
    return value;
  }

  var state = {
    user: '',
    name: '',
    after: '',
    seen: Object.create(null),
    queue: Promise.resolve(),
    polling: false,
    source: null,
    streamFailed: false,
    pollTimer: 0,
  };

  // ---------------------------------------------------------------- elements

  var $ = function (id) { return document.getElementById(id); };
  var signinScreen = $('signin-screen');
  var signinMessage = $('signin-message');
  var signinError = $('signin-error');
  var emailForm = $('email-form');
  var emailInput = $('email-input');
  var nameInput = $('name-input');
  var codeForm = $('code-form');
  var codeInput = $('code-input');
  var chatScreen = $('chat-screen');
  var log = $('log');
  var composer = $('composer');
  var input = $('text');
  var whoami = $('whoami');
  var whoamiText = $('whoami-text');

  /** JSON in, JSON out; same-origin, so the session cookie goes along. */
  function send(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}), credentials: 'same-origin' })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) { return { ok: res.ok, status: res.status, data: data }; });
      });
  }
  /** The server's bilingual answer ("error"/"errorCy" or "message"/"messageCy") as one line. */
  function both(data, en, cy) {
    if (!data || !data[en]) return '';
    var problems = Array.isArray(data.problems) ? ' (' + data.problems.join('; ') + ')' : '';
    return data[en] + problems + (data[cy] ? ' / ' + data[cy] : '');
  }

  // ---------------------------------------------------------------- signing in

  function showSignIn(note) {
    stopPolling();
    state.streamFailed = false;
    chatScreen.hidden = true;
    whoami.hidden = true;
    signinScreen.hidden = false;
    signinError.textContent = '';
    signinMessage.textContent = note || '';
    if (codeForm.hidden) emailInput.focus();
    else codeInput.focus();
    fetch(AUTH + 'demo', { headers: { accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (data) { if (data && data.demo) showDemo(data.personas || []); })
      .catch(function () { /* not a demo */ });
  }
  function showDemo(personas) {
    $('demo-banner').hidden = false;
    var list = $('demo-list');
    list.textContent = '';
    personas.forEach(function (p) {
      var button = el('button', { type: 'button', className: 'btn' }, bi('signInAs', { name: asText(p.name) }));
      button.addEventListener('click', function () {
        send(AUTH + 'demo', { persona: p.persona }).then(signedIn);
      });
      list.appendChild(el('li', null, button));
    });
    $('demo-people').hidden = personas.length === 0;
  }
  function signedIn(r) {
    if (!r.ok) {
      signinError.textContent = both(r.data, 'error', 'errorCy') || biText('refused');
      return;
    }
    return whoAmI();
  }
  function whoAmI() {
    return fetch(AUTH + 'me', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) { return res.json(); })
      .then(function (me) {
        if (me.demo) $('demo-banner').hidden = false;
        $('microsoft').hidden = !me.microsoft;
        if (!me.signedIn) return showSignIn();
        state.user = asText(me.webUserId);
        state.name = asText(me.name);
        state.after = storage(keyAfter(state.user)) || new Date(0).toISOString();
        showChat();
      })
      .catch(function () { showSignIn(biText('unreachable')); });
  }

  emailForm.addEventListener('submit', function (e) {
    e.preventDefault();
    var email = emailInput.value.trim();
    if (!email) return emailInput.focus();
    var body = { email: email };
    if (nameInput.value.trim()) body.name = nameInput.value.trim().slice(0, 80);
    signinError.textContent = '';
    send(AUTH + 'email', body).then(function (r) {
      if (!r.ok) {
        signinError.textContent = both(r.data, 'error', 'errorCy') || biText('refused');
        return;
      }
      signinMessage.textContent = both(r.data, 'message', 'messageCy');
      emailForm.hidden = true;
      codeForm.hidden = false;
      codeInput.focus();
    }, function () { signinError.textContent = biText('unreachable'); });
  });
  codeForm.addEventListener('submit', function (e) {
    e.preventDefault();
    signinError.textContent = '';
    send(AUTH + 'code', { email: emailInput.value.trim(), code: codeInput.value.trim() }).then(function (r) {
      codeInput.value = '';
      return signedIn(r);
    }, function () { signinError.textContent = biText('unreachable'); });
  });
  $('other-email').addEventListener('click', function () {
    codeForm.hidden = true;
    emailForm.hidden = false;
    signinMessage.textContent = '';
    emailInput.focus();
  });
  function signOut(path) {
    send(AUTH + path, {}).then(function () {
      log.textContent = '';
      state.seen = Object.create(null);
      codeForm.hidden = true;
      emailForm.hidden = false;
      showSignIn(biText('signedOut'));
    });
  }
  $('sign-out').addEventListener('click', function () { signOut('sign-out'); });
  $('sign-out-everywhere').addEventListener('click', function () { signOut('sign-out-everywhere'); });

  function showChat() {
    signinScreen.hidden = true;
    chatScreen.hidden = false;
    whoami.hidden = false;
    whoamiText.textContent = '';
    append(whoamiText, [bi('chattingAs'), ' ', el('strong', null, state.name)]);
    if (!log.hasChildNodes()) addSystem(biText('welcome', { name: state.name }));
    input.focus();
    startPolling();
  }

  // ---------------------------------------------------------------- the log

  function scrollToNewest(node) {
    // a long message (a form, a ballot) is shown from its top; a short one keeps the log at the end
    if (node.offsetHeight > window.innerHeight * 0.7) node.scrollIntoView({ block: 'start' });
    else window.scrollTo(0, document.documentElement.scrollHeight);
  }

  function addUser(text) {
    var node = el('article', { className: 'msg msg-user' },
      el('p', { className: 'msg-meta' }, el('span', { className: 'msg-from' }, bi('you'))),
      el('p', { className: 'msg-text' }, text));
    log.appendChild(node);
    scrollToNewest(node);
  }
  function addSystem(text, isError) {
    var node = el('p', { className: 'msg-system' + (isError ? ' is-error' : '') }, text);
    if (isError) node.setAttribute('role', 'alert');
    log.appendChild(node);
    scrollToNewest(node);
  }

  /** One bot message: every block as HTML, or its text when it has none. */
  function addBot(msg, origin) {
    var node = el('article', { className: 'msg msg-bot' + (msg.visibility === 'ephemeral' ? ' is-ephemeral' : '') });
    var meta = el('p', { className: 'msg-meta' }, el('span', { className: 'msg-from' }, bi('bot')));
    if (origin === 'inbox') meta.appendChild(el('span', { className: 'msg-tag' }, bi('notice')));
    if (msg.at) {
      var d = new Date(msg.at);
      if (!isNaN(d.getTime())) meta.appendChild(el('time', { datetime: d.toISOString() }, d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })));
    }
    node.appendChild(meta);
    var body = el('div', { className: 'msg-body' });
    var blocks = Array.isArray(msg.blocks) ? msg.blocks : [];
    if (blocks.length === 0) {
      var p = el('p');
      richText(p, msg.text);
      body.appendChild(p);
    } else {
      blocks.forEach(function (block) {
        var rendered = renderBlock(block);
        if (rendered) body.appendChild(rendered);
      });
    }
    node.appendChild(body);
    if (msg.visibility === 'ephemeral') node.appendChild(el('p', { className: 'msg-note' }, bi('onlyYou')));
    log.appendChild(node);
    scrollToNewest(node);
  }

  function renderBlock(block) {
    if (!block || typeof block !== 'object') return null;
    switch (block.type) {
      case 'header':
        return el('h2', { className: 'blk-header' }, asText(block.text));
      case 'section': {
        var p = el('p', { className: 'blk-section' });
        richText(p, block.text);
        return p;
      }
      case 'fields':
        return renderFields(block.fields || []);
      case 'buttons':
        return renderButtons(block.buttons || []);
      case 'select':
        return renderSelect(block);
      case 'form':
        return block.form ? renderForm(block.form) : null;
      case 'ballot':
        return block.ballot ? renderBallot(block.ballot) : null;
      case 'divider':
        return el('hr', { className: 'blk-divider' });
      case 'table':
        return block.table ? renderTable(block.table) : null;
      default:
        return block.text ? el('p', null, asText(block.text)) : null;
    }
  }

  /** A table block: caption, header cells as column headers, the first cell of a row as its header. */
  function renderTable(table) {
    var columns = table.columns || [];
    var align = function (i) {
      var a = columns[i] && columns[i].align;
      return a === 'right' || a === 'center' ? 'al-' + a : null;
    };
    var head = el('tr');
    columns.forEach(function (c, i) {
      head.appendChild(el('th', { scope: 'col', className: align(i) }, asText(c.label)));
    });
    var body = el('tbody');
    (table.rows || []).forEach(function (row) {
      var tr = el('tr');
      columns.forEach(function (_, i) {
        var cell = asText(row[i]);
        tr.appendChild(i === 0 ? el('th', { scope: 'row', className: align(i) }, cell) : el('td', { className: align(i) }, cell));
      });
      body.appendChild(tr);
    });
    var t = el('table', { className: 'blk-table' });
    if (table.caption) t.appendChild(el('caption', null, asText(table.caption)));
    t.appendChild(el('thead', null, head));
    t.appendChild(body);
    // a wide table scrolls inside its own box (focusable, so keyboard users can scroll it)
    var wrap = el('div', { className: 'blk-table-wrap', tabindex: '0', role: 'region', 'aria-label': asText(table.caption || columns.map(function (c) { return c.label; }).join(', ')) }, t);
    if (table.notes && table.notes.length) {
      var notes = el('p', { className: 'blk-table-notes' });
      richText(notes, table.notes.join('\n'));
      return el('div', null, wrap, notes);
    }
    return wrap;
  }

  function renderFields(fields) {
    var dl = el('dl', { className: 'blk-fields' });
    fields.forEach(function (f) {
      var dd = el('dd');
      richText(dd, f.value);
      dl.appendChild(el('div', { className: 'field' }, el('dt', null, asText(f.label)), dd));
    });
    return dl;
  }

  function renderButtons(buttons) {
    var row = el('div', { className: 'blk-buttons' });
    buttons.forEach(function (b) {
      var style = b.style === 'primary' || b.style === 'danger' ? ' ' + b.style : '';
      var button = el('button', { type: 'button', className: 'btn' + style }, asText(b.label));
      button.addEventListener('click', function () {
        if (!b.action) return;
        sendAction({ command: b.action.command, args: b.action.args || {} }, '» ' + asText(b.label), button);
      });
      row.appendChild(button);
    });
    return row;
  }

  function optionLabel(o) {
    return asText(o.label) + (o.description ? ' — ' + asText(o.description) : '');
  }

  function renderSelect(block) {
    var id = uid(block.id || 'select');
    var select = el('select', { id: id, name: asText(block.argName), required: true },
      el('option', { value: '' }, asText(block.placeholder) || '—'));
    (block.options || []).forEach(function (o) {
      select.appendChild(el('option', { value: asText(o.value) }, optionLabel(o)));
    });
    var errorId = id + '-error';
    var error = el('p', { className: 'error', id: errorId, 'aria-live': 'polite' });
    var button = el('button', { type: 'submit', className: 'btn primary' }, bi('choose'));
    var form = el('form', { className: 'blk-select' },
      el('label', { for: id }, asText(block.label)),
      el('div', { className: 'inline-row' }, select, button),
      error);
    form.noValidate = true;
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!select.value) {
        error.textContent = biText('pickOne');
        select.setAttribute('aria-invalid', 'true');
        select.setAttribute('aria-describedby', errorId);
        select.focus();
        return;
      }
      error.textContent = '';
      select.removeAttribute('aria-invalid');
      var args = Object.assign({}, (block.action && block.action.args) || {});
      args[block.argName] = select.value;
      var chosen = select.options[select.selectedIndex];
      sendAction({ command: block.action.command, args: args }, '» ' + asText(block.label) + ': ' + chosen.text, button);
    });
    return form;
  }

  function requiredMark(required) {
    return required ? el('span', { className: 'req', 'aria-hidden': 'true', title: biText('required') }, ' *') : null;
  }

  function renderForm(form) {
    var fieldset = el('fieldset', null, el('legend', null, asText(form.title)));
    var readers = [];
    (form.fields || []).forEach(function (field) {
      var id = uid((form.id || 'form') + '-' + field.name);
      var control;
      var row;
      switch (field.kind) {
        case 'textarea': {
          control = el('textarea', { id: id, name: field.name, rows: 4, maxlength: field.maxLength, placeholder: field.placeholder, required: !!field.required });
          control.value = asText(field.value);
          var counterId = id + '-count';
          var counter = field.maxLength ? el('p', { className: 'hint counter', id: counterId }) : null;
          if (counter) {
            control.setAttribute('aria-describedby', counterId);
            var update = function () { counter.textContent = control.value.length + ' / ' + field.maxLength + ' ' + biText('characters'); };
            control.addEventListener('input', update);
            update();
          }
          row = el('div', { className: 'form-row' }, el('label', { for: id }, asText(field.label), requiredMark(field.required)), control, counter);
          break;
        }
        case 'number':
          control = el('input', { id: id, name: field.name, type: 'number', inputmode: 'decimal', step: 'any', min: field.min, max: field.max, required: !!field.required });
          if (field.value !== undefined && field.value !== null) control.value = String(field.value);
          row = el('div', { className: 'form-row' }, el('label', { for: id }, asText(field.label), requiredMark(field.required)), control);
          break;
        case 'date':
          control = el('input', { id: id, name: field.name, type: 'date', required: !!field.required });
          if (field.value) control.value = asText(field.value).slice(0, 10);
          row = el('div', { className: 'form-row' }, el('label', { for: id }, asText(field.label), requiredMark(field.required)), control);
          break;
        case 'select':
          control = el('select', { id: id, name: field.name, required: !!field.required });
          control.appendChild(el('option', { value: '' }, field.required ? '—' : biText('none')));
          (field.options || []).forEach(function (o) {
            control.appendChild(el('option', { value: asText(o.value) }, optionLabel(o)));
          });
          if (field.value !== undefined) control.value = asText(field.value);
          row = el('div', { className: 'form-row' }, el('label', { for: id }, asText(field.label), requiredMark(field.required)), control);
          break;
        case 'checkbox':
          control = el('input', { id: id, name: field.name, type: 'checkbox' });
          control.checked = field.value === true;
          row = el('div', { className: 'form-row checkbox-row' }, control, el('label', { for: id }, asText(field.label)));
          break;
        default: // 'text' and anything unknown
          control = el('input', { id: id, name: field.name, type: 'text', maxlength: field.maxLength, placeholder: field.placeholder, required: !!field.required });
          control.value = asText(field.value);
          row = el('div', { className: 'form-row' }, el('label', { for: id }, asText(field.label), requiredMark(field.required)), control);
      }
      readers.push({ field: field, control: control });
      fieldset.appendChild(row);
    });
    var button = el('button', { type: 'submit', className: 'btn primary' }, asText(form.submitLabel));
    fieldset.appendChild(el('div', { className: 'form-actions' }, button));
    var node = el('form', { className: 'blk-form' }, fieldset);
    node.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!node.reportValidity()) return;
      var values = {};
      readers.forEach(function (r) {
        var kind = r.field.kind;
        var c = r.control;
        if (kind === 'checkbox') {
          values[r.field.name] = c.checked;
        } else if (kind === 'number') {
          if (c.value.trim() !== '') values[r.field.name] = Number(c.value);
        } else if (c.value.trim() !== '') {
          values[r.field.name] = c.value; // empty optional fields are left out
        }
      });
      var submit = form.submit || {};
      sendAction({ command: submit.command, args: submit.args || {}, values: values }, '» ' + asText(form.submitLabel), button);
    });
    return node;
  }

  function renderBallot(ballot) {
    var candidates = ballot.candidates || [];
    var max = Math.max(1, Math.min(candidates.length, Number(ballot.maxRanks) || candidates.length));
    var errorId = uid((ballot.id || 'ballot') + '-error');
    var error = el('p', { className: 'error', id: errorId, 'aria-live': 'assertive' });
    var list = el('ol', { className: 'candidates' });
    var rows = [];
    candidates.forEach(function (c) {
      var id = uid((ballot.id || 'ballot') + '-' + c.id);
      var select = el('select', { id: id, name: 'rank-' + c.id, className: 'rank' }, el('option', { value: '' }, '–'));
      for (var n = 1; n <= max; n++) select.appendChild(el('option', { value: String(n) }, String(n)));
      // visible "Rank / Safle"; the accessible name says whose rank: "Rank for Alys Jones / Safle ar gyfer Alys Jones"
      var label = el('label', { for: id, className: 'rank-label' },
        T.rank[0], el('span', { className: 'visually-hidden' }, ' for ' + asText(c.name)), ' / ',
        el('span', { lang: 'cy' }, T.rank[1], el('span', { className: 'visually-hidden' }, ' ar gyfer ' + asText(c.name))));
      var info = el('div', { className: 'cand-info' }, el('span', { className: 'cand-name' }, asText(c.name)));
      if (c.statement) {
        var statement = el('div', { className: 'statement' });
        richText(statement, c.statement);
        info.appendChild(el('details', null, el('summary', null, bi('statement')), statement));
      }
      list.appendChild(el('li', { className: 'candidate' }, info, el('div', { className: 'rank-cell' }, label, select)));
      rows.push({ candidate: c, select: select });
    });
    var button = el('button', { type: 'submit', className: 'btn primary' }, asText(ballot.submitLabel));
    var fieldset = el('fieldset', null,
      el('legend', null, asText(ballot.title)),
      el('p', { className: 'instructions' }, asText(ballot.instructions)),
      list, error,
      el('div', { className: 'form-actions' }, button));
    var node = el('form', { className: 'blk-ballot' }, fieldset);
    node.noValidate = true;

    function check() {
      var byRank = Object.create(null);
      var chosen = [];
      rows.forEach(function (r) {
        r.select.removeAttribute('aria-invalid');
        r.select.removeAttribute('aria-describedby');
        if (!r.select.value) return;
        var rank = Number(r.select.value);
        (byRank[rank] = byRank[rank] || []).push(r);
        chosen.push({ rank: rank, row: r });
      });
      if (chosen.length === 0) return { problem: biText('rankNone'), bad: rows.slice(0, 1) };
      var dups = Object.keys(byRank).filter(function (k) { return byRank[k].length > 1; });
      if (dups.length) {
        var bad = [];
        dups.forEach(function (k) { bad = bad.concat(byRank[k]); });
        return { problem: biText('rankDup', { ranks: dups.join(', ') }), bad: bad };
      }
      for (var n = 1; n <= chosen.length; n++) {
        if (!byRank[n]) return { problem: biText('rankGap', { rank: n }), bad: chosen.map(function (c) { return c.row; }) };
      }
      chosen.sort(function (a, b) { return a.rank - b.rank; });
      return { ranking: chosen.map(function (c) { return c.row.candidate; }) };
    }

    node.addEventListener('submit', function (e) {
      e.preventDefault();
      var result = check();
      if (result.problem) {
        error.textContent = result.problem;
        result.bad.forEach(function (r) {
          r.select.setAttribute('aria-invalid', 'true');
          r.select.setAttribute('aria-describedby', errorId);
        });
        if (result.bad[0]) result.bad[0].select.focus();
        return;
      }
      error.textContent = '';
      var args = Object.assign({}, (ballot.submit && ballot.submit.args) || {});
      args.ranking = result.ranking.map(function (c) { return c.id; }).join(',');
      var summary = result.ranking.map(function (c, i) { return (i + 1) + '. ' + c.name; }).join(', ');
      sendAction({ command: ballot.submit && ballot.submit.command, args: args }, '» ' + asText(ballot.submitLabel) + ': ' + summary, button);
    });
    return node;
  }

  // ---------------------------------------------------------------- talking to the server

  /** Requests go one after another, so replies arrive in the order things were said. */
  function post(body, busyButton) {
    var payload = body;
    if (busyButton) {
      busyButton.disabled = true;
      busyButton.setAttribute('aria-busy', 'true');
    }
    state.queue = state.queue.then(function () {
      return send(API, payload)
        .then(function (r) {
          if (r.status === 401) return showSignIn(both(r.data, 'error', 'errorCy'));
          if (!r.ok) {
            addSystem(both(r.data, 'error', 'errorCy') || biText('refused'), true);
            return;
          }
          (r.data.messages || []).forEach(function (m) { addBot(m, 'reply'); });
        })
        .catch(function () {
          addSystem(biText('unreachable'), true);
        })
        .then(function () {
          if (busyButton) {
            busyButton.disabled = false;
            busyButton.removeAttribute('aria-busy');
          }
        });
    });
    return state.queue;
  }

  function sendAction(action, echo, button) {
    if (!action.command) return;
    if (echo) addUser(echo);
    var body = { command: action.command, args: action.args || {} };
    if (action.values) body.values = action.values;
    post({ action: body }, button);
  }

  composer.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) {
      input.focus();
      return;
    }
    input.value = '';
    addUser(text);
    post({ text: text });
    input.focus();
  });

  // ---------------------------------------------------------------- the inbox: broadcasts and direct messages

  /** One inbox message, from the stream or a poll: shown once, and remembered as seen. */
  function receive(m) {
    var key = asText(m.at) + '|' + asText(m.conversation) + '|' + asText(m.text);
    if (state.seen[key]) return;
    state.seen[key] = true;
    addBot(m, 'inbox');
    if (m.at && m.at > state.after) state.after = m.at;
    storage(keyAfter(state.user), state.after);
  }
  function poll() {
    var url = INBOX + '?after=' + encodeURIComponent(state.after);
    return fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        if (res.status === 401) {
          showSignIn();
          return { messages: [] };
        }
        return res.ok ? res.json() : { messages: [] };
      })
      .then(function (data) {
        (data.messages || []).forEach(receive);
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }
  /**
   * New messages are pushed over an event stream; the browser reconnects by itself after a drop,
   * sending the last event's id so nothing is missed. Where no stream can be held (refused, or a
   * proxy that will not pass it), the page falls back to asking the inbox every few seconds.
   */
  function startPolling() {
    if (state.polling) return;
    state.polling = true;
    if (window.EventSource && !state.streamFailed) {
      var source = new EventSource(EVENTS + '?after=' + encodeURIComponent(state.after));
      state.source = source;
      source.onmessage = function (e) {
        try { receive(JSON.parse(e.data)); } catch (err) { /* not a message */ }
      };
      source.onerror = function () {
        if (source.readyState !== EventSource.CLOSED || state.source !== source) return;
        // refused: ask the old way (which also notices a sign-out), and keep asking
        state.source = null;
        state.streamFailed = true;
        state.polling = false;
        startPolling();
      };
      return;
    }
    var loop = function () {
      if (!state.polling) return;
      poll().then(function () { if (state.polling) state.pollTimer = window.setTimeout(loop, POLL_MS); });
    };
    loop();
  }
  function stopPolling() {
    state.polling = false;
    window.clearTimeout(state.pollTimer);
    if (state.source) state.source.close();
    state.source = null;
  }

  // ---------------------------------------------------------------- start

  // a sign-in link ("…/#signin=<token>", from a mail or from chat): the token stays in the browser
  function signInFromLink() {
    var match = /^#signin=([\w-]{43})$/.exec(window.location.hash);
    if (!match) return false;
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    stopPolling();
    chatScreen.hidden = true;
    signinScreen.hidden = false;
    signinError.textContent = '';
    signinMessage.textContent = biText('signingIn');
    send(AUTH + 'link', { token: match[1] }).then(function (r) {
      if (r.ok) return whoAmI();
      showSignIn();
      signinError.textContent = both(r.data, 'error', 'errorCy');
    }, function () { showSignIn(biText('unreachable')); });
    return true;
  }
  // the link opened in a tab already showing this page changes only the #fragment
  window.addEventListener('hashchange', signInFromLink);
  if (!signInFromLink()) whoAmI();
})();
