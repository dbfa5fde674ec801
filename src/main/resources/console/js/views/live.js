// Live view: delivery rates per trigger (differences of the activity counters between two polls), each source's
// state and lag (wall clock minus its last frontier, read from /health/ready) and each endpoint's circuit breaker.

import {h, replace, table, time, notice} from '../dom.js';
import {request} from '../api.js';
import {poll} from './trigger-actions.js';

const REFRESH_MS = 2000;
const TRIGGERS_LIMIT = 1000;
/** Frontiers are Materialize timestamps, milliseconds since the epoch; anything smaller is not a wall-clock time. */
const PLAUSIBLE_EPOCH_MS = 1e12;

export function renderLive(main) {
  const message = h('div', {id: 'live-message'});
  const totals = h('div', {id: 'live-totals'});
  const sources = h('div', {id: 'live-sources'});
  const rates = h('div', {id: 'live-rates'});
  const endpoints = h('div', {id: 'live-endpoints'});
  let previous = null;

  replace(main, h('section', {},
    h('h1', {}, 'Live'), message, totals,
    h('h2', {}, 'Sources'), sources,
    h('h2', {}, 'Delivery per trigger'), rates,
    h('h2', {}, 'Endpoints'), endpoints));

  async function readiness() {
    // 503 while not ready still carries every source's state: read the body either way
    const response = await fetch('/health/ready', {cache: 'no-store', credentials: 'omit'});
    return response.json();
  }

  function sourceChecks(ready) {
    const group = (ready.checks || []).find(check => check.id === 'sources');
    return group && group.checks ? group.checks : [];
  }

  function lagText(frontier, now) {
    const at = Number(frontier);
    if (!frontier || !Number.isFinite(at) || at < PLAUSIBLE_EPOCH_MS) return '—';
    return `${((now - at) / 1000).toFixed(1)} s`;
  }

  function perSecond(now, before, field, seconds) {
    if (!before || seconds <= 0) return '—';
    return Math.max(0, ((now[field] || 0) - (before[field] || 0)) / seconds).toFixed(1);
  }

  async function refresh() {
    try {
      const [ready, listed, breakers] = await Promise.all([readiness(),
        request('GET', '/api/v1/triggers', {query: {limit: TRIGGERS_LIMIT}}), request('GET', '/api/v1/endpoints')]);
      const now = Date.now();
      replace(sources, table('source-table', ['Source', 'Ready', 'State', 'Last frontier', 'Lag', 'Last commit',
        'Reason'], sourceChecks(ready).map(check => {
        const data = check.data || {};
        return h('tr', {dataset: {source: check.id}},
          h('td', {}, check.id), h('td', {}, check.status), h('td', {}, data.state || '—'),
          h('td', {}, data.last_frontier || '—'), h('td', {class: 'num lag'}, lagText(data.last_frontier, now)),
          h('td', {}, time(data.last_commit_at)), h('td', {}, data.reason || ''));
      }), 'No source.'));

      const triggers = listed.body.triggers;
      const byName = new Map(triggers.map(trigger => [trigger.name, trigger]));
      const seconds = previous ? (now - previous.at) / 1000 : 0;
      const sum = field => triggers.reduce((total, trigger) => total + (trigger[field] || 0), 0);
      const current = {delivered_total: sum('delivered_total'), fired_total: sum('fired_total'), dead: sum('dead')};
      replace(totals, h('p', {class: 'card totals'},
        `Delivered ${perSecond(current, previous && previous.totals, 'delivered_total', seconds)}/s · `
        + `fired ${perSecond(current, previous && previous.totals, 'fired_total', seconds)}/s · `
        + `pending ${sum('pending')} · dead ${current.dead}`));
      replace(rates, table('rate-table', ['Trigger', 'Delivered/s', 'Fired/s', 'Delivered', 'Pending', 'Dead',
        'Status'], triggers.map(trigger => {
        const before = previous ? previous.triggers.get(trigger.name) : null;
        return h('tr', {dataset: {trigger: trigger.name}},
          h('td', {}, h('a', {href: `#/triggers/${encodeURIComponent(trigger.name)}`}, trigger.name)),
          h('td', {class: 'num delivered-rate'}, perSecond(trigger, before, 'delivered_total', seconds)),
          h('td', {class: 'num'}, perSecond(trigger, before, 'fired_total', seconds)),
          h('td', {class: 'num'}, trigger.delivered_total), h('td', {class: 'num'}, trigger.pending),
          h('td', {class: 'num'}, trigger.dead), h('td', {}, trigger.status));
      }), 'No trigger.'));
      replace(endpoints, table('endpoint-table', ['Endpoint', 'State', 'Failures', 'Waiting', 'In flight',
        'Next probe', 'Triggers'], breakers.body.endpoints.map(endpoint => h('tr', {},
        h('td', {}, endpoint.endpoint), h('td', {}, endpoint.state), h('td', {class: 'num'},
          endpoint.consecutive_failures), h('td', {class: 'num'}, endpoint.waiting),
        h('td', {class: 'num'}, endpoint.in_flight), h('td', {}, time(endpoint.probe_at)),
        h('td', {}, (endpoint.triggers || []).join(', ')))), 'Every endpoint\'s circuit is closed and healthy.'));
      previous = {at: now, totals: current, triggers: byName};
      replace(message);
    } catch (failure) {
      replace(message, notice('error', failure.message));
    }
  }

  return poll(refresh, REFRESH_MS);
}
