/**
 * Names are compared in a normalized form so that full-width/half-width variants, stray spaces
 * and invisible code points cannot make two "different" names for the same organization under
 * one managing authority: NFKC, then without white space and without default-ignorable code
 * points (variation selectors U+FE00–FE0F, zero-width characters U+200B–200D, U+2060, U+FEFF…).
 */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').replace(/[\s\p{Default_Ignorable_Code_Point}]+/gu, '');
}

/** Why a name is unacceptable, or undefined: Chinese, 2–50 characters, printable. */
export function nameProblem(name: string): string | undefined {
  const length = name.trim().match(/./gsu)?.length ?? 0; // code points, not UTF-16 units
  if (length < 2 || length > 50) return 'a name has 2 to 50 characters';
  if (!/\p{Script=Han}/u.test(name))
    return 'a name must be in Chinese (contain Chinese characters)';
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(name)) return 'a name may not contain control characters';
  return undefined;
}
