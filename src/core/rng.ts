// Seeded random streams. Every consumer of randomness owns a named stream derived from the scenario
// seed, so adding draws in one part of the model never shifts the numbers another part sees, and the
// same seed always gives byte-identical results. Nothing here may call Math.random or read a clock.

/** 32-bit FNV-1a, to turn a stream name into a number. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32: spreads a weak seed over the whole state space of the generator below. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A sfc32 generator: small, fast, passes PractRand far beyond what a simulation run draws. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is the scenario's seed; `stream` names the consumer ("workload", "channel", ...). */
  constructor(seed: number, stream: string) {
    const st = { s: (Math.floor(seed) ^ hashName(stream)) | 0 };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n), n <= 2^32. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A derived stream, for a sub-consumer that needs its own sequence. */
  fork(stream: string): Rng {
    return new Rng(this.nextUint32(), stream);
  }
}
