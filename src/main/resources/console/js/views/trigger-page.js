// One trigger: its definition and activity, matched rows, event history with attempts, dead letters with replay,
// enable/disable and secret rotation. Refreshed every two seconds so new events appear as they are recorded.

import {h, replace, json, compact, time, table, notice} from '../dom.js';
import {request, triggerPath} from '../api.js';
import {setEnabled, breakerText, poll, takeSecretToShowOnce} from './trigger-actions.js';

const REFRESH_MS = 2000;
const EVENTS_LIMIT = 50;
const MATCHES_LIMIT = 50;

export function renderTriggerPage(main, name) {
  const message = h('div', {id: 'page-message'});
  const secretBox = h('div', {id: 'secret-box'});
  const summary = h('div', {id: 'trigger-summary'});
  const toggle = h('button', {type: 'button', id: 'toggle-enabled', onclick: toggleEnabled}, '…');
  const statusFilter = h('select', {id: 'event-status', 'aria-label': 'Event status'},
    ['', 'pending', 'delivered', 'dead', 'suppressed'].map(status => h('option', {value: status}, status || 'all')));
  const events = h('div', {id: 'events'});
  const detail = h('div', {id: 'event-detail'});
  const dead = h('div', {id: 'dead-letters'});
  const matches = h('div', {id: 'matches'});
  const rotation = h('div', {id: 'rotation', hidden: true});
  let trigger = null;
  let openEvent = null;

  const shown = takeSecretToShowOnce(name);
  if (shown) showSecret('Trigger created. Its signing secret, shown only now:', shown, null);

  replace(main, h('section', {},
    h('div', {class: 'bar'}, h('h1', {id: 'trigger-name'}, name),
      h('a', {href: `#/triggers/${encodeURIComponent(name)}/edit`, class: 'button', id: 'edit-trigger'}, 'Edit'),
      toggle,
      h('button', {type: 'button', id: 'rotate-secret', onclick: () => {
        rotation.hidden = !rotation.hidden;
      }}, 'Rotate secret'),
      h('a', {href: '#/triggers'}, 'All triggers')),
    message, secretBox, rotation, summary,
    h('h2', {}, 'Matched rows'), matches,
    h('h2', {}, 'Events'), h('div', {class: 'bar'}, statusFilter), events, detail,
    h('h2', {}, 'Dead letters'), dead));
  renderRotationForm();
  statusFilter.addEventListener('change', refresh);

  function fail(failure) {
    replace(message, notice('error', failure.message));
  }

  function showSecret(title, secret, expiresAt) {
    replace(secretBox, h('div', {class: 'card secret'},
      h('p', {}, title),
      h('code', {id: 'new-secret'}, secret),
      expiresAt ? h('p', {}, `The previous secret is still sent until ${time(expiresAt)}.`) : null,
      h('p', {class: 'help'}, 'Copy it now: the service never shows it again.'),
      h('button', {type: 'button', id: 'dismiss-secret', onclick: () => replace(secretBox)}, 'Done')));
  }

  function renderRotationForm() {
    const overlap = h('input', {id: 'overlap-seconds', type: 'number', min: 0, value: 86400});
    const error = h('p', {class: 'field-error', id: 'error-overlap-seconds', hidden: true});
    replace(rotation, h('form', {class: 'card', id: 'rotation-form', onsubmit: async event => {
      event.preventDefault();
      error.hidden = true;
      try {
        const answer = await request('POST', triggerPath(name, '/secret:rotate'),
          {body: {overlap_seconds: Number(overlap.value)}});
        rotation.hidden = true;
        showSecret('New signing secret, shown only now:', answer.body.secret, answer.body.previous_secret_expires_at);
      } catch (failure) {
        replace(error, failure.message);
        error.hidden = false;
      }
    }},
    h('label', {for: 'overlap-seconds'}, 'Seconds during which the old secret is still sent'), overlap, error,
    h('button', {type: 'submit', id: 'confirm-rotation'}, 'Rotate now')));
  }

  async function toggleEnabled() {
    if (!trigger) return;
    try {
      await setEnabled(name, !trigger.enabled);
      await refresh();
    } catch (failure) {
      fail(failure);
    }
  }

  async function replay(event) {
    try {
      await request('POST', triggerPath(name, `/events/${encodeURIComponent(event.event_id)}:retry`));
      replace(message, notice('ok', `Event ${event.event_id} queued for delivery again.`, 'replay-message'));
      await refresh();
    } catch (failure) {
      fail(failure);
    }
  }

  async function replayAllDead() {
    try {
      const answer = await request('POST', triggerPath(name, '/events:retry'), {body: {status: 'dead'}});
      replace(message, notice('ok', `${answer.body.retried} dead events queued for delivery again.`,
        'replay-message'));
      await refresh();
    } catch (failure) {
      fail(failure);
    }
  }

  function renderSummary() {
    toggle.textContent = trigger.enabled ? 'Disable' : 'Enable';
    const facts = [
      ['Status', trigger.status], ['Enabled', trigger.enabled ? 'yes' : 'no'], ['Source', trigger.source],
      ['Webhook', trigger.webhook ? trigger.webhook.url : '—'], ['Mode', trigger.mode || 'live'],
      ['Matched', trigger.matched_count], ['Fired', trigger.fired_total], ['Cleared', trigger.cleared_total],
      ['Last fired', time(trigger.last_fired_at)], ['Last cleared', time(trigger.last_cleared_at)],
      ['Pending', trigger.pending], ['Delivered', trigger.delivered_total], ['Dead', trigger.dead],
      ['Breaker', breakerText(trigger)], ['Description', trigger.description || '—'],
      ['Updated', `${time(trigger.updated_at)} by ${trigger.updated_by || '—'}`], ['Version', trigger.version],
    ];
    replace(summary, h('div', {class: 'card'},
      h('dl', {class: 'facts'}, facts.map(([term, value]) => [h('dt', {}, term),
        h('dd', {dataset: {fact: term.toLowerCase().replace(' ', '-')}}, value)])),
      h('details', {}, h('summary', {}, 'Definition'), json(definitionOf(trigger)))));
  }

  function definitionOf(shownTrigger) {
    const {matched_count, fired_total, cleared_total, last_fired_at, last_cleared_at, pending, delivered_total,
      dead: deadCount, breaker, rate_limiter, ...rest} = shownTrigger;
    return rest;
  }

  function eventRow(event, withReplay) {
    return h('tr', {dataset: {eventId: event.event_id, status: event.status}, class: 'event'},
      h('td', {}, time(event.created_at)),
      h('td', {}, event.event_type),
      h('td', {}, compact(event.key)),
      h('td', {class: `status status-${event.status}`}, event.status,
        event.suppressed_reason ? ` (${event.suppressed_reason})` : ''),
      h('td', {class: 'num'}, event.attempts),
      h('td', {}, event.last_error || '—'),
      h('td', {},
        h('button', {type: 'button', class: 'show-attempts', onclick: () => {
          openEvent = event.event_id;
          showDetail();
        }}, 'Attempts'),
        withReplay && (event.status === 'dead' || event.status === 'delivered')
          ? h('button', {type: 'button', class: 'replay', onclick: () => replay(event)}, 'Replay') : null));
  }

  async function showDetail() {
    if (!openEvent) return;
    try {
      const answer = await request('GET', triggerPath(name, `/events/${encodeURIComponent(openEvent)}`));
      const event = answer.body;
      replace(detail, h('div', {class: 'card', dataset: {eventId: event.event_id}},
        h('h3', {}, `Event ${event.event_id}`),
        h('p', {}, `${event.event_type} · ${event.status}`, event.dead_reason ? ` · ${event.dead_reason}` : '',
          event.batch_id ? ` · batch ${event.batch_id}` : ''),
        table('attempts', ['#', 'Started', 'Outcome', 'HTTP', 'Latency (ms)', 'Error', 'Answer'],
          (event.delivery_attempts || []).map(attempt => h('tr', {},
            h('td', {}, attempt.attempt), h('td', {}, time(attempt.started_at)), h('td', {}, attempt.outcome),
            h('td', {}, attempt.status_code ?? '—'), h('td', {class: 'num'}, attempt.latency_ms),
            h('td', {}, attempt.error || '—'), h('td', {}, h('code', {}, attempt.response_excerpt || '')))),
          'No attempt yet.'),
        h('details', {}, h('summary', {}, 'Data'), json(event.data)),
        h('button', {type: 'button', onclick: () => {
          openEvent = null;
          replace(detail);
        }}, 'Close')));
    } catch (failure) {
      fail(failure);
    }
  }

  async function refresh() {
    try {
      const [one, history, deadLetters, matched] = await Promise.all([
        request('GET', triggerPath(name)),
        request('GET', triggerPath(name, '/events'), {query: {limit: EVENTS_LIMIT, status: statusFilter.value}}),
        request('GET', triggerPath(name, '/events'), {query: {limit: EVENTS_LIMIT, status: 'dead'}}),
        request('GET', triggerPath(name, '/matches'), {query: {limit: MATCHES_LIMIT}}),
      ]);
      trigger = one.body;
      if (message.querySelector('.error')) replace(message);
      renderSummary();
      replace(events, table('event-table', ['Recorded', 'Type', 'Key', 'Status', 'Attempts', 'Last error', ''],
        history.body.events.map(event => eventRow(event, true)), 'No event yet.'));
      replace(dead, deadLetters.body.events.length === 0 ? h('p', {class: 'empty', id: 'dead-table'}, 'None.')
        : [h('button', {type: 'button', id: 'replay-all-dead', onclick: replayAllDead}, 'Replay all dead'),
          table('dead-table', ['Recorded', 'Type', 'Key', 'Status', 'Attempts', 'Last error', ''],
            deadLetters.body.events.map(event => eventRow(event, true)))]);
      replace(matches,
        h('p', {class: 'help'}, `Read at frontier ${matched.body.committed_frontier ?? '—'}.`),
        table('match-table', ['Key', 'Matched at', 'Row'], matched.body.matches.map(match => h('tr', {},
          h('td', {}, compact(match.key)), h('td', {}, time(match.matched_at)),
          h('td', {}, h('code', {}, compact(match.row))))), 'No row matches now.'));
      if (openEvent) await showDetail();
    } catch (failure) {
      fail(failure);
    }
  }

  return poll(refresh, REFRESH_MS);
}
