package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.ResumePosition;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Builds the SQL a {@link SubscribeReader} sends: {@code DECLARE … CURSOR FOR SUBSCRIBE}, {@code FETCH},
 * {@code CLOSE}. Pure and thread-safe.
 * <p>
 * Identifiers from configuration are always double-quoted (embedded quotes doubled), so they are taken exactly as
 * written: case-sensitive, never folded to lower case. A view name may be schema- or database-qualified with dots
 * ({@code public.my_view}); each part is quoted on its own, so a name that itself contains a dot is not supported.
 */
final class SubscribeStatements {

  /** The cursor name: a constant, plain lower-case identifier, so it needs no quoting. */
  public static final String CURSOR = "tycostream_subscribe";

  private SubscribeStatements() {
  }

  /**
   * The {@code DECLARE} for {@code position}: a snapshot subscribe ({@code SNAPSHOT = true}, no AS OF), or a resume
   * right after the durable frontier {@code F} ({@code SNAPSHOT = false AS OF F-1}; with SNAPSHOT = false the server
   * emits only times strictly greater than AS OF, so F-1 is what keeps the updates at exactly F,
   * materialize-subscribe.md §4.4).
   */
  public static String declare(String view, List<String> keyColumns, ResumePosition position) {
    Objects.requireNonNull(position, "position");
    StringBuilder sql = declareUpsert(view, keyColumns);
    if (position.isSnapshot()) {
      sql.append(" WITH (PROGRESS, SNAPSHOT = true)");
    } else {
      BigInteger asOf = position.frontier().orElseThrow().subtract(BigInteger.ONE);
      sql.append(" WITH (PROGRESS, SNAPSHOT = false) AS OF ").append(asOf);
    }
    return sql.toString();
  }

  /**
   * The {@code DECLARE} of a bounded snapshot read: the contents at {@code F - 1} (every change at times {@code < F},
   * consolidated and stamped {@code F - 1}), then the stream ends because of {@code UP TO F}
   * (materialize-subscribe.md §1.1, §1.4, §3).
   */
  public static String snapshotAt(String view, List<String> keyColumns, BigInteger frontier) {
    Objects.requireNonNull(frontier, "frontier");
    if (frontier.signum() <= 0) {
      throw new IllegalArgumentException("a snapshot frontier must be positive: " + frontier);
    }
    return declareUpsert(view, keyColumns)
        .append(" WITH (PROGRESS, SNAPSHOT = true) AS OF ").append(frontier.subtract(BigInteger.ONE))
        .append(" UP TO ").append(frontier)
        .toString();
  }

  /**
   * The {@code DECLARE} of a fresh snapshot at a time {@code T} the server picks, no earlier than
   * {@code notBefore - 1} ({@code AS OF AT LEAST}; no AS OF clause when {@code notBefore} is {@code null}). The stream
   * is live (no UP TO): the reader ends it after the progress row that closes the snapshot.
   */
  public static String snapshotAtLeast(String view, List<String> keyColumns, BigInteger notBefore) {
    StringBuilder sql = declareUpsert(view, keyColumns).append(" WITH (PROGRESS, SNAPSHOT = true)");
    if (notBefore != null) {
      if (notBefore.signum() <= 0) {
        throw new IllegalArgumentException("a snapshot's lowest frontier must be positive: " + notBefore);
      }
      sql.append(" AS OF AT LEAST ").append(notBefore.subtract(BigInteger.ONE));
    }
    return sql.toString();
  }

  private static StringBuilder declareUpsert(String view, List<String> keyColumns) {
    if (keyColumns == null || keyColumns.isEmpty()) {
      throw new IllegalArgumentException("at least one key column is required");
    }
    String keys = keyColumns.stream().map(SubscribeStatements::quoteIdentifier).collect(Collectors.joining(", "));
    return new StringBuilder("DECLARE ").append(CURSOR).append(" CURSOR FOR SUBSCRIBE ")
        .append(quoteQualifiedName(view))
        .append(" ENVELOPE UPSERT (KEY (").append(keys).append("))");
  }

  /**
   * A FETCH with no timeout: it waits for at least one row (data or progress) and returns it with whatever else is
   * ready at once (materialize-subscribe.md §2.1), so it returns no rows only once the stream has ended (UP TO
   * reached). On a live subscribe with PROGRESS the progress rows keep it returning; should they stop, it waits
   * until the stream moves again, so the caller bounds it.
   */
  public static String fetchWaiting(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("fetch count must be positive: " + count);
    }
    return "FETCH " + count + " " + CURSOR;
  }

  /**
   * A data FETCH: up to {@code count} rows, waiting at most {@code timeout} (whole milliseconds), or the
   * {@link #fetchWaiting waiting FETCH} when {@code timeout} is {@code null}.
   */
  public static String fetch(int count, Duration timeout) {
    if (timeout == null) {
      return fetchWaiting(count);
    }
    if (count <= 0) {
      throw new IllegalArgumentException("fetch count must be positive: " + count);
    }
    return "FETCH " + count + " " + CURSOR + " WITH (timeout = '" + Math.max(0, timeout.toMillis()) + "ms')";
  }

  /** A FETCH that returns at once with no rows: keeps the session from the idle-in-transaction timeout. */
  public static String keepAlive() {
    return "FETCH 0 " + CURSOR;
  }

  public static String close() {
    return "CLOSE " + CURSOR;
  }

  /** {@code a.b} → {@code "a"."b"}; every part quoted with {@link #quoteIdentifier(String)}. */
  public static String quoteQualifiedName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a view name is required");
    }
    String[] parts = name.split("\\.", -1);
    StringBuilder quoted = new StringBuilder();
    for (String part : parts) {
      if (quoted.length() > 0) {
        quoted.append('.');
      }
      quoted.append(quoteIdentifier(part));
    }
    return quoted.toString();
  }

  /** Wraps {@code identifier} in double quotes, doubling embedded double quotes. */
  public static String quoteIdentifier(String identifier) {
    if (identifier == null || identifier.isEmpty()) {
      throw new IllegalArgumentException("empty identifier");
    }
    if (identifier.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("identifier contains a NUL character");
    }
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
