package io.tycostream.triggers.bus;

import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.source.SourceSnapshot;
import io.vertx.core.eventbus.EventBus;

/** Registers the codecs of every object message the service sends on its event bus. */
public final class BusCodecs {

  private BusCodecs() {
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
