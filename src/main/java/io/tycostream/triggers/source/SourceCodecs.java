package io.tycostream.triggers.source;

import io.tycostream.triggers.bus.LocalCodec;
import io.vertx.core.eventbus.EventBus;

/** Registers the local codecs of the messages a source unit's reader and evaluator (and the admin API) exchange. */
public final class SourceCodecs {

  private SourceCodecs() {
  }

  /**
   * Registers the local codecs of {@link ChangeBatch}, {@link ResumePosition}, {@link SourceSnapshot} and
   * {@link SourceSchema}; safe to call more than once.
   */
  public static void register(EventBus eventBus) {
    LocalCodec.registerOnce(eventBus, ChangeBatch.class);
    LocalCodec.registerOnce(eventBus, ResumePosition.class);
    LocalCodec.registerOnce(eventBus, SourceSnapshot.class);
    LocalCodec.registerOnce(eventBus, SourceSchema.class);
  }
}
