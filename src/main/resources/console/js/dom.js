// Builds DOM nodes from data without ever parsing HTML: every value shown goes through a text node or an attribute,
// so trigger names, metadata and row data (user data) cannot inject markup or script.

/**
 * Creates an element: h('a', {href: '#/x', class: 'link', onclick: fn}, 'text', childNode, [more]).
 * Attributes starting with "on" become event listeners; null, undefined and false children are skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) {
      append(element, child);
    } else if (child instanceof Node) {
      element.appendChild(child);
    } else {
      element.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Replaces the children of an element with the given nodes. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A JSON value shown as indented text in a <pre>. */
export function json(value) {
  return h('pre', {class: 'json'}, value === undefined ? '' : JSON.stringify(value, null, 2));
}

/** A short one-line rendering of a JSON value (keys, rows) for table cells. */
export function compact(value) {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** An RFC 3339 time as the browser's local time, or a dash. */
export function time(text) {
  if (!text) return '—';
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toLocaleString();
}

/** A table from column titles and rows of cells. */
export function table(id, titles, rows, emptyText = 'Nothing yet.') {
  if (rows.length === 0) return h('p', {id, class: 'empty'}, emptyText);
  return h('table', {id},
    h('thead', {}, h('tr', {}, titles.map(title => h('th', {}, title)))),
    h('tbody', {}, rows));
}

/** A message line for errors and confirmations. */
export function notice(kind, text, id) {
  return h('p', {class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', id}, text);
}
