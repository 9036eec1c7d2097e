/**
 * Lists the property names of a params or result type at run time, so the contract test can
 * compare them with schemas/. The mapped type makes the compiler insist on every key, so the
 * list cannot drift from the TypeScript type either.
 */
export function fields<T extends object>(keys: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.keys(keys).sort();
}
