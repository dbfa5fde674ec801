package io.tycostream.triggers.store;

import io.vertx.core.Future;

import java.util.Map;

/**
 * The memory of a trigger's delivery gates ({@code cooldown}, {@code deliver_if}; #11), per key: written only by
 * {@link Store#commit} (its {@link SourceCommit#gates()}), in the transaction of the events it decided, and read back
 * when the evaluator loads a trigger. Deleted with the trigger. Threading and failures as {@link Store}.
 */
public interface KeyGateStore {

  /** Every remembered key of a trigger, by canonical key JSON (the trigger name of each change is {@code name}). */
  Future<Map<String, KeyGateChange>> load(String name);
}
