package io.tycostream.triggers.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

import java.util.Objects;

/**
 * Passes an immutable object between verticles of the same node by reference.
 * <p>
 * Sources and their evaluator always run on one node (design.md §3.7), so these messages never cross the wire;
 * encoding fails loudly instead of falling back to Java serialization.
 *
 * @param <T> an immutable message type (records such as {@code ChangeBatch})
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;

  public LocalCodec(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
  }

  /**
   * Registers a local codec as the default for {@code type} on {@code eventBus}; a second registration for the
   * same type (another application on the same Vert.x, as in tests) is a no-op.
   */
  public static <T> void registerOnce(EventBus eventBus, Class<T> type) {
    try {
      eventBus.registerDefaultCodec(type, new LocalCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // the codec is stateless, so the one registered first serves every application on this Vert.x
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    throw new UnsupportedOperationException(name() + " is local only and cannot cross the network");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name() + " is local only and cannot cross the network");
  }

  @Override
  public T transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return "local-" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
