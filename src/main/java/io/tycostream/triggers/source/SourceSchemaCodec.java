package io.tycostream.triggers.source;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries a {@link SourceSchema} as JSON across the cluster: the admin API of any node asks the node that runs a
 * source for its schema (to check a new trigger's conditions). Within a node the object passes by reference.
 * <p>
 * Wire form: {@code {"columns": [{"name", "type", "sql_type"}], "key_columns": [...]}}, {@code type} being the
 * {@link ColumnType} constant's name.
 */
public final class SourceSchemaCodec implements MessageCodec<SourceSchema, SourceSchema> {

  static final String NAME = "json-source-schema";

  /** Registers the codec as the default for {@link SourceSchema}; a second registration is a no-op. */
  public static void registerOnce(EventBus eventBus) {
    try {
      eventBus.registerDefaultCodec(SourceSchema.class, new SourceSchemaCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // stateless: the one registered first serves every application on this Vert.x
    }
  }

  static JsonObject toJson(SourceSchema schema) {
    JsonArray columns = new JsonArray();
    for (SourceColumn column : schema.columns()) {
      columns.add(new JsonObject().put("name", column.name()).put("type", column.type().name())
        .put("sql_type", column.sqlType()));
    }
    return new JsonObject().put("columns", columns).put("key_columns", new JsonArray(schema.keyColumns()));
  }

  static SourceSchema fromJson(JsonObject json) {
    List<SourceColumn> columns = new ArrayList<>();
    for (Object entry : json.getJsonArray("columns")) {
      JsonObject column = (JsonObject) entry;
      columns.add(new SourceColumn(column.getString("name"), ColumnType.valueOf(column.getString("type")),
        column.getString("sql_type")));
    }
    List<String> keys = new ArrayList<>();
    json.getJsonArray("key_columns").forEach(key -> keys.add((String) key));
    return new SourceSchema(columns, keys);
  }

  @Override
  public void encodeToWire(Buffer buffer, SourceSchema schema) {
    Buffer encoded = toJson(schema).toBuffer();
    buffer.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public SourceSchema decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return fromJson(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
  }

  @Override
  public SourceSchema transform(SourceSchema schema) {
    return schema;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
