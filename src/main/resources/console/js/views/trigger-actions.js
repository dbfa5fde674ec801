// Changes shared by the list and the trigger page.

import {request, triggerPath} from '../api.js';

/** Enables or disables a trigger (PATCH {"enabled": …}); resolves to the updated trigger. */
export async function setEnabled(name, enabled) {
  const answer = await request('PATCH', triggerPath(name), {body: {enabled}});
  return answer.body;
}

/** The status shown for a trigger: its status, with the breaker's state when its endpoint's circuit is not closed. */
export function breakerText(trigger) {
  const breaker = trigger.breaker;
  if (!breaker) return '—';
  return breaker.consecutive_failures ? `${breaker.state} (${breaker.consecutive_failures} failures)` : breaker.state;
}

/** Polls fn every intervalMs until the returned stop function is called; one call at a time. */
export function poll(fn, intervalMs) {
  let stopped = false;
  let timer = null;
  const tick = async () => {
    if (stopped) return;
    try {
      await fn();
    } finally {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    }
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

// A secret the API has just shown (creation or rotation), held in memory only until the trigger page shows it once.
const shownOnce = new Map();

export function holdSecretToShowOnce(name, secret) {
  shownOnce.set(name, secret);
}

export function takeSecretToShowOnce(name) {
  const secret = shownOnce.get(name);
  shownOnce.delete(name);
  return secret;
}
