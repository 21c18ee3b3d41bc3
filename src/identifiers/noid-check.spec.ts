import { BETANUMERIC, hasValidCheckCharacter, ncdaCheckCharacter } from './noid-check';

describe('ncdaCheckCharacter', () => {
  // Worked example from the NOID documentation: "13030/xf93gt2" has check character "q".
  it('matches the published NOID example', () => {
    expect(ncdaCheckCharacter('13030/xf93gt2')).toBe('q');
  });

  it('accepts a correct identifier', () => {
    expect(hasValidCheckCharacter('bcd4fh5k9' + ncdaCheckCharacter('bcd4fh5k9'))).toBe(true);
  });

  it('detects every single-character substitution', () => {
    const body = 'x7k2m9q4d';
    const valid = body + ncdaCheckCharacter(body);
    for (let position = 0; position < body.length; position++) {
      for (const replacement of BETANUMERIC) {
        if (replacement === body[position]) {
          continue;
        }
        const mutated = valid.slice(0, position) + replacement + valid.slice(position + 1);
        expect(hasValidCheckCharacter(mutated)).toBe(false);
      }
    }
  });

  it('detects adjacent transpositions', () => {
    const body = 'x7k2m9q4d';
    const valid = body + ncdaCheckCharacter(body);
    for (let position = 0; position + 1 < valid.length; position++) {
      if (valid[position] === valid[position + 1]) {
        continue;
      }
      const swapped =
        valid.slice(0, position) +
        valid[position + 1] +
        valid[position] +
        valid.slice(position + 2);
      expect(hasValidCheckCharacter(swapped)).toBe(false);
    }
  });
});
