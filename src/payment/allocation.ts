/**
 * Exact largest-remainder allocation (RULES.md §0): floor each share, then give
 * the leftover fen one by one to the largest fractional remainders; ties go to
 * the smaller party id. All arithmetic is BigInt, so pool × points products
 * never lose precision, and the shares always sum to the total.
 */
import { PaymentRuleError } from "./errors.js";
import { floorDiv, toSafeNumber, type Fen } from "./money.js";

export interface WeightedParty {
  id: string;
  /** Any integer weight (points in 1/10000 units, fen…). Negative weights are allowed as long as the sum is positive. */
  weight: number | bigint;
}

export interface AllocatedShare {
  id: string;
  weight: bigint;
  share: Fen;
}

/** Party ids are compared by UTF-16 code units (plain `<`), so the tie rule is locale-independent. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Splits `total` fen across parties proportionally to their weights.
 * Returns one share per party, in the input order; the shares depend only on
 * the set of (id, weight) pairs, not on their order. Ids must be unique.
 * Throws `zero-weights` when the weights sum to zero or less (nothing to split by)
 * unless the total itself is zero, in which case everybody gets 0.
 */
export function allocateByWeights(total: Fen | bigint, parties: ReadonlyArray<WeightedParty>): AllocatedShare[] {
  const T = BigInt(total);
  const seen = new Set<string>();
  for (const p of parties) {
    if (seen.has(p.id)) throw new PaymentRuleError("invalid-input", "id", `duplicate party id "${p.id}"`);
    seen.add(p.id);
  }
  const weights = parties.map((p) => {
    if (typeof p.weight === "number" && !Number.isSafeInteger(p.weight)) {
      throw new PaymentRuleError("invalid-input", "weight", `party "${p.id}": weight must be a safe integer, got ${p.weight}`);
    }
    return BigInt(p.weight);
  });
  const W = weights.reduce((a, b) => a + b, 0n);
  if (W <= 0n) {
    if (T === 0n) return parties.map((p, i) => ({ id: p.id, weight: weights[i]!, share: 0 }));
    throw new PaymentRuleError("zero-weights", "", `cannot allocate ${T} fen: the weights sum to ${W}`);
  }
  const floors: bigint[] = [];
  const remainders: bigint[] = []; // numerator over W, in [0, W)
  let allocated = 0n;
  weights.forEach((w) => {
    const f = floorDiv(T * w, W);
    floors.push(f);
    remainders.push(T * w - f * W);
    allocated += f;
  });
  let leftover = T - allocated; // 0 ≤ leftover < number of parties
  const order = parties
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = remainders[a]!;
      const rb = remainders[b]!;
      if (ra !== rb) return ra > rb ? -1 : 1;
      return compareIds(parties[a]!.id, parties[b]!.id);
    });
  for (const i of order) {
    if (leftover <= 0n) break;
    floors[i] = floors[i]! + 1n;
    leftover -= 1n;
  }
  return parties.map((p, i) => ({ id: p.id, weight: weights[i]!, share: toSafeNumber(floors[i]!, "share") }));
}
