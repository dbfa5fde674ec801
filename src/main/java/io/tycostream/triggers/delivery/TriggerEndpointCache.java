package io.tycostream.triggers.delivery;

import io.tycostream.triggers.store.Store;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link TriggerEndpoint}s of the triggers delivery has seen, loaded from the store on first use.
 * <p>
 * Entries are dropped on a {@code triggers.changed} notification ({@link #invalidate}); since that notification is
 * best effort, a trigger that is not cached is always looked up in the store, and a trigger that does not exist is
 * never cached, so a re-created name is found. Concurrent look-ups of one name share a single store read.
 * <p>
 * Not thread-safe: used on the delivery verticle's event loop only.
 */
public final class TriggerEndpointCache {

  private final Store store;
  private final Map<String, Future<Optional<TriggerEndpoint>>> entries = new HashMap<>();

  public TriggerEndpointCache(Store store) {
    this.store = store;
  }

  /** The trigger's endpoint, or empty if the trigger does not exist (any more). */
  public Future<Optional<TriggerEndpoint>> lookup(String triggerName) {
    Future<Optional<TriggerEndpoint>> cached = entries.get(triggerName);
    if (cached != null) {
      return cached;
    }
    Future<Optional<TriggerEndpoint>> loading = store.getTrigger(triggerName)
      .map(found -> found.map(TriggerEndpoint::of));
    entries.put(triggerName, loading);
    loading.onComplete(result -> {
      if ((result.failed() || result.result().isEmpty()) && entries.get(triggerName) == loading) {
        entries.remove(triggerName);
      }
    });
    return loading;
  }

  /** Forgets a trigger, so its next look-up reads the store. */
  public void invalidate(String triggerName) {
    entries.remove(triggerName);
  }

  public void clear() {
    entries.clear();
  }
}
