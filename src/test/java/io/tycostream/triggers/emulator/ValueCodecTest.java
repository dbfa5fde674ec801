package io.tycostream.triggers.emulator;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifies value encodings against hand-computed PostgreSQL wire bytes and texts (spec §6.3).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ValueCodecTest {

  private static int[] numeric(String value) {
    Buffer out = Buffer.buffer();
    ValueCodec.appendNumeric(out, new BigDecimal(value));
    int[] shorts = new int[out.length() / 2];
    for (int i = 0; i < shorts.length; i++) {
      shorts[i] = out.getShort(i * 2);
    }
    return shorts;
  }

  /** Verifies numeric binary: ndigits, weight, sign, dscale, base-10000 groups, keeping trailing integer zeros. */
  @Test
  void encodesNumericLikeMaterialize() {
    // GIVEN values from the spec and a few fractional ones
    // THEN the groups are as computed by hand
    assertThat(numeric("1713467628500")).containsExactly(4, 3, 0, 0, 1, 7134, 6762, 8500);
    assertThat(numeric("1713467620000")).containsExactly(4, 3, 0, 0, 1, 7134, 6762, 0);
    assertThat(numeric("0")).containsExactly(0, 0, 0, 0);
    assertThat(numeric("-12345.0067")).containsExactly(3, 1, 0x4000, 4, 1, 2345, 67);
    assertThat(numeric("0.00001")).containsExactly(1, -2, 0, 5, 1000);
    assertThat(numeric("2.50")).containsExactly(2, 0, 0, 2, 2, 5000);
  }

  /** Verifies the text forms of the date/time and float types. */
  @Test
  void rendersTextLikePostgres() {
    // GIVEN values of each type
    // THEN their text output matches PostgreSQL with TimeZone UTC and DateStyle ISO
    assertThat(ValueCodec.text(PgType.TIMESTAMP, LocalDateTime.of(2024, 1, 2, 3, 4, 5, 120_000_000)))
        .isEqualTo("2024-01-02 03:04:05.12");
    assertThat(ValueCodec.text(PgType.TIMESTAMPTZ, ValueCodec.normalize(PgType.TIMESTAMPTZ,
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2))))).isEqualTo("2024-01-02 01:04:05+00");
    assertThat(ValueCodec.text(PgType.DATE, LocalDate.of(2024, 2, 29))).isEqualTo("2024-02-29");
    assertThat(ValueCodec.text(PgType.FLOAT8, 3.0)).isEqualTo("3");
    assertThat(ValueCodec.text(PgType.FLOAT8, 0.1)).isEqualTo("0.1");
    assertThat(ValueCodec.text(PgType.BOOL, false)).isEqualTo("f");
  }

  /** Verifies binary date/time epochs (2000-01-01) and that a value of the wrong Java type is rejected. */
  @Test
  void encodesBinaryEpochsAndRejectsWrongTypes() {
    // GIVEN one day and one microsecond after the PostgreSQL epoch
    Buffer date = Buffer.buffer();
    ValueCodec.appendBinary(date, PgType.DATE, LocalDate.of(2000, 1, 2));
    Buffer timestamp = Buffer.buffer();
    ValueCodec.appendBinary(timestamp, PgType.TIMESTAMP, LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1000));
    // THEN they encode as 1, and a String for an INT4 column is refused
    assertThat(date.getInt(0)).isEqualTo(1);
    assertThat(timestamp.getLong(0)).isEqualTo(1);
    assertThatThrownBy(() -> ValueCodec.normalize(PgType.INT4, "7")).isInstanceOf(IllegalArgumentException.class);
  }

  /** Verifies that Materialize's unsigned integers go out as decimal text and as big-endian unsigned binary. */
  @Test
  void encodesUnsignedIntegersLikeMaterialize() {
    // GIVEN the largest value of each unsigned type
    Object uint2 = ValueCodec.normalize(PgType.UINT2, 65_535);
    Object uint4 = ValueCodec.normalize(PgType.UINT4, 4_294_967_295L);
    Object uint8 = ValueCodec.normalize(PgType.UINT8, new BigInteger("18446744073709551615"));
    // THEN the text is plain decimal and the binary is 2, 4 and 8 bytes of all ones
    assertThat(ValueCodec.text(PgType.UINT2, uint2)).isEqualTo("65535");
    assertThat(ValueCodec.text(PgType.UINT4, uint4)).isEqualTo("4294967295");
    assertThat(ValueCodec.text(PgType.UINT8, uint8)).isEqualTo("18446744073709551615");
    assertThat(binary(PgType.UINT2, uint2)).isEqualTo(new byte[] {-1, -1});
    assertThat(binary(PgType.UINT4, uint4)).isEqualTo(new byte[] {-1, -1, -1, -1});
    assertThat(binary(PgType.UINT8, uint8)).isEqualTo(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1});
    assertThat(binary(PgType.UINT4, ValueCodec.normalize(PgType.UINT4, 258))).isEqualTo(new byte[] {0, 0, 1, 2});
    // AND the RowDescription carries Materialize's OIDs and lengths
    assertThat(PgType.UINT2.oid()).isEqualTo(16460);
    assertThat(PgType.UINT4.oid()).isEqualTo(16462);
    assertThat(PgType.UINT8.oid()).isEqualTo(16464);
    assertThat(new int[] {PgType.UINT2.typlen(), PgType.UINT4.typlen(), PgType.UINT8.typlen()})
        .containsExactly(2, 4, 8);
  }

  /** Verifies that negative or too large unsigned values are refused by the control API. */
  @Test
  void refusesUnsignedValuesOutOfRange() {
    assertThatThrownBy(() -> ValueCodec.normalize(PgType.UINT2, 65_536)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ValueCodec.normalize(PgType.UINT4, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ValueCodec.normalize(PgType.UINT8, BigInteger.ONE.shiftLeft(64)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Verifies that a numeric NaN goes out as "NaN" and as PG's NaN sign word, and sorts above every number. */
  @Test
  void encodesNumericNaN() {
    // GIVEN a numeric NaN
    Object nan = ValueCodec.normalize(PgType.NUMERIC, Double.NaN);
    // THEN text, binary (ndigits 0, weight 0, sign 0xC000, dscale 0) and order follow PostgreSQL
    assertThat(ValueCodec.text(PgType.NUMERIC, nan)).isEqualTo("NaN");
    Buffer out = Buffer.buffer();
    ValueCodec.appendBinary(out, PgType.NUMERIC, nan);
    assertThat(new int[] {out.getShort(0), out.getShort(2), out.getUnsignedShort(4), out.getShort(6)})
        .containsExactly(0, 0, 0xC000, 0);
    assertThat(ValueCodec.compare(nan, new BigDecimal("1e30"))).isPositive();
    assertThat(ValueCodec.compare(new BigDecimal("1e30"), nan)).isNegative();
    assertThat(ValueCodec.compare(nan, ValueCodec.normalize(PgType.NUMERIC, Double.NaN))).isZero();
  }

  private static byte[] binary(PgType type, Object value) {
    Buffer out = Buffer.buffer();
    ValueCodec.appendBinary(out, type, value);
    return out.getBytes();
  }
}
