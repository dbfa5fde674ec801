package io.tycostream.triggers.bench;

import io.vertx.core.json.JsonObject;

/**
 * A trigger definition of the benchmark, as the REST API and the configuration's {@code triggers:} list take it. Every
 * kind fires when {@code value} goes to {@link ChangeDriver#HIGH} and clears when it goes back to
 * {@link ChangeDriver#LOW}, so every flip of a watched key is one event.
 *
 * @param fire  the {@code fire} condition as JSON
 * @param clear the {@code clear} condition, or {@code null} (clears when {@code fire} no longer holds)
 * @param batch the {@code batch} field (events per POST), or {@code null} for one POST per event
 */
record BenchTrigger(String name, String source, String url, JsonObject fire, JsonObject clear, JsonObject batch) {

  BenchTrigger(String name, String source, String url, JsonObject fire, JsonObject clear) {
    this(name, source, url, fire, clear, null);
  }

  /** The same trigger sending up to {@code maxEvents} events per POST, waiting at most {@code maxWait}. */
  BenchTrigger batched(int maxEvents, String maxWait) {
    return new BenchTrigger(name, source, url, fire, clear,
        new JsonObject().put("max_events", maxEvents).put("max_wait", maxWait));
  }

  /** Makes a trigger of one kind from its name, source and webhook URL. */
  @FunctionalInterface
  interface Kind {
    BenchTrigger of(String name, String source, String url);
  }

  private static final JsonObject ABOVE_100 = new JsonObject().put("_gt", 100);
  /** Above every value the driver writes. */
  private static final long NEVER_REACHED = 1_000_000;

  /** {@code value > 100}: reacts to every key. */
  static BenchTrigger threshold(String name, String source, String url) {
    return new BenchTrigger(name, source, url, new JsonObject().put("value", ABOVE_100.copy()), null);
  }

  /** {@code value > 1,000,000}: evaluated on every change, never fires. */
  static BenchTrigger never(String name, String source, String url) {
    return new BenchTrigger(name, source, url,
        new JsonObject().put("value", new JsonObject().put("_gt", NEVER_REACHED)), null);
  }

  /** {@code value >= 150}, cleared by {@code value <= 100}: hysteresis, reacting to every key. */
  static BenchTrigger hysteresis(String name, String source, String url) {
    return new BenchTrigger(name, source, url, new JsonObject().put("value", new JsonObject().put("_gte", 150)),
        new JsonObject().put("value", new JsonObject().put("_lte", 100)));
  }

  /** {@code id = key AND value > 100}: reacts to one key only. */
  static BenchTrigger perKey(String name, String source, String url, long key) {
    return new BenchTrigger(name, source, url, new JsonObject()
        .put("id", new JsonObject().put("_eq", key))
        .put("value", ABOVE_100.copy()), null);
  }

  /** The definition as the API's request body (and, JSON being YAML, as an item of the configuration's list). */
  JsonObject json() {
    JsonObject json = new JsonObject()
        .put("name", name)
        .put("source", source)
        .put("webhook", new JsonObject().put("url", url))
        .put("fire", fire);
    if (batch != null) {
      json.put("batch", batch);
    }
    return clear == null ? json : json.put("clear", clear);
  }
}
