package io.tycostream.triggers.admin;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts refused API keys per client address: after {@value #MAX_FAILURES} within {@value #WINDOW_MS} ms, the
 * client's requests are answered 429 without looking at the key until that window ends, so keys cannot be guessed at
 * the speed of the network. Keys still being checked count as refused until their check ends, so a burst of guesses
 * sent at once cannot queue a slow hash each before the first refusal is counted. Remembers at most
 * {@value #MAX_CLIENTS} addresses (windows that ended are dropped first; beyond that the table starts over rather
 * than grow). Only used on the admin verticle's event loop.
 */
final class FailedAuthLimiter {

  static final int MAX_FAILURES = 10;
  static final long WINDOW_MS = 60_000;
  private static final int MAX_CLIENTS = 10_000;
  /** How long a client turned away only for keys still being checked waits: about one check. */
  static final long CHECKING_WAIT_MS = 1_000;

  private final Map<String, Window> windows = new HashMap<>();
  /** Per client, the keys being checked now (each hashed once however many requests carry it), and their requests. */
  private final Map<String, Map<String, Integer>> checking = new HashMap<>();

  /**
   * How many milliseconds {@code client} must wait before {@code key} is checked, or 0 when it may be: refused keys
   * in the window and other keys still being checked together stay under {@value #MAX_FAILURES}.
   *
   * @param key the presented key when checking it costs a hash, {@code null} for a key this node already knows
   *            (blocked only once the client's refusals reached the limit)
   */
  long blockedForMs(String client, String key, long nowMs) {
    Window window = windows.get(client);
    boolean windowOpen = window != null && window.endsAt(nowMs) > 0;
    int failures = windowOpen ? window.failures : 0;
    if (failures >= MAX_FAILURES) {
      return window.endsAt(nowMs);
    }
    Map<String, Integer> keys = checking.get(client);
    int others = keys == null ? 0 : keys.size() - (key != null && keys.containsKey(key) ? 1 : 0);
    if (key != null && failures + others >= MAX_FAILURES) {
      return windowOpen ? Math.min(window.endsAt(nowMs), CHECKING_WAIT_MS) : CHECKING_WAIT_MS;
    }
    return 0;
  }

  /** {@code key} from {@code client} is being checked; call {@link #checked} once its check ends, either way. */
  void checking(String client, String key) {
    checking.computeIfAbsent(client, ignored -> new HashMap<>()).merge(key, 1, Integer::sum);
  }

  void checked(String client, String key) {
    Map<String, Integer> keys = checking.get(client);
    if (keys == null) {
      return;
    }
    keys.computeIfPresent(key, (ignored, requests) -> requests > 1 ? requests - 1 : null);
    if (keys.isEmpty()) {
      checking.remove(client);
    }
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
