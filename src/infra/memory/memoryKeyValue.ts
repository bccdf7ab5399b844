import type { KeyValueStore } from '../keyValue.js';

interface Entry {
  value: string | string[];
  expiresAt?: number;
}

/** Redis semantics in one process (embedded mode); expiry is checked lazily on read, like Redis does. */
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  async get(key: string): Promise<string | null> {
    const entry = this.live(key);
    return typeof entry?.value === 'string' ? entry.value : null;
  }

  async set(key: string, value: string, options: { ttlMs?: number; onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    if (options.onlyIfAbsent && this.live(key)) return false;
    this.entries.set(key, { value, ...(options.ttlMs ? { expiresAt: this.now() + options.ttlMs } : {}) });
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async incrementBy(key: string, amount: number, ttlMs?: number): Promise<number> {
    const entry = this.live(key);
    const current = typeof entry?.value === 'string' ? Number(entry.value) : 0;
    const next = current + amount;
    if (entry) entry.value = String(next);
    else this.entries.set(key, { value: String(next), ...(ttlMs ? { expiresAt: this.now() + ttlMs } : {}) });
    return next;
  }

  async appendToList(key: string, value: string, options: { maxLength: number; ttlMs: number }): Promise<void> {
    const entry = this.live(key);
    const list = Array.isArray(entry?.value) ? entry.value : [];
    list.push(value);
    if (list.length > options.maxLength) list.splice(0, list.length - options.maxLength);
    this.entries.set(key, { value: list, expiresAt: this.now() + options.ttlMs });
  }

  async listRange(key: string, start: number, stop: number): Promise<string[]> {
    const entry = this.live(key);
    if (!Array.isArray(entry?.value)) return [];
    const list = entry.value;
    const from = start < 0 ? Math.max(0, list.length + start) : start;
    const to = stop < 0 ? list.length + stop : stop;
    return list.slice(from, to + 1);
  }

  /** Compare-and-delete used by the in-process lock manager. */
  deleteIfEquals(key: string, value: string): boolean {
    const entry = this.live(key);
    if (entry?.value !== value) return false;
    this.entries.delete(key);
    return true;
  }

  /** Compare-and-extend used by the in-process lock manager. */
  extendIfEquals(key: string, value: string, ttlMs: number): boolean {
    const entry = this.live(key);
    if (entry?.value !== value) return false;
    entry.expiresAt = this.now() + ttlMs;
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
