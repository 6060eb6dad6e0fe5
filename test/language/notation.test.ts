import { describe, expect, it } from 'vitest';
import { formatCompact, formatCount, formatShape } from '../../src/language/notation';

describe('notation', () => {
  it('writes shapes with × by default, x on request, ? when unknown', () => {
    expect(formatShape([64, 56, 56])).toBe('64×56×56');
    expect(formatShape([64, 56, 56], 'x')).toBe('64x56x56');
    expect(formatShape(null)).toBe('?');
  });
  it('groups thousands independent of locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1792)).toBe('1,792');
    expect(formatCount(25557032)).toBe('25,557,032');
    expect(formatCount(-1234567)).toBe('-1,234,567');
  });
  it('abbreviates magnitudes', () => {
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(1792)).toBe('1.79K');
    expect(formatCompact(25_557_032)).toBe('25.6M');
    expect(formatCompact(4_089_184_256)).toBe('4.09G');
  });
});
