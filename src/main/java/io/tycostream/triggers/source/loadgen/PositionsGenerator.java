package io.tycostream.triggers.source.loadgen;

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
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pure heart of the load generator: trading positions per account whose prices and net positions fluctuate,
 * with occasional deletes and re-inserts, cut into {@link ChangeBatch}es on a logical millisecond clock.
 * <p>
 * <b>Clock.</b> It starts at {@link #EPOCH_MS}: the snapshot holds every account at that time and closes at
 * frontier {@code EPOCH_MS + 1}; tick {@code n} (from 0) then closes the next {@code interval_ms} of logical time,
 * frontier {@code EPOCH_MS + 1 + (n + 1) * interval_ms}, its {@code c = min(changes_per_tick, entities)} changes
 * spread over {@code [previous frontier, frontier)}.
 * <p>
 * <b>Every value is a function of (seed, options, position), never of the past.</b> The changes are numbered
 * globally (tick {@code n} holds changes {@code n*c … n*c+c-1}) and grouped in rounds of {@code lcm(entities, c)}
 * changes: a round visits the accounts in the order of a seeded permutation ({@link VisitOrder}) repeated
 * {@code lcm / entities} times, so the accounts of one tick are distinct and every account is visited equally often.
 * An account's {@code k}-th visit (its version {@code k}; the snapshot is version 0) derives its row from
 * {@code (seed, account, k)} alone: prices and positions follow a sum of seeded waves over {@code k} plus noise,
 * and whether the visit deletes the account is a seeded coin that never deletes twice in a row (the visit after a
 * delete re-inserts). Hence:
 * <ul>
 *   <li>{@link #tick(long)} derives only its own {@code c} changes, whatever {@code n} is;</li>
 *   <li>{@link #rowsAt(BigInteger)} derives one row per account: the version of its last visit before the
 *       frontier, found by arithmetic on the round structure (two permutations inverted, O(entities));</li>
 *   <li>a resumed stream ({@link #tickAt(BigInteger)}, {@link #tickFrom(long, BigInteger)}) is identical to the
 *       uninterrupted one, at any age, and the same resume position always yields the same batches.</li>
 * </ul>
 * Floating-point work uses {@link StrictMath}, so the stream is the same on every JVM. Immutable and thread-safe
 * (the only mutable field is a thread-safe counter of derived rows, for tests of the cost).
 */
public final class PositionsGenerator {

  /** Logical time of the snapshot: 2026-01-01T00:00:00Z in epoch milliseconds. */
  public static final long EPOCH_MS = 1_767_225_600_000L;
  /**
   * Chance that a visit flips the account's delete coin; a visit deletes when its coin is up and the previous
   * visit's is not, so about 3 % of changes are deletes and the next visit re-inserts the account.
   */
  public static final double DELETE_PROBABILITY = 0.03;

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
  /** The price moves within about ±20 % (e^±0.2) of the account's base price. */
  private static final double PRICE_SWING = 0.2;
  /** The position swings by up to this many units around the account's centre, plus noise. */
  private static final double POSITION_SWING = 15_000;
  /** One standard deviation of the per-visit position noise, in units. */
  private static final double POSITION_NOISE = 400;
  /** The waves of a fluctuation: weights (summing to 1) and base periods in visits (stretched ±25 % per account). */
  private static final double[] WAVE_WEIGHTS = {0.6, 0.3, 0.1};
  private static final double[] WAVE_PERIODS = {12, 60, 400};

  // purposes of the seeded draws, so that no two kinds of draws share a hash
  private static final int DRAW_ORDER = 0;
  private static final int DRAW_SYMBOL = 1;
  private static final int DRAW_RISK_LIMIT = 2;
  private static final int DRAW_BASE_PRICE = 3;
  private static final int DRAW_CENTRE = 4;
  private static final int DRAW_PRICE_WAVE = 5;
  private static final int DRAW_POSITION_WAVE = 6;
  private static final int DRAW_NOISE = 7;
  private static final int DRAW_DELETE = 8;

  private final String source;
  private final long seed;
  private final int entities;
  private final int changesPerTick;
  private final long intervalMs;
  /** Changes per round: {@code lcm(entities, changesPerTick)}. */
  private final long roundChanges;
  /** Visits of every account per round. */
  private final long roundVisits;
  private final LongAdder derivedRows = new LongAdder();

  public PositionsGenerator(String source, LoadgenOptions options) {
    this.source = Objects.requireNonNull(source, "source");
    this.seed = options.getSeed();
    this.entities = options.getEntities();
    this.changesPerTick = Math.min(options.getChangesPerTick(), entities);
    this.intervalMs = options.getIntervalMs();
    this.roundChanges = (long) entities / gcd(entities, changesPerTick) * changesPerTick;
    this.roundVisits = roundChanges / entities;
  }

  /** The frontier that closes the snapshot: resuming after it (or later) needs no snapshot. */
  public static BigInteger snapshotFrontier() {
    return BigInteger.valueOf(EPOCH_MS + 1);
  }

  /** The initial snapshot: every account at {@link #EPOCH_MS}, frontier {@link #snapshotFrontier()}. */
  public ChangeBatch snapshot() {
    List<Change> changes = new ArrayList<>(entities);
    for (int account = 0; account < entities; account++) {
      changes.add(visit(account, 0, EPOCH_MS));
    }
    return new ChangeBatch(source, snapshotFrontier(), changes, true, SCHEMA);
  }

  /** The frontier that closes tick {@code tick} (from 0). */
  public BigInteger tickFrontier(long tick) {
    return BigInteger.valueOf(tickStart(tick + 1));
  }

  /** Tick {@code tick} (from 0): {@code changes_per_tick} distinct accounts change within its interval. */
  public ChangeBatch tick(long tick) {
    return tickFrom(tick, null);
  }

  /**
   * Tick {@code tick} without its changes at times before {@code notBefore} (all of them when {@code null}): the
   * first batch of a stream resumed after a frontier that is not a tick boundary.
   */
  public ChangeBatch tickFrom(long tick, BigInteger notBefore) {
    if (tick < 0) {
      throw new IllegalArgumentException("tick must not be negative: " + tick);
    }
    long first = Math.multiplyExact(tick, (long) changesPerTick);
    List<Change> changes = new ArrayList<>(changesPerTick);
    for (int slot = 0; slot < changesPerTick; slot++) {
      long at = changeTime(first + slot);
      if (notBefore == null || BigInteger.valueOf(at).compareTo(notBefore) >= 0) {
        changes.add(change(first + slot));
      }
    }
    return new ChangeBatch(source, tickFrontier(tick), changes, false, SCHEMA);
  }

  /**
   * The tick whose interval holds {@code time}: after a consumer made frontier {@code F} durable the stream resumes
   * with {@code tickFrom(tickAt(F), F)} (the whole tick when {@code F} is a tick boundary).
   *
   * @throws IllegalArgumentException when {@code time} is before the first tick or beyond the generator's clock
   */
  public long tickAt(BigInteger time) {
    long elapsed = logicalTime(time) - tickStart(0);
    if (elapsed < 0) {
      throw new IllegalArgumentException("time " + time + " is before the first tick (" + tickStart(0) + ")");
    }
    return elapsed / intervalMs;
  }

  /**
   * The rows at {@code frontier} {@code F}: every account alive after all changes at times {@code < F}, each as an
   * upsert stamped {@code F - 1}, in account order. Derives one row per account, whatever the age of {@code F}.
   *
   * @throws IllegalArgumentException when {@code F} is before {@link #snapshotFrontier()} or beyond the clock
   */
  public List<Change> rowsAt(BigInteger frontier) {
    if (frontier.compareTo(snapshotFrontier()) < 0) {
      throw new IllegalArgumentException("frontier " + frontier + " is before the snapshot frontier "
          + snapshotFrontier());
    }
    long changes = changesBefore(logicalTime(frontier));
    long round = changes / roundChanges;
    long doneInRound = changes % roundChanges;
    int[] positionsNow = doneInRound > 0 ? positions(round) : null;
    int[] positionsBefore = round > 0 ? positions(round - 1) : null;
    BigInteger stamp = frontier.subtract(BigInteger.ONE);
    List<Change> rows = new ArrayList<>(entities);
    for (int account = 0; account < entities; account++) {
      Change last;
      if (positionsNow != null && positionsNow[account] < doneInRound) {
        long visitInRound = (doneInRound - positionsNow[account] - 1) / entities;
        long index = round * roundChanges + positionsNow[account] + visitInRound * entities;
        last = visit(account, round * roundVisits + visitInRound + 1, changeTime(index));
      } else if (positionsBefore != null) {
        long index = (round - 1) * roundChanges + positionsBefore[account] + (roundVisits - 1) * entities;
        last = visit(account, round * roundVisits, changeTime(index));
      } else {
        last = visit(account, 0, EPOCH_MS);
      }
      if (!last.deleted()) {
        rows.add(Change.upsert(last.key(), last.row(), stamp));
      }
    }
    return rows;
  }

  /** How many rows (account versions) this generator has derived so far: the measure of its work. */
  long derivedRows() {
    return derivedRows.sum();
  }

  /** The change with global number {@code index}. */
  private Change change(long index) {
    long round = index / roundChanges;
    long inRound = index % roundChanges;
    int account = order(round).at((int) (inRound % entities));
    return visit(account, round * roundVisits + inRound / entities + 1, changeTime(index));
  }

  /** The time of the change with global number {@code index}: its slot's share of its tick's interval. */
  private long changeTime(long index) {
    long tick = index / changesPerTick;
    long slot = index % changesPerTick;
    return tickStart(tick) + slot * intervalMs / changesPerTick;
  }

  /** How many changes happen at times {@code < time}. */
  private long changesBefore(long time) {
    long elapsed = time - tickStart(0);
    if (elapsed <= 0) {
      return 0;
    }
    long tick = elapsed / intervalMs;
    long intoTick = elapsed % intervalMs;
    // slot s happens at floor(s * interval / c), which is < intoTick exactly when s * interval < intoTick * c
    long slots = (intoTick * changesPerTick + intervalMs - 1) / intervalMs;
    return Math.addExact(Math.multiplyExact(tick, (long) changesPerTick), slots);
  }

  private long tickStart(long tick) {
    return Math.addExact(EPOCH_MS + 1, Math.multiplyExact(tick, intervalMs));
  }

  private VisitOrder order(long round) {
    return new VisitOrder(entities, Mixing.hash(seed, DRAW_ORDER, round, 0));
  }

  /** For each account, its position in the visit order of {@code round}. */
  private int[] positions(long round) {
    VisitOrder order = order(round);
    int[] positions = new int[entities];
    for (int position = 0; position < entities; position++) {
      positions[order.at(position)] = position;
    }
    return positions;
  }

  /** Version {@code version} of {@code account}, changed at {@code at}: its row, or its deletion. */
  private Change visit(int account, long version, long at) {
    derivedRows.increment();
    List<Object> key = List.of(accountName(account));
    if (deletes(account, version)) {
      return Change.delete(key, BigInteger.valueOf(at));
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("account", key.get(0));
    row.put("symbol", SYMBOLS.get(Mixing.below(draw(DRAW_SYMBOL, account, 0), SYMBOLS.size())));
    row.put("net_position", position(account, version));
    row.put("price", price(account, version));
    row.put("risk_limit", RISK_LIMITS.get(Mixing.below(draw(DRAW_RISK_LIMIT, account, 0), RISK_LIMITS.size())));
    row.put("updated_at", OffsetDateTime.ofInstant(Instant.ofEpochMilli(at), ZoneOffset.UTC));
    return Change.upsert(key, row, BigInteger.valueOf(at));
  }

  private boolean deletes(int account, long version) {
    return version > 0 && deleteCoin(account, version) && !deleteCoin(account, version - 1);
  }

  private boolean deleteCoin(int account, long version) {
    return version > 0 && Mixing.unit(draw(DRAW_DELETE, account, version)) < DELETE_PROBABILITY;
  }

  private BigDecimal price(int account, long version) {
    BigDecimal base = BigDecimal.valueOf(2_000 + Mixing.below(draw(DRAW_BASE_PRICE, account, 0), 48_000), 2);
    double factor = StrictMath.exp(PRICE_SWING * wave(DRAW_PRICE_WAVE, account, version));
    return base.multiply(BigDecimal.valueOf(factor)).setScale(2, RoundingMode.HALF_EVEN).max(MIN_PRICE);
  }

  private BigDecimal position(int account, long version) {
    long centre = Mixing.below(draw(DRAW_CENTRE, account, 0), 20_001) - 10_000L;
    double swing = POSITION_SWING * wave(DRAW_POSITION_WAVE, account, version)
        + POSITION_NOISE * gaussian(account, version);
    return BigDecimal.valueOf(centre + Math.round(swing));
  }

  /** A smooth fluctuation in [-1, 1] over the versions of one account: seeded waves of three periods. */
  private double wave(int purpose, int account, long version) {
    double sum = 0;
    for (int i = 0; i < WAVE_WEIGHTS.length; i++) {
      double period = WAVE_PERIODS[i] * (0.75 + 0.5 * Mixing.unit(draw(purpose, account, 2L * i)));
      double phase = 2 * StrictMath.PI * Mixing.unit(draw(purpose, account, 2L * i + 1));
      sum += WAVE_WEIGHTS[i] * StrictMath.sin(2 * StrictMath.PI * version / period + phase);
    }
    return sum;
  }

  /** A standard normal draw for one version of one account (Box–Muller). */
  private double gaussian(int account, long version) {
    long hash = draw(DRAW_NOISE, account, version);
    double u1 = 1.0 - Mixing.unit(hash);
    double u2 = Mixing.unit(Mixing.mix(hash));
    return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
  }

  private long draw(int purpose, int account, long index) {
    return Mixing.hash(seed, purpose, account, index);
  }

  private static String accountName(int account) {
    return String.format("ACC-%04d", account + 1);
  }

  private static long logicalTime(BigInteger time) {
    if (time.bitLength() >= Long.SIZE) {
      throw new IllegalArgumentException("time " + time + " is beyond the load generator's clock");
    }
    return time.longValueExact();
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
