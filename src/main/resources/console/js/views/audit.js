// The audit log (admin role): every change with who made it, newest first, filtered and paged by the API's cursor.

import {h, replace, table, time, json, notice} from '../dom.js';
import {request} from '../api.js';

const PAGE = 50;

export function renderAudit(main) {
  const filters = {
    target: h('input', {id: 'audit-target', placeholder: 'target (e.g. trigger name)', 'aria-label': 'Target'}),
    actor: h('input', {id: 'audit-actor', placeholder: 'actor (API key name)', 'aria-label': 'Actor'}),
    action: h('input', {id: 'audit-action', placeholder: 'action (e.g. trigger.create)', 'aria-label': 'Action'}),
  };
  const message = h('div', {id: 'audit-message'});
  const rows = h('tbody', {});
  const more = h('button', {type: 'button', id: 'more-audit', hidden: true, onclick: () => load(false)}, 'Older');
  let cursor = null;

  async function load(fresh) {
    if (fresh) {
      cursor = null;
      replace(rows);
    }
    try {
      const query = {limit: PAGE, cursor};
      for (const [name, input] of Object.entries(filters)) query[name] = input.value.trim();
      const answer = await request('GET', '/api/v1/audit', {query});
      for (const entry of answer.body.entries) rows.appendChild(row(entry));
      cursor = answer.body.next_cursor;
      more.hidden = !cursor;
      replace(message, rows.children.length === 0 ? h('p', {class: 'empty'}, 'No entry.') : null);
    } catch (failure) {
      replace(message, notice('error', failure.status === 403
        ? 'The audit log needs an admin key.' : failure.message));
    }
  }

  function row(entry) {
    return h('tr', {dataset: {action: entry.action}},
      h('td', {}, time(entry.at)), h('td', {}, entry.actor), h('td', {}, entry.action), h('td', {}, entry.target),
      h('td', {}, h('code', {}, entry.request_id || '')),
      h('td', {}, entry.before || entry.after ? h('details', {}, h('summary', {}, 'Change'),
        h('div', {class: 'change'}, h('h4', {}, 'Before'), json(entry.before), h('h4', {}, 'After'),
          json(entry.after))) : '—'));
  }

  replace(main, h('section', {},
    h('h1', {}, 'Audit log'),
    h('form', {class: 'bar', id: 'audit-filters', onsubmit: event => {
      event.preventDefault();
      load(true);
    }}, Object.values(filters), h('button', {type: 'submit'}, 'Filter')),
    message,
    h('table', {id: 'audit-table'}, h('thead', {}, h('tr', {},
      ['At', 'Actor', 'Action', 'Target', 'Request id', 'Change'].map(title => h('th', {}, title)))), rows),
    more));
  load(true);
  return null;
}
