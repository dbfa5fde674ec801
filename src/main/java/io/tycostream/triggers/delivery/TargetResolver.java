package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.TargetAllowList;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Resolves a webhook host once per attempt and checks the answer, so the request connects to exactly the address
 * that was checked (design.md §8): a DNS answer that changes between the check and the connection (rebinding) cannot
 * slip a private address past the check. The caller connects to the returned address and keeps the name for the
 * {@code Host} header, TLS SNI and certificate verification.
 * <p>
 * A host is refused if <em>any</em> of its addresses is internal ({@link WebhookTargetPolicy#isInternal}: loopback,
 * private, link-local, …; SSRF defence) and not allowed by {@code delivery.allowed_targets}: an address is allowed
 * when a listed range holds it, or when the host name itself is listed ({@link TargetAllowList}). Address literals are
 * used as they are, without a lookup. Names are looked up with the JDK resolver on a named worker pool of
 * {@value #LOOKUP_THREADS} threads (it blocks), and the checked answer is reused for {@code ttl}, so no lookup runs
 * per event; concurrent attempts share one lookup. A failed lookup is remembered for at most
 * {@link #FAILURE_TTL_MS}.
 * <p>
 * Not thread-safe: used on the delivery verticle's event loop only.
 */
final class TargetResolver {

  /** The error recorded for an attempt refused by the check. */
  static final String NOT_ALLOWED = "target address not allowed";
  /** Threads for host name lookups: a slow resolver must not occupy the worker pool the SQLite store runs on. */
  static final int LOOKUP_THREADS = 4;
  /** Longest time a failed lookup is remembered before the name is tried again. */
  static final long FAILURE_TTL_MS = 5_000;

  private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  /** A blocking name lookup, the JDK's by default; tests pass their own. */
  @FunctionalInterface
  interface HostLookup {
    List<InetAddress> lookup(String host) throws UnknownHostException;
  }

  /**
   * How names are looked up and which addresses are internal.
   *
   * @param lookup   the name lookup
   * @param internal the addresses refused unless the allow-list allows them
   */
  record Setup(HostLookup lookup, Predicate<InetAddress> internal) {

    Setup {
      Objects.requireNonNull(lookup, "lookup");
      Objects.requireNonNull(internal, "internal");
    }

    /** The JDK resolver and {@link WebhookTargetPolicy#isInternal}. */
    static Setup system() {
      return new Setup(host -> List.of(InetAddress.getAllByName(host)), WebhookTargetPolicy::isInternal);
    }
  }

  private record Entry(Future<InetAddress> checked, long expiresAtMs) {
  }

  private final WorkerExecutor lookups;
  private final Setup setup;
  private final TargetAllowList allowed;
  private final long ttlMs;
  private final LongSupplier clockMs;
  private final Map<String, Entry> cache = new HashMap<>();

  TargetResolver(Vertx vertx, Setup setup, TargetAllowList allowed, long ttlMs, LongSupplier clockMs) {
    this.lookups = vertx.createSharedWorkerExecutor("tycostream-webhook-dns", LOOKUP_THREADS);
    this.setup = setup;
    this.allowed = Objects.requireNonNull(allowed, "allowed");
    this.ttlMs = ttlMs;
    this.clockMs = clockMs;
  }

  /**
   * The address to connect to for {@code host}, checked against the policy.
   *
   * @return the address, or a failed future with {@link TargetNotAllowedException} (refused or unknown host)
   */
  Future<InetAddress> resolve(String host) {
    long now = clockMs.getAsLong();
    Entry cached = cache.get(host);
    if (cached != null && (now < cached.expiresAtMs() || !cached.checked().isComplete())) {
      return cached.checked();
    }
    InetAddress literal = literal(host);
    if (literal != null) {
      // an address literal needs no lookup and never changes: checked once
      Future<InetAddress> checked = check(host, List.of(literal));
      cache.put(host, new Entry(checked, Long.MAX_VALUE));
      return checked;
    }
    Future<InetAddress> checked = lookups.executeBlocking(() -> setup.lookup().lookup(host), false)
        .recover(unresolvable -> Future.failedFuture(new TargetNotAllowedException("unknown host " + host)))
        .compose(addresses -> check(host, addresses));
    Entry entry = new Entry(checked, Long.MAX_VALUE);
    cache.put(host, entry);
    checked.onComplete(done -> {
      if (cache.get(host) == entry) {
        long lifetime = done.succeeded() || done.cause() instanceof TargetNotAllowedException refused
            && refused.getMessage().equals(NOT_ALLOWED) ? ttlMs : Math.min(ttlMs, FAILURE_TTL_MS);
        cache.put(host, new Entry(checked, clockMs.getAsLong() + lifetime));
      }
    });
    return checked;
  }

  private Future<InetAddress> check(String host, List<InetAddress> addresses) {
    if (addresses.isEmpty()) {
      return Future.failedFuture(new TargetNotAllowedException("unknown host " + host));
    }
    boolean nameAllowed = allowed.allowsName(host);
    for (InetAddress address : addresses) {
      if (setup.internal().test(address) && !nameAllowed && !allowed.allowsAddress(address)) {
        return Future.failedFuture(new TargetNotAllowedException(NOT_ALLOWED));
      }
    }
    return Future.succeededFuture(addresses.get(0));
  }

  /** An IPv4 dotted quad or an IPv6 literal, parsed without a lookup; {@code null} for a name. */
  private static InetAddress literal(String host) {
    try {
      if (host.contains(":")) {
        // brackets make the JDK parse an IPv6 literal or fail, never look the text up as a name
        return InetAddress.getByName("[" + host + "]");
      }
      if (!DOTTED_QUAD.matcher(host).matches()) {
        return null;
      }
      String[] parts = host.split("\\.");
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int part = Integer.parseInt(parts[i]);
        if (part > 255) {
          return null;
        }
        bytes[i] = (byte) part;
      }
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException notALiteral) {
      return null;
    }
  }

  /** Releases the lookup threads. */
  Future<Void> close() {
    cache.clear();
    return lookups.close();
  }

  /** The failure of a refused target; its message is the attempt's error. */
  static final class TargetNotAllowedException extends RuntimeException {
    TargetNotAllowedException(String message) {
      super(message, null, false, false);
    }
  }
}
