/**
 * Shared by the domain unit tests' property loops (not used by product code).
 */

/** Deterministic 32-bit LCG (Numerical Recipes constants), so a property loop runs the same cases everywhere. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

export const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
