// The triggers list: every trigger with its state and activity, enable/disable, paged with the API's cursor.

import {h, replace, table, time, notice} from '../dom.js';
import {request} from '../api.js';
import {setEnabled, breakerText, poll} from './trigger-actions.js';

const PAGE = 100;
const REFRESH_MS = 3000;

export function renderTriggerList(main) {
  const message = h('div', {id: 'list-message'});
  const body = h('div', {id: 'trigger-list'});
  const filter = h('input', {id: 'filter-source', placeholder: 'source', 'aria-label': 'Filter by source'});
  let pages = 1;
  const more = h('button', {type: 'button', id: 'more-triggers', hidden: true, onclick: () => {
    pages += 1;
    refresh();
  }}, 'Load more');

  async function refresh() {
    try {
      const triggers = [];
      let cursor = null;
      for (let page = 0; page < pages; page++) {
        const answer = await request('GET', '/api/v1/triggers',
          {query: {limit: PAGE, cursor, source: filter.value.trim()}});
        triggers.push(...answer.body.triggers);
        cursor = answer.body.next_cursor;
        if (!cursor) break;
      }
      more.hidden = !cursor;
      replace(body, table('triggers', ['Name', 'Source', 'Enabled', 'Status', 'Matched', 'Last fired', 'Pending',
        'Delivered', 'Dead', 'Breaker', ''], triggers.map(row)));
      replace(message);
    } catch (failure) {
      replace(message, notice('error', failure.message));
    }
  }

  function row(trigger) {
    return h('tr', {dataset: {trigger: trigger.name}},
      h('td', {}, h('a', {href: `#/triggers/${encodeURIComponent(trigger.name)}`, class: 'trigger-link'},
        trigger.name)),
      h('td', {}, trigger.source),
      h('td', {class: 'enabled'}, trigger.enabled ? 'yes' : 'no'),
      h('td', {class: `status status-${trigger.status}`}, trigger.status),
      h('td', {class: 'num matched'}, trigger.matched_count),
      h('td', {}, time(trigger.last_fired_at)),
      h('td', {class: 'num pending'}, trigger.pending),
      h('td', {class: 'num delivered'}, trigger.delivered_total),
      h('td', {class: 'num dead'}, trigger.dead),
      h('td', {class: 'breaker'}, breakerText(trigger)),
      h('td', {}, h('button', {type: 'button', class: 'toggle', onclick: async () => {
        try {
          await setEnabled(trigger.name, !trigger.enabled);
          await refresh();
        } catch (failure) {
          replace(message, notice('error', failure.message));
        }
      }}, trigger.enabled ? 'Disable' : 'Enable')));
  }

  replace(main,
    h('section', {},
      h('div', {class: 'bar'}, h('h1', {}, 'Triggers'), filter,
        h('a', {href: '#/new', class: 'button', id: 'new-trigger'}, 'New trigger')),
      message, body, more));
  filter.addEventListener('change', refresh);
  return poll(refresh, REFRESH_MS);
}
