package io.tycostream.triggers.store;

import io.vertx.core.Future;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What every store test shares, whatever the dialect: a fixed clock, blocking waits for store calls (on the JUnit
 * thread only, never on an event loop) and the triggers and events the tests write.
 */
public final class StoreFixture {

  public static final Instant NOW = Instant.parse("2026-01-15T10:30:45.123Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private StoreFixture() {
  }

  /** The result of a store call that must succeed. */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("store call did not complete in time", e);
    }
  }

  /** The failure of a future that must fail. */
  public static Throwable failureOf(Future<?> future) {
    try {
      future.await(20, TimeUnit.SECONDS);
    } catch (Throwable failure) {
      return failure;
    }
    throw new AssertionError("expected the call to fail");
  }

  public static NewTrigger trigger(String name) {
    return new NewTrigger(name, "positions", "{\"fire\":{\"net_position\":{\"_gt\":10000}}}", "secret-" + name);
  }

  public static NewEvent event(String id, String trigger) {
    return new NewEvent(id, trigger, "FIRE", BigInteger.valueOf(1705316445123L), "[\"" + id + "\"]",
      "{\"account\":\"" + id + "\"}");
  }
}
