/**
 * The forumbot web chat page: signing in, the conversation, and new messages pushed from the
 * server. Typed against the API's bodies (../protocol.ts) and the message model; bundled by
 * scripts/build.mjs into dist/public/webchat.js.
 *
 * For keyboard and screen-reader users: a bot message is marked with the language it is written in;
 * after a reply, focus stays on the button pressed or goes back to the message box, or goes to a form
 * or ballot that answers the person's own command; the message box never hides the focused control
 * (scroll-padding follows its height).
 */
import type { Bilingual, ChatMessage, ChatRequest, ChatResponse, CommandList, DemoPeople, Me } from '../protocol.ts';
import { renderBlocks, type Act } from './blocks.ts';
import { append, asText, el, firstControl, richText } from './dom.ts';
import { bi, type StringKey } from './strings.ts';

const API = 'api/webchat';
const INBOX = 'api/webchat/inbox';
const EVENTS = 'api/webchat/events';
const COMMANDS = 'api/webchat/commands';
const AUTH = 'api/auth/';
const POLL_MS = 3000;
const keyAfter = (user: string) => `forumbot.webchat.after.${user}`;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const signinScreen = $('signin-screen');
const signinMessage = $('signin-message');
const signinError = $('signin-error');
const emailForm = $<HTMLFormElement>('email-form');
const emailInput = $<HTMLInputElement>('email-input');
const nameInput = $<HTMLInputElement>('name-input');
const codeForm = $<HTMLFormElement>('code-form');
const codeInput = $<HTMLInputElement>('code-input');
const chatScreen = $('chat-screen');
const log = $('log');
const composer = $<HTMLFormElement>('composer');
const input = $<HTMLInputElement>('text');
const whoami = $('whoami');
const whoamiText = $('whoami-text');

const state = {
  user: '',
  name: '',
  after: '',
  seen: new Set<string>(),
  queue: Promise.resolve(),
  polling: false,
  source: null as EventSource | null,
  streamFailed: false,
  pollTimer: 0,
};

function storage(key: string, value?: string): string | null {
  try {
    if (value === undefined) return window.localStorage.getItem(key);
    window.localStorage.setItem(key, value);
  } catch {
    // private mode: remembered for this page only
  }
  return value ?? null;
}

/** JSON in, JSON out; same origin, so the session cookie goes along. */
async function send<T>(path: string, body: unknown): Promise<{ ok: boolean; status: number; data: T & Bilingual }> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}), credentials: 'same-origin' });
  const data = (await res.json().catch(() => ({}))) as T & Bilingual;
  return { ok: res.ok, status: res.status, data };
}
async function getJson<T>(path: string): Promise<{ status: number; data: T | null }> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  return { status: res.status, data: res.ok ? ((await res.json()) as T) : null };
}

/** The server's bilingual answer as nodes, the Welsh half marked; or the page's own words when it sent none. */
function both(data: Bilingual | undefined, kind: 'error' | 'message', fallback?: StringKey): DocumentFragment | string {
  const en = data?.[kind];
  if (!en) return fallback ? bi(fallback) : '';
  const cy = data[kind === 'error' ? 'errorCy' : 'messageCy'];
  const frag = document.createDocumentFragment();
  frag.append(en + (Array.isArray(data.problems) ? ` (${data.problems.join('; ')})` : ''));
  if (cy) frag.append(' / ', el('span', { lang: 'cy' }, cy));
  return frag;
}
function show(node: HTMLElement, content: DocumentFragment | string) {
  node.textContent = '';
  append(node, content as Node | string);
}

// ---------------------------------------------------------------- signing in

function showSignIn(note?: DocumentFragment | string) {
  stopPolling();
  state.streamFailed = false;
  chatScreen.hidden = true;
  whoami.hidden = true;
  signinScreen.hidden = false;
  signinError.textContent = '';
  show(signinMessage, note ?? '');
  (codeForm.hidden ? emailInput : codeInput).focus();
  getJson<DemoPeople>(`${AUTH}demo`)
    .then((res) => res.data?.demo && showDemo(res.data.personas))
    .catch(() => undefined); // not a demo
}
function showDemo(personas: DemoPeople['personas']) {
  $('demo-banner').hidden = false;
  const list = $('demo-list');
  list.textContent = '';
  for (const p of personas) {
    const button = el('button', { type: 'button', className: 'btn' }, bi('signInAs', { name: asText(p.name) }));
    button.addEventListener('click', () => void send(`${AUTH}demo`, { persona: p.persona }).then(signedIn));
    list.appendChild(el('li', null, button));
  }
  $('demo-people').hidden = personas.length === 0;
}
function signedIn(r: { ok: boolean; data: Bilingual }) {
  if (!r.ok) return show(signinError, both(r.data, 'error', 'refused'));
  return whoAmI();
}
async function whoAmI() {
  try {
    const me = (await getJson<Me>(`${AUTH}me`)).data;
    if (!me) throw new Error('no answer');
    if (me.demo) $('demo-banner').hidden = false;
    $('microsoft').hidden = !me.microsoft;
    if (!me.signedIn) return showSignIn();
    state.user = asText(me.webUserId);
    state.name = asText(me.name);
    state.after = storage(keyAfter(state.user)) || new Date(0).toISOString();
    await showChat();
  } catch {
    showSignIn(bi('unreachable'));
  }
}

emailForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const email = emailInput.value.trim();
  if (!email) return emailInput.focus();
  const name = nameInput.value.trim().slice(0, 80);
  signinError.textContent = '';
  send(`${AUTH}email`, name ? { email, name } : { email }).then(
    (r) => {
      if (!r.ok) return show(signinError, both(r.data, 'error', 'refused'));
      show(signinMessage, both(r.data, 'message'));
      emailForm.hidden = true;
      codeForm.hidden = false;
      codeInput.focus();
    },
    () => show(signinError, bi('unreachable')),
  );
});
codeForm.addEventListener('submit', (e) => {
  e.preventDefault();
  signinError.textContent = '';
  send(`${AUTH}code`, { email: emailInput.value.trim(), code: codeInput.value.trim() }).then(
    (r) => {
      codeInput.value = '';
      return signedIn(r);
    },
    () => show(signinError, bi('unreachable')),
  );
});
$('other-email').addEventListener('click', () => {
  codeForm.hidden = true;
  emailForm.hidden = false;
  signinMessage.textContent = '';
  emailInput.focus();
});
function signOut(path: string) {
  void send(AUTH + path, {}).then(() => {
    log.textContent = '';
    state.seen.clear();
    codeForm.hidden = true;
    emailForm.hidden = false;
    showSignIn(bi('signedOut'));
  });
}
$('sign-out').addEventListener('click', () => signOut('sign-out'));
$('sign-out-everywhere').addEventListener('click', () => signOut('sign-out-everywhere'));

async function showChat() {
  // a fresh sign-in opens on the person's home (what waits for them, with its buttons), fetched
  // before the chat is shown so that it is the first thing there, above anything they ask
  if (!log.hasChildNodes()) {
    addSystem(bi('welcome', { name: state.name }));
    await post({ action: { command: 'home', args: {} } }, input);
  }
  signinScreen.hidden = true;
  chatScreen.hidden = false;
  whoami.hidden = false;
  whoamiText.textContent = '';
  append(whoamiText, [bi('chattingAs'), ' ', el('strong', null, state.name)]);
  input.focus();
  startPolling();
  void offerCommands();
}

/** The commands, in both languages with what each does, suggested by the browser as the person types (a datalist). */
async function offerCommands() {
  const list = $('command-list');
  const found = await getJson<CommandList>(COMMANDS).catch(() => null);
  const commands = found?.data?.commands ?? [];
  list.replaceChildren(...commands.map((c) => el('option', { value: c.name, label: c.summary, lang: c.lang })));
  if (commands.length) input.setAttribute('list', list.id);
}

// ---------------------------------------------------------------- the log

/** The fixed message box's height, so scrolling (and focus) never leaves a control under it. */
new ResizeObserver(() => document.documentElement.style.setProperty('--composer-height', `${composer.offsetHeight}px`)).observe(composer);

function scrollToNewest(node: HTMLElement) {
  // a long message (a form, a ballot) is shown from its top; a short one keeps the log at the end
  if (node.offsetHeight > window.innerHeight * 0.7) node.scrollIntoView({ block: 'start' });
  else window.scrollTo(0, document.documentElement.scrollHeight);
}

function addUser(text: string) {
  const node = el('article', { className: 'msg msg-user' }, el('p', { className: 'msg-meta' }, el('span', { className: 'msg-from' }, bi('you'))), el('p', { className: 'msg-text' }, text));
  log.appendChild(node);
  scrollToNewest(node);
}
function addSystem(content: DocumentFragment | string, isError = false) {
  const node = el('p', { className: `msg-system${isError ? ' is-error' : ''}`, role: isError ? 'alert' : null });
  append(node, content as Node | string);
  log.appendChild(node);
  scrollToNewest(node);
}

/** One bot message, in the language it is written in: every block as HTML, or its text when it has none. */
function addBot(msg: ChatMessage, origin: 'reply' | 'inbox', act: Act): HTMLElement {
  const ephemeral = msg.visibility === 'ephemeral';
  const node = el('article', { className: `msg msg-bot${ephemeral ? ' is-ephemeral' : ''}${origin === 'inbox' ? ' is-notice' : ''}` });
  const meta = el('p', { className: 'msg-meta' }, el('span', { className: 'msg-from' }, bi('bot')));
  if (origin === 'inbox') meta.appendChild(el('span', { className: 'msg-tag' }, bi('notice')));
  const at = msg.at ? new Date(msg.at) : null;
  if (at && !Number.isNaN(at.getTime())) meta.appendChild(el('time', { datetime: at.toISOString() }, at.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })));
  const body = el('div', { className: 'msg-body', lang: msg.lang });
  if (msg.blocks?.length) append(body, renderBlocks(msg.blocks, act));
  else {
    const p = el('p');
    richText(p, msg.text);
    body.appendChild(p);
  }
  append(node, [meta, body, ephemeral ? el('p', { className: 'msg-note' }, bi('onlyYou')) : null]);
  log.appendChild(node);
  scrollToNewest(node);
  return node;
}

