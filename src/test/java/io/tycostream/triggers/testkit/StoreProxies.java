package io.tycostream.triggers.testkit;

import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** Real stores with one behaviour changed, for fault and timing tests. */
public final class StoreProxies {

  private StoreProxies() {
  }

  /** {@code real}, except that every {@code commit} is handed to {@code commit} instead. */
  public static Store interceptCommits(Store real, Function<SourceCommit, Future<Void>> commit) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          if (method.getName().equals("commit")) {
            return commit.apply((SourceCommit) args[0]);
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** {@code real}, except that each commit starts only after {@code delay}: a slow disk. */
  public static Store slowCommits(Vertx vertx, Store real, Duration delay) {
    return slowCommits(vertx, real, delay::toMillis);
  }

  /** {@code real}, except that each commit starts only after the delay (in ms) {@code delayMs} says at that time. */
  public static Store slowCommits(Vertx vertx, Store real, LongSupplier delayMs) {
    return interceptCommits(real, commit -> vertx.timer(Math.max(1, delayMs.getAsLong()))
        .compose(fired -> real.commit(commit)));
  }
}
