/**
 * A small seeded pseudo-random generator for deterministic weight init: the
 * same model and layer name give the same numbers in Node and in a browser.
 *
 * Seeds come from a string through a 64-bit FNV-1a hash (kept as two 32-bit
 * halves); the generator is xoshiro128**, seeded by running SplitMix32 over the
 * hash so that similar names give unrelated streams.
 */

/** Hashes a string (UTF-16 code units) to two 32-bit words. */
export function hashString(text: string): [number, number] {
  // FNV-1a 64: offset basis 0xcbf29ce484222325, prime 0x100000001b3 = 2^40 + 0x1b3.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo ^= text.charCodeAt(i);
    // (hi, lo) · (2^40 + 0x1b3) mod 2^64, in 16-bit pieces to stay exact.
    const loLo = lo & 0xffff;
    const loHi = lo >>> 16;
    const a = loLo * 0x1b3;
    const b = loHi * 0x1b3 + (a >>> 16);
    const newLo = ((b & 0xffff) << 16) | (a & 0xffff);
    const carry = b >>> 16;
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) | 0;
    lo = newLo;
  }
  return [hi >>> 0, lo >>> 0];
}

/** Deterministic uniform numbers from a string seed. */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: string) {
    const [hi, lo] = hashString(seed);
    let state = (hi ^ Math.imul(lo, 0x9e3779b9)) >>> 0;
    const splitmix = () => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix() ^ lo;
    this.s1 = splitmix() ^ hi;
    this.s2 = splitmix();
    this.s3 = splitmix();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s3 = 1;
  }

  /** The next 32 random bits, as an unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1), with 24 random bits (every value is exact in float32). */
  next(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Fills `out` with values uniform in [−bound, bound). */
  fillUniform(out: Float32Array, bound: number): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = (2 * this.next() - 1) * bound;
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
