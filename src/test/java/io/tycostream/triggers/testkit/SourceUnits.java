package io.tycostream.triggers.testkit;

import io.tycostream.triggers.app.ComponentOptions;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.source.SourceProgress;
import io.tycostream.triggers.source.SourceVerticle;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.unit.SourceUnit;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;

/** Builds the parts of a source unit from a configuration record, as the application does. */
public final class SourceUnits {

  private SourceUnits() {
  }

  /** The progress record of {@code source} with the default readiness grace. */
  public static SourceProgress progress(String source) {
    return new SourceProgress(source, SourceProgress.DEFAULT_GRACE, Clock.systemUTC());
  }

  /** The reader verticle of {@code config}, reporting to a fresh progress record. */
  public static SourceVerticle reader(SourceConfig config) {
    return new SourceVerticle(config.name(), ComponentOptions.changeSource(config), progress(config.name()));
  }

  /** The node id the test units record as their sources' owner. */
  public static final String OWNER = "test-node";

  /** A whole unit (reader and evaluator) of {@code config} over {@code store}. */
  public static SourceUnit unit(Vertx vertx, SourceConfig config, Store store) {
    return unit(vertx, config, store, SourceProgress.DEFAULT_GRACE);
  }

  /** A whole unit with the given readiness grace. */
  public static SourceUnit unit(Vertx vertx, SourceConfig config, Store store, Duration grace) {
    return new SourceUnit(vertx, config.name(), ComponentOptions.changeSource(config), store,
        new SourceProgress(config.name(), grace, Clock.systemUTC()), OWNER);
  }
}
