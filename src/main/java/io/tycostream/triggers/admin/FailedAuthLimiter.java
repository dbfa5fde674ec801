package io.tycostream.triggers.admin;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts refused API keys per client address: after {@value #MAX_FAILURES} within {@value #WINDOW_MS} ms, the
 * client's requests are answered 429 without looking at the key until that window ends, so keys cannot be guessed at
 * the speed of the network. Remembers at most {@value #MAX_CLIENTS} addresses (windows that ended are dropped first;
 * beyond that the table starts over rather than grow). Only used on the admin verticle's event loop.
 */
final class FailedAuthLimiter {

  static final int MAX_FAILURES = 10;
  static final long WINDOW_MS = 60_000;
  private static final int MAX_CLIENTS = 10_000;

  private final Map<String, Window> windows = new HashMap<>();

  /** How many milliseconds {@code client} must still wait, or 0 when it may try. */
  long blockedForMs(String client, long nowMs) {
    Window window = windows.get(client);
    if (window == null || window.endsAt(nowMs) <= 0 || window.failures < MAX_FAILURES) {
      return 0;
    }
    return window.endsAt(nowMs);
  }

  void recordFailure(String client, long nowMs) {
    Window window = windows.get(client);
    if (window == null || window.endsAt(nowMs) <= 0) {
      if (windows.size() >= MAX_CLIENTS) {
        windows.values().removeIf(open -> open.endsAt(nowMs) <= 0);
        if (windows.size() >= MAX_CLIENTS) {
          windows.clear();
        }
      }
      window = new Window(nowMs);
      windows.put(client, window);
    }
    window.failures++;
  }

  private static final class Window {
    private final long startedAt;
    private int failures;

    private Window(long startedAt) {
      this.startedAt = startedAt;
    }

    private long endsAt(long nowMs) {
      return Math.max(0, startedAt + WINDOW_MS - nowMs);
    }
  }
}
