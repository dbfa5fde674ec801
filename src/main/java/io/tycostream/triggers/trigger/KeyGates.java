package io.tycostream.triggers.trigger;

import io.tycostream.triggers.store.KeyGateChange;
import io.tycostream.triggers.store.Store;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;

/** Reads a trigger's committed delivery-gate memory from the store, in the evaluator's form. Stateless. */
final class KeyGates {

  private KeyGates() {
  }

  /** The trigger's gate memory by canonical key (empty for a trigger without gates). */
  static Future<Map<String, KeyGate>> load(Store store, String triggerName) {
    return store.gates().load(triggerName).map(stored -> {
      Map<String, KeyGate> gates = new HashMap<>(stored.size() * 2);
      stored.forEach((key, gate) -> gates.put(key, new KeyGate(gate.deliveredFireAt(), gate.openSuppression())));
      return gates;
    });
  }
}
