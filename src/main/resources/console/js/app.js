// The console's shell: sign-in, navigation and a hash router. Each view renders into <main> and may return a
// function that stops its polling when the operator leaves it.

import {h, replace, notice} from './dom.js';
import {apiKey, signIn, signOut, onUnauthorized, request, ApiError} from './api.js';
import {renderTriggerList} from './views/trigger-list.js';
import {renderTriggerForm} from './views/trigger-form.js';
import {renderTriggerPage} from './views/trigger-page.js';
import {renderLive} from './views/live.js';
import {renderAudit} from './views/audit.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
let leaveView = null;
let signInMessage = null;
let signingIn = false;

const ROUTES = [
  [/^#\/triggers\/([^/]+)\/edit$/, name => renderTriggerForm(main, decodeURIComponent(name))],
  [/^#\/triggers\/([^/]+)$/, name => renderTriggerPage(main, decodeURIComponent(name))],
  [/^#\/new$/, () => renderTriggerForm(main, null)],
  [/^#\/live$/, () => renderLive(main)],
  [/^#\/audit$/, () => renderAudit(main)],
  [/^(#\/triggers)?$/, () => renderTriggerList(main)],
];

function route() {
  if (leaveView) {
    leaveView();
    leaveView = null;
  }
  if (!apiKey()) {
    nav.hidden = true;
    renderSignIn();
    return;
  }
  nav.hidden = false;
  const hash = window.location.hash === '#/' ? '' : window.location.hash;
  for (const [pattern, render] of ROUTES) {
    const match = pattern.exec(hash);
    if (match) {
      leaveView = render(...match.slice(1)) || null;
      return;
    }
  }
  replace(main, notice('error', 'No such page in the console.'));
}

function renderSignIn() {
  const input = h('input', {id: 'api-key', type: 'password', autocomplete: 'off', required: true,
    placeholder: 'tsk_…', 'aria-describedby': 'sign-in-help'});
  const message = h('div', {id: 'sign-in-message'});
  if (signInMessage) replace(message, notice('error', signInMessage));
  const form = h('form', {id: 'sign-in-form', class: 'card narrow', onsubmit: async event => {
    event.preventDefault();
    signIn(input.value.trim());
    signingIn = true;
    try {
      // any API call checks the key; the list is what the console opens on
      await request('GET', '/api/v1/triggers', {query: {limit: 1}});
      signInMessage = null;
      route();
    } catch (failure) {
      signOut();
      replace(message, notice('error', failure instanceof ApiError && failure.status === 401
        ? `That API key was refused (${failure.message}).` : failure.message));
    } finally {
      signingIn = false;
    }
  }},
  h('h1', {}, 'Sign in'),
  h('label', {for: 'api-key'}, 'API key'),
  input,
  h('p', {id: 'sign-in-help', class: 'help'},
    'The key is kept in this tab only (sessionStorage) and sent as a Bearer token to this service.'),
  h('button', {type: 'submit', id: 'sign-in'}, 'Sign in'),
  message);
  replace(main, form);
  input.focus();
}

onUnauthorized(failure => {
  if (signingIn) return;
  signOut();
  signInMessage = `Signed out: ${failure.message}`;
  route();
});

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  signInMessage = null;
  window.location.hash = '';
  route();
});

window.addEventListener('hashchange', route);
route();
