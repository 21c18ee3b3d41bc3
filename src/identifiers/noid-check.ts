/**
 * Check characters for persistent identifiers, using the NOID Check Digit
 * Algorithm (NCDA) that ARK and NOID identifiers use. The alphabet has 29
 * "betanumeric" characters (digits and consonants without l, so no vowel can
 * spell a word and `l` cannot be mistaken for `1`); because 29 is prime, the
 * check catches every single-character error and every transposition of two
 * adjacent characters.
 */
export const BETANUMERIC = '0123456789bcdfghjkmnpqrstvwxz';

/** Compute the check character of `id` (characters outside the alphabet count as 0). */
export function ncdaCheckCharacter(id: string): string {
  let sum = 0;
  for (let index = 0; index < id.length; index++) {
    const ordinal = BETANUMERIC.indexOf(id[index] ?? '');
    sum += (index + 1) * (ordinal < 0 ? 0 : ordinal);
  }
  return BETANUMERIC[sum % BETANUMERIC.length] ?? '0';
}

/** True when the last character of `idWithCheck` is the check character of the rest. */
export function hasValidCheckCharacter(idWithCheck: string): boolean {
  if (idWithCheck.length < 2) {
    return false;
  }
  const body = idWithCheck.slice(0, -1);
  return ncdaCheckCharacter(body) === idWithCheck.slice(-1);
}
