package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookTargetPolicy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.InetAddress;
import java.util.List;

/**
 * Refuses webhook targets that resolve to addresses inside the service's own network: loopback, private
 * (site-local, IPv6 unique-local, carrier-grade NAT), link-local, multicast or unspecified. A webhook URL is
 * user input; without this check a trigger could make the service POST to its own admin API or to a cloud metadata
 * endpoint (SSRF).
 * <p>
 * A host is refused if <em>any</em> of its addresses is internal, so a name with one public and one private record
 * cannot slip through. The check resolves the name once on a worker thread (the JDK resolver blocks); the HTTP
 * client resolves it again, so a DNS answer that changes in between (rebinding) is not caught: this is defence in
 * depth behind the admin API's own validation. Thread-safe.
 */
public final class TargetAddressGuard {

  /** The error recorded for an attempt refused by this guard. */
  public static final String NOT_ALLOWED = "target address not allowed";

  /** Threads for host name lookups: a slow resolver must not occupy the worker pool the SQLite store runs on. */
  public static final int LOOKUP_THREADS = 4;

  private final WorkerExecutor lookups;

  public TargetAddressGuard(Vertx vertx) {
    this.lookups = vertx.createSharedWorkerExecutor("tycostream-webhook-dns", LOOKUP_THREADS);
  }

  /** Succeeds if every address of {@code host} is public; fails with {@link #NOT_ALLOWED} otherwise. */
  public Future<Void> check(String host) {
    return lookups.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false)
      .recover(unresolvable -> Future.failedFuture(new TargetNotAllowedException("unknown host " + host)))
      .compose(addresses -> addresses.stream().anyMatch(WebhookTargetPolicy::isInternal)
        ? Future.failedFuture(new TargetNotAllowedException(NOT_ALLOWED))
        : Future.succeededFuture());
  }

  /** Releases the lookup threads. */
  public Future<Void> close() {
    return lookups.close();
  }

  /** The failure of a refused target; its message is the attempt's error. */
  public static final class TargetNotAllowedException extends RuntimeException {
    TargetNotAllowedException(String message) {
      super(message, null, false, false);
    }
  }
}
