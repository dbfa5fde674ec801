package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.Change;

import java.math.BigInteger;
import java.util.List;

/** One decoded row of {@code SUBSCRIBE … ENVELOPE UPSERT … WITH (PROGRESS)} output. Immutable. */
sealed interface SubscribeRow {

  /** {@code mz_timestamp} of the row. */
  BigInteger timestamp();

  /** {@code mz_progressed = true}: no more rows will arrive at times below {@code timestamp}. */
  record Progress(BigInteger timestamp) implements SubscribeRow {
  }

  /** An {@code upsert} or {@code delete} row. */
  record Data(Change change) implements SubscribeRow {
    @Override
    public BigInteger timestamp() {
      return change.timestamp();
    }
  }

  /** A {@code key_violation} row: the view holds several rows for {@code key} at {@code timestamp}. */
  record KeyViolation(List<Object> key, BigInteger timestamp) implements SubscribeRow {
  }
}
