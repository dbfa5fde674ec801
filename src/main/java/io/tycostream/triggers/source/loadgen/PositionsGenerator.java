package io.tycostream.triggers.source.loadgen;

import io.tycostream.triggers.config.LoadgenConfig;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The pure heart of the load generator: trading positions per account doing a seeded random walk, with occasional
 * deletes and re-inserts, cut into {@link ChangeBatch}es on a logical millisecond clock.
 * <p>
 * The clock starts at {@link #EPOCH_MS}: the snapshot holds every account at that time and closes at frontier
 * {@code EPOCH_MS + 1}; each tick then closes the next {@code interval_ms} of logical time, its changes spread
 * over {@code [previous frontier, frontier)}. The same seed and settings always give the same batches, so a
 * resumed stream ({@link #skipTo(BigInteger)}) continues exactly as the uninterrupted one would have.
 * Not thread-safe: one generator per running source.
 */
public final class PositionsGenerator {

  /** Logical time of the snapshot: 2026-01-01T00:00:00Z in epoch milliseconds. */
  public static final long EPOCH_MS = 1_767_225_600_000L;
  /** Chance that a change to a live account deletes it (it is re-inserted when next picked). */
  public static final double DELETE_PROBABILITY = 0.03;
  /** Resuming replays at most this many ticks; beyond, the walk continues from where the replay stopped. */
  public static final long MAX_REPLAY_TICKS = 2_000_000;

  /** The relation the generator produces, keyed by {@code account}. */
  public static final SourceSchema SCHEMA = new SourceSchema(List.of(
      new SourceColumn("account", ColumnType.TEXT, "text"),
      new SourceColumn("symbol", ColumnType.TEXT, "text"),
      new SourceColumn("net_position", ColumnType.NUMERIC, "numeric"),
      new SourceColumn("price", ColumnType.NUMERIC, "numeric"),
      new SourceColumn("risk_limit", ColumnType.NUMERIC, "numeric"),
      new SourceColumn("updated_at", ColumnType.TIMESTAMPTZ, "timestamptz")),
      List.of("account"));

  private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "TSLA", "JPM", "XOM");
  private static final List<BigDecimal> RISK_LIMITS = List.of(new BigDecimal("5000"), new BigDecimal("10000"),
      new BigDecimal("20000"), new BigDecimal("50000"));
  private static final BigDecimal MIN_PRICE = new BigDecimal("0.01");
  /** Daily-ish volatility per change: one standard deviation moves the price by 1 %. */
  private static final double PRICE_VOLATILITY = 0.01;
  /** One standard deviation of a position change, in units. */
  private static final double POSITION_STEP = 800;

  private final String source;
  private final LoadgenConfig config;
  private final Random random;
  private final Map<String, Object>[] rows;
  private final int[] order;
  private BigInteger frontier;

  @SuppressWarnings("unchecked")
  public PositionsGenerator(String source, LoadgenConfig config) {
    this.source = source;
    this.config = config;
    this.random = new Random(config.seed());
    this.rows = new Map[config.entities()];
    this.order = new int[config.entities()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = newPosition(i, EPOCH_MS);
      order[i] = i;
    }
  }

  /** The frontier that closes the snapshot: resuming after it (or later) needs no snapshot. */
  public static BigInteger snapshotFrontier() {
    return BigInteger.valueOf(EPOCH_MS + 1);
  }

  /** The frontier of the last batch produced (or skipped to), {@code null} before the snapshot. */
  public BigInteger frontier() {
    return frontier;
  }

  /** The rows alive right now (at {@link #frontier()}), in account order; the maps are never changed afterwards. */
  public List<Map<String, Object>> liveRows() {
    List<Map<String, Object>> live = new ArrayList<>(rows.length);
    for (Map<String, Object> row : rows) {
      if (row != null) {
        live.add(row);
      }
    }
    return live;
  }

  /** The initial snapshot: every account at {@link #EPOCH_MS}. Must be the first batch. */
  public ChangeBatch snapshot() {
    if (frontier != null) {
      throw new IllegalStateException("the snapshot is the first batch of a stream");
    }
    BigInteger at = BigInteger.valueOf(EPOCH_MS);
    List<Change> changes = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      changes.add(Change.upsert(List.of(row.get("account")), row, at));
    }
    frontier = snapshotFrontier();
    return new ChangeBatch(source, frontier, changes, true, SCHEMA);
  }

  /** The next tick: {@code changes_per_tick} distinct accounts change within the next {@code interval_ms}. */
  public ChangeBatch nextTick() {
    if (frontier == null) {
      frontier = snapshotFrontier();
    }
    long lower = frontier.longValueExact();
    long upper = lower + config.intervalMs();
    int count = Math.min(config.changesPerTick(), rows.length);
    List<Change> changes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long at = lower + (i * (upper - lower)) / count;
      changes.add(change(pickDistinct(i), at));
    }
    frontier = BigInteger.valueOf(upper);
    return new ChangeBatch(source, frontier, changes, false, SCHEMA);
  }

  /**
   * Advances the stream so the next tick holds the changes at times {@code >= resumeFrontier}: replays (and drops)
   * every tick whose frontier is at most {@code resumeFrontier}. For a frontier this generator produced, the ticks
   * that follow are identical to the uninterrupted stream.
   */
  public void skipTo(BigInteger resumeFrontier) {
    if (frontier == null) {
      frontier = snapshotFrontier();
    }
    long target = resumeFrontier.longValueExact();
    long replayed = 0;
    while (frontier.longValueExact() + config.intervalMs() <= target && replayed < MAX_REPLAY_TICKS) {
      nextTick();
      replayed++;
    }
    if (frontier.longValueExact() < target) {
      // not a frontier of ours (or too far to replay): the next tick starts at the requested frontier
      frontier = resumeFrontier;
    }
  }

  /** Partial Fisher–Yates over a persistent permutation: the {@code slot}-th distinct pick of a tick. */
  private int pickDistinct(int slot) {
    int swap = slot + random.nextInt(order.length - slot);
    int picked = order[swap];
    order[swap] = order[slot];
    order[slot] = picked;
    return picked;
  }

  private Change change(int index, long at) {
    Map<String, Object> current = rows[index];
    if (current == null) {
      rows[index] = newPosition(index, at);
      return upsert(rows[index], at);
    }
    if (random.nextDouble() < DELETE_PROBABILITY) {
      rows[index] = null;
      return Change.delete(List.of(current.get("account")), BigInteger.valueOf(at));
    }
    Map<String, Object> next = new LinkedHashMap<>(current);
    BigDecimal price = (BigDecimal) current.get("price");
    BigDecimal moved = price.multiply(BigDecimal.valueOf(1 + random.nextGaussian() * PRICE_VOLATILITY))
        .setScale(2, RoundingMode.HALF_EVEN);
    next.put("price", moved.max(MIN_PRICE));
    BigDecimal position = (BigDecimal) current.get("net_position");
    next.put("net_position", position.add(BigDecimal.valueOf(Math.round(random.nextGaussian() * POSITION_STEP))));
    next.put("updated_at", timestamp(at));
    rows[index] = next;
    return upsert(next, at);
  }

  private Map<String, Object> newPosition(int index, long at) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("account", String.format("ACC-%04d", index + 1));
    row.put("symbol", SYMBOLS.get(random.nextInt(SYMBOLS.size())));
    row.put("net_position", BigDecimal.valueOf(random.nextInt(20_001) - 10_000L));
    row.put("price", BigDecimal.valueOf(2_000 + random.nextInt(48_000), 2));
    row.put("risk_limit", RISK_LIMITS.get(random.nextInt(RISK_LIMITS.size())));
    row.put("updated_at", timestamp(at));
    return row;
  }

  private static Change upsert(Map<String, Object> row, long at) {
    return Change.upsert(List.of(row.get("account")), row, BigInteger.valueOf(at));
  }

  private static OffsetDateTime timestamp(long epochMillis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }
}
