/**
 * Seeded randomness. Every generated value derives from the organization's seed plus a label naming what is being
 * generated (`hashSeed(seed, 'cost', env, service)`), so values do not depend on the order requests arrive in.
 */

/** 32-bit FNV-1a over the seed and the labels. */
export function hashSeed(
  seed: number,
  ...labels: Array<string | number>
): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (const label of labels) {
    const text = `|${label}`;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
  }
  return hash >>> 0;
}

/** Mulberry32: small, fast and good enough for plausible fake data. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  static for(seed: number, ...labels: Array<string | number>): SeededRandom {
    return new SeededRandom(hashSeed(seed, ...labels));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  int(min: number, maxInclusive: number): number {
    return Math.floor(this.between(min, maxInclusive + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) {
      out += alphabet[Math.floor(this.next() * alphabet.length)];
    }
    return out;
  }

  hex(length: number): string {
    return this.chars('0123456789abcdef', length);
  }

  upperAlnum(length: number): string {
    return this.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', length);
  }

  lowerAlnum(length: number): string {
    return this.chars('abcdefghijklmnopqrstuvwxyz0123456789', length);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
      17,
      20,
    )}-${h.slice(20, 32)}`;
  }
}