// ---------------------------------------------------------------- talking to the server

/**
 * Requests go one after another, so replies arrive in the order things were said. The control
 * that sent one stays focusable while it runs (aria-disabled, not disabled: a disabled button
 * drops the focus to the page), and keeps the focus after the reply unless a form or ballot in
 * the reply takes it.
 */
function post(body: ChatRequest, from: HTMLElement) {
  const busy = from instanceof HTMLButtonElement ? from : null;
  if (busy) busy.setAttribute('aria-disabled', 'true');
  state.queue = state.queue.then(async () => {
    let added: HTMLElement[] = [];
    try {
      const r = await send<ChatResponse>(API, body);
      if (r.status === 401) return showSignIn(both(r.data, 'error'));
      if (!r.ok) addSystem(both(r.data, 'error', 'refused'), true);
      else added = (r.data.messages ?? []).map((m) => addBot(m, 'reply', act));
    } catch {
      addSystem(bi('unreachable'), true);
    } finally {
      busy?.removeAttribute('aria-disabled');
    }
    const form = added.map((n) => n.querySelector<HTMLElement>('.blk-form, .blk-ballot')).find(Boolean);
    const control = form && firstControl(form);
    if (control) return control.focus();
    if (!document.activeElement || document.activeElement === document.body) from.focus();
    // the reply scrolled the log: bring the focused control back into view, clear of the message box
    if (document.activeElement instanceof HTMLElement && log.contains(document.activeElement)) document.activeElement.scrollIntoView({ block: 'nearest' });
  });
  return state.queue;
}

const act: Act = (action, echo, button) => {
  if (!action.command || button.getAttribute('aria-disabled') === 'true') return;
  addUser(echo);
  post({ action: { command: action.command, args: action.args ?? {}, ...(action.values ? { values: action.values } : {}) } }, button);
};

composer.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  input.focus();
  if (!text) return;
  input.value = '';
  addUser(text);
  void post({ text }, input);
});

// ---------------------------------------------------------------- the inbox: broadcasts and direct messages

/** One inbox message, from the stream or a poll: shown once, and remembered as seen. */
function receive(m: ChatMessage) {
  const key = `${asText(m.at)}|${asText(m.conversation)}|${asText(m.text)}`;
  if (state.seen.has(key)) return;
  state.seen.add(key);
  addBot(m, 'inbox', act);
  if (m.at && m.at > state.after) state.after = m.at;
  storage(keyAfter(state.user), state.after);
}
async function poll() {
  try {
    const res = await getJson<ChatResponse>(`${INBOX}?after=${encodeURIComponent(state.after)}`);
    if (res.status === 401) return showSignIn();
    (res.data?.messages ?? []).forEach(receive);
  } catch {
    // offline for a moment: the next poll tries again
  }
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
    const source = new EventSource(`${EVENTS}?after=${encodeURIComponent(state.after)}`);
    state.source = source;
    source.onmessage = (e) => {
      try {
        receive(JSON.parse(e.data) as ChatMessage);
      } catch {
        // not a message
      }
    };
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED || state.source !== source) return;
      // refused: ask the old way (which also notices a sign-out), and keep asking
      state.source = null;
      state.streamFailed = true;
      state.polling = false;
      startPolling();
    };
    return;
  }
  const loop = () => {
    if (!state.polling) return;
    void poll().then(() => {
      if (state.polling) state.pollTimer = window.setTimeout(loop, POLL_MS);
    });
  };
  loop();
}
function stopPolling() {
  state.polling = false;
  window.clearTimeout(state.pollTimer);
  state.source?.close();
  state.source = null;
}

// ---------------------------------------------------------------- start

/** A sign-in link ("…/#signin=<token>", from a mail or from chat): the token stays in the browser. */
function signInFromLink(): boolean {
  const match = /^#signin=([\w-]{43})$/.exec(window.location.hash);
  if (!match) return false;
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  stopPolling();
  chatScreen.hidden = true;
  signinScreen.hidden = false;
  signinError.textContent = '';
  show(signinMessage, bi('signingIn'));
  send(`${AUTH}link`, { token: match[1] }).then(
    (r) => {
      if (r.ok) return whoAmI();
      showSignIn();
      show(signinError, both(r.data, 'error'));
    },
    () => showSignIn(bi('unreachable')),
  );
  return true;
}
// the link opened in a tab already showing this page changes only the #fragment
window.addEventListener('hashchange', signInFromLink);
if (!signInFromLink()) void whoAmI();
