import { describe, expect, it } from 'vitest';
import { Lru } from '../../webview/lru';

describe('Lru', () => {
  it('keeps the most recently used entries, up to its capacity', () => {
    const lru = new Lru<string, number | null>(2);
    lru.set('a', 1);
    lru.set('b', null);
    expect(lru.get('a')).toBe(1); // a is now the newest
    lru.set('c', 3); // evicts b
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.size).toBe(2);
    lru.set('c', 4);
    expect(lru.get('c')).toBe(4);
    expect(lru.size).toBe(2);
    lru.clear();
    expect(lru.size).toBe(0);
  });

  it('keeps null values (a channel the worker no longer has) apart from missing ones', () => {
    const lru = new Lru<string, number | null>(4);
    lru.set('gone', null);
    expect(lru.get('gone')).toBeNull();
    expect(lru.get('never')).toBeUndefined();
  });
});
