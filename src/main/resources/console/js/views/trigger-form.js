// Create and edit a trigger. The service validates; its 400 names the field ("fire.score._gt", "webhook.url",
// "retry.initial_delay") and the message is shown under the input that holds that field.

import {h, replace, notice} from '../dom.js';
import {request, triggerPath, ApiError} from '../api.js';
import {holdSecretToShowOnce} from './trigger-actions.js';

/** Definition fields edited in the "advanced" JSON box (everything without an input of its own). */
const ADVANCED = ['fields', 'params', 'computed', 'retry', 'timeout', 'expires_at', 'ttl', 'rate_limit', 'ordering',
  'batch', 'cooldown', 'deliver_if', 'alert_url'];

export function renderTriggerForm(main, name) {
  const editing = name !== null;
  const inputs = {
    'name': h('input', {id: 'field-name', name: 'name', required: true, pattern: '[a-z0-9_]{1,64}',
      disabled: editing}),
    'source': h('input', {id: 'field-source', name: 'source', required: true, disabled: editing}),
    'webhook.url': h('input', {id: 'field-webhook-url', name: 'webhook.url', type: 'url', required: true,
      placeholder: 'https://…'}),
    'webhook.secret': editing ? null : h('input', {id: 'field-webhook-secret', name: 'webhook.secret',
      autocomplete: 'off', placeholder: 'whsec_… (generated when empty)'}),
    'fire': h('textarea', {id: 'field-fire', name: 'fire', rows: 4, required: true,
      placeholder: '{"score": {"_gt": 100}}'}),
    'clear': h('textarea', {id: 'field-clear', name: 'clear', rows: 3, placeholder: 'optional'}),
    'include_snapshot': h('input', {id: 'field-include-snapshot', name: 'include_snapshot', type: 'checkbox'}),
    'mode': h('select', {id: 'field-mode', name: 'mode'}, h('option', {value: 'live'}, 'live'),
      h('option', {value: 'debug'}, 'debug (record, send nothing)')),
    'description': h('textarea', {id: 'field-description', name: 'description', rows: 2}),
    'metadata': h('textarea', {id: 'field-metadata', name: 'metadata', rows: 2, placeholder: '{"team": "risk"}'}),
    'advanced': h('textarea', {id: 'field-advanced', name: 'advanced', rows: 6,
      placeholder: '{"retry": {"max_attempts": 5}, "timeout": "2s", "rate_limit": {"per_second": 10}}'}),
  };
  const labels = {
    'name': 'Name', 'source': 'Source', 'webhook.url': 'Webhook URL', 'webhook.secret': 'Webhook secret',
    'fire': 'Fire condition (JSON)', 'clear': 'Clear condition (JSON)',
    'include_snapshot': 'Fire for rows already matching',
    'mode': 'Mode', 'description': 'Description', 'metadata': 'Metadata (JSON labels)',
    'advanced': `Other fields (JSON: ${ADVANCED.join(', ')})`,
  };
  const errors = {};
  const rows = [];
  for (const [field, input] of Object.entries(inputs)) {
    if (!input) continue;
    errors[field] = h('p', {class: 'field-error', id: `error-${input.id.slice('field-'.length)}`, hidden: true});
    rows.push(h('div', {class: 'field', dataset: {field}},
      h('label', {for: input.id}, labels[field]), input, errors[field]));
  }
  const formMessage = h('div', {id: 'form-message'});
  let version = null;
  let original = {};

  const form = h('form', {id: 'trigger-form', class: 'card', novalidate: true, onsubmit: event => {
    event.preventDefault();
    save();
  }},
  h('h1', {}, editing ? `Edit ${name}` : 'New trigger'),
  rows,
  h('div', {class: 'bar'},
    h('button', {type: 'submit', id: 'save-trigger'}, editing ? 'Save changes' : 'Create trigger'),
    h('a', {href: editing ? `#/triggers/${encodeURIComponent(name)}` : '#/triggers'}, 'Cancel')),
  formMessage);
  replace(main, form);

  function clearErrors() {
    for (const [field, element] of Object.entries(errors)) {
      element.hidden = true;
      replace(element);
      inputs[field].removeAttribute('aria-invalid');
    }
    replace(formMessage);
  }

  function showError(field, message) {
    const target = fieldHolding(field);
    if (!target) {
      replace(formMessage, notice('error', field ? `${field}: ${message}` : message));
      return;
    }
    replace(errors[target], field && field !== target ? `${field}: ${message}` : message);
    errors[target].hidden = false;
    inputs[target].setAttribute('aria-invalid', 'true');
    inputs[target].focus();
  }

  /** The form field whose input holds the named definition field (the longest matching prefix). */
  function fieldHolding(field) {
    if (!field) return null;
    const own = Object.keys(inputs).filter(key => inputs[key] && key !== 'advanced'
      && (field === key || field.startsWith(`${key}.`) || field.startsWith(`${key}[`)))
      .sort((a, b) => b.length - a.length);
    if (own.length > 0) return own[0];
    if (field === 'webhook') return 'webhook.url';
    const top = field.split(/[.[]/)[0];
    return ADVANCED.includes(top) ? 'advanced' : null;
  }

  /** Parses a JSON input; marks the field and returns undefined when it is not JSON. */
  function parsed(field, optional) {
    const text = inputs[field].value.trim();
    if (text === '') return optional ? null : undefined;
    try {
      return JSON.parse(text);
    } catch (notJson) {
      throw new ApiError(400, 'invalid_json', `not valid JSON: ${notJson.message}`, field);
    }
  }

  function definition() {
    const fire = parsed('fire', false);
    if (fire === undefined) throw new ApiError(400, 'required', 'a fire condition is required', 'fire');
    const body = {
      webhook: {url: inputs['webhook.url'].value.trim()},
      fire,
      clear: parsed('clear', true),
      include_snapshot: inputs.include_snapshot.checked,
      mode: inputs.mode.value,
      description: inputs.description.value.trim() || null,
      metadata: parsed('metadata', true),
    };
    const advanced = parsed('advanced', true) || {};
    if (typeof advanced !== 'object' || Array.isArray(advanced)) {
      throw new ApiError(400, 'invalid_json', 'a JSON object of definition fields', 'advanced');
    }
    for (const key of Object.keys(advanced)) {
      if (!ADVANCED.includes(key)) {
        throw new ApiError(400, 'unknown_field', `${key} is not edited here (one of ${ADVANCED.join(', ')})`,
          'advanced');
      }
    }
    Object.assign(body, advanced);
    return body;
  }

  async function save() {
    clearErrors();
    try {
      const body = definition();
      if (editing) {
        // a merge patch: fields the operator emptied are removed (null)
        for (const key of ADVANCED) {
          if (original[key] !== undefined && body[key] === undefined) body[key] = null;
        }
        const headers = version === null ? {} : {'If-Match': `"${version}"`};
        await request('PATCH', triggerPath(name), {body, headers});
        window.location.hash = `#/triggers/${encodeURIComponent(name)}`;
      } else {
        body.name = inputs.name.value.trim();
        body.source = inputs.source.value.trim();
        const secret = inputs['webhook.secret'].value.trim();
        if (secret) body.webhook.secret = secret;
        for (const key of ['clear', 'description', 'metadata']) {
          if (body[key] === null) delete body[key];
        }
        const created = await request('POST', '/api/v1/triggers', {body});
        holdSecretToShowOnce(created.body.name, created.body.secret);
        window.location.hash = `#/triggers/${encodeURIComponent(created.body.name)}`;
      }
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 412) {
        showError(null, 'The trigger was changed meanwhile; reload the page to edit the current version.');
      } else {
        showError(failure.field, failure.message);
      }
    }
  }

  async function load() {
    try {
      const answer = await request('GET', triggerPath(name));
      const trigger = answer.body;
      original = trigger;
      version = trigger.version;
      inputs.name.value = trigger.name;
      inputs.source.value = trigger.source;
      inputs['webhook.url'].value = trigger.webhook ? trigger.webhook.url : '';
      inputs.fire.value = JSON.stringify(trigger.fire, null, 2);
      inputs.clear.value = trigger.clear ? JSON.stringify(trigger.clear, null, 2) : '';
      inputs.include_snapshot.checked = !!trigger.include_snapshot;
      inputs.mode.value = trigger.mode || 'live';
      inputs.description.value = trigger.description || '';
      inputs.metadata.value = trigger.metadata ? JSON.stringify(trigger.metadata) : '';
      const advanced = {};
      for (const key of ADVANCED) {
        if (trigger[key] !== undefined && trigger[key] !== null) advanced[key] = trigger[key];
      }
      inputs.advanced.value = Object.keys(advanced).length ? JSON.stringify(advanced, null, 2) : '';
    } catch (failure) {
      replace(formMessage, notice('error', failure.message));
    }
  }

  if (editing) load();
  else inputs.name.focus();
  return null;
}
