package io.tycostream.triggers.source;

import io.tycostream.triggers.bus.LocalCodec;
import io.vertx.core.eventbus.EventBus;

/** Registers the local codecs of the messages a source unit's reader and evaluator (and the admin API) exchange. */
public final class SourceCodecs {

  private SourceCodecs() {
  }

  /**
   * Registers the local codecs of {@link ChangeBatch}, {@link ResumePosition} and {@link SourceSnapshot}, and the
   * JSON codec of {@link SourceSchema}; safe to call more than once.
   */
  public static void register(EventBus eventBus) {
    LocalCodec.registerOnce(eventBus, ChangeBatch.class);
    LocalCodec.registerOnce(eventBus, ResumePosition.class);
    LocalCodec.registerOnce(eventBus, SourceSnapshot.class);
    // asked for by the admin API of any node of a cluster: JSON on the wire
    SourceSchemaCodec.registerOnce(eventBus);
  }
}
