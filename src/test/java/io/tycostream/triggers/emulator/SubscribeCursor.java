package io.tycostream.triggers.emulator;

/**
 * A declared {@code DECLARE … CURSOR FOR SUBSCRIBE} cursor: planned at DECLARE, its engine started at the first
 * FETCH. Owned by one session's event loop.
 */
final class SubscribeCursor {

  final String name;
  final EmulatedObject object;
  final SubscribeSpec spec;
  final SubscribeOutput output;
  SubscribeEngine engine;

  SubscribeCursor(String name, EmulatedObject object, SubscribeSpec spec, SubscribeOutput output) {
    this.name = name;
    this.object = object;
    this.spec = spec;
    this.output = output;
  }

  void close() {
    if (engine != null) {
      engine.close();
    }
  }
}
