package io.tycostream.triggers.definition;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A trigger's {@code deliver_if}: its FIREs are delivered only while the current row of {@code key} in the other
 * configured {@code source} satisfies {@code where} (a condition like {@code fire}, compiled against that source's
 * schema). Immutable: {@code where} is copied in and out.
 *
 * @param source the configured source whose state gates delivery
 * @param key    that source's key column values, in key order (JSON scalars, exact numbers)
 * @param where  the condition the row must satisfy; a missing row does not satisfy it
 */
public record DeliverIf(String source, List<Object> key, JsonObject where) {

  public DeliverIf {
    Objects.requireNonNull(source, "source");
    key = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(key, "key")));
    where = Objects.requireNonNull(where, "where").copy();
  }

  @Override
  public JsonObject where() {
    return where.copy();
  }

  /** The API and stored form: {@code {"source", "key": [...], "where": {...}}}. */
  public JsonObject toJsonObject() {
    return new JsonObject()
        .put(GateSpecParser.DELIVER_IF_SOURCE, source)
        .put(GateSpecParser.DELIVER_IF_KEY, new JsonArray(new ArrayList<>(key)))
        .put(GateSpecParser.DELIVER_IF_WHERE, where.copy());
  }
}
