import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateByWeights } from "../../src/payment/allocation.js";
import { applyRate, formatYuan, parseYuan, roundHalfAwayFromZero } from "../../src/payment/money.js";
import { formatPoints, parsePoints } from "../../src/payment/points.js";

describe("money (RULES.md §0)", () => {
  it("rounds half away from zero for positive and negative amounts", () => {
    expect(roundHalfAwayFromZero(5n, 2n)).toBe(3n);
    expect(roundHalfAwayFromZero(-5n, 2n)).toBe(-3n);
    expect(roundHalfAwayFromZero(7n, 3n)).toBe(2n);
    expect(roundHalfAwayFromZero(-7n, 3n)).toBe(-2n);
    expect(roundHalfAwayFromZero(5n, -2n)).toBe(-3n);
    expect(applyRate(4_295_133, 500)).toBe(214_757);
  });
  it("formats yuan with thousands separators and parses it back", () => {
    expect(formatYuan(123_456)).toBe("1,234.56");
    expect(formatYuan(-5)).toBe("-0.05");
    expect(formatYuan(600_000_000_000)).toBe("6,000,000,000.00");
    expect(parseYuan("1,234.56")).toBe(123_456);
    expect(parseYuan("-3")).toBe(-300);
    fc.assert(fc.property(fc.integer({ min: -1e15, max: 1e15 }), (f) => parseYuan(formatYuan(f)) === f));
  });
  it("holds points as exact 1/10000 units", () => {
    expect(parsePoints("120.0000")).toBe(1_200_000);
    expect(formatPoints(4_250_00)).toBe("42.5000");
  });
});

const partiesArb = fc.uniqueArray(
  fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), weight: fc.bigInt({ min: 0n, max: 10n ** 14n }) }),
  { minLength: 1, maxLength: 12, selector: (p) => p.id },
);

describe("largest-remainder allocation (RULES.md §0)", () => {
  it("reproduces example A's shares: the leftover fen goes to H2's larger remainder", () => {
    const shares = allocateByWeights(8_920_000, [
      { id: "H1", weight: 6_850_000 },
      { id: "H2", weight: 2_345_000 },
    ]);
    expect(shares.map((s) => s.share)).toEqual([6_645_133, 2_274_867]);
  });
  it("gives a tied leftover fen to the smaller party id", () => {
    expect(allocateByWeights(1, [{ id: "b", weight: 1 }, { id: "a", weight: 1 }]).map((s) => s.share)).toEqual([0, 1]);
    expect(allocateByWeights(2, [{ id: "c", weight: 1 }, { id: "b", weight: 1 }, { id: "a", weight: 1 }]).map((s) => s.share)).toEqual([0, 1, 1]);
  });
  it("shares always sum to the total, are never negative for non-negative weights, and do not depend on input order", () => {
    fc.assert(
      fc.property(partiesArb, fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.context(), (parties, total, _ctx) => {
        fc.pre(parties.some((p) => p.weight > 0n));
        const shares = allocateByWeights(total, parties);
        const sum = shares.reduce((a, s) => a + BigInt(s.share), 0n);
        expect(sum).toBe(total);
        for (const s of shares) expect(s.share).toBeGreaterThanOrEqual(0);
        const reversed = allocateByWeights(total, [...parties].reverse());
        const byId = new Map(reversed.map((s) => [s.id, s.share]));
        for (const s of shares) expect(byId.get(s.id)).toBe(s.share);
        // each share is within one fen of its exact proportional value
        const W = parties.reduce((a, p) => a + p.weight, 0n);
        for (const [i, s] of shares.entries()) {
          const exact = total * parties[i]!.weight;
          expect(BigInt(s.share) * W <= exact + W && BigInt(s.share) * W >= exact - W).toBe(true);
        }
      }),
    );
  });
  it("refuses to split a non-zero total by weights that sum to zero", () => {
    expect(() => allocateByWeights(10, [{ id: "a", weight: 0 }])).toThrow(/weights sum to 0/);
    expect(allocateByWeights(0, [{ id: "a", weight: 0 }])[0]!.share).toBe(0);
  });
});
